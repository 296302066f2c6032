"""Notifications about payments, written for many payments in one statement each:
in the app (pushed to registered devices), and by SMS where the citizen wants it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, func, insert, literal, select, type_coerce

from backend import db
from backend.db import UTCDateTime
from backend.models import Notification, Payment, SocialSecurityAccount
from backend.services.accounts import messaging


def for_payments(where, kind: str, now: datetime) -> None:
    """One notification per matching payment whose citizen has an account in the app."""
    build = func.json_build_object if db.on_postgresql() else func.json_object
    # type_coerce, not CAST: SQLite would turn CAST(... AS JSON) into a number.
    masked = func.coalesce(literal("•••• ") + Payment.destination_last4, literal(""))
    params = type_coerce(build("payment_id", Payment.id, "amount_vnd", Payment.amount_vnd,
                               "period", Payment.period, "programme", Payment.programme,
                               "account", masked, "deadline", Payment.cash_deadline), JSON)
    recipients = (select(SocialSecurityAccount.id, params)
                  .join(SocialSecurityAccount,
                        SocialSecurityAccount.personal_id == Payment.personal_id)
                  .where(where))
    db.session.execute(insert(Notification).from_select(
        ["account_id", "kind", "params", "created_at"],
        select(SocialSecurityAccount.id, literal(kind), params, literal(now, UTCDateTime()))
        .join(SocialSecurityAccount, SocialSecurityAccount.personal_id == Payment.personal_id)
        .where(where)))
    messaging.queue_sms(recipients, kind, now)
    messaging.queue_push(recipients, kind, now)
