"""Helpers for tests that read what reached a citizen's phone."""
from __future__ import annotations

from sqlalchemy import select

from backend import db
from backend.models import OutboundMessage


def gateway(app):
    return app.extensions["integrations"].notifications


def settle_queue(app) -> None:
    assert app.extensions["tasks"].wait_until_idle(), "the task queue did not settle"


def outbox(app, phone: str, channel: str = "sms") -> list[str]:
    """What the simulated gateway delivered to `phone` (by SMS, unless `channel`
    says "push"), newest first."""
    settle_queue(app)
    with app.app_context():
        return [row.body for row in gateway(app).outbox(phone, channel)]


def stored_messages(app, phone: str) -> list[OutboundMessage]:
    settle_queue(app)
    with app.app_context():
        return list(db.session.scalars(select(OutboundMessage).where(
            OutboundMessage.phone == phone).order_by(OutboundMessage.id)))
