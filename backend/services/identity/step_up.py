"""A fresh second factor for sensitive actions (linking, unlinking, naming an
authorised person, withdrawing a consent).

The citizen confirms with their passcode or a fresh one-time code. For the
one action that is the reason the app exists, a first link of the citizen's
own account, a sign-in a few minutes old is enough (`signed_in_recently`):
its code was just typed. Anything that changes where money already goes
still takes a factor (see linking.sign_in_covers_step_up).
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from backend import db
from backend.errors import OtpInvalid, OtpReplayed, StepUpRequired
from backend.models import AuthSession, EidAccount
from backend.services.identity import lockout, one_time_codes, passcodes


def confirm(citizen: EidAccount, code: str | None, now: datetime,
            passcode: str | None = None) -> None:
    """Check the passcode if one is given, else consume a current one-time code
    (single use, like at sign-in); STEP_UP_REQUIRED says which the app may send."""
    if passcode:
        passcodes.confirm(citizen, passcode, now)
        return
    if not code:
        raise StepUpRequired(passcodes.step_up_details(citizen))
    confirm_code(citizen, code, now)


def confirm_code(citizen: EidAccount, code: str | None, now: datetime) -> None:
    """A fresh one-time code only: for setting the passcode itself."""
    if not code:
        raise StepUpRequired({"accepts": ["otp"],
                              "passcode_set": citizen.passcode_hash is not None})
    attempt = lockout.reserve(lockout.citizen_subject(citizen.personal_id), lockout.OTP, now)
    try:
        one_time_codes.consume(citizen, code.strip(), now)
    except (OtpInvalid, OtpReplayed):
        lockout.failed(attempt, now)
        raise
    lockout.succeeded(attempt)
    # The code is used up and the count starts again whatever the action then
    # answers: a refused action (a mistyped account number, 422) rolled both
    # back, so a code could be used twice and right codes added up to a lock.
    db.session.commit()


def signed_in_recently(session_id: str, now: datetime) -> bool:
    """Whether this session's sign-in (password and code) is within the window.

    The session's creation, not the access token's: a refresh is no sign-in."""
    created = db.session.scalar(select(AuthSession.created_at).where(
        AuthSession.id == session_id, AuthSession.revoked_at.is_(None)))
    return created is not None \
        and now - created <= current_app.config["SIGN_IN_STEP_UP_WINDOW"]
