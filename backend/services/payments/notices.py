"""Notifications about payments, written for many payments in one statement."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, func, insert, literal, select, type_coerce

from backend import db
from backend.db import UTCDateTime
from backend.models import Notification, Payment, SocialSecurityAccount


def for_payments(where, kind: str, now: datetime) -> None:
    """One notification per matching payment whose citizen has an account in the app."""
    params = func.json_build_object if db.on_postgresql() else func.json_object
    db.session.execute(insert(Notification).from_select(
        ["account_id", "kind", "params", "created_at"],
        select(SocialSecurityAccount.id, literal(kind),
               # type_coerce, not CAST: SQLite would turn CAST(... AS JSON) into a number.
               type_coerce(params("payment_id", Payment.id, "amount_vnd", Payment.amount_vnd,
                                  "period", Payment.period, "programme", Payment.programme),
                           JSON),
               literal(now, UTCDateTime()))
        .join(SocialSecurityAccount, SocialSecurityAccount.personal_id == Payment.personal_id)
        .where(where)))
