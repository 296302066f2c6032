"""The simulated SMS and push gateway's outbox, read by QA and the demo (demo mode only,
like the simulated authenticator: NOT_FOUND anywhere else)."""
from __future__ import annotations

from flask import current_app

from backend import integrations
from backend.errors import NotFound
from backend.integrations.simulated_notifications import SimulatedNotificationGateway


def messages_to(phone: str, channel: str | None = None) -> list[dict]:
    """Messages the simulated gateway delivered to `phone` (or pushed to its
    citizen's devices), newest first; `channel` ("sms", "push") keeps one kind."""
    gateway = integrations.current().notifications
    if not current_app.config["DEMO_MODE"] or current_app.config["ENV"] == "production" \
            or not isinstance(gateway, SimulatedNotificationGateway):
        raise NotFound()
    return [{"phone": row.phone, "channel": row.channel, "device_token": row.device_token,
             "body": row.body, "delivered_at": row.delivered_at}
            for row in gateway.outbox(phone, channel)]
