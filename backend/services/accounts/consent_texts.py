"""The consent texts citizens agree to, each with the version stored beside a consent."""
from __future__ import annotations

from backend import messages
from backend.services.accounts.linking import CONSENT_VERSION

# Each version's wording lives in the backend catalogue under its own key; a new
# wording gets a new CONSENT_VERSION and a new key, and the old ones stay for
# the citizens who agreed to them.
_TEXT_KEYS = {CONSENT_VERSION: "consent.payout_link"}


def payout_link(language: str) -> dict:
    return {"version": CONSENT_VERSION, "text": text_of(CONSENT_VERSION, language)}


def text_of(version: str, language: str) -> str | None:
    key = _TEXT_KEYS.get(version)
    return None if key is None else messages.text(key, language)
