"""A screen's resource: fetched on entering, then polled while the screen stays open.

The first fetch shows the spinner and any error; the polls after it are quiet,
throttled by a Clock trigger, and a dropped poll just tries again later. The
client's ETags make an unchanged answer cheap (`Polled.changed` is False).

A first fetch that fails is not left as "loading" for good: the screen is told
(`on_load_failed`) so it can say so and offer to try again, and on a lost
connection the fetch is tried again by itself every few seconds, so the screen
fills in once the network is back, even if the dialog was closed with "later".
"""
from __future__ import annotations

from collections.abc import Callable

from kivy.app import App
from kivy.clock import Clock

from mobile_app.client import ConnectionProblem, Polled
from mobile_app.presenting import error_words

# A cheap phone on a weak network: often enough to notice the network is
# back, rarely enough not to drain the battery while it is not.
RETRY_SECONDS = 5.0


class Poller:
    def __init__(self, fetch: Callable[[], Polled], on_answer: Callable[[Polled], None],
                 seconds: float, keep_polling: Callable[[], bool] = lambda: True,
                 on_load_failed: Callable[[bool], None] = lambda _failed: None):
        self._fetch = fetch  # blocking; runs off the UI thread
        self._on_answer = on_answer
        self._keep_polling = keep_polling
        self._on_load_failed = on_load_failed
        self._soon = Clock.create_trigger(lambda _dt: self._poll(quiet=True), seconds)
        self._again = Clock.create_trigger(lambda _dt: self._poll(quiet=True), RETRY_SECONDS)
        # Each start is a new round: answers of an earlier round (the screen was
        # left, or the query changed) are dropped.
        self._round = 0
        self._open = False
        self._loaded = False
        self._error_shown = ""  # the dialog text of a failed first fetch

    @property
    def loaded(self) -> bool:
        """No first fetch is awaited: it has come, or none was asked (the screen showed
        what it already had, or it was left)."""
        return self._loaded or not self._open

    def start(self) -> None:
        self._round += 1
        self._open = True
        self._loaded = False
        self._cancel_triggers()
        self._on_load_failed(False)
        self._poll(quiet=False)

    def retry(self) -> None:
        """The screen's "try again": fetch now, with the spinner and any error shown."""
        if self._open and not self._loaded:
            self._again.cancel()
            self._poll(quiet=False)

    def stop(self) -> None:
        self._round += 1
        self._open = False
        self._cancel_triggers()

    def _cancel_triggers(self) -> None:
        self._soon.cancel()
        self._again.cancel()

    def _poll(self, quiet: bool) -> None:
        if not self._open:
            return
        this_round = self._round
        App.get_running_app().call(
            self._fetch, lambda polled: self._answered(this_round, polled),
            on_error=lambda error: self._failed(this_round, error, quiet), quiet=quiet)

    def _answered(self, this_round: int, polled: Polled) -> None:
        if this_round != self._round:
            return
        if not self._loaded:
            self._loaded = True
            self._on_load_failed(False)
            # The "no connection" dialog of the first fetch is out of date now.
            App.get_running_app().dismiss_message(self._error_shown)
        self._on_answer(polled)
        if self._open and self._keep_polling():
            self._soon()

    def _failed(self, this_round: int, error, quiet: bool) -> bool:
        """True when handled here; False lets the app show the error with a retry."""
        if this_round != self._round:
            return True  # an answer nobody waits for any more
        lost_connection = isinstance(error, ConnectionProblem)
        if self._loaded:
            if lost_connection and self._open:
                self._soon()  # a dropped poll is not worth a dialog; try again shortly
                return True
            return False
        self._on_load_failed(True)
        if lost_connection and self._open:
            self._again()
        if quiet:
            return True  # the screen already says it could not load, and offers a retry
        self._error_shown = error_words(error).text
        return False
