"""Sign-in, first step: personal ID number and password."""
from __future__ import annotations

from mobile_app.screens.base import AppScreen


class LoginScreen(AppScreen):
    def sign_in(self) -> None:
        personal_id = self.ids.personal_id.text.strip()
        password = self.ids.password.text
        self.app.call(lambda: self.app.client.start_sign_in(personal_id, password),
                      lambda challenge: self._challenge_received(personal_id, challenge))

    def _challenge_received(self, personal_id: str, challenge: dict) -> None:
        self.ids.password.text = ""
        self.app.go("otp", challenge=challenge, personal_id=personal_id)

    def switch_language(self) -> None:
        self.app.language = "en" if self.app.language == "vi" else "vi"
