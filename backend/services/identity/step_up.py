"""A fresh second factor for sensitive actions (linking, unlinking)."""
from __future__ import annotations

from datetime import datetime

from backend import db
from backend.errors import OtpInvalid, OtpReplayed, StepUpRequired
from backend.models import EidAccount
from backend.services.identity import lockout, one_time_codes


def confirm(citizen: EidAccount, code: str | None, now: datetime) -> None:
    """Consume a current one-time code (single use, like at sign-in)."""
    if not code:
        raise StepUpRequired()
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
