"""A fresh second factor for sensitive actions (linking, unlinking)."""
from __future__ import annotations

from datetime import datetime

from backend.errors import OtpInvalid, OtpReplayed, StepUpRequired
from backend.models import EidAccount
from backend.services.identity import lockout, one_time_codes


def confirm(citizen: EidAccount, code: str | None, now: datetime) -> None:
    """Consume a current one-time code (single use, like at sign-in)."""
    if not code:
        raise StepUpRequired()
    lockout.ensure_not_locked(citizen, now)
    try:
        one_time_codes.consume(citizen, code.strip(), now)
    except (OtpInvalid, OtpReplayed):
        lockout.record_failure(citizen, now)
        raise
    lockout.record_success(citizen)
