"""The one catalogue of the app's words, in Vietnamese (default) and English.

The words live in the gettext catalogue `app`
(mobile_app/i18n/translations/<language>/LC_MESSAGES/app.po, compiled to .mo
by `make catalogues`); message ids are keys such as `login.sign_in`, and
texts hold `%(placeholders)s`. `_("key", **params)` answers the text in the
current language; screens and kv use the Kivy-bound `tr`
(mobile_app.i18n.binding) so a language switch re-labels them in place. No
Kivy import here: the catalogue and the formatters are tested on their own.
"""
from __future__ import annotations

import gettext
from pathlib import Path

from mobile_app.i18n.formats import format_amount, format_date, format_datetime

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
DOMAIN = "app"
TRANSLATIONS = Path(__file__).with_name("translations")

# No fallback to the keys: a catalogue missing from the install fails at start.
_translations = {language: gettext.translation(DOMAIN, TRANSLATIONS, [language])
                 for language in LANGUAGES}
_current = DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    global _current
    if language not in _translations:
        raise ValueError(f"no catalogue for language {language!r}")
    _current = language


def current_language() -> str:
    return _current


def has_text(key: str) -> bool:
    return _translations[_current].gettext(key) != key


def _(key: str, **params) -> str:
    """The text for `key`; a missing key shows itself, so it is seen and fixed."""
    text = _translations[_current].gettext(key)
    return text % params if text != key else key


__all__ = ["_", "LANGUAGES", "DEFAULT_LANGUAGE", "set_language", "current_language",
           "has_text", "format_amount", "format_date", "format_datetime"]
