"""Sign-in, second step: the one-time code, with the challenge's countdown."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import DictProperty, NumericProperty, StringProperty

from mobile_app.screens.base import AppScreen


class OneTimeCodeScreen(AppScreen):
    challenge = DictProperty()  # POST /auth/login's answer
    personal_id = StringProperty("")
    seconds_left = NumericProperty(0)

    def on_enter(self, *_args) -> None:
        self.ids.code.text = ""
        self.seconds_left = int(self.challenge.get("expires_in", 0))
        Clock.unschedule(self._tick)
        Clock.schedule_interval(self._tick, 1)
        self.ids.code.focus = True

    def on_leave(self, *_args) -> None:
        Clock.unschedule(self._tick)

    def _tick(self, _dt) -> None:
        self.seconds_left = max(0, self.seconds_left - 1)
        if self.seconds_left == 0:
            Clock.unschedule(self._tick)

    def countdown(self) -> str:
        return f"{self.seconds_left // 60:d}:{self.seconds_left % 60:02d}"

    def confirm(self) -> None:
        client, challenge_id = self.app.client, self.challenge.get("challenge_id", "")
        code = self.ids.code.text.strip()

        def finish_sign_in() -> dict:
            client.finish_sign_in(challenge_id, code)
            return client.me()

        self.app.call(finish_sign_in, self.app.session_started,
                      on_error=self._code_refused)

    def _code_refused(self, _error) -> bool:
        self.ids.code.text = ""  # then show_error says why
        return False
