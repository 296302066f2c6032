"""Notifications of a social security account: in the app, and by SMS as the
citizen chose (security alerts always). The one way a citizen is told anything."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, literal, select, type_coerce
from sqlalchemy.types import JSON

from backend import db
from backend.errors import NotFound
from backend.models import EidAccount, Notification, SocialSecurityAccount
from backend.services.accounts import messaging
from backend.services.identity import revocation


def notify(account: SocialSecurityAccount, kind: str, params: dict, now: datetime,
           sms_only: dict | None = None) -> Notification:
    """Tell the citizen in the app (pushed to their registered devices), and by
    SMS if they want `kind` so.

    `sms_only` are parameters only the SMS carries (a one-time code meant
    for the phone, never for whoever holds the session)."""
    notification = Notification(account_id=account.id, kind=kind, params=params, created_at=now)
    db.session.add(notification)
    messaging.queue_sms(select(literal(account.id),
                               type_coerce({**params, **(sms_only or {})}, JSON)), kind, now)
    messaging.queue_push(select(literal(account.id), type_coerce(params, JSON)), kind, now)
    return notification


# A request to be someone's authorised person names the *requester's* link: the
# person asked opens it as an authorisation to answer, not as a link of theirs.
_OPENS_AS_AUTHORISATION = {"AUTHORISATION_REQUESTED"}


def opens(kind: str, params: dict) -> dict | None:
    """What tapping the notification opens in the app: {"kind", "id"}, or None."""
    if params.get("payment_id") is not None:
        return {"kind": "payment", "id": params["payment_id"]}
    if params.get("link_id") is not None:
        return {"kind": "authorisation" if kind in _OPENS_AS_AUTHORISATION else "payout_link",
                "id": params["link_id"]}
    return None


class NoAccountYet(Exception):
    """The citizen has no social security account yet: make it, then read again."""


def page_for_session(session_id: str, page: int, page_size: int) -> tuple[list, int] | None:
    """A page of the session's citizen's notifications and their count, in one
    statement (rows, not objects); None once the session has ended."""
    parameters = {"session_id": session_id, "limit": page_size,
                  "offset": (page - 1) * page_size}
    rows = db.read_rows(_PAGE, parameters)
    if not rows:  # past the last page (rare): the count alone
        rows = db.read_rows(_COUNT, parameters)
        if not rows:
            return None
        items = []
    else:
        # A citizen without notifications (or account) joins as one row of NULLs.
        items = [row for row in rows if row.id is not None]
    if rows[0].account_id is None:
        raise NoAccountYet()
    return items, rows[0].total


_MINE = (select(SocialSecurityAccount.id.label("account_id")).select_from(EidAccount)
         .outerjoin(SocialSecurityAccount,
                    SocialSecurityAccount.personal_id == EidAccount.personal_id)
         .outerjoin(Notification, Notification.account_id == SocialSecurityAccount.id)
         .where(EidAccount.id == revocation.live_session_citizen()))
_PAGE = (_MINE.add_columns(Notification.id, Notification.kind, Notification.params,
                           Notification.created_at, Notification.read_at,
                           func.count(Notification.id).over().label("total"))
         .order_by(Notification.created_at.desc(), Notification.id.desc())
         .limit(bindparam("limit")).offset(bindparam("offset")))
_COUNT = (_MINE.add_columns(func.count(Notification.id).label("total"))
          .group_by(SocialSecurityAccount.id))


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
