"""A simulated authenticator for the demo: the current code of a demo account.

Only in demo mode (`ssa demo`); everywhere else the answer is NOT_FOUND, so
a production service cannot be made to reveal a code.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from backend import db
from backend.errors import NotFound
from backend.models import EidAccount, StaffAccount
from backend.models.credentials import SignInCredentials
from backend.services.identity import one_time_codes


def current_code(now: datetime, personal_id: str | None = None,
                 username: str | None = None) -> dict:
    if not current_app.config["DEMO_MODE"] or current_app.config["ENV"] == "production":
        raise NotFound()
    account: SignInCredentials | None
    if personal_id:
        account = db.session.scalar(select(EidAccount).where(
            EidAccount.personal_id == personal_id))
    else:
        account = db.session.scalar(select(StaffAccount).where(
            StaffAccount.username == (username or "")))
    if account is None:
        raise NotFound()
    step = current_app.config["TOTP_STEP_SECONDS"]
    return {"code": one_time_codes.current_code(account, now),
            "valid_for_seconds": step - int(now.timestamp()) % step}
