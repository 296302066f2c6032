"""Whether a session was ended, asked on every request without a database round trip.

The hottest reads (the payment list, the profile, a link request's poll,
notifications) ask nobody first: their one statement reads the citizen
through `live_session_citizen()`, so an ended session finds nothing there.
Every other request asks the store below.

The `auth_sessions` table stays the truth; this is a faster copy of its
`revoked_at` column that every worker reads:

- with `SSA_SESSION_STORE_URL` (Redis, production), one key per ended
  session, written before the database commits the end, so no worker can
  honour a token between the commit and the mark. A Redis that lost its keys
  (restarted without persistence) is noticed by a missing `ready` key and
  filled again from the table; until then the table answers.
- on the embedded SQLite default (one process), the set of ended sessions
  in memory, read again from the table whenever SQLite's `data_version` says
  another connection committed (another thread, `ssa` command or process).
- otherwise (PostgreSQL without Redis, several workers) the table itself.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from flask import Flask, current_app
from sqlalchemy import Engine, bindparam, select

from backend import db
from backend.models import AuthSession

log = logging.getLogger(__name__)

# A session lives at most SESSION_MAX_AGE; a mark kept past its end does no
# harm, one dropped before would.
_MARK_MARGIN = timedelta(minutes=5)


class RevocationStore(Protocol):
    def is_revoked(self, session_id: str, now: datetime) -> bool: ...

    def mark(self, ended: Iterable[tuple[str, datetime]], now: datetime) -> None: ...


def is_revoked(session_id: str | None, now: datetime) -> bool:
    if not session_id:
        return True
    return _store().is_revoked(session_id, now)


def mark(ended: Iterable[tuple[str, datetime]], now: datetime) -> None:
    """Tell every worker these sessions (id, expires_at) have ended; call before
    the database commits the end, so a failure here leaves the session live."""
    _store().mark(list(ended), now)


def live_session_citizen() -> Any:
    """The citizen of session `:session_id` while it is live, as a subquery.

    A hot read puts it in the one statement it runs anyway, in place of the
    citizen's id: the table answers, with no round trip to ask first.
    """
    return (select(AuthSession.citizen_id)
            .where(AuthSession.id == bindparam("session_id"), AuthSession.revoked_at.is_(None))
            .scalar_subquery())


def init_app(app: Flask, engine: Engine) -> None:
    url = app.config["SESSION_STORE_URL"]
    store: RevocationStore
    if url:
        store = RedisRevocations(url, app.config["SESSION_STORE_PREFIX"])
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        store = LocalRevocations(str(engine.url.database))
    else:
        store = DatabaseRevocations()
    app.extensions["session_revocations"] = store


def _store() -> RevocationStore:
    return current_app.extensions["session_revocations"]


def _revoked_in_table(session_id: str) -> bool:
    revoked_at = db.read_rows(select(AuthSession.revoked_at).where(AuthSession.id == session_id))
    return not revoked_at or revoked_at[0][0] is not None


def _ended_sessions(now: datetime) -> list[tuple[str, datetime]]:
    return [(row.id, row.expires_at) for row in db.read_rows(
        select(AuthSession.id, AuthSession.expires_at)
        .where(AuthSession.revoked_at.is_not(None), AuthSession.expires_at > now))]


class DatabaseRevocations:
    """Several workers and no Redis: one primary-key look-up per request."""

    def is_revoked(self, session_id: str, now: datetime) -> bool:
        return _revoked_in_table(session_id)

    def mark(self, ended: Iterable[tuple[str, datetime]], now: datetime) -> None:
        pass  # the table is read every time


class RedisRevocations:
    def __init__(self, url: str, prefix: str):
        import redis  # the production extra; the embedded default runs without it

        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.errors = redis.RedisError
        self.prefix = f"{prefix}:ended-session:"
        self.ready_key = f"{prefix}:ended-sessions-ready"
        self.filling_key = f"{prefix}:ended-sessions-filling"

    def is_revoked(self, session_id: str, now: datetime) -> bool:
        try:
            ready, ended = cast(list, self.redis.mget(self.ready_key, self.prefix + session_id))
        except self.errors as error:
            # Slower, still right: every end is in the table (an end that could
            # not be marked here failed as a whole).
            log.warning("session store unreachable, asking the database: %s", error)
            return _revoked_in_table(session_id)
        if ready is None:
            self._fill(now)
            return _revoked_in_table(session_id)
        return ended is not None

    def mark(self, ended: Iterable[tuple[str, datetime]], now: datetime) -> None:
        pipe = self.redis.pipeline(transaction=False)
        for session_id, expires_at in ended:
            pipe.set(self.prefix + session_id, 1,
                     ex=max(1, int((expires_at - now + _MARK_MARGIN).total_seconds())))
        pipe.execute()

    def _fill(self, now: datetime) -> None:
        """Copy every ended, unexpired session from the table; one worker at a time."""
        if not self.redis.set(self.filling_key, 1, nx=True, ex=60):
            return
        try:
            self.mark(_ended_sessions(now), now)
            self.redis.set(self.ready_key, 1)
        finally:
            self.redis.delete(self.filling_key)


class LocalRevocations:
    """One process on a SQLite file: the ended sessions in memory."""

    def __init__(self, path: str):
        # Its own connection: `data_version` changes when any *other*
        # connection commits, which every write of this process is too.
        self.watch = sqlite3.connect(path, check_same_thread=False)
        self.lock = threading.Lock()
        self.version: int | None = None
        self.ended: dict[str, datetime] = {}

    def is_revoked(self, session_id: str, now: datetime) -> bool:
        with self.lock:
            version = self.watch.execute("PRAGMA data_version").fetchone()[0]
            if version != self.version:
                # The version is read first: a commit during the reload shows next time.
                self.version = version
                self.ended = dict(_ended_sessions(now))
            return session_id in self.ended

    def mark(self, ended: Iterable[tuple[str, datetime]], now: datetime) -> None:
        with self.lock:
            self.ended.update(ended)
