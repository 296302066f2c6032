"""Idempotency-Key: a retried request gets the first answer, not a second effect.

Only successful answers are kept. A failed attempt (a missing one-time code,
a conflict) releases the key, so the client can retry it after fixing things.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from backend import db
from backend.errors import Conflict, IdempotencyKeyReused
from backend.models import IdempotencyRecord


def fingerprint(method: str, path: str, body: object) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _stored(owner: str, key: str) -> IdempotencyRecord | None:
    return db.session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.owner == owner,
                                                             IdempotencyRecord.key == key))


def _check(record: IdempotencyRecord, request_fingerprint: str) -> IdempotencyRecord:
    if record.fingerprint != request_fingerprint:
        raise IdempotencyKeyReused()
    if record.status_code is None:
        raise _still_running()
    return record


def begin(owner: str, key: str, request_fingerprint: str,
          now: datetime) -> IdempotencyRecord | None:
    """The stored first answer, or None after reserving the key for this request."""
    existing = _stored(owner, key)
    if existing is not None:
        return _check(existing, request_fingerprint)
    db.session.add(IdempotencyRecord(owner=owner, key=key, fingerprint=request_fingerprint,
                                     created_at=now))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        winner = _stored(owner, key)
        if winner is None:
            # The request that took the key failed and released it meanwhile:
            # answered like a running one, so the client retries.
            raise _still_running() from None
        return _check(winner, request_fingerprint)
    return None


def _still_running() -> Conflict:
    return Conflict({"idempotency_key": ["the first request with this key is still running"]})


def finish(owner: str, key: str, status_code: int, body: object) -> None:
    db.session.execute(update(IdempotencyRecord)
                       .where(IdempotencyRecord.owner == owner, IdempotencyRecord.key == key)
                       .values(status_code=status_code, body=body))
    db.session.commit()


def release(owner: str, key: str) -> None:
    db.session.rollback()
    db.session.execute(delete(IdempotencyRecord)
                       .where(IdempotencyRecord.owner == owner, IdempotencyRecord.key == key,
                              IdempotencyRecord.status_code.is_(None)))
    db.session.commit()
