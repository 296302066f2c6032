"""Settings: the language, and signing out."""
from __future__ import annotations

from mobile_app.screens.base import AppScreen


class SettingsScreen(AppScreen):
    def choose_language(self, language: str) -> None:
        self.app.language = language
