"""Consecutive-failure lockout with growing back-off.

Password and one-time-code failures count together, and only a complete
login resets the count: knowing the password must not give unlimited code
guesses. From the 5th consecutive failure the account is locked for 1 minute,
doubling with each further failure up to 24 hours; at 100 consecutive
failures (NIST SP 800-63B's ceiling) it stays locked until support unlocks it.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import update

from backend import db
from backend.errors import AccountLocked
from backend.models.credentials import SignInCredentials
from backend.services.identity import sessions

VIETNAM_TIME = timezone(timedelta(hours=7))  # no daylight saving in Viet Nam


def _locked_error(account: SignInCredentials, now: datetime) -> AccountLocked:
    if account.failed_attempts >= current_app.config["LOCKOUT_HARD_LIMIT"]:
        return AccountLocked({"locked_until": None, "retry_after_seconds": None},
                             message_key="ACCOUNT_LOCKED_PERMANENTLY")
    locked_until = account.locked_until
    assert locked_until is not None, "only called for a locked account (is_locked)"
    retry_after = max(1, int((locked_until - now).total_seconds() + 0.999))
    local = locked_until.astimezone(VIETNAM_TIME)
    return AccountLocked({"locked_until": locked_until.isoformat(),
                          "retry_after_seconds": retry_after},
                         message_params={"retry_at": local.strftime("%H:%M:%S %d/%m/%Y")},
                         headers={"Retry-After": str(retry_after)})


def is_locked(account: SignInCredentials, now: datetime) -> bool:
    if account.failed_attempts >= current_app.config["LOCKOUT_HARD_LIMIT"]:
        return True
    return account.locked_until is not None and now < account.locked_until


def ensure_not_locked(account: SignInCredentials, now: datetime) -> None:
    if is_locked(account, now):
        raise _locked_error(account, now)


def record_failure(account: SignInCredentials, now: datetime) -> None:
    """Count a failure (committed at once), and raise AccountLocked if it locks."""
    config = current_app.config
    # Increment in SQL so concurrent failures on several workers all count.
    model = type(account)
    db.session.execute(update(model).where(model.id == account.id)
                       .values(failed_attempts=model.failed_attempts + 1)
                       .execution_options(synchronize_session=False))
    db.session.refresh(account, ["failed_attempts"])
    over = account.failed_attempts - config["LOCKOUT_THRESHOLD"]
    if over >= 0:
        backoff = config["LOCKOUT_BASE"] * (2 ** min(over, 30))
        account.locked_until = now + min(backoff, config["LOCKOUT_MAX"])
    db.session.commit()
    if over >= 0:
        # Someone is guessing this account's secrets: its open sessions end too,
        # on every worker at the next request. After the lock's own commit, so
        # that a session store that cannot be reached never undoes the lock.
        sessions.end_all(account, now, reason="account_locked")
    ensure_not_locked(account, now)


def record_success(account: SignInCredentials) -> None:
    account.failed_attempts = 0
    account.locked_until = None
