"""A simulated SMS and push gateway: an outbox table that demos and tests read."""
from __future__ import annotations

import threading

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from backend import db
from backend.db import utcnow
from backend.integrations.notification_gateway import GatewayUnavailable
from backend.models import SimSmsOutbox


class SimulatedNotificationGateway:
    """Delivers into `sim_sms_outbox`. `down` makes it refuse every message, as a
    provider outage would, until it is set back."""

    def __init__(self) -> None:
        self.down = False
        self._lock = threading.Lock()

    def send(self, message_id: str, channel: str, phone: str, body: str,
             device_token: str | None = None) -> str:
        with self._lock:
            if self.down:
                raise GatewayUnavailable("the simulated SMS gateway is down")
        insert = postgresql_insert if db.on_postgresql() else sqlite_insert
        db.session.execute(insert(SimSmsOutbox).values(
            message_id=message_id, channel=channel, phone=phone, device_token=device_token,
            body=body,
            delivered_at=utcnow()).on_conflict_do_nothing(index_elements=["message_id"]))
        return f"sim-{message_id}"

    def outbox(self, phone: str, channel: str | None = None) -> list[SimSmsOutbox]:
        """What this phone received (by SMS, or as pushes to its citizen's
        devices), newest first; `channel` keeps one of the two."""
        wanted = [SimSmsOutbox.phone == phone]
        if channel is not None:
            wanted.append(SimSmsOutbox.channel == channel)
        return list(db.session.scalars(
            select(SimSmsOutbox).where(*wanted)
            .order_by(SimSmsOutbox.delivered_at.desc(), SimSmsOutbox.message_id.desc())))
