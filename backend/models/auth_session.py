from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime


class LoginChallenge(Base):
    """The step between a correct password and the one-time code."""

    __tablename__ = "login_challenges"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("eid_accounts.id"), index=True)
    device_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuthSession(Base):
    """One signed-in session of a citizen or a staff member.

    Revoking the row kills every token of the session at once; `refresh_jti`
    names the only refresh token still allowed, so presenting an older one
    is detected as reuse.
    """

    __tablename__ = "auth_sessions"
    __table_args__ = (
        CheckConstraint("ial IS NULL OR ial IN (1, 2)", name="ial_level"),
        CheckConstraint("(citizen_id IS NULL) <> (staff_id IS NULL)", name="one_principal"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("eid_accounts.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"), index=True)
    ial: Mapped[int | None] = mapped_column(Integer)
    device_id: Mapped[str | None] = mapped_column(String(100))
    refresh_jti: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(40))
    # What the citizen sees of their sessions: the app's user agent, the
    # approximate place of the sign-in (never the address), and the last
    # time its tokens were issued or renewed.
    user_agent: Mapped[str | None] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(60))
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
