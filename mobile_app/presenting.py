"""What the screens show for the API's states and errors: words, tones, next steps.

No Kivy here (tested alone); the screens only display what these functions say.
"""
from __future__ import annotations

from dataclasses import dataclass

from mobile_app.client import (ApiError, BackendTimeout, ClientError, NoConnection,
                               SessionEnded)
from mobile_app.i18n import _, format_datetime, has_text

PENDING_LINK_STATUSES = ("SUBMITTED", "VERIFYING", "NEEDS_REVIEW")  # DESIGN.md: cancellable
LINK_STATUS_TONES = {"ACTIVE": "good", "SUBMITTED": "waiting", "VERIFYING": "waiting",
                     "NEEDS_REVIEW": "waiting", "REJECTED": "bad", "FAILED": "bad",
                     "CANCELLED": "muted", "SUPERSEDED": "muted", "UNLINKED": "muted"}
# Codes whose catalogue text already says what happened and what to do.
_WORDED_CODES = {"INVALID_CREDENTIALS", "OTP_INVALID", "OTP_REPLAYED", "CHALLENGE_EXPIRED",
                 "CHALLENGE_INVALID", "IAL2_REQUIRED", "STEP_UP_REQUIRED", "FORBIDDEN",
                 "NOT_FOUND", "CONFLICT", "RATE_LIMITED", "IDEMPOTENCY_KEY_REUSED"}
_SIGN_IN_AGAIN = {"CHALLENGE_EXPIRED", "CHALLENGE_INVALID"}


@dataclass(frozen=True)
class ErrorWords:
    text: str
    action: str  # "retry", "sign_in", "level2" or "close": the button the citizen gets


def error_words(error: ClientError) -> ErrorWords:
    """A failure in words a pensioner understands, and what they can do next."""
    if isinstance(error, BackendTimeout):
        return ErrorWords(_("error.timeout"), "retry")
    if isinstance(error, NoConnection):
        return ErrorWords(_("error.no_connection"), "retry")
    if isinstance(error, SessionEnded):
        return ErrorWords(_("error.session_ended"), "sign_in")
    if not isinstance(error, ApiError):
        return ErrorWords(_("error.unexpected"), "close")
    if error.code == "ACCOUNT_LOCKED":
        locked_until = error.details.get("locked_until")
        if locked_until is None:
            return ErrorWords(_("error.ACCOUNT_LOCKED_PERMANENTLY"), "close")
        return ErrorWords(_("error.ACCOUNT_LOCKED", retry_at=format_datetime(locked_until)),
                          "close")
    if error.code == "IAL2_REQUIRED":
        return ErrorWords(_("error.IAL2_REQUIRED"), "level2")
    if error.code in _WORDED_CODES:
        return ErrorWords(_(f"error.{error.code}"),
                          "sign_in" if error.code in _SIGN_IN_AGAIN else "close")
    if error.code == "VALIDATION_ERROR":
        reasons = [reason for field_reasons in error.details.values()
                   for reason in (field_reasons if isinstance(field_reasons, list)
                                  else [str(field_reasons)])]
        return ErrorWords("\n".join([_("error.VALIDATION_ERROR"), *reasons]), "close")
    if error.status >= 500:
        return ErrorWords(_("error.server"), "retry")
    return ErrorWords(error.message or _("error.unexpected"), "close")


def link_status_word(status: str) -> str:
    key = f"link_status.{status}"
    return _(key) if has_text(key) else status


def actor_word(actor: str | None) -> str:
    key = f"actor.{actor}"
    return _(key) if actor and has_text(key) else ""


def link_status_tone(status: str) -> str:
    return LINK_STATUS_TONES.get(status, "muted")


def is_pending(status: str) -> bool:
    return status in PENDING_LINK_STATUSES


def institution_name(institutions: list[dict], code: str | None) -> str:
    for institution in institutions:
        if code in (institution["code"], institution.get("bin")):
            return institution["short_name"]
    return code or ""


def payout_summary(account: dict | None, latest_link: dict | None,
                   institutions: list[dict]) -> tuple[str, str]:
    """The social-security tile's status line and its tone."""
    if account is None:
        return "", "muted"
    payout = account.get("active_payout")
    if latest_link and is_pending(latest_link["status"]):
        return (_("home.tile_pending", status=link_status_word(latest_link["status"])),
                "waiting")
    if payout:
        return (_("home.tile_linked",
                  institution=institution_name(institutions, payout.get("institution")),
                  account=payout.get("account_masked") or ""), "good")
    return _("home.tile_not_linked"), "bad"


def matching_institutions(institutions: list[dict], kind: str, search: str) -> list[dict]:
    """The list under the search box: one kind, matching name, short name, code or BIN."""
    wanted = _fold(search.strip())
    return [institution for institution in institutions if institution["kind"] == kind
            and (not wanted or any(wanted in _fold(institution.get(part) or "")
                                   for part in ("short_name", "name", "code", "bin")))]


def _fold(text: str) -> str:
    """Case- and accent-insensitive, so 'ngan hang' finds 'Ngân hàng'."""
    import unicodedata
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
