"""Cash handed over by a paying agent, with its proof."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime
from backend.models.references import checked_per_statement


class CashHandover(Base):
    __tablename__ = "cash_handovers"
    __table_args__ = (
        CheckConstraint("receiver IN ('citizen', 'authorised_person')", name="receiver"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # A payment is handed over once; the unique key settles two agents racing.
    payment_id: Mapped[int] = mapped_column(checked_per_statement("payments.id"), unique=True)
    agent_id: Mapped[str] = mapped_column(String(30))
    place: Mapped[str] = mapped_column(String(120))
    handed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Whose one-time code proved the hand-over.
    receiver: Mapped[str] = mapped_column(String(20))
    # "api", or the name of the agent's file it was imported from.
    source: Mapped[str] = mapped_column(String(120))
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
