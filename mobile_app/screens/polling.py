"""Live status: a screen's resource fetched on entering, then polled while it stays open.

The first fetch shows the spinner and any error; the polls after it are quiet,
throttled by a Clock trigger, and a dropped poll just tries again later. The
client's ETags make an unchanged answer cheap (`Polled.changed` is False).
"""
from __future__ import annotations

from collections.abc import Callable

from kivy.app import App
from kivy.clock import Clock

from mobile_app.client import ConnectionProblem, Polled


class Poller:
    def __init__(self, fetch: Callable[[], Polled], on_answer: Callable[[Polled], None],
                 seconds: float, keep_polling: Callable[[], bool] = lambda: True):
        self._fetch = fetch  # blocking; runs off the UI thread
        self._on_answer = on_answer
        self._keep_polling = keep_polling
        self._soon = Clock.create_trigger(lambda _dt: self._poll(quiet=True), seconds)
        # Each start is a new round: answers of an earlier round (the screen was
        # left, or the query changed) are dropped.
        self._round = 0
        self._open = False

    def start(self) -> None:
        self._round += 1
        self._open = True
        self._soon.cancel()
        self._poll(quiet=False)

    def stop(self) -> None:
        self._round += 1
        self._open = False
        self._soon.cancel()

    def _poll(self, quiet: bool) -> None:
        if not self._open:
            return
        this_round = self._round
        App.get_running_app().call(
            self._fetch, lambda polled: self._answered(this_round, polled),
            on_error=(lambda error: self._failed(this_round, error)) if quiet else None,
            quiet=quiet)

    def _answered(self, this_round: int, polled: Polled) -> None:
        if this_round != self._round:
            return
        self._on_answer(polled)
        if self._open and self._keep_polling():
            self._soon()

    def _failed(self, this_round: int, error) -> bool:
        if this_round != self._round:
            return True  # an answer nobody waits for any more
        if isinstance(error, ConnectionProblem) and self._open:
            self._soon()  # a dropped poll is not worth a dialog; try again shortly
            return True
        return False
