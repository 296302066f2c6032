from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime
from backend.models.credentials import SignInCredentials

# officer: checks ID cards in person (lost-phone recovery); support: answers
# citizens' payment problem reports; programme_admin: creates and closes programmes.
STAFF_ROLES = ("reviewer", "supervisor", "treasury", "payroll", "programme_admin", "officer",
               "support")


class StaffAccount(SignInCredentials, Base):
    """Support staff, supervisors, Treasury controllers, payroll officers."""

    __tablename__ = "staff_accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    roles: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def actor(self) -> str:
        """How this staff member is named in audit entries and histories."""
        return f"staff:{self.username}"
