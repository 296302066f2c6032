"""Name an authorised person: their personal ID, my consent, a fresh code, and send."""
from __future__ import annotations

from mobile_app.client import AuthorisationIntent
from mobile_app.screens.base import AppScreen


class NameAuthorisedScreen(AppScreen):
    def on_enter(self, *_args) -> None:
        self.ids.consent.state = "normal"
        self.ids.personal_id.text = ""
        self.ids.code.text = ""

    def submit(self) -> None:
        # One intent per tap: a retry from the error dialog repeats it, same key.
        intent = AuthorisationIntent(self.ids.personal_id.text.strip())
        code = self.ids.code.text.strip()
        self.app.call(lambda: self.app.client.name_authorised_person(intent, code),
                      self._submitted, on_error=self._refused)

    def _submitted(self, link: dict) -> None:
        self.app.go("link_status", remember_current=False, link_id=link["id"])

    def _refused(self, _error) -> bool:
        self.ids.code.text = ""
        return False
