"""Columns every account that signs in carries: second factor and lockout."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import UTCDateTime


class SignInCredentials:
    if TYPE_CHECKING:
        # Each account table declares its own integer primary key.
        id: Mapped[int]

    password_hash: Mapped[str] = mapped_column(String(200))
    # Encrypted with the data key: a database dump must not yield codes.
    totp_secret_encrypted: Mapped[str] = mapped_column(String(300))
    # The last 30-second step whose code was accepted; codes of that step or
    # earlier are replays.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
