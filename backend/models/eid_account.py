from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.canonical import sql_digits
from backend.db import Base, UTCDateTime
from backend.models.credentials import SignInCredentials


class EidAccount(SignInCredentials, Base):
    """A citizen's eID account: the identity the app logs in with."""

    __tablename__ = "eid_accounts"
    __table_args__ = (
        CheckConstraint("ial IN (1, 2)", name="ial_level"),
        CheckConstraint(sql_digits("personal_id", 12), name="personal_id_canonical"),
        CheckConstraint(sql_digits("phone", 10), name="phone_canonical"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    personal_id: Mapped[str] = mapped_column(String(12), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(15))
    ial: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The 6-digit passcode that confirms a sensitive action instead of a fresh
    # one-time code (services/identity/passcodes.py); argon2id like the password.
    passcode_hash: Mapped[str | None] = mapped_column(String(200))
