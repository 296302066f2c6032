"""Level-2 eID login: password, then a one-time code (API.md)."""
from __future__ import annotations

import uuid
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
from backend.services.identity import lockout, one_time_codes, passwords, sessions


def start(personal_id: str, password: str, device_id: str | None,
          now: datetime) -> LoginChallenge:
    account = db.session.scalar(select(EidAccount).where(EidAccount.personal_id == personal_id))
    if account is not None:
        lockout.ensure_not_locked(account, now)
    # Verified even for an unknown ID (against a decoy hash): same answer, same time.
    password_ok = passwords.verify_password(account.password_hash if account else None, password)
    if account is None:
        raise InvalidCredentials()
    if not password_ok:
        lockout.record_failure(account, now)
        raise InvalidCredentials()
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)
    challenge = LoginChallenge(
        id=str(uuid.uuid4()), account_id=account.id, device_id=device_id, created_at=now,
        expires_at=now + current_app.config["LOGIN_CHALLENGE_TTL"])
    db.session.add(challenge)
    db.session.commit()
    return challenge


def complete(challenge_id: str, code: str, now: datetime) -> sessions.IssuedTokens:
    challenge = db.session.get(LoginChallenge, challenge_id) if _is_uuid(challenge_id) else None
    if challenge is None or challenge.completed_at is not None:
        raise ChallengeInvalid()
    if now >= challenge.expires_at:
        raise ChallengeExpired()
    account = db.get_existing(EidAccount, challenge.account_id)
    lockout.ensure_not_locked(account, now)
    try:
        one_time_codes.consume(account, code, now)
    except (OtpInvalid, OtpReplayed):
        lockout.record_failure(account, now)
        raise
    completed = db.execute_counted(
        update(LoginChallenge)
        .where(LoginChallenge.id == challenge.id, LoginChallenge.completed_at.is_(None))
        .values(completed_at=now)
        .execution_options(synchronize_session=False))
    if completed != 1:
        db.session.rollback()
        raise ChallengeInvalid()
    lockout.record_success(account)
    tokens = sessions.open_session(account, challenge.device_id, now)
    db.session.commit()
    return tokens


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (TypeError, ValueError):
        return False
    return True
