"""What a citizen is told outside the app: their choices, and every SMS or push
message with its delivery state."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime
from backend.models.statuses import MessageStatus, sql_in


class NotificationPreference(Base):
    """A citizen's language and the events they want by SMS; no row means the defaults."""

    __tablename__ = "notification_preferences"
    __table_args__ = (CheckConstraint("language IN ('vi', 'en')", name="language"),)

    account_id: Mapped[int] = mapped_column(ForeignKey("social_security_accounts.id"),
                                            primary_key=True)
    language: Mapped[str] = mapped_column(String(2))
    # {event: bool}; an event not named keeps its default.
    sms: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboundMessage(Base):
    """One message to one phone. The words are rendered when it is sent, from
    `kind` and `params` in `language`, so a batch of them is written in SQL."""

    __tablename__ = "outbound_messages"
    __table_args__ = (
        CheckConstraint(sql_in("status", MessageStatus), name="status"),
        CheckConstraint("channel IN ('sms', 'push')", name="channel"),
        # A push goes to a device; an SMS to the phone alone.
        CheckConstraint("(channel = 'push') = (device_token IS NOT NULL)", name="push_device"),
        # The sender reads the queued ones, oldest first.
        Index("ix_outbound_messages_queued", "id",
              sqlite_where=text(f"status = '{MessageStatus.QUEUED}'"),
              postgresql_where=text(f"status = '{MessageStatus.QUEUED}'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("social_security_accounts.id"),
                                            index=True)
    channel: Mapped[str] = mapped_column(String(5))
    # The phone registered with the eID account when the message was made.
    phone: Mapped[str] = mapped_column(String(15))
    # The app's push token for a push (the device registered when it was made).
    device_token: Mapped[str | None] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(50))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    provider_reference: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboundMessageTransition(Base):
    __tablename__ = "outbound_message_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbound_messages.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(String(40))


class PushDevice(Base):
    """A phone whose app receives push notifications for a citizen. A token
    belongs to one citizen: registering it again moves it to whoever signed in."""

    __tablename__ = "push_devices"
    __table_args__ = (CheckConstraint("platform IN ('android', 'ios')", name="platform"),)

    token: Mapped[str] = mapped_column(String(255), primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("eid_accounts.id"), index=True)
    platform: Mapped[str] = mapped_column(String(10))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
