"""What every screen shares: the running app, re-labelling on a language switch, loading."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty
from kivy.uix.screenmanager import Screen

from mobile_app.screens.polling import Poller


class AppScreen(Screen):
    # The screen's first load failed: it says so and offers to try again,
    # instead of "loading..." for good (kv binds the LoadProblem card to it).
    load_failed = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._loading: Poller | None = None

    @property
    def app(self):
        return App.get_running_app()

    def on_kv_post(self, base_widget) -> None:
        self.app.bind(language=lambda *_: self.relabel())

    @property
    def showing(self) -> bool:
        return self.manager is not None and self.manager.current == self.name

    def relabel(self) -> None:
        """Rebuild what Python wrote (lists); kv labels re-label themselves."""

    def follow(self, fetch: Callable[[], Any], on_answer: Callable[[Any], None],
               seconds: float = 0, keep_polling: Callable[[], bool] = lambda: False) -> Poller:
        """The screen's resource: loaded by `start()`, polled while `keep_polling()`."""
        self._loading = Poller(fetch, on_answer, seconds, keep_polling,
                               on_load_failed=lambda failed: setattr(self, "load_failed", failed))
        return self._loading

    @property
    def loaded(self) -> bool:
        """Nothing on the screen still waits for its first answer ("loading")."""
        return self._loading is None or self._loading.loaded

    def retry_load(self) -> None:
        if self._loading is not None:
            self._loading.retry()

    def on_leave(self, *_args) -> None:
        if self._loading is not None:
            self._loading.stop()
