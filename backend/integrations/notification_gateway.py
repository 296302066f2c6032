"""The SMS and app-push gateway that carries messages to a citizen's phone."""
from __future__ import annotations

from typing import Protocol


class GatewayUnavailable(RuntimeError):
    """The gateway did not take the message; it is tried again later."""


class NotificationGateway(Protocol):
    def send(self, message_id: str, channel: str, phone: str, body: str,
             device_token: str | None = None) -> str:
        """Hand one message over ("sms" or "push"); answers the provider's reference.

        A push goes to `device_token` (the app's registration with the push
        service); `phone` names the citizen's registered phone either way.

        Sending the same `message_id` again delivers nothing twice, so a retry
        after a lost answer is harmless. Raises GatewayUnavailable when the
        message was not taken."""
        ...
