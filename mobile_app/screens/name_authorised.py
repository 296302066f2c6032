"""Name an authorised person: their personal ID, my consent, the passcode (or a fresh
code), and send."""
from __future__ import annotations

from mobile_app.client import AuthorisationIntent
from mobile_app.presenting import step_up_factor
from mobile_app.screens.base import AppScreen


class NameAuthorisedScreen(AppScreen):
    def on_enter(self, *_args) -> None:
        self.ids.consent.state = "normal"
        self.ids.personal_id.text = ""
        self.ids.step_up.clear()
        self.ids.step_up.mode = step_up_factor(self.app.citizen)

    def submit(self) -> None:
        # One intent per tap: a retry from the error dialog repeats it, same key.
        intent = AuthorisationIntent(self.ids.personal_id.text.strip())
        code, passcode = self.ids.step_up.factor()
        self.app.call(lambda: self.app.client.name_authorised_person(intent, code, passcode),
                      self._submitted, on_error=self.ids.step_up.refused)

    def _submitted(self, link: dict) -> None:
        self.app.go("link_status", remember_current=False, link_id=link["id"])
