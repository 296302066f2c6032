"""A citizen's problem report about one payment ("I was not paid"), a case for support."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime
from backend.models.statuses import PaymentReportStatus, sql_in

PAYMENT_REPORT_KINDS = ("not_received", "wrong_amount", "not_mine")


class PaymentReport(Base):
    __tablename__ = "payment_reports"
    __table_args__ = (
        CheckConstraint(sql_in("status", PaymentReportStatus), name="status"),
        CheckConstraint("kind IN (" + ", ".join(f"'{kind}'" for kind in PAYMENT_REPORT_KINDS)
                        + ")", name="kind"),
        CheckConstraint(f"(status = '{PaymentReportStatus.ANSWERED}') = (answer IS NOT NULL)",
                        name="answered_with_answer"),
        # One report still waiting per payment: a second one answers CONFLICT.
        Index("uq_payment_reports_waiting", "payment_id", unique=True,
              sqlite_where=text(f"status <> '{PaymentReportStatus.ANSWERED}'"),
              postgresql_where=text(f"status <> '{PaymentReportStatus.ANSWERED}'")),
        # Support's queue: what is waiting, by its time limit.
        Index("ix_payment_reports_due", "due_at",
              sqlite_where=text(f"status <> '{PaymentReportStatus.ANSWERED}'"),
              postgresql_where=text(f"status <> '{PaymentReportStatus.ANSWERED}'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    personal_id: Mapped[str] = mapped_column(String(12), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(12))
    # Support answers by then; past it, supervisors see the case flagged.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    taken_by: Mapped[str | None] = mapped_column(String(80))
    # What the citizen is told, in the words of the support agent.
    answer: Mapped[str | None] = mapped_column(String(2000))
    answered_by: Mapped[str | None] = mapped_column(String(80))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PaymentReportTransition(Base):
    __tablename__ = "payment_report_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("payment_reports.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(1000))
