"""Staff sign-in: password and a mandatory one-time code in one step."""
from __future__ import annotations

import uuid
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from backend import db
from backend.errors import InvalidCredentials, OtpInvalid, OtpReplayed
from backend.models import AuthSession, StaffAccount
from backend.services.audit import trail
from backend.services.identity import lockout, one_time_codes, passwords, sessions


def sign_in(username: str, password: str, code: str, now: datetime) -> sessions.IssuedTokens:
    staff = _authenticate(username, password, code, now)
    tokens = sessions.open_session(staff, None, now)
    trail.record(staff.actor, "staff.sign_in", now)
    db.session.commit()
    return tokens


def sign_in_without_tokens(username: str, password: str, code: str,
                           now: datetime) -> tuple[StaffAccount, str]:
    """The same checks for the web console, which keeps a cookie instead of tokens.

    Opens a server-side session row all the same, so signing out (or revoking
    the row) ends the console session even if its cookie was copied.
    Returns the staff member and the session id.
    """
    staff = _authenticate(username, password, code, now)
    auth_session = AuthSession(id=str(uuid.uuid4()), staff_id=staff.id,
                               refresh_jti=str(uuid.uuid4()), created_at=now,
                               expires_at=now + current_app.config["SESSION_MAX_AGE"])
    db.session.add(auth_session)
    trail.record(staff.actor, "staff.sign_in", now, details={"via": "console"})
    db.session.commit()
    return staff, auth_session.id


def _authenticate(username: str, password: str, code: str, now: datetime) -> StaffAccount:
    subject = lockout.staff_subject(username)
    attempt = lockout.reserve(subject, lockout.PASSWORD, now)
    staff = db.session.scalar(select(StaffAccount).where(StaffAccount.username == username))
    password_ok = passwords.verify_password(staff.password_hash if staff else None, password)
    if staff is None or not password_ok:
        lockout.failed(attempt, now)
        raise InvalidCredentials(message_key="STAFF_INVALID_CREDENTIALS")
    lockout.succeeded(attempt)
    attempt = lockout.reserve(subject, lockout.OTP, now)
    try:
        one_time_codes.consume(staff, code, now)
    except (OtpInvalid, OtpReplayed):
        lockout.failed(attempt, now)
        raise
    lockout.succeeded(attempt)
    return staff


def staff_by_id(staff_id: int) -> StaffAccount | None:
    return db.session.get(StaffAccount, staff_id)
