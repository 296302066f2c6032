"""A staff case: the bank reported contradicting results for one payment."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime


class ResultConflict(Base):
    """Opened once per payment when a settlement and a rejection are both kept
    for it (callbacks or result files, in either order); never deleted, so
    their count is a counter (/metrics)."""

    __tablename__ = "result_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), unique=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("payment_requests.id"),
                                                   index=True)
    end_to_end_id: Mapped[str] = mapped_column(String(35))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
