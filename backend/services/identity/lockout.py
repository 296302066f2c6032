"""Throttling of sign-in attempts, per account and factor, with a growing back-off.

NIST SP 800-63B's rate limiting, shaped so that strangers cannot lock the owner
out for long:

- Each attempt is *reserved* before the secret is checked, by one conditional
  UPDATE ... RETURNING on the subject's counter row. Parallel guesses on any
  number of workers therefore count exactly, and at most the threshold of them
  is ever checked before the back-off starts.
- From the threshold on, each attempt opens a back-off of 1 minute, doubling
  up to 15 minutes (minutes, never a day); the owner signs in after it.
  At 100 consecutive failures (NIST's ceiling) the factor stays locked until
  support lifts it.
- Rows are keyed by a keyed hash of the personal ID (or staff username), so an
  ID without an account is throttled, answered and timed exactly like one with.
- Passwords and one-time codes are counted apart: a correct password resets
  only the password count, so knowing it gives no extra code guesses. The
  step-up passcode has a count of its own too, with a lower ceiling
  (`PASSCODE_LOCK_LIMIT`): six digits are few, and a locked passcode keeps
  nobody out, since a one-time code still confirms and sets a new one.
- Failures the owner has not been told of, refused attempts included, are
  kept until their next complete sign-in (`take_unreported`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, literal, null, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from backend import db
from backend.db import UTCDateTime
from backend.errors import AccountLocked
from backend.models import SignInThrottle
from backend.services.shared import secret_box
from backend.vietnam_time import VIETNAM_TIME

PASSWORD, OTP, PASSCODE = "password", "otp", "passcode"


@dataclass(frozen=True)
class Attempt:
    """A reserved attempt: the subject's row counted it already."""

    subject: str
    factor: str
    number: int  # consecutive attempts since the last success, this one included
    retry_at: datetime | None


@dataclass(frozen=True)
class ThrottleState:
    """What staff see of a subject's throttle (the case look-up)."""

    factor: str
    attempts: int
    retry_at: datetime | None
    locked_for_good: bool


def citizen_subject(personal_id: str) -> str:
    return secret_box.lookup_hash(f"citizen:{personal_id}")


def staff_subject(username: str) -> str:
    return secret_box.lookup_hash(f"staff:{username}")


def _hard_limit(factor: str) -> int:
    """Consecutive failures after which the factor stays locked until it is lifted."""
    config = current_app.config
    return config["PASSCODE_LOCK_LIMIT"] if factor == PASSCODE else config["LOCKOUT_HARD_LIMIT"]


def _delays() -> list[timedelta]:
    """The back-off opened by the threshold-th attempt, the next one, ... up to the cap."""
    config = current_app.config
    delays = [config["LOCKOUT_BASE"]]
    while delays[-1] * 2 < config["LOCKOUT_MAX"]:
        delays.append(delays[-1] * 2)
    return delays + [config["LOCKOUT_MAX"]]


def _ensure_row(subject: str, factor: str) -> None:
    insert = postgresql_insert if db.on_postgresql() else sqlite_insert
    db.session.execute(insert(SignInThrottle)
                       .values(subject_hash=subject, factor=factor, attempts=0,
                               unreported_failures=0)
                       .on_conflict_do_nothing())


def reserve(subject: str, factor: str, now: datetime) -> Attempt:
    """Count an attempt before its secret is checked, or raise AccountLocked."""
    config = current_app.config
    threshold, hard_limit = config["LOCKOUT_THRESHOLD"], _hard_limit(factor)
    _ensure_row(subject, factor)
    counted = SignInThrottle.attempts + 1
    delays = _delays()
    # The back-off this attempt opens, decided in the same statement that counts
    # it: no second statement for a parallel attempt to slip in front of.
    retry_at = case(
        (counted < threshold, null()),
        *[(counted == threshold + step, literal(now + delay, UTCDateTime))
          for step, delay in enumerate(delays)],
        else_=literal(now + delays[-1], UTCDateTime))
    row = db.session.execute(
        update(SignInThrottle)
        .where(SignInThrottle.subject_hash == subject, SignInThrottle.factor == factor,
               or_(SignInThrottle.attempts < threshold,
                   and_(SignInThrottle.attempts < hard_limit, SignInThrottle.retry_at <= now)))
        .values(attempts=counted, retry_at=retry_at)
        .returning(SignInThrottle.attempts, SignInThrottle.retry_at)
        .execution_options(synchronize_session=False)).one_or_none()
    if row is None:
        # Not checked, but the owner is told of it all the same.
        db.session.execute(
            update(SignInThrottle)
            .where(SignInThrottle.subject_hash == subject, SignInThrottle.factor == factor)
            .values(unreported_failures=SignInThrottle.unreported_failures + 1)
            .execution_options(synchronize_session=False))
    db.session.commit()
    if row is None:
        state = db.session.execute(
            select(SignInThrottle.attempts, SignInThrottle.retry_at)
            .where(SignInThrottle.subject_hash == subject, SignInThrottle.factor == factor)).one()
        raise _locked_error(factor, state.attempts, state.retry_at, now)
    return Attempt(subject, factor, row.attempts, row.retry_at)


def locks_for_good(attempt: Attempt) -> bool:
    """Whether this attempt, if it fails, reaches the ceiling that only staff lift."""
    return attempt.number >= _hard_limit(attempt.factor)


def failed(attempt: Attempt, now: datetime) -> None:
    """The reserved attempt failed; raise AccountLocked if it opened a back-off.

    Nothing to write: the attempt was counted when reserved.
    """
    if attempt.number >= current_app.config["LOCKOUT_THRESHOLD"]:
        raise _locked_error(attempt.factor, attempt.number, attempt.retry_at, now)


def attempts_left(attempt: Attempt) -> int:
    """Failures the subject may still make before the back-off starts (0 once it has).

    The same for an ID without an account: its count is kept the same way.
    """
    return max(0, current_app.config["LOCKOUT_THRESHOLD"] - attempt.number)


def succeeded(attempt: Attempt) -> None:
    """The secret was right: the count starts again, and the failures before it
    wait to be told to the owner."""
    db.session.execute(
        update(SignInThrottle)
        .where(SignInThrottle.subject_hash == attempt.subject,
               SignInThrottle.factor == attempt.factor)
        # `attempts` holds this success too; case() keeps a concurrent reset at 0.
        .values(unreported_failures=SignInThrottle.unreported_failures
                + case((SignInThrottle.attempts > 0, SignInThrottle.attempts - 1), else_=0),
                attempts=0, retry_at=None)
        .execution_options(synchronize_session=False))


def take_unreported(subject: str) -> int:
    """Failures of every factor the owner has not been told of; they count as told now."""
    rows = db.session.execute(
        select(SignInThrottle.factor, SignInThrottle.unreported_failures)
        .where(SignInThrottle.subject_hash == subject,
               SignInThrottle.unreported_failures > 0)).all()
    for row in rows:
        # Subtract what was read: failures counted meanwhile stay for next time.
        db.session.execute(
            update(SignInThrottle)
            .where(SignInThrottle.subject_hash == subject, SignInThrottle.factor == row.factor)
            .values(unreported_failures=SignInThrottle.unreported_failures
                    - row.unreported_failures)
            .execution_options(synchronize_session=False))
    return sum(row.unreported_failures for row in rows)


def states(subject: str, now: datetime) -> list[ThrottleState]:
    """Each factor's count and back-off, for staff; factors never tried are left out."""
    rows = db.session.scalars(select(SignInThrottle)
                              .where(SignInThrottle.subject_hash == subject)
                              .order_by(SignInThrottle.factor))
    return [ThrottleState(row.factor, row.attempts,
                          row.retry_at if row.retry_at and row.retry_at > now else None,
                          row.attempts >= _hard_limit(row.factor))
            for row in rows]


def lift(subject: str, factor: str) -> int:
    """Support lifts a factor's back-off or lock (after checking who is asking):
    the count starts again; the failures stay to be told to the owner. Returns
    the consecutive attempts that were counted, 0 when nothing was to lift."""
    mine = and_(SignInThrottle.subject_hash == subject, SignInThrottle.factor == factor)
    counted = db.session.scalar(select(SignInThrottle.attempts).where(mine)) or 0
    if counted:
        db.session.execute(update(SignInThrottle).where(mine)
                           .values(attempts=0, retry_at=None)
                           .execution_options(synchronize_session=False))
    return counted


def _locked_error(factor: str, attempts: int, retry_at: datetime | None,
                  now: datetime) -> AccountLocked:
    if attempts >= _hard_limit(factor):
        # A locked passcode is replaced with a one-time code; the rest wait for support.
        return AccountLocked({"locked_until": None, "retry_after_seconds": None,
                              "factor": factor},
                             message_key="PASSCODE_LOCKED" if factor == PASSCODE
                             else "ACCOUNT_LOCKED_PERMANENTLY")
    assert retry_at is not None, "a count at the threshold always has its back-off"
    retry_after = max(1, int((retry_at - now).total_seconds() + 0.999))
    local = retry_at.astimezone(VIETNAM_TIME)
    return AccountLocked({"locked_until": retry_at.isoformat(),
                          "retry_after_seconds": retry_after, "factor": factor},
                         message_params={"retry_at": local.strftime("%H:%M:%S %d/%m/%Y")},
                         headers={"Retry-After": str(retry_after)})
