"""Linking, step 2: account number, consent, a fresh one-time code, and submit."""
from __future__ import annotations

from kivy.properties import DictProperty, StringProperty

from mobile_app.client import LinkIntent
from mobile_app.screens.base import AppScreen


class LinkScreen(AppScreen):
    institution = DictProperty()  # the chosen institution from GET /institutions
    consent_text = StringProperty("")
    consent_version = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._poller = self.follow(lambda: self.app.client.payout_link_consent(),
                                   self._consent_loaded)

    def on_enter(self, *_args) -> None:
        self.ids.consent.state = "normal"
        self.ids.code.text = ""
        self._poller.start()

    def _consent_loaded(self, consent: dict) -> None:
        self.consent_text, self.consent_version = consent["text"], consent["version"]

    def on_leave(self, *args) -> None:
        super().on_leave(*args)
        self.ids.account_number.text = ""

    def submit(self) -> None:
        # One intent per tap: a retry from the error dialog repeats this very
        # call, with the same Idempotency-Key.
        intent = LinkIntent(kind=self.institution["kind"], institution=self.institution["code"],
                            account_number=self.ids.account_number.text.strip(),
                            consent_version=self.consent_version or None)
        code = self.ids.code.text.strip()
        self.app.call(lambda: self.app.client.link_payout(intent, code), self._submitted,
                      on_error=self._refused)

    def _submitted(self, link: dict) -> None:
        self.app.go("link_status", remember_current=False, link_id=link["id"])

    def _refused(self, _error) -> bool:
        self.ids.code.text = ""  # a code is used once; the next try needs the next one
        return False
