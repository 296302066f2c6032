"""A lost-phone recovery of a citizen's second factor."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime
from backend.models.statuses import RecoveryStatus, sql_in


class AccountRecovery(Base):
    """Asked for with the personal ID and password. A request whose ID or
    password was wrong is kept too, with no citizen: it answers and expires
    like any other, so nobody learns whether an ID exists."""

    __tablename__ = "account_recoveries"
    __table_args__ = (
        CheckConstraint(sql_in("status", RecoveryStatus), name="status"),
        CheckConstraint("verified_by_method IS NULL OR verified_by_method IN "
                        "('officer', 'chip')", name="verified_by_method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The app holds the token; only its keyed hash is stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("eid_accounts.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    verified_by_method: Mapped[str | None] = mapped_column(String(10))
    verified_by: Mapped[str | None] = mapped_column(String(80))
    # The new authenticator's secret between enrolment and its first code.
    pending_secret_encrypted: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccountRecoveryTransition(Base):
    __tablename__ = "account_recovery_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    recovery_id: Mapped[int] = mapped_column(ForeignKey("account_recoveries.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(1000))
