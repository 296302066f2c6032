"""The consent texts citizens agree to, each with the version stored beside a consent."""
from __future__ import annotations

from backend import messages
from backend.services.accounts.linking import CONSENT_VERSION


def payout_link(language: str) -> dict:
    # The wording lives in the backend catalogue; a new wording needs a new CONSENT_VERSION.
    return {"version": CONSENT_VERSION, "text": messages.text("consent.payout_link", language)}
