"""Staff sign-in: password and a mandatory one-time code in one step."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from backend import db
from backend.errors import InvalidCredentials, OtpInvalid, OtpReplayed
from backend.models import StaffAccount
from backend.services import audit, lockout, one_time_codes, passwords, sessions


def sign_in(username: str, password: str, code: str, now: datetime) -> sessions.IssuedTokens:
    staff = db.session.scalar(select(StaffAccount).where(StaffAccount.username == username))
    if staff is not None:
        lockout.ensure_not_locked(staff, now)
    if not passwords.verify_password(staff.password_hash if staff else None, password):
        if staff is not None:
            lockout.record_failure(staff, now)
        raise InvalidCredentials()
    try:
        one_time_codes.consume(staff, code, now)
    except (OtpInvalid, OtpReplayed):
        lockout.record_failure(staff, now)
        raise
    lockout.record_success(staff)
    tokens = sessions.open_session(staff, None, now)
    audit.record(f"staff:{staff.username}", "staff.sign_in", now)
    db.session.commit()
    return tokens


def staff_by_id(staff_id: int) -> StaffAccount | None:
    return db.session.get(StaffAccount, staff_id)
