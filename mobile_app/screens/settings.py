"""Settings: the language, the size of the text, and signing out."""
from __future__ import annotations

from mobile_app.screens.base import AppScreen


class SettingsScreen(AppScreen):
    def choose_language(self, language: str) -> None:
        self.app.language = language

    def choose_text_scale(self, scale: float) -> None:
        self.app.text_scale = scale
