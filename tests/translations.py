"""The three gettext catalogues (backend, console, app), read from their .po sources."""
from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from backend import messages
from backend.console import catalogue
from mobile_app import i18n

LANGUAGES = ("vi", "en")
DIRECTORIES: dict[str, Path] = {messages.DOMAIN: messages.TRANSLATIONS,
                                catalogue.DOMAIN: catalogue.TRANSLATIONS,
                                i18n.DOMAIN: i18n.TRANSLATIONS}


def catalogue_file(domain: str, language: str, suffix: str) -> Path:
    return DIRECTORIES[domain] / language / "LC_MESSAGES" / f"{domain}{suffix}"


def read(domain: str, language: str) -> dict[str, str]:
    """Key -> text, in the file's order."""
    with catalogue_file(domain, language, ".po").open("rb") as po:
        return {message.id: message.string for message in read_po(po)
                if message.id and isinstance(message.id, str) and isinstance(message.string, str)}


# domain -> language -> key -> text
CATALOGUES = {domain: {language: read(domain, language) for language in LANGUAGES}
              for domain in DIRECTORIES}
