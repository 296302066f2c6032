"""What every screen shares: the running app, and re-labelling on a language switch."""
from __future__ import annotations

from kivy.app import App
from kivy.uix.screenmanager import Screen


class AppScreen(Screen):
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
