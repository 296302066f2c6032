"""The App: shared state as Kivy properties, navigation, calls off the UI thread, errors."""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import Metrics
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    StringProperty,
)

from mobile_app.client import ApiClient, ClientError
from mobile_app.i18n import DEFAULT_LANGUAGE, _
from mobile_app.i18n.binding import tr
from mobile_app.presenting import error_words


class SocialSecurityApp(App):
    title = "An sinh xã hội"
    language = StringProperty(DEFAULT_LANGUAGE)
    citizen = DictProperty()  # GET /me of the signed-in citizen
    signed_in = BooleanProperty(False)
    institutions = ListProperty()  # GET /institutions, loaded once
    calls_in_flight = NumericProperty(0)  # the spinner shows while this is above 0
    shown_message = StringProperty("")  # the text in the error dialog now ("" when none)
    # Large text for those who need it: every "sp" size in kv follows Metrics.fontscale.
    text_scale = NumericProperty(1.0)

    def __init__(self, backend_url: str, language: str = DEFAULT_LANGUAGE, **kwargs):
        super().__init__(**kwargs)
        self.client = ApiClient(backend_url, language)
        self._history: list[str] = []
        self.dialog = None
        # Where "my data" downloads go; None: the app's own data folder.
        self.exports_folder: Path | None = None
        tr.switch(language)
        self.language = language

    # Building ---------------------------------------------------------------
    def build(self):
        from mobile_app.screens import build_shell
        return build_shell()

    @property
    def manager(self):
        return self.root.ids.manager

    def screen(self, name: str):
        return self.manager.get_screen(name)

    def on_text_scale(self, _app, scale: float) -> None:
        Metrics.fontscale = scale

    def on_language(self, _app, language: str) -> None:
        self.client.language = language
        tr.switch(language)

    # Navigation -------------------------------------------------------------
    def go(self, name: str, remember_current: bool = True, **screen_state: Any) -> None:
        """Show a screen; `screen_state` is set on it first (e.g. link_id=5).

        `remember_current=False` leaves the current screen out of the way back
        (a submitted form is not a place to return to).
        """
        screen = self.screen(name)
        for attribute, value in screen_state.items():
            setattr(screen, attribute, value)
        if self.manager.current != name:
            if remember_current:
                self._history.append(self.manager.current)
            self.manager.current = name
        else:
            screen.dispatch("on_enter")  # same screen, new state: load again

    def go_back(self) -> None:
        if self._history:
            self.manager.current = self._history.pop()

    def go_home(self) -> None:
        self._history.clear()
        self.manager.current = "home"

    # Session ----------------------------------------------------------------
    def session_started(self, citizen: dict) -> None:
        self.citizen = citizen
        self.signed_in = True
        self._history.clear()
        self.manager.current = "home"

    def end_session(self) -> None:
        """Back to the login screen, with nothing of the citizen left on screen."""
        self.client.transport.forget_session()
        self.citizen = {}
        self.signed_in = False
        self._history.clear()
        self.manager.current = "login"

    def go_home_signed_out(self) -> None:
        """Back to the login screen from a screen used before signing in."""
        self._history.clear()
        self.manager.current = "login"

    def sign_out(self) -> None:
        self.call(self.client.sign_out, lambda _result: self.end_session(),
                  on_error=lambda _error: self.end_session() or True)

    # Work off the UI thread -------------------------------------------------
    def call(self, work: Callable[[], Any], on_done: Callable[[Any], None],
             on_error: Callable[[ClientError], bool | None] | None = None,
             quiet: bool = False) -> None:
        """Run `work` on a thread; its result or error comes back on the UI thread.

        `on_error` may handle a failure itself (answer True); otherwise it goes
        to show_error, with a retry that repeats the same `work` (same intent,
        same Idempotency-Key). `quiet` calls (polls) show no spinner.
        """
        if not quiet:
            self.calls_in_flight += 1

        def finish(outcome: Callable[[], None]) -> None:
            if not quiet:
                self.calls_in_flight -= 1
            outcome()

        def failed(error: ClientError) -> None:
            if on_error is not None and on_error(error):
                return
            self.show_error(error, retry=lambda: self.call(work, on_done, on_error, quiet))

        def run() -> None:
            try:
                result = work()
            except ClientError as error:
                Clock.schedule_once(lambda _dt, error=error: finish(lambda: failed(error)))
            else:
                Clock.schedule_once(lambda _dt, result=result: finish(lambda: on_done(result)))

        threading.Thread(target=run, daemon=True, name="api-call").start()

    # The one place errors are shown -----------------------------------------
    def show_error(self, error: ClientError, retry: Callable[[], None] | None = None) -> None:
        words = error_words(error)
        confirm_text, action = "", None
        if words.action == "retry" and retry is not None:
            confirm_text, action = _("common.retry"), retry
        elif words.action == "sign_in":
            confirm_text, action = _("common.sign_in_again"), self.end_session
        elif words.action == "level2":
            confirm_text, action = _("common.how_to_level2"), lambda: self.go("level2")
        self.show_message(words.text, confirm_text, action,
                          _("common.close") if action is None else _("common.not_now"))
        if words.action == "sign_in" and self.signed_in:
            self.end_session()  # nothing of the session stays visible behind the dialog

    def show_message(self, text: str, confirm_text: str = "",
                     on_confirm: Callable[[], None] | None = None,
                     dismiss_text: str | None = None) -> None:
        from mobile_app.screens.widgets import MessageDialog
        if self.dialog is not None:
            self.dialog.dismiss()
        self.dialog = MessageDialog(message=text, confirm_text=confirm_text,
                                    dismiss_text=dismiss_text or _("common.close"),
                                    on_confirm=on_confirm)
        self.dialog.bind(on_dismiss=self._dialog_closed)
        self.shown_message = text
        self.dialog.open(animation=False)

    def dismiss_message(self, text: str) -> None:
        """Close the dialog if it still shows `text` (a problem that has gone away)."""
        if text and self.dialog is not None and self.shown_message == text:
            self.dialog.dismiss(animation=False)

    def _dialog_closed(self, dialog) -> None:
        if dialog is self.dialog:
            self.dialog = None
            self.shown_message = ""
