"""A citizen's "this was not me" about a payout link, as a case for staff."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime
from backend.models.statuses import DisputeStatus, sql_in


class LinkDispute(Base):
    __tablename__ = "link_disputes"
    __table_args__ = (
        CheckConstraint(sql_in("status", DisputeStatus), name="status"),
        CheckConstraint("opened_via IN ('app', 'sms_code')", name="opened_via"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One case a link: disputing it again answers the case already open.
    link_id: Mapped[int] = mapped_column(ForeignKey("payout_links.id"), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("social_security_accounts.id"),
                                            index=True)
    status: Mapped[str] = mapped_column(String(10))
    opened_via: Mapped[str] = mapped_column(String(10))
    settled_by: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LinkDisputeTransition(Base):
    __tablename__ = "link_dispute_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("link_disputes.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(1000))
