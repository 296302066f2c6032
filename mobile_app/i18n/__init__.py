"""The one catalogue of the app's words, in Vietnamese (default) and English.

`_("key", **params)` answers the text in the current language; screens and kv
use the Kivy-bound `tr` (mobile_app.i18n.binding) so a language switch
re-labels them in place. No Kivy import here: the catalogue and the
formatters are tested on their own.
"""
from __future__ import annotations

from mobile_app.i18n import en, vi
from mobile_app.i18n.formats import format_amount, format_date, format_datetime

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
CATALOGUES = {"vi": vi.STRINGS, "en": en.STRINGS}

_current = DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    global _current
    if language not in CATALOGUES:
        raise ValueError(f"no catalogue for language {language!r}")
    _current = language


def current_language() -> str:
    return _current


def has_text(key: str) -> bool:
    return key in CATALOGUES[_current]


def _(key: str, **params) -> str:
    """The text for `key`; a missing key shows itself, so it is seen and fixed."""
    text = CATALOGUES[_current].get(key) or CATALOGUES[DEFAULT_LANGUAGE].get(key) or key
    return text.format(**params) if params else text


__all__ = ["_", "LANGUAGES", "DEFAULT_LANGUAGE", "set_language", "current_language",
           "has_text", "format_amount", "format_date", "format_datetime"]
