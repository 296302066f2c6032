"""Which events a citizen wants by SMS, and in which language they are told.

Security alerts are not in the list: they always go out. Everything else is
on until the citizen switches it off.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, false, func, literal, or_, true

from backend import db, messages
from backend.errors import ValidationFailed
from backend.models import NotificationPreference, SocialSecurityAccount

# Every outcome a citizen can choose to hear of by SMS (the notification kinds).
SMS_EVENTS = (
    "LINK_ACTIVE", "LINK_NEEDS_REVIEW", "LINK_FAILED", "LINK_REJECTED", "LINK_SUPERSEDED",
    "LINK_ENDED",
    "PAYMENT_PLANNED", "PAYMENT_SENT", "PAYMENT_PAID", "PAYMENT_FAILED", "PAYMENT_REISSUED",
    "PAYMENT_CASH_READY", "PAYMENT_CASH_COLLECTED", "PAYMENT_EXPIRED", "PAYMENT_REJECTED",
    "PAYMENT_REPORT_ANSWERED",
)
# Told by SMS whatever the citizen chose: someone may be taking their money.
SECURITY_ALERTS = ("SECURITY_ACCOUNT_CHANGED", "SECURITY_LINK_DISPUTED",
                   "SECURITY_RECOVERY_REQUESTED", "SECURITY_RECOVERY_REFUSED",
                   "SECURITY_ACCOUNT_RECOVERED")


def of(account: SocialSecurityAccount) -> dict:
    """The citizen's choices, every event named."""
    stored = db.session.get(NotificationPreference, account.id)
    chosen = stored.sms if stored else {}
    return {"sms": {event: bool(chosen.get(event, True)) for event in SMS_EVENTS},
            "language": stored.language if stored else messages.DEFAULT_LANGUAGE,
            "security_alerts": list(SECURITY_ALERTS)}


def update(account: SocialSecurityAccount, sms: dict[str, bool] | None, language: str | None,
           now: datetime) -> dict:
    """Change some choices; naming a security alert or an unknown event changes nothing."""
    sms = sms or {}
    unknown = sorted(set(sms) - set(SMS_EVENTS))
    if unknown:
        alerts = sorted(set(unknown) & set(SECURITY_ALERTS))
        raise ValidationFailed({"sms": [messages.both_languages(
            "detail.security_alert_always_sent" if alerts else "detail.sms_event_unknown",
            events=", ".join(alerts or unknown))]})
    stored = db.session.get(NotificationPreference, account.id)
    if stored is None:
        stored = NotificationPreference(account_id=account.id,
                                        language=messages.DEFAULT_LANGUAGE, sms={})
        db.session.add(stored)
    # A new dict: the JSON column notices a replaced value, not one changed in place.
    stored.sms = {**(stored.sms or {}), **{event: bool(on) for event, on in sms.items()}}
    stored.language = language or stored.language
    stored.updated_at = now
    db.session.commit()
    return of(account)


def language_column() -> ColumnElement[str]:
    """The citizen's language in a query outer-joined to NotificationPreference."""
    return func.coalesce(NotificationPreference.language, literal(messages.DEFAULT_LANGUAGE))


def wants_sms(kind: str) -> ColumnElement[bool]:
    """Whether the citizen wants `kind` by SMS, in a query outer-joined to
    NotificationPreference: set-based, for one citizen or a whole payroll."""
    if kind in SECURITY_ALERTS:
        return true()
    if kind not in SMS_EVENTS:
        return false()
    chosen = NotificationPreference.sms[kind].as_boolean()
    return or_(NotificationPreference.account_id.is_(None), chosen.is_(None), chosen)
