"""Set or change the 6-digit passcode: the new one twice, and a fresh one-time code
(the server takes a code here, never the old passcode)."""
from __future__ import annotations

from mobile_app.client import ApiError
from mobile_app.i18n import _
from mobile_app.screens.base import AppScreen


class PasscodeScreen(AppScreen):
    def on_enter(self, *_args) -> None:
        self._clear(self.ids.new, self.ids.again, self.ids.code)

    def on_leave(self, *args) -> None:
        super().on_leave(*args)
        self._clear(self.ids.new, self.ids.again, self.ids.code)  # nothing typed stays

    def save(self) -> None:
        passcode, code = self.ids.new.text, self.ids.code.text.strip()
        if passcode != self.ids.again.text:
            # Checked here: the server sees one passcode, and the code stays unused.
            self._clear(self.ids.new, self.ids.again)
            self.app.show_message(_("passcode.mismatch"))
            return
        self.app.call(lambda: self.app.client.set_passcode(passcode, code), self._saved,
                      on_error=self._refused)

    def _saved(self, _answer) -> None:
        was_set = self.app.citizen.get("passcode_set")
        self.app.citizen = {**self.app.citizen, "passcode_set": True}
        self.app.go_back()
        self.app.show_message(_("passcode.changed") if was_set else _("passcode.set"))

    def _refused(self, error) -> bool:
        self._clear(self.ids.new, self.ids.again)
        if not (isinstance(error, ApiError) and error.code == "VALIDATION_ERROR"):
            # A refused passcode (too simple) left the code unused; any other answer
            # may have used it, and a code works once.
            self._clear(self.ids.code)
        return False  # the dialog says why, in words (presenting.error_words)

    @staticmethod
    def _clear(*fields) -> None:
        for field in fields:
            field.text = ""
