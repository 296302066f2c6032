"""Account-holder inquiries to banks and wallet providers, and each institution's line.

An inquiry is what an ISO 20022 acmt.023 asks and its report what an acmt.024
answers; it waits here, durably, until the institution has a free slot, and
nobody's thread waits for the answer (docs/architecture.md, "Linking bursts").
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime
from backend.models.statuses import INQUIRY_OPEN, InquiryStatus, sql_in

_OPEN_SQL = sql_in("status", INQUIRY_OPEN)


class InstitutionInquiry(Base):
    __tablename__ = "institution_inquiries"
    __table_args__ = (
        CheckConstraint(sql_in("status", InquiryStatus), name="status"),
        CheckConstraint("attempt >= 1", name="attempt"),
        # One open inquiry per link request: a verification delivered twice, or
        # queued again by the stalled sweep, cannot ask twice.
        Index("uq_institution_inquiries_one_open", "link_id", unique=True,
              sqlite_where=text(_OPEN_SQL), postgresql_where=text(_OPEN_SQL)),
        # What the dispatcher (oldest waiting first) and the sweep (overdue) read.
        Index("ix_institution_inquiries_line", "institution", "status", "id"),
        Index("ix_institution_inquiries_due", "status", "due_at"),
        Index("ix_institution_inquiries_answered", "institution", "answered_at"),
        CheckConstraint("answer_ms >= 0", name="answer_ms"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("payout_links.id"), index=True)
    institution: Mapped[str] = mapped_column(ForeignKey("institutions.code"))
    attempt: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Past this, a SENT inquiry is timed out by the sweep.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How long the institution took (sent to answered), for /metrics and the
    # citizen's "usually takes".
    answer_ms: Mapped[int | None] = mapped_column()
    # The acmt.024 report as received (verified, reason code, holder's name).
    report: Mapped[dict | None] = mapped_column(JSON)


class InquiryTransition(Base):
    """Every change of an inquiry's status: when, by whom, why."""

    __tablename__ = "institution_inquiry_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("institution_inquiries.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(String(40))


class InquiryLine(Base):
    """One institution's open inquiries and circuit breaker.

    `open_inquiries` changes in the same transaction as the inquiries it counts,
    by a conditional UPDATE: that one row is where the per-institution limit is
    held, on SQLite and PostgreSQL alike, however many workers dispatch.
    """

    __tablename__ = "institution_inquiry_lines"
    __table_args__ = (
        CheckConstraint("open_inquiries >= 0", name="open_inquiries"),
        CheckConstraint("consecutive_failures >= 0", name="consecutive_failures"),
    )

    institution: Mapped[str] = mapped_column(ForeignKey("institutions.code"), primary_key=True)
    open_inquiries: Mapped[int] = mapped_column(default=0)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    # Set while the breaker is open: nothing is sent before it, then one probe.
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
