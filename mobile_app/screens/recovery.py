"""Lost phone: ask with the personal ID and password, prove who you are (an officer
checks the ID card, or the phone reads the card's chip), then set up the new
authenticator with a code from it. The old phone's sessions and codes then stop."""
from __future__ import annotations

from kivy.properties import DictProperty, OptionProperty, StringProperty

from mobile_app.client import ApiError
from mobile_app.i18n import _, format_datetime
from mobile_app.screens.base import AppScreen

ASK, PROVE, ENROL = "ask", "prove", "enrol"


class RecoveryScreen(AppScreen):
    step = OptionProperty(ASK, options=(ASK, PROVE, ENROL))
    recovery = DictProperty()  # {"recovery_token", "status", "expires_at"}
    enrolment = DictProperty()  # {"secret", "otpauth_uri"}
    prove_text = StringProperty("")

    def on_enter(self, *_args) -> None:
        if not self.recovery:
            self.step = ASK

    def start(self) -> None:
        personal_id, password = self.ids.personal_id.text.strip(), self.ids.password.text
        self.app.call(lambda: self.app.client.start_recovery(personal_id, password),
                      self._started)

    def _started(self, recovery: dict) -> None:
        self.ids.password.text = ""
        self.recovery = recovery
        self.prove_text = _("recovery.prove", until=format_datetime(recovery["expires_at"]))
        self.step = PROVE

    def read_chip(self) -> None:
        # The simulator's "chip" is the card's personal ID, as the phone's NFC reads it.
        token, chip = self.recovery["recovery_token"], self.ids.personal_id.text.strip()
        self.app.call(lambda: self.app.client.read_id_card_chip(token, chip),
                      lambda _state: self.continue_to_enrolment())

    def continue_to_enrolment(self) -> None:
        token = self.recovery["recovery_token"]
        self.app.call(lambda: self.app.client.recovery_enrolment(token), self._enrolled,
                      on_error=self._not_proven_yet)

    def _not_proven_yet(self, error) -> bool:
        if isinstance(error, ApiError) and error.code == "CONFLICT":
            self.app.show_message(_("recovery.not_yet"))
            return True
        return False

    def _enrolled(self, enrolment: dict) -> None:
        self.enrolment = enrolment
        self.ids.secret.text = enrolment["secret"]
        self.step = ENROL

    def confirm(self) -> None:
        token, code = self.recovery["recovery_token"], self.ids.code.text.strip()
        self.app.call(lambda: self.app.client.confirm_recovery(token, code), self._recovered)

    def _recovered(self, _state: dict) -> None:
        self.recovery, self.enrolment = {}, {}
        self.ids.code.text = self.ids.secret.text = ""
        self.step = ASK
        self.app.go_home_signed_out()
        self.app.show_message(_("recovery.done"))
