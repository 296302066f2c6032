"""In-app notifications of a social security account."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from backend import db
from backend.errors import NotFound
from backend.models import Notification, SocialSecurityAccount


def notify(account: SocialSecurityAccount, kind: str, params: dict,
           now: datetime) -> Notification:
    notification = Notification(account_id=account.id, kind=kind, params=params, created_at=now)
    db.session.add(notification)
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
