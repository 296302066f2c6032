"""In-app notifications of a social security account."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, select

from backend import db
from backend.errors import NotFound
from backend.models import EidAccount, Notification, SocialSecurityAccount


def notify(account: SocialSecurityAccount, kind: str, params: dict,
           now: datetime) -> Notification:
    notification = Notification(account_id=account.id, kind=kind, params=params, created_at=now)
    db.session.add(notification)
    return notification


def page_for_citizen(citizen_id: int, page: int, page_size: int) -> tuple[list, int] | None:
    """A page of the citizen's notifications and their count, in one statement
    (rows, not objects); None if the citizen has no social security account yet."""
    parameters = {"citizen_id": citizen_id, "limit": page_size,
                  "offset": (page - 1) * page_size}
    rows = db.read_rows(_PAGE, parameters)
    if rows:
        # An account without notifications joins as one row of NULLs.
        return [row for row in rows if row.id is not None], rows[0].total
    if page == 1:
        return None
    # Past the last page (rare): the count alone, or no account.
    counted = db.read_rows(_COUNT, parameters)
    return ([], counted[0][0]) if counted else None


_MINE = (select().select_from(EidAccount)
         .join(SocialSecurityAccount, SocialSecurityAccount.personal_id == EidAccount.personal_id)
         .outerjoin(Notification, Notification.account_id == SocialSecurityAccount.id)
         .where(EidAccount.id == bindparam("citizen_id")))
_PAGE = (_MINE.add_columns(Notification.id, Notification.kind, Notification.params,
                           Notification.created_at, Notification.read_at,
                           func.count(Notification.id).over().label("total"))
         .order_by(Notification.created_at.desc(), Notification.id.desc())
         .limit(bindparam("limit")).offset(bindparam("offset")))
_COUNT = _MINE.add_columns(func.count(Notification.id)).group_by(SocialSecurityAccount.id)


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
