"""The backend's user-facing text, in vi and en: API errors, why a link request
ended where it did, notifications, field details and the consent text.

The words live in the gettext catalogue `backend`
(backend/translations/<language>/LC_MESSAGES/backend.po, compiled to .mo by
`make catalogues`). Message ids are keys such as `error.NOT_FOUND` or
`notification.LINK_ACTIVE.title`; texts hold `%(placeholders)s` filled from the
error's or notification's parameters. Services never choose the language: the
request layer does (`current_language`), or a caller passes it in.
"""
from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from babel.messages.mofile import read_mo
from flask import has_request_context, request

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
DOMAIN = "backend"
TRANSLATIONS = Path(__file__).with_name("translations")


@cache
def _translations(language: str) -> gettext.NullTranslations:
    # No fallback: a catalogue missing from the install fails at once, not as keys in answers.
    return gettext.translation(DOMAIN, TRANSLATIONS, [language])


def _lookup(key: str, language: str) -> str | None:
    text = _translations(language).gettext(key)
    return None if text == key else text


def _reason_codes() -> tuple[str, ...]:
    with (TRANSLATIONS / DEFAULT_LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as mo:
        return tuple(message.id.removeprefix("reason.") for message in read_mo(mo)
                     if isinstance(message.id, str) and message.id.startswith("reason."))


# Every reason a citizen can be told about (the review queue filters by them).
REASONS = _reason_codes()


def current_language() -> str:
    """The language of the request being served (`Accept-Language`), vi by default."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def text(key: str, language: str | None = None, **params) -> str:
    """The text for `key` with its placeholders filled; an unknown key raises KeyError."""
    found = _lookup(key, language or current_language())
    if found is None:
        raise KeyError(key)
    return found % params


def both_languages(key: str, **params) -> str:
    """'vi / en': field details in an answer read the same whatever the request's language."""
    return " / ".join(text(key, language, **params) for language in LANGUAGES)


def error_text(code: str, params: dict | None = None, language: str | None = None) -> str:
    key = f"error.{code}"
    if _lookup(key, language or current_language()) is None:
        key = "error.INTERNAL_ERROR"
    return text(key, language, **(params or {}))


def format_vnd(amount: int) -> str:
    """1500000 -> '1.500.000 ₫', as Vietnamese readers write it."""
    return f"{amount:,}".replace(",", ".") + " ₫"


def reason_text(reason: str | None, language: str | None = None) -> str | None:
    if reason is None:
        return None
    found = _lookup(f"reason.{reason}", language or current_language())
    return None if found is None else found % {}


def notification_text(kind: str, part: str, params: dict, language: str | None = None) -> str:
    language = language or current_language()
    values = {**params, "reason_text": reason_text(params.get("reason"), language) or ""}
    if "amount_vnd" in params:
        values["amount"] = format_vnd(params["amount_vnd"])
    return text(f"notification.{kind}.{part}", language, **values)
