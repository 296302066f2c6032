"""SMS and app push to citizens through the notification gateway, always from
the task queue.

A message is first a QUEUED row (`outbound_messages`) written in the same
transaction as the event it tells of; once that commits, the sender task is
queued. The sender hands queued messages to the gateway one by one and marks
each SENT. A gateway that is down leaves them QUEUED: the task is retried,
and a periodic sweep sends whatever is still queued, so messages are delayed
but never lost. The gateway delivers a message id once, so a message sent
twice by two workers reaches the phone once.

A push goes, beside the in-app notification, to every device the citizen's
app registered (`push_devices`): the same words as the app shows, never
what only the SMS may carry (a dispute code).
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Select, event, insert, literal, select
from sqlalchemy.orm import Session

from backend import db, integrations, messages, tasks
from backend.db import UTCDateTime
from backend.integrations.notification_gateway import GatewayUnavailable
from backend.models import (
    EidAccount,
    NotificationPreference,
    OutboundMessage,
    OutboundMessageTransition,
    PushDevice,
    SocialSecurityAccount,
)
from backend.models.statuses import MESSAGE_STATES, MessageStatus
from backend.services.accounts import preferences
from backend.services.shared import transitions

log = logging.getLogger(__name__)
MESSAGES = transitions.Lifecycle(MESSAGE_STATES, OutboundMessage, OutboundMessageTransition,
                                 "message_id")
SEND_TASK = "send_messages"
SENDER = "notification_gateway"
BATCH = 500
_QUEUED_FLAG = "sms_queued"


def queue_sms(recipients: Select, kind: str, now: datetime) -> None:
    """Queue `kind` by SMS to each account `recipients` selects, as
    (social security account id, params), where the citizen wants it."""
    _queue(recipients, kind, now, "sms")


def queue_push(recipients: Select, kind: str, now: datetime) -> None:
    """Queue `kind` as a push to every registered device of each account
    `recipients` selects, as (social security account id, params)."""
    _queue(recipients, kind, now, "push")


def _queue(recipients: Select, kind: str, now: datetime, channel: str) -> None:
    rows = recipients.subquery()
    stamp = literal(now, UTCDateTime())
    device_token = PushDevice.token if channel == "push" \
        else literal(None, OutboundMessage.device_token.type)
    selected = (
        select(rows.c[0], literal(channel), EidAccount.phone, device_token, literal(kind),
               rows.c[1], preferences.language_column(),
               literal(MESSAGE_STATES.initial, OutboundMessage.status.type), literal(0),
               stamp, stamp)
        .join(SocialSecurityAccount, SocialSecurityAccount.id == rows.c[0])
        .join(EidAccount, EidAccount.personal_id == SocialSecurityAccount.personal_id)
        .outerjoin(NotificationPreference, NotificationPreference.account_id == rows.c[0]))
    selected = selected.join(PushDevice, PushDevice.citizen_id == EidAccount.id) \
        if channel == "push" else selected.where(preferences.wants_sms(kind))
    # The ids this call wrote, exactly: "above the newest id before" would also take
    # in what another transaction committed meanwhile, and costs a statement.
    written = db.session.scalars(insert(OutboundMessage).from_select(
        ["account_id", "channel", "phone", "device_token", "kind", "params", "language",
         "status", "attempts", "created_at", "updated_at"], selected)
        .returning(OutboundMessage.id)).all()
    for start in range(0, len(written), BATCH * 10):  # within the bind-parameter limit
        transitions.record_created(MESSAGES, OutboundMessage.id.in_(
            written[start:start + BATCH * 10]), "system", now)
    if written:
        db.session.info[_QUEUED_FLAG] = True


@event.listens_for(Session, "after_commit")
def _send_once_committed(session: Session) -> None:
    # A savepoint's commit (the audit chain takes one) is not the end: the
    # sender would look before the messages are visible.
    if session.in_nested_transaction():
        return
    if session.info.pop(_QUEUED_FLAG, False):
        try:
            tasks.enqueue(SEND_TASK)
        except Exception:  # noqa: BLE001 - the periodic sweep sends them later
            log.exception("could not queue the SMS sender")


@event.listens_for(Session, "after_soft_rollback")
def _nothing_queued(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:  # the whole transaction, not a savepoint
        session.info.pop(_QUEUED_FLAG, None)


def send_queued(now: datetime) -> int:
    """Hand queued messages to the gateway, oldest first; returns how many went.
    Raises GatewayUnavailable when the gateway refused one, so the task is retried."""
    gateway = integrations.current().notifications
    sent = 0
    while True:
        batch = list(db.session.scalars(
            select(OutboundMessage).where(OutboundMessage.status == MessageStatus.QUEUED)
            .order_by(OutboundMessage.id).limit(BATCH)))
        if not batch:
            return sent
        for message in batch:
            try:
                reference = gateway.send(f"SSA-MSG-{message.id:012d}", message.channel,
                                         message.phone, _words(message),
                                         device_token=message.device_token)
            except GatewayUnavailable as down:
                message.attempts += 1
                message.last_error = str(down)[:200]
                message.updated_at = now
                db.session.commit()
                raise
            transitions.move(MESSAGES, OutboundMessage.id == message.id, MessageStatus.QUEUED,
                             MessageStatus.SENT, SENDER, now,
                             values={"attempts": message.attempts + 1,
                                     "provider_reference": reference, "last_error": None})
            db.session.commit()
            sent += 1


def _words(message: OutboundMessage) -> str:
    if message.channel == "push":  # what the app's notification shows
        return "\n".join(messages.notification_text(message.kind, part, message.params,
                                                    message.language)
                         for part in ("title", "body"))
    return messages.notification_text(message.kind, "sms", message.params, message.language)


@tasks.task(SEND_TASK)
def send_queued_messages() -> None:
    send_queued(db.utcnow())


@tasks.periodic_task("send_queued_messages_sweep", minute="*")
def sweep_queued_messages() -> None:
    """What a gateway outage left queued after the task's retries goes out now."""
    try:
        send_queued(db.utcnow())
    except GatewayUnavailable:
        log.warning("SMS gateway still down; messages stay queued")
