"""Stored reconciliations, and the bank's end-of-day statements they are matched against."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime


class Reconciliation(Base):
    """A payment request's reconciliation, as computed after its latest results.

    Result files store it at once; a single JSON callback only marks it stale,
    and whoever reads a stale one computes it again first, so a reader never
    sees an answer older than the results kept.
    """

    __tablename__ = "reconciliations"

    request_id: Mapped[int] = mapped_column(ForeignKey("payment_requests.id"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
    # What made it: the result file's name, a statement's MsgId, or "callback".
    trigger: Mapped[str] = mapped_column(String(120))
    # planned, outcomes, accounted and the result files that settled payments.
    summary: Mapped[dict] = mapped_column(JSON)
    differences: Mapped[list] = mapped_column(JSON)
    difference_count: Mapped[int] = mapped_column(Integer)


class BankStatement(Base):
    """A camt.053 end-of-day statement of the Treasury's disbursement account."""

    __tablename__ = "bank_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    msg_id: Mapped[str] = mapped_column(String(35), unique=True)
    file_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    statement_date: Mapped[date] = mapped_column(Date)
    account: Mapped[str] = mapped_column(String(34))
    entry_count: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StatementEntry(Base):
    """One booked transfer of a statement, by the end-to-end id it carries."""

    __tablename__ = "statement_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("bank_statements.id"), index=True)
    end_to_end_id: Mapped[str] = mapped_column(String(35), index=True)
    # Debited from the Treasury's account is positive; a return credited back, negative.
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    booked_on: Mapped[date] = mapped_column(Date)
