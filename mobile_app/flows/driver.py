"""Drives the real app headless or on screen: type, tap, wait, screenshot."""
from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from mobile_app.flows.report import FlowResult, Step


class FlowFailed(AssertionError):
    pass


class Driver:
    def __init__(self, app, folder: Path, result: FlowResult):
        self.app = app
        self.folder = folder
        self.result = result
        # A patient citizen on a bad network: taps "try again" whenever the app offers
        # it after a lost connection, and the script goes on.
        self.patient = False
        self.retries = 0

    # The app's life in a script -------------------------------------------
    def start(self) -> None:
        """What App.run() does before its loop; the script runs the loop itself."""
        from kivy.base import EventLoop
        from kivy.core.window import Window
        EventLoop.ensure_window()
        self.app.load_config()
        self.app.root = self.app.build()
        Window.add_widget(self.app.root)
        self.app.dispatch("on_start")
        self.pump(0.2)

    def stop(self) -> None:
        from kivy.core.window import Window
        if self.app.dialog is not None:
            self.app.dialog.dismiss()
        # Leaving the screen stops its polling: the Clock outlives this app, and
        # the next app started in this process must not get this one's calls.
        self.app.manager.current_screen.dispatch("on_leave")
        self.pump(0.1)
        Window.remove_widget(self.app.root)
        # kv's `app` caches the running app until on_stop: the next app gets its own.
        self.app.dispatch("on_stop")

    # Time ------------------------------------------------------------------
    def pump(self, seconds: float = 0.05) -> None:
        """Run the UI loop for a while (frames, Clock callbacks, thread results)."""
        from kivy.base import EventLoop
        deadline = time.monotonic() + seconds
        EventLoop.idle()
        while time.monotonic() < deadline:
            EventLoop.idle()

    def wait_until(self, done: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise FlowFailed(f"waited {timeout:.0f} s for: {what}")
            if self.patient and self._offered_retry():
                if not self.retries:
                    self.shot("The network dropped a request: the app offers to try again")
                self.retries += 1
                self.confirm_dialog()
            self.pump(0.05)
        self.pump(0.1)

    def settle(self, timeout: float = 20.0) -> None:
        """Wait until no call is in flight (the spinner is gone)."""
        self.pump(0.05)
        self.wait_until(lambda: self.app.calls_in_flight == 0, "the backend to answer",
                        timeout)

    # Widgets ---------------------------------------------------------------
    def screen(self, name: str | None = None):
        return self.app.screen(name or self.app.manager.current)

    def widget(self, screen_name: str, widget_id: str):
        return self.app.screen(screen_name).ids[widget_id]

    def listed(self, screen_name: str, widget_id: str) -> list:
        """The widgets of a list as the citizen reads them, top to bottom
        (Kivy keeps children last-added first)."""
        return list(reversed(self.widget(screen_name, widget_id).children))

    def type_into(self, field, text: str) -> None:
        field.focus = True
        field.text = ""
        field.insert_text(text)  # goes through the field's input filter like typing does
        field.focus = False
        self.pump(0.05)

    def tap(self, button) -> None:
        """Press and release as a finger does (toggles flip, buttons fire on_release)."""
        if button.disabled:
            raise FlowFailed(f"tapped a disabled button: {getattr(button, 'text', button)}")
        button._do_press()
        button.dispatch("on_press")
        self.pump(0.05)
        button._do_release()
        button.dispatch("on_release")
        self.pump(0.05)

    def scroll_to(self, widget) -> None:
        """Scroll the page holding `widget` until the citizen sees it, as a swipe would."""
        from kivy.uix.scrollview import ScrollView
        parent = widget.parent
        while parent is not None and not isinstance(parent, ScrollView):
            parent = parent.parent
        if parent is None:
            raise FlowFailed(f"{widget} is not on a scrolling page")
        parent.scroll_to(widget, animate=False)
        self.pump(0.1)

    def expect_screen(self, name: str, timeout: float = 20.0) -> None:
        self.wait_until(lambda: self.app.manager.current == name, f"the {name} screen",
                        timeout)
        self.settle(timeout)

    def expect_dialog(self, timeout: float = 20.0) -> str:
        self.wait_until(lambda: self.app.dialog is not None, "a message", timeout)
        return self.app.shown_message

    def expect_loaded(self, name: str, timeout: float = 20.0) -> None:
        """The screen, with what it shows loaded (not "loading"): a citizen waits for it
        before tapping what it offers."""
        self.expect_screen(name, timeout)
        self.wait_until(lambda: self.screen(name).loaded, f"the {name} screen to load",
                        timeout)

    def _offered_retry(self) -> bool:
        from mobile_app.i18n import _
        dialog = self.app.dialog
        return dialog is not None and dialog.confirm_text == _("common.retry")

    def close_dialog(self) -> None:
        if self.app.dialog is not None:
            self.tap(self.app.dialog.ids.dismiss)

    def confirm_dialog(self) -> None:
        self.tap(self.app.dialog.ids.confirm)

    def check(self, condition: bool, what: str) -> None:
        if not condition:
            raise FlowFailed(what)

    # Evidence --------------------------------------------------------------
    def shot(self, caption: str) -> Path:
        """Screenshot the window as it is now, as the next step of the report."""
        from kivy.core.window import Window
        self.pump(0.15)
        number = len(self.result.steps) + 1
        slug = re.sub(r"[^a-z0-9]+", "-", caption.lower()).strip("-")[:40]
        target = self.folder / f"{number:02d}-{slug}.png"
        # Window.screenshot numbers its files (name0001.png): keep our own name.
        written = Path(Window.screenshot(name=str(target)))
        written.replace(target)
        self.result.steps.append(Step(caption, target.name))
        return target
