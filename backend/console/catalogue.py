"""Every string the console shows, in Vietnamese (default) and English.

The words live in the gettext catalogue `console`
(backend/console/translations/<language>/LC_MESSAGES/console.po, compiled to
.mo by `make catalogues`), served by Flask-Babel in the language the staff
member chose with the switch. Templates call `_(key, **params)`; Python views
call `t(key, **params)`; `label(group, value)` names a machine value (message
id `label.<group>.<value>`) and falls back to the value itself when the
catalogue does not know it yet. Errors raised by services keep their texts in
the backend's catalogue (backend/messages.py), shared with the REST API.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from babel.messages.pofile import read_po
from flask import Flask, has_request_context, session
from flask_babel import Babel, gettext

from backend.errors import ApiError, Conflict
from backend.messages import error_text

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
DOMAIN = "console"
TRANSLATIONS = Path(__file__).with_name("translations")
_LABEL = "label."

# Audit actions offered in the audit log's filter, in this order.
ACTIONS = ("staff.sign_in", "review.queue_viewed", "review.request_viewed", "review.claimed",
           "review.approved", "review.rejected", "review.reassigned", "case.viewed",
           "treasury.approved", "treasury.rejected", "payments.dispatched")

babel = Babel()


def init_app(app: Flask) -> None:
    babel.init_app(app, default_locale=DEFAULT_LANGUAGE, default_domain=DOMAIN,
                   default_translation_directories=str(TRANSLATIONS),
                   locale_selector=current_language)


def current_language() -> str:
    """The language chosen with the switch, kept in the session; Vietnamese first."""
    if has_request_context() and session.get("lang") in LANGUAGES:
        return session["lang"]
    return DEFAULT_LANGUAGE


def t(key: str, **params) -> str:
    # Always formatted, as the templates' `_` is, so `%%` reads as % in both.
    return gettext(key) % params


def label(group: str, value: str | None) -> str:
    if value is None:
        return ""
    key = f"{_LABEL}{group}.{value}"
    name = gettext(key)
    return value if name == key else name % {}


def error_message(error: ApiError) -> str:
    """A service's refusal in the user's language, from the shared catalogue."""
    return error_text(error.message_key, error.message_params, current_language())


def refusal_message(refusal: Conflict, texts: Mapping[str, str], **params: object) -> str:
    """A service's refusal in words: the text this page gives its reason code, or the
    shared catalogue's when the page has none."""
    key = texts.get(refusal.reason or "")
    return error_message(refusal) if key is None else t(key, **params)


def _read_catalogue(language: str) -> dict[str, str]:
    with (TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        return {message.id: message.string for message in read_po(po)
                if message.id and isinstance(message.id, str) and isinstance(message.string, str)}


def _by_key() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, dict[str, str]]]]:
    """The catalogue as data: texts by key, labels by group and value, in catalogue order."""
    catalogues = {language: _read_catalogue(language) for language in LANGUAGES}
    texts: dict[str, dict[str, str]] = {}
    labels: dict[str, dict[str, dict[str, str]]] = {}
    for key in catalogues[DEFAULT_LANGUAGE]:
        words = {language: catalogues[language][key] for language in LANGUAGES
                 if key in catalogues[language]}
        if key.startswith(_LABEL):
            group, value = key.removeprefix(_LABEL).split(".", 1)
            labels.setdefault(group, {})[value] = words
        else:
            texts[key] = words
    return texts, labels


# The catalogue's keys and words as data: the tests read them, and the views
# list a group's values (programmes) in the catalogue's order.
TEXTS, LABELS = _by_key()
