"""Notifications of a social security account: in the app, and by SMS as the
citizen chose (security alerts always). The one way a citizen is told anything."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import literal, select, type_coerce
from sqlalchemy.types import JSON

from backend import db
from backend.errors import NotFound
from backend.models import Notification, SocialSecurityAccount
from backend.services.accounts import messaging


def notify(account: SocialSecurityAccount, kind: str, params: dict, now: datetime,
           sms_only: dict | None = None) -> Notification:
    """Tell the citizen in the app, and by SMS if they want `kind` so.

    `sms_only` are parameters only the SMS carries (a one-time code meant
    for the phone, never for whoever holds the session)."""
    notification = Notification(account_id=account.id, kind=kind, params=params, created_at=now)
    db.session.add(notification)
    messaging.queue_sms(select(literal(account.id),
                               type_coerce({**params, **(sms_only or {})}, JSON)), kind, now)
    return notification


def page_for(account: SocialSecurityAccount, page: int, page_size: int
             ) -> tuple[list[Notification], int]:
    return db.paginate(select(Notification).where(Notification.account_id == account.id)
                       .order_by(Notification.created_at.desc(), Notification.id.desc()),
                       page, page_size)


def mark_read(account: SocialSecurityAccount, notification_id: int,
              now: datetime) -> Notification:
    notification = db.session.get(Notification, notification_id)
    # Another citizen's notification answers exactly like a missing one.
    if notification is None or notification.account_id != account.id:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = now
        db.session.commit()
    return notification
