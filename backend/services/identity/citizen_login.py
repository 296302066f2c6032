"""Level-2 eID login: password, then a one-time code (API.md)."""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from backend import db
from backend.errors import (
    ChallengeExpired,
    ChallengeInvalid,
    InvalidCredentials,
    OtpInvalid,
    OtpReplayed,
)
from backend.models import EidAccount, LoginChallenge
from backend.services.accounts import notifications, social_security
from backend.services.identity import lockout, one_time_codes, passwords, sessions


def start(personal_id: str, password: str, device_id: str | None,
          now: datetime) -> LoginChallenge:
    # Reserved before anything is looked up, and for unknown IDs too: same
    # answers, same statements, same time, whether or not the ID has an account.
    attempt = lockout.reserve(lockout.citizen_subject(personal_id), lockout.PASSWORD, now)
    account = db.session.scalar(select(EidAccount).where(EidAccount.personal_id == personal_id))
    # Verified even for an unknown ID (against a decoy hash).
    password_ok = passwords.verify_password(account.password_hash if account else None, password)
    if account is None or not password_ok:
        if account is not None and lockout.locks_for_good(attempt):
            # Locked until staff lift it: its sessions end too, on every worker.
            # A mere back-off ends nothing: strangers must not sign the owner out.
            sessions.end_all(account, now, reason="account_locked")
            db.session.commit()
        lockout.failed(attempt, now)
        # The app warns before the back-off ("2 tries left") rather than after.
        raise InvalidCredentials({"attempts_left": lockout.attempts_left(attempt)})
    lockout.succeeded(attempt)
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)
    challenge = LoginChallenge(
        id=str(uuid.uuid4()), account_id=account.id, device_id=device_id, created_at=now,
        expires_at=now + current_app.config["LOGIN_CHALLENGE_TTL"])
    db.session.add(challenge)
    db.session.commit()
    return challenge


def complete(challenge_id: str, code: str, now: datetime,
             client: sessions.ClientSeen | None = None) -> sessions.IssuedTokens:
    challenge = db.session.get(LoginChallenge, challenge_id) if _is_uuid(challenge_id) else None
    if challenge is None or challenge.completed_at is not None:
        raise ChallengeInvalid()
    if now >= challenge.expires_at:
        raise ChallengeExpired()
    account = db.get_existing(EidAccount, challenge.account_id)
    subject = lockout.citizen_subject(account.personal_id)
    attempt = lockout.reserve(subject, lockout.OTP, now)
    try:
        one_time_codes.consume(account, code, now)
    except (OtpInvalid, OtpReplayed) as refused:
        lockout.failed(attempt, now)
        raise type(refused)({"attempts_left": lockout.attempts_left(attempt)}) from None
    completed = db.execute_counted(
        update(LoginChallenge)
        .where(LoginChallenge.id == challenge.id, LoginChallenge.completed_at.is_(None))
        .values(completed_at=now)
        .execution_options(synchronize_session=False))
    if completed != 1:
        db.session.rollback()
        raise ChallengeInvalid()
    lockout.succeeded(attempt)
    failures = lockout.take_unreported(subject)
    tokens = replace(sessions.open_session(account, challenge.device_id, now, client),
                     failed_sign_in_attempts=failures)
    db.session.commit()
    if failures and account.ial == 2:
        # Also kept in the app; level 1 has no social security account to keep it in.
        notifications.notify(social_security.get_or_create(account, now), "SIGN_IN_FAILURES",
                             {"count": failures}, now)
        db.session.commit()
    return tokens


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (TypeError, ValueError):
        return False
    return True
