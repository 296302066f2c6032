"""The citizen's 6-digit passcode: set with a fresh one-time code, then typed to
confirm a sensitive action instead of waiting for the next code (as VNeID does).

Hashed with argon2id like the password. Its failures have their own count
(lockout.PASSCODE): a wrong passcode neither adds to nor resets the password's
or the code's. Setting a new one starts its count again, since it takes a
one-time code, which is the stronger factor.
"""
from __future__ import annotations

from datetime import datetime

from backend import canonical, db, messages
from backend.errors import PasscodeInvalid, StepUpRequired, ValidationFailed
from backend.models import EidAccount
from backend.services.audit import trail
from backend.services.identity import lockout, passwords

LENGTH = 6
TOO_SIMPLE = "PASSCODE_TOO_SIMPLE"


def is_too_simple(passcode: str, citizen: EidAccount) -> bool:
    """What a stranger would try first: one digit repeated, a run up or down
    (wrapping, 890123), a repeated pair or triple (121212, 123123), or what is
    written about the citizen (birth date, end of the personal ID or phone)."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(passcode, passcode[1:], strict=False)}
    if len(steps) == 1 and steps <= {0, 1, 9}:
        return True
    if passcode == passcode[:2] * 3 or passcode == passcode[:3] * 2:
        return True
    known = {citizen.personal_id[-LENGTH:], citizen.phone[-LENGTH:]}
    if citizen.date_of_birth is not None:
        born = citizen.date_of_birth
        known |= {born.strftime(pattern) for pattern in ("%d%m%y", "%y%m%d", "%m%d%y", "%Y%m")}
        known.add(f"{born.day:02d}{born.month:02d}{born.year // 100:02d}")
    return passcode in known


def check_new(citizen: EidAccount, passcode: str) -> None:
    """Refuse a passcode that is not 6 ASCII digits, or too simple; changes nothing."""
    if not canonical.is_digits(passcode, LENGTH):
        raise ValidationFailed({"passcode": [messages.both_languages("detail.passcode_format")]})
    if is_too_simple(passcode, citizen):
        raise ValidationFailed({"passcode": [messages.both_languages("detail.passcode_too_simple")],
                                "reason": [TOO_SIMPLE]}, message_key=TOO_SIMPLE)


def set_passcode(citizen: EidAccount, passcode: str, now: datetime) -> None:
    """Store a new passcode (the caller has taken a fresh one-time code); audited."""
    action = "passcode.changed" if citizen.passcode_hash else "passcode.set"
    citizen.passcode_hash = passwords.hash_password(passcode)
    lockout.lift(lockout.citizen_subject(citizen.personal_id), lockout.PASSCODE)
    trail.record("citizen", action, now, subject_personal_id=citizen.personal_id)
    db.session.commit()


def confirm(citizen: EidAccount, passcode: str, now: datetime) -> None:
    """Check the passcode as a step-up, counted like a sign-in factor."""
    if not canonical.is_digits(passcode, LENGTH):
        raise ValidationFailed({"X-Passcode": [messages.both_languages("detail.passcode_format")]})
    if citizen.passcode_hash is None:
        raise StepUpRequired(step_up_details(citizen))
    subject = lockout.citizen_subject(citizen.personal_id)
    attempt = lockout.reserve(subject, lockout.PASSCODE, now)
    if not passwords.verify_password(citizen.passcode_hash, passcode):
        if lockout.locks_for_good(attempt):
            trail.record("citizen", "passcode.locked", now,
                         subject_personal_id=citizen.personal_id,
                         details={"attempts": attempt.number})
            db.session.commit()
        lockout.failed(attempt, now)
        raise PasscodeInvalid({"attempts_left": lockout.attempts_left(attempt)})
    lockout.succeeded(attempt)
    db.session.commit()


def step_up_details(citizen: EidAccount) -> dict:
    """What a STEP_UP_REQUIRED answer tells the app it may send."""
    accepts = ["passcode", "otp"] if citizen.passcode_hash else ["otp"]
    return {"accepts": accepts, "passcode_set": citizen.passcode_hash is not None}
