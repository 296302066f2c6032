"""Whether this process can serve: the database, Redis, the task queue and the
session store answer.

A load balancer asks `/readyz` every few seconds, so each check is one cheap
round trip; one that fails is logged (without detail in the answer) and named.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

from flask import current_app
from limits.storage import Storage, storage_from_string
from sqlalchemy import text

from backend import tasks
from backend.services.identity import revocation

log = logging.getLogger(__name__)

OK, DOWN, NOT_USED = "ok", "down", "not used"
# A dependency that does not answer within this many seconds counts as down.
CHECK_TIMEOUT_SECONDS = 2


def check() -> dict[str, str]:
    """Each dependency by name: "ok", "down", or "not used" (no Redis in the embedded
    default)."""
    redis_uri = current_app.config["RATELIMIT_STORAGE_URI"]
    sessions = current_app.extensions["session_revocations"]
    checks: dict[str, Callable[[], object] | None] = {
        "database": _database,
        # Redis holds the rate-limit counts every worker shares.
        "redis": (lambda: _redis_storage(redis_uri)) if redis_uri.startswith("redis") else None,
        "queue": lambda: tasks.queue().huey.pending_count(),
        # Where every worker learns that a session ended (SSA_SESSION_STORE_URL); without
        # it the database answers, checked above.
        "session_store": sessions.redis.ping
        if isinstance(sessions, revocation.RedisRevocations) else None,
    }
    return {name: NOT_USED if probe is None else _outcome(name, probe)
            for name, probe in checks.items()}


def ready(checks: dict[str, str]) -> bool:
    return DOWN not in checks.values()


def _outcome(name: str, probe: Callable[[], object]) -> str:
    try:
        answer = probe()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        log.warning("readiness: %s is down: %s", name, error)
        return DOWN
    if answer is False:
        log.warning("readiness: %s is down", name)
        return DOWN
    return OK


def _database() -> None:
    with current_app.extensions["db_engine"].connect() as connection:
        connection.execute(text("SELECT 1"))


def _redis_storage(uri: str) -> bool:
    return _storage(uri).check()


@cache
def _storage(uri: str) -> Storage:
    # The limiter's own storage class, with time-outs so that an unreachable host
    # answers "down" rather than holding the probe.
    storage = storage_from_string(uri, socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
                                  socket_timeout=CHECK_TIMEOUT_SECONDS)
    assert isinstance(storage, Storage)  # a redis:// URI names the synchronous one
    return storage
