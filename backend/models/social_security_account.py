from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.canonical import sql_digits
from backend.db import Base, UTCDateTime
from backend.models.references import checked_per_statement
from backend.models.statuses import AccountStatus, sql_in


class SocialSecurityAccount(Base):
    """Exactly one per personal ID; the unique constraint settles races."""

    __tablename__ = "social_security_accounts"
    __table_args__ = (CheckConstraint(sql_in("status", AccountStatus), name="status"),
                      CheckConstraint(sql_digits("personal_id", 12),
                                      name="personal_id_canonical"))

    id: Mapped[int] = mapped_column(primary_key=True)
    personal_id: Mapped[str] = mapped_column(String(12), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=AccountStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Notification(Base):
    """An in-app message; text is rendered from the catalogue in the reader's language."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(checked_per_statement("social_security_accounts.id"),
                                            index=True)
    kind: Mapped[str] = mapped_column(String(50))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
