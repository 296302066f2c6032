"""What the screens show for the API's states and errors: words, tones, next steps.

No Kivy here (tested alone); the screens only display what these functions say.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mobile_app.client import ApiError, BackendTimeout, ClientError, NoConnection, SessionEnded
from mobile_app.client.statuses import LinkStatus, PaymentReportStatus, PaymentStatus
from mobile_app.i18n import _, format_amount, format_date, format_datetime, has_text

L, P = LinkStatus, PaymentStatus
PENDING_LINK_STATUSES = (L.SUBMITTED, L.VERIFYING, L.NEEDS_REVIEW)  # DESIGN.md: cancellable
LINK_STATUS_TONES = {L.ACTIVE: "good", L.SUBMITTED: "waiting", L.VERIFYING: "waiting",
                     L.NEEDS_REVIEW: "waiting", L.REJECTED: "bad", L.FAILED: "bad",
                     L.CANCELLED: "muted", L.SUPERSEDED: "muted", L.UNLINKED: "muted"}
PAYMENT_STATUS_TONES = {P.PAID: "good", P.PLANNED: "waiting", P.REQUESTED: "waiting",
                        P.APPROVED: "waiting", P.SENT: "waiting", P.CASH_READY: "waiting",
                        P.FAILED: "bad", P.REJECTED: "bad", P.REISSUED: "muted"}
# A link request that ended without linking, through no choice of the citizen's.
UNSUCCESSFUL_LINK_STATUSES = (L.FAILED, L.REJECTED)
# A payment in one of these will not change any more: no need to keep polling it.
SETTLED_PAYMENT_STATUSES = (P.PAID, P.REJECTED, P.REISSUED)
# Money said to have reached the citizen: where "I was not paid" is offered.
REPORTABLE_PAYMENT_STATUSES = (P.SENT, P.PAID)
REPORT_KINDS = ("not_received", "wrong_amount", "not_mine")  # API.md, in the form's order
REPORT_STATUS_TONES = {PaymentReportStatus.OPEN: "waiting",
                       PaymentReportStatus.IN_PROGRESS: "waiting",
                       PaymentReportStatus.ANSWERED: "good"}
# Codes whose catalogue text already says what happened and what to do.
_WORDED_CODES = {"INVALID_CREDENTIALS", "OTP_INVALID", "OTP_REPLAYED", "PASSCODE_INVALID",
                 "CHALLENGE_EXPIRED",
                 "CHALLENGE_INVALID", "IAL2_REQUIRED", "STEP_UP_REQUIRED", "FORBIDDEN",
                 "NOT_FOUND", "CONFLICT", "RATE_LIMITED", "IDEMPOTENCY_KEY_REUSED"}
PASSCODE_TOO_SIMPLE = "PASSCODE_TOO_SIMPLE"  # a VALIDATION_ERROR reason of PUT /me/passcode
_SIGN_IN_AGAIN = {"CHALLENGE_EXPIRED", "CHALLENGE_INVALID"}
# Warn before the sign-in back-off starts, not after (the backend says how
# many attempts are left in `attempts_left`).
WARN_AT_ATTEMPTS_LEFT = 2


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
            # A locked passcode is replaced with a one-time code; the rest take support.
            permanently = "error.PASSCODE_LOCKED" if error.details.get("factor") == "passcode" \
                else "error.ACCOUNT_LOCKED_PERMANENTLY"
            return ErrorWords(_(permanently), "close")
        return ErrorWords(_("error.ACCOUNT_LOCKED",
                            retry_at=format_datetime(locked_until, round_up=True)), "close")
    if error.code == "IAL2_REQUIRED":
        return ErrorWords(_("error.IAL2_REQUIRED"), "level2")
    if error.code in _WORDED_CODES:
        words = _(f"error.{error.code}")
        attempts_left = error.details.get("attempts_left")
        if isinstance(attempts_left, int) and 0 < attempts_left <= WARN_AT_ATTEMPTS_LEFT:
            words = "\n".join([words, _("error.attempts_left", count=attempts_left)])
        return ErrorWords(words, "sign_in" if error.code in _SIGN_IN_AGAIN else "close")
    if error.code == "VALIDATION_ERROR" and PASSCODE_TOO_SIMPLE in (
            error.details.get("reason") or []):
        return ErrorWords(_("error.PASSCODE_TOO_SIMPLE"), "close")
    if error.code == "VALIDATION_ERROR":
        reasons = [reason for field_reasons in error.details.values()
                   for reason in (field_reasons if isinstance(field_reasons, list)
                                  else [str(field_reasons)])]
        return ErrorWords("\n".join([_("error.VALIDATION_ERROR"), *reasons]), "close")
    if error.status >= 500:
        return ErrorWords(_("error.server"), "retry")
    return ErrorWords(error.message or _("error.unexpected"), "close")


def step_up_factor(citizen: dict) -> str:
    """What a sensitive action asks for up front: the passcode if the citizen set
    one (GET /me `passcode_set`), else a fresh one-time code."""
    return "passcode" if citizen.get("passcode_set") else "otp"


def step_up_factor_asked(error: ClientError) -> str:
    """The factor the server's refusal asks for next, or "" if it asks for none:
    STEP_UP_REQUIRED names those it accepts; a passcode locked for good leaves
    the one-time code."""
    if not isinstance(error, ApiError):
        return ""
    if error.code == "STEP_UP_REQUIRED":
        return "passcode" if "passcode" in (error.details.get("accepts") or []) else "otp"
    if error.code == "ACCOUNT_LOCKED" and error.details.get("factor") == "passcode":
        return "otp"
    return ""


def link_status_word(status: str) -> str:
    key = f"link_status.{status}"
    return _(key) if has_text(key) else status


def actor_word(actor: str | None) -> str:
    """Who acted, by role: "treasury:simulated" reads as the State Treasury."""
    key = f"actor.{(actor or '').split(':')[0]}"
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
    latest_failed = bool(latest_link) and latest_link["status"] in UNSUCCESSFUL_LINK_STATUSES
    if payout:
        words = "home.tile_linked_newer_failed" if latest_failed else "home.tile_linked"
        return (_(words, institution=institution_name(institutions, payout.get("institution")),
                  account=payout.get("account_masked") or ""), "good")
    if latest_failed:
        return _("home.tile_failed"), "bad"  # not "not linked": say the request failed
    return _("home.tile_not_linked"), "bad"


def offers_linking(account: dict | None, latest_link: dict | None) -> bool:
    """Home offers "Link an account" while nothing is paid into an account and no
    request waits (after a failed one too: the citizen links another)."""
    return account is not None and not account.get("active_payout") \
        and not (latest_link and is_pending(latest_link["status"]))


def in_cooling_off(link: dict | None, now: datetime) -> bool:
    """An active link that replaced another and is not paid yet (API `payable_from` in
    the future): the changed account a citizen may say "this was not me" about. A first
    link is payable from its activation, so it never counts."""
    if not link or link.get("status") != L.ACTIVE or not link.get("payable_from"):
        return False
    payable_from = datetime.fromisoformat(link["payable_from"].replace("Z", "+00:00"))
    return payable_from > now


def matching_institutions(institutions: list[dict], kind: str | None,
                          search: str) -> list[dict]:
    """The list under the search box: one kind (any if None), matching name, short name,
    code or BIN."""
    wanted = _fold(search.strip())
    return [institution for institution in institutions if kind in (None, institution["kind"])
            and (not wanted or any(wanted in _fold(institution.get(part) or "")
                                   for part in ("short_name", "name", "code", "bin")))]


def _fold(text: str) -> str:
    """Case- and accent-insensitive, so 'ngan hang' finds 'Ngân hàng'."""
    import unicodedata
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Payments ------------------------------------------------------------------
def payment_status_word(status: str) -> str:
    key = f"payment_status.{status}"
    return _(key) if has_text(key) else status


def payment_status_tone(status: str) -> str:
    return PAYMENT_STATUS_TONES.get(status, "muted")


def payment_is_settled(status: str) -> bool:
    return status in SETTLED_PAYMENT_STATUSES


def period_words(period: str) -> str:
    """The month a payment is for: "2026-10" -> "Tháng 10/2026"."""
    year, _dash, month = (period or "").partition("-")
    return _("payments.period", month=month, year=year) if month else period or ""


def payment_summary(payment: dict) -> str:
    """A payment's status in words and the day it last changed: "Đã nhận tiền · 23/11/2026"."""
    changed = format_date(payment.get("updated_at"))
    status = payment_status_word(payment.get("status", ""))
    return _("payments.status_on", status=status, date=changed) if changed else status


def destination_words(destination: dict | None, institutions: list[dict]) -> str:
    """Where the money goes: an account (masked), via the authorised person, or cash."""
    destination = destination or {}
    if _in_cash(destination):
        return _("payment.to_cash")
    account = _("status.account",
                institution=institution_name(institutions, destination.get("institution")),
                account=destination.get("account_masked") or "").strip()
    if destination.get("via_authorised_person"):
        return _("payment.to_authorised_person", account=account)
    return _("payment.to_account", account=account)


def is_cash(payment: dict) -> bool:
    return bool(payment) and _in_cash(payment.get("destination") or {})


def _in_cash(destination: dict) -> bool:
    """No account named (not yet resolved) is paid in cash too."""
    return destination.get("kind") in (None, "cash")


def payment_note(payment: dict) -> str:
    """What the citizen should know next: why a transfer failed, or where to collect cash."""
    status = payment.get("status")
    if status == PaymentStatus.CASH_READY:
        return _("payment.cash_ready_next")
    if status != PaymentStatus.FAILED:
        return ""
    key = f"payment_failure.{payment.get('failure_reason')}"
    reason = _(key) if has_text(key) else _("payment_failure.other")
    return _("payment.failed_next", reason=reason)


def period_year(period: str) -> int:
    """A month (2026-03) starts with its year; a one-off programme's label (QK2025)
    ends with it."""
    return int(period[:4]) if period[4:5] == "-" else int(period[-4:])


def payment_filter_choices(page: dict, known_years: list[int],
                           known_programmes: dict[str, str]) -> tuple[list[int], dict[str, str]]:
    """The years and programmes to filter by: those seen so far, newest year first.

    They grow from every answer (never shrink), so a filtered answer does not
    hide the other choices.
    """
    years = set(known_years) | {total["year"] for total in page.get("totals_by_year", [])}
    programmes = dict(known_programmes)
    for payment in page.get("items", []):
        years.add(period_year(payment["period"]))
        programmes.setdefault(payment["programme"], payment.get("programme_name")
                              or payment["programme"])
    return sorted(years, reverse=True), programmes


def year_total_words(total: dict) -> tuple[str, str]:
    """A row of the totals card: ("Năm 2026", "3 lần nhận · 4.500.000 ₫")."""
    return (_("payments.year", year=total["year"]),
            _("payments.year_total", count=total["paid_count"],
              amount=format_amount(total["paid_vnd"])))


def waiting_report(payment: dict) -> dict | None:
    """The citizen's report on the payment that support has not answered yet."""
    return next((report for report in payment.get("reports", [])
                 if report["status"] != PaymentReportStatus.ANSWERED), None)


def can_report(payment: dict) -> bool:
    """"I was not paid" is offered once the money is said to have left, and while no
    report of theirs on it waits (the backend allows one at a time)."""
    return payment.get("status") in REPORTABLE_PAYMENT_STATUSES and not waiting_report(payment)


def report_summary(report: dict) -> str:
    """When it was sent, and by when support answers (or when it did)."""
    if report["status"] == PaymentReportStatus.ANSWERED:
        return _("report.answered_on", date=format_datetime(report.get("answered_at")))
    return _("report.sent_on", sent=format_datetime(report["created_at"]),
             due=format_date(report["due_at"]))


def report_status_tone(status: str) -> str:
    return REPORT_STATUS_TONES.get(status, "muted")
