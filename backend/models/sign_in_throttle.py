"""Sign-in attempts per account and factor: the lockout's one counter row."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime

SIGN_IN_FACTORS = ("password", "otp", "passcode")


class SignInThrottle(Base):
    """Keyed by a keyed hash of who is signing in (personal ID or staff username),
    not by an account: an ID without an account is throttled exactly like one
    with, so the lockout tells nobody which IDs have accounts."""

    __tablename__ = "sign_in_throttles"
    __table_args__ = (
        CheckConstraint("factor IN ('password', 'otp', 'passcode')", name="factor"),
        CheckConstraint("attempts >= 0", name="attempts_positive"),
        CheckConstraint("unreported_failures >= 0", name="unreported_failures_positive"),
    )

    subject_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    factor: Mapped[str] = mapped_column(String(10), primary_key=True)
    # Attempts since the last success, each counted when reserved (before the
    # secret is checked), so parallel guesses cannot overtake the count.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Once `attempts` reaches the threshold, no attempt before this moment.
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Failures the owner has not yet been told of at a complete sign-in.
    unreported_failures: Mapped[int] = mapped_column(Integer, default=0)
