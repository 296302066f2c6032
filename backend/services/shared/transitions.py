"""The one compare-and-set that changes a record's status, and records the change.

A move is one UPDATE over the rows still in the from-status, plus one
INSERT ... SELECT writing a transition (time, actor, reason) for exactly the
rows moved: set-based for a million payments, and the same two statements for
one link request. A row some other worker moved meanwhile is simply not in the
from-status any more, so what is retried or delivered twice moves nothing.
On PostgreSQL a bulk move is one statement: the UPDATE returns the rows it
moved to the INSERT of their transitions, instead of the INSERT reading them
again (for a national payroll, a million scattered rows read a second time).
Where the lifecycle has a moves log, a move of many records can instead be
recorded once there, each moved record naming it (`recorded_once`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    column,
    distinct,
    exists,
    func,
    insert,
    literal,
    select,
    text,
    true,
    update,
)
from sqlalchemy import values as values_table
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.dml import Insert, Update

from backend import db
from backend.db import UTCDateTime
from backend.errors import Conflict
from backend.models.statuses import StateTable


@dataclass(frozen=True)
class Lifecycle:
    """A record with a status, the table of its moves and the log of its transitions.

    `record` has `id`, `status` and `updated_at`; every move sets `updated_at`
    to the move's time, which is how the log finds the rows just moved. `log`
    has `from_status`, `to_status`, `at`, `actor`, `reason`, maybe `note`, and
    `key`, the column naming the record.
    """

    states: StateTable
    record: Any
    log: Any
    key: str
    # Records moved one at a time ("auto") see their new status in the session
    # at once; bulk moves (False) leave loaded objects alone, at no cost.
    synchronize_session: str | bool = False
    # Where a move of many records is recorded once, each record naming it in
    # its `moves` (PostgreSQL; see `move_through`). Its ids come from the
    # log's sequence, so a record's moves and transitions read in order.
    moves_log: Any = None
    # (a column of the record, an array column of `moves_log`): each recorded
    # move keeps the distinct values of that column among the records it
    # moved, by which a reader finds the moves of a group (a request).
    moves_keep: tuple[str, str] | None = None


def move(lifecycle: Lifecycle, where: ColumnElement[bool], from_status: str, to_status: str,
         actor: str, now: datetime, reason: str | None = None, note: str | None = None,
         values: Mapping[str, Any] | None = None,
         moved: ColumnElement[bool] | None = None, bulk: bool = False,
         recorded_once: bool = False) -> int:
    """Move every record matching `where` and still in `from_status`; returns how many.

    `where` must not mention the status: it selects the moved rows again, after
    the move, to record their transitions; or `moved` does, when the move sets
    a column that finds them faster (a million payments put in their request
    are found by request id, not joined again by group). `values` are other
    columns of the record the move sets. A move the table does not allow is
    refused before anything is written. `bulk`, `recorded_once`: see `move_through`.
    """
    return move_through(lifecycle, where, (from_status, to_status), actor, now, reason=reason,
                        note=note, values=values, moved=moved, bulk=bulk,
                        recorded_once=recorded_once)


def move_through(lifecycle: Lifecycle, where: ColumnElement[bool], path: tuple[str, ...],
                 actor: str, now: datetime, reason: str | None = None,
                 note: str | None = None, values: Mapping[str, Any] | None = None,
                 moved: ColumnElement[bool] | None = None, bulk: bool = False,
                 recorded_once: bool = False) -> int:
    """Move every record matching `where` and still in `path[0]` along each step of
    `path` at once; returns how many moved.

    One write of each row to `path[-1]`, and one transition per step, as if
    each step had been a move of its own: a national payroll is rewritten
    once, not once a step, and its history reads the same.

    `bulk` (a large result file's moves): on PostgreSQL the transitions are
    written from what the UPDATE returns, in the same statement. Not for the
    small moves of a result file: planned as one generic statement, those
    scanned the end-to-end index whole.

    `recorded_once` (whole requests, a large result file's credits, where
    the lifecycle has a `moves_log`): on PostgreSQL each step is recorded
    once in the moves log, and each moved record names it in the same write
    that moves it; no transition rows. Without a moves log, as `bulk`.
    """
    steps = list(pairwise(path))
    for from_status, to_status in steps:
        if not lifecycle.states.allows(from_status, to_status):
            raise Conflict({"status": [f"cannot go from {from_status} to {to_status}"]})
    record = lifecycle.record
    moving = (update(record).where(where, record.status == path[0])
              .values(status=path[-1], updated_at=now, **(values or {})))
    if recorded_once and note is None and records_moves_once(lifecycle):
        ids = move_ids(lifecycle, len(steps))
        named = func.array_cat(func.coalesce(record.moves, literal([], ARRAY(Integer))),
                               literal(ids, ARRAY(Integer)))
        return record_once(lifecycle, moving.values(moves=named), ids, steps, actor, now, reason)
    if (bulk or recorded_once) and db.on_postgresql() and lifecycle.synchronize_session is False:
        return _move_and_record(lifecycle, moving, steps, actor, now, reason, note)
    count = db.execute_counted(
        moving.execution_options(synchronize_session=lifecycle.synchronize_session))
    if count:
        for from_status, to_status in steps:
            _record(lifecycle, where if moved is None else moved, from_status, to_status,
                    actor, now, reason, note, now_in=path[-1])
    return count


def _move_and_record(lifecycle: Lifecycle, moving, steps: list[tuple[str, str]], actor: str,
                     now: datetime, reason: str | None, note: str | None) -> int:
    """The move and its transitions in one statement (PostgreSQL): one
    transition per moved row and step, a row's steps in order of their ids
    (its history is read in that order)."""
    record, log = lifecycle.record, lifecycle.log
    moved = moving.returning(record.id.label("id")).cte("moved")
    step = _steps(lifecycle, "position", range(len(steps)), steps)
    columns = {
        lifecycle.key: moved.c.id,
        "from_status": step.c.from_status,
        "to_status": step.c.to_status,
        "at": literal(now, UTCDateTime()),
        "actor": literal(actor, log.actor.type),
        "reason": literal(reason, log.reason.type),
    }
    if note is not None:
        columns["note"] = literal(note, log.note.type)
    rows = select(*columns.values()).select_from(moved).join(step, true())
    if len(steps) > 1:
        rows = rows.order_by(step.c.position, moved.c.id)
    recorded = db.execute_counted(insert(log).from_select(list(columns), rows).add_cte(moved))
    return recorded // len(steps)


def _steps(lifecycle: Lifecycle, key: str, keys: Sequence[int],
           steps: Sequence[tuple[str | None, str]]):
    """The steps of a move as a VALUES table (`key`, from_status, to_status)."""
    status_type = lifecycle.record.status.type
    return values_table(column(key, Integer), column("from_status", status_type),
                        column("to_status", status_type), name="step").data(
        [(each, from_status, to_status)
         for each, (from_status, to_status) in zip(keys, steps, strict=True)])


def records_moves_once(lifecycle: Lifecycle) -> bool:
    """Whether moves of many records are recorded once here (`move_through`)."""
    return (lifecycle.moves_log is not None and db.on_postgresql()
            and lifecycle.synchronize_session is False)


def move_ids(lifecycle: Lifecycle, count: int) -> list[int]:
    """`count` ids for moves about to be recorded once, in order, from the
    sequence of the log's ids (the name PostgreSQL gives a serial's)."""
    sequence = f"{lifecycle.log.__tablename__}_id_seq"
    return sorted(db.session.scalars(text(f"SELECT nextval('{sequence}')"
                                          " FROM generate_series(1, :count)"),
                                     {"count": count}))


def record_once(lifecycle: Lifecycle, writing: Insert | Update, ids: list[int],
                steps: Sequence[tuple[str | None, str]], actor: str, now: datetime,
                reason: str | None) -> int:
    """Run `writing` (an INSERT or UPDATE that sets each record's `moves` to
    name `ids`) and record the steps under those ids, with the groups of the
    records written (`moves_keep`), in one statement; returns how many
    records it wrote. Nothing is recorded when it wrote none."""
    record, log = lifecycle.record, lifecycle.moves_log
    assert lifecycle.moves_keep is not None, "a moves log keeps the groups it moved"
    grouped_by, kept_in = lifecycle.moves_keep
    written = writing.returning(getattr(record, grouped_by).label("group_id")).cte("written")
    step = _steps(lifecycle, "id", ids, steps)
    groups = (select(func.array_agg(distinct(written.c.group_id)))
              .where(written.c.group_id.isnot(None)).scalar_subquery())
    recorded = insert(log).from_select(
        ["id", "from_status", "to_status", "at", "actor", "reason", kept_in],
        select(step.c.id, step.c.from_status, step.c.to_status, literal(now, UTCDateTime()),
               literal(actor, log.actor.type), literal(reason, log.reason.type), groups)
        .where(exists().select_from(written))).cte("recorded")
    return db.session.scalar(select(func.count()).select_from(written).add_cte(recorded)) or 0


def record_created(lifecycle: Lifecycle, where: ColumnElement[bool], actor: str, now: datetime,
                   reason: str | None = None) -> None:
    """Record the first transition of records just created (at `now`) in their initial status."""
    _record(lifecycle, where, None, lifecycle.states.initial, actor, now, reason, None)


def _record(lifecycle: Lifecycle, where: ColumnElement[bool], from_status: str | None,
            to_status: str, actor: str, now: datetime, reason: str | None,
            note: str | None, now_in: str | None = None) -> None:
    """One transition for each record matching `where` that is in `now_in` (by
    default `to_status`) since `now`."""
    record, log = lifecycle.record, lifecycle.log
    status_type = record.status.type
    columns = {
        lifecycle.key: record.id,
        "from_status": literal(from_status, status_type),
        "to_status": literal(to_status, status_type),
        "at": literal(now, UTCDateTime()),
        "actor": literal(actor, log.actor.type),
        "reason": literal(reason, log.reason.type),
    }
    if note is not None:
        columns["note"] = literal(note, log.note.type)
    db.session.execute(insert(log).from_select(
        list(columns),
        select(*columns.values())
        .where(where, record.status == (now_in or to_status), record.updated_at == now)))
