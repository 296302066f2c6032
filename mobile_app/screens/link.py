"""Linking, step 2: account number, consent, and confirm.

A first link soon after signing in needs nothing more; otherwise the server
answers STEP_UP_REQUIRED and the screen asks for the 6-digit passcode (or, for
a citizen who has none, a fresh one-time code), then the citizen confirms again.
"""
from __future__ import annotations

from kivy.properties import DictProperty, StringProperty

from mobile_app.client import LinkIntent
from mobile_app.screens.base import AppScreen


class LinkScreen(AppScreen):
    institution = DictProperty()  # the chosen institution from GET /institutions
    consent_text = StringProperty("")
    consent_version = StringProperty("")
    # Set by the server's STEP_UP_REQUIRED: "passcode", "otp", or "" (none asked yet).
    step_up = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._poller = self.follow(lambda: self.app.client.payout_link_consent(),
                                   self._consent_loaded)

    def on_enter(self, *_args) -> None:
        self.ids.consent.state = "normal"
        self.ids.step_up.clear()
        self.step_up = ""
        self._poller.start()

    def _consent_loaded(self, consent: dict) -> None:
        self.consent_text, self.consent_version = consent["text"], consent["version"]

    def on_leave(self, *args) -> None:
        super().on_leave(*args)
        self.ids.account_number.text = ""
        self.ids.step_up.clear()

    def submit(self) -> None:
        # One intent per tap: a retry from the error dialog repeats this very
        # call, with the same Idempotency-Key.
        intent = LinkIntent(kind=self.institution["kind"], institution=self.institution["code"],
                            account_number=self.ids.account_number.text.strip(),
                            consent_version=self.consent_version or None)
        code, passcode = self.ids.step_up.factor()
        self.app.call(lambda: self.app.client.link_payout(intent, code, passcode),
                      self._submitted, on_error=self._refused)

    def _submitted(self, link: dict) -> None:
        self.app.go("link_status", remember_current=False, link_id=link["id"])

    def _refused(self, error) -> bool:
        answered = self.ids.step_up.refused(error)  # the field appearing, no dialog
        self.step_up = self.ids.step_up.mode
        return answered
