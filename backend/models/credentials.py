"""Columns every account that signs in carries: password and second factor.

The lockout counts attempts in `sign_in_throttles`, keyed by who signs in.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column


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
