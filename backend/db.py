"""Engine, session and the declarative base shared by every model."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from flask import current_app
from sqlalchemy import (
    DateTime,
    Executable,
    MetaData,
    Select,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.engine import CursorResult, Engine, Row
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.sql.dml import Insert
from sqlalchemy.types import TypeDecorator

# Stable constraint names so Alembic migrations are identical on SQLite and
# PostgreSQL, and a constraint can be dropped by name later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every database.

    SQLite has no time zones; storing naive UTC and re-attaching UTC on the
    way out keeps comparisons with `utcnow()` correct on both databases.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class AppSession(Session):
    """Talks to the engine of the app whose context is active."""

    def get_bind(self, mapper=None, clause=None, **kwargs):
        return current_app.extensions["db_engine"]


# One session per thread (request, worker task or CLI command), removed at the
# end of each app context.
session = scoped_session(sessionmaker(class_=AppSession, expire_on_commit=False))

_Row = TypeVar("_Row")


def get_existing(model: type[_Row], key: Any) -> _Row:
    """The row a foreign key or an earlier check says is there.

    For ids that come from the database itself, not from a caller: a missing
    row is a broken invariant (a server error), never a 404.
    """
    row = session.get(model, key)
    if row is None:
        raise LookupError(f"{model.__name__} {key!r} does not exist")
    return row


def execute_counted(statement: Executable) -> int:
    """Execute an UPDATE or DELETE and return how many rows it matched, or an
    INSERT … SELECT and return how many rows it wrote."""
    if isinstance(statement, Insert):
        # Without this an INSERT's count is -1 (truthy: a caller would think rows
        # were written, and write their transitions for nothing).
        statement = statement.execution_options(preserve_rowcount=True)
    # Session.execute is typed as returning a Result; for these statements it
    # is a CursorResult, the one that carries the row count.
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def on_postgresql() -> bool:
    """Whether the session talks to PostgreSQL (production) rather than SQLite (embedded)."""
    return session.get_bind().dialect.name == "postgresql"


def analyze(table: str) -> None:
    """Give PostgreSQL's planner the rows this transaction has just written.

    Autovacuum only sees them after the commit; until then the planner
    guesses, and a wrong guess turned a linear join quadratic (issue 11).
    Call it after a bulk write whose next statements' plans depend on it.
    """
    if on_postgresql():
        session.execute(text(f"ANALYZE {table}"))


def analyze_apart(table: str) -> None:
    """`analyze` on a connection of its own, committed at once.

    ANALYZE holds a lock until its transaction ends that another ANALYZE of
    the same table waits for: inside a long transaction it makes every other
    writer that samples the table wait for that transaction's commit. Only
    for rows already committed: this transaction's own are not seen.
    """
    if on_postgresql():
        with _autocommit().connect() as own:
            own.execute(text(f"ANALYZE {table}"))


# The (kind, key) pairs this process holds on SQLite, where there is no
# advisory lock: one process, its threads.
_held_here: set[tuple[int, int]] = set()
_holding = threading.Lock()


@contextmanager
def held_apart(kind: int, key: int) -> Iterator[bool]:
    """Hold (kind, key) for the block, across its commits, if no one else does:
    yields False at once when another holds it, never waits.

    On PostgreSQL a session advisory lock on a connection of its own, so that
    every process and host agrees, and it goes with that connection if the
    process dies. The session's own connection would not do: it returns to
    the pool at each commit, lock and all.
    """
    if not on_postgresql():
        with _holding:
            mine = (kind, key) not in _held_here
            _held_here.add((kind, key))
        try:
            yield mine
        finally:
            if mine:
                with _holding:
                    _held_here.discard((kind, key))
        return
    with _autocommit().connect() as own:
        mine = bool(own.scalar(text("SELECT pg_try_advisory_lock(:kind, :key)"),
                               {"kind": kind, "key": key}))
        try:
            yield mine
        finally:
            if mine:
                own.execute(text("SELECT pg_advisory_unlock(:kind, :key)"),
                            {"kind": kind, "key": key})


def make_engine(url: str, parts: int = 1) -> Engine:
    """`parts`: how many province parts may run side by side, each with two
    connections at most (its session's, and one `held_apart` or
    `analyze_apart`), beside the caller's and other requests'."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # No ping (a `SELECT 1` round trip) at every checkout: after the database
    # restarts, the first statement on a stale connection fails, SQLAlchemy
    # then discards every connection pooled before the failure, and reads
    # (`read_rows`) try once more on a fresh one. Connections are replaced
    # after 30 minutes, before the idle timeouts of firewalls and poolers.
    # The pool opens connections only as they are asked for.
    return create_engine(url, pool_pre_ping=False, pool_recycle=1800,
                         pool_size=max(5, 2 * parts + 1))


def read_rows(statement: Executable, parameters: dict[str, Any] | None = None) -> list[Row]:
    """The rows of one read-only statement, outside the request's ORM session.

    For the hot reads: no ORM objects, and in autocommit no BEGIN before nor
    ROLLBACK after (one statement sees one snapshot anyway). A connection the
    database dropped is retried once on a fresh one. Hot statements are built
    once with bind parameters: building a statement costs more than running it.
    """
    engine = _autocommit()
    try:
        with engine.connect() as connection:
            return list(connection.execute(statement, parameters))
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
    with engine.connect() as connection:
        return list(connection.execute(statement, parameters))


def _autocommit() -> Engine:
    """The app's engine in autocommit: connections of their own, beside (and
    outside) the session's transaction, sharing its pool."""
    extensions = current_app.extensions
    engine = extensions.get("db_autocommit_engine")
    if engine is None:
        engine = extensions["db_autocommit_engine"] = extensions["db_engine"].execution_options(
            isolation_level="AUTOCOMMIT")
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets readers run beside
    # the one writer, which the demo server and its worker threads need.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def paginate(statement: Select, page: int, page_size: int) -> tuple[list, int]:
    """One page of an ordered ORM query, and how many rows the whole query has."""
    total = session.execute(select(func.count()).select_from(
        statement.order_by(None).subquery())).scalar_one()
    items = session.scalars(statement.limit(page_size).offset((page - 1) * page_size)).all()
    return list(items), total
