"""Moves of payments, payment requests and dispatch batches.

Payments move in bulk (a request, a bank file): one UPDATE over the rows still
in the from-status, plus one INSERT ... SELECT recording the transition of
each row moved, so what was retried or delivered twice finds nothing left to
move, and a payment is paid at most once. On PostgreSQL a move of whole
requests, a whole payroll or a large result file's credits is recorded once
instead (`PaymentMove`), named by each payment it moved; `history.timeline`
reads a payment's steps from both. Requests and batches move one at a time
through the same compare-and-set. The allowed moves are the tables in
`backend.models.statuses`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.sql.dml import Insert

from backend import db
from backend.models import (
    DispatchBatch,
    DispatchBatchTransition,
    Payment,
    PaymentMove,
    PaymentRequest,
    PaymentRequestTransition,
    PaymentTransition,
)
from backend.models.statuses import (
    DISPATCH_BATCH_STATES,
    PAYMENT_REQUEST_STATES,
    PAYMENT_STATES,
    DispatchBatchStatus,
    PaymentRequestStatus,
    PaymentStatus,
)
from backend.services.shared import transitions

PAYMENTS = transitions.Lifecycle(PAYMENT_STATES, Payment, PaymentTransition, "payment_id",
                                 moves_log=PaymentMove, moves_keep=("request_id", "request_ids"))
PAYMENT_REQUESTS = transitions.Lifecycle(PAYMENT_REQUEST_STATES, PaymentRequest,
                                         PaymentRequestTransition, "request_id",
                                         synchronize_session="auto")
DISPATCH_BATCHES = transitions.Lifecycle(DISPATCH_BATCH_STATES, DispatchBatch,
                                         DispatchBatchTransition, "batch_id",
                                         synchronize_session="auto")


def move(where: ColumnElement[bool], from_status: PaymentStatus, to_status: PaymentStatus,
         actor: str, now: datetime, reason: str | None = None,
         moved: ColumnElement[bool] | None = None, bulk: bool = False,
         recorded_once: bool = False, **values: Any) -> int:
    """Move every payment matching `where` and in `from_status`; returns how many.

    `where` must not mention the status: it selects the moved rows again,
    after the move, to record their transitions (or `moved` does: see
    `transitions.move`). `recorded_once` for the moves of whole requests and
    a large result file's credits, recorded once (`transitions.move_through`);
    `bulk` for a large result file's failures, which reissues look up by
    their transitions.
    """
    return transitions.move(PAYMENTS, where, from_status, to_status, actor, now,
                            reason=reason, values=values, moved=moved, bulk=bulk,
                            recorded_once=recorded_once)


def move_through(where: ColumnElement[bool], path: tuple[PaymentStatus, ...], actor: str,
                 now: datetime, reason: str | None = None, recorded_once: bool = False,
                 **values: Any) -> int:
    """Move every payment matching `where` and in `path[0]` along each step of
    `path` in one write, recording each step; returns how many."""
    return transitions.move_through(PAYMENTS, where, path, actor, now, reason=reason,
                                    values=values, recorded_once=recorded_once)


def planning_move_id() -> int | None:
    """The id under which `plan` records a payroll's planning once, each new
    payment naming it in its `moves`; None where it is recorded per payment."""
    return transitions.move_ids(PAYMENTS, 1)[0] \
        if transitions.records_moves_once(PAYMENTS) else None


def plan(inserting: Insert, move_id: int | None, planned: ColumnElement[bool], actor: str,
         now: datetime) -> None:
    """Run `inserting` (a payroll's new payments, `planned` once in) and record
    their first step: once under `move_id`, or per payment without one."""
    if move_id is None:
        db.session.execute(inserting)
        record_planned(planned, actor, now)
    else:
        transitions.record_once(PAYMENTS, inserting, [move_id],
                                [(None, PAYMENT_STATES.initial)], actor, now, None)


def record_planned(where: ColumnElement[bool], actor: str, now: datetime,
                   reason: str | None = None) -> None:
    """Record the first transition of the payments just planned (created at `now`)."""
    transitions.record_created(PAYMENTS, where, actor, now, reason=reason)


def move_request(request: PaymentRequest, from_status: PaymentRequestStatus,
                 to_status: PaymentRequestStatus, actor: str, now: datetime,
                 reason: str | None = None, **values: Any) -> bool:
    """Move one payment request if it is still in `from_status`; says whether it moved."""
    return move_requests(PaymentRequest.id == request.id, from_status, to_status, actor, now,
                         reason=reason, **values) == 1


def move_requests(where: ColumnElement[bool], from_status: PaymentRequestStatus,
                  to_status: PaymentRequestStatus, actor: str, now: datetime,
                  reason: str | None = None, **values: Any) -> int:
    """Move every payment request matching `where` and still in `from_status`."""
    return transitions.move(PAYMENT_REQUESTS, where, from_status, to_status, actor, now,
                            reason=reason, values=values)


def record_requested(where: ColumnElement[bool], actor: str, now: datetime) -> None:
    """Record the first transition of the payment requests just made (created at `now`)."""
    transitions.record_created(PAYMENT_REQUESTS, where, actor, now)


def move_batch(batch: DispatchBatch, from_status: DispatchBatchStatus,
               to_status: DispatchBatchStatus, actor: str, now: datetime,
               **values: Any) -> bool:
    """Move one dispatch batch if it is still in `from_status`; says whether it moved."""
    return transitions.move(DISPATCH_BATCHES, DispatchBatch.id == batch.id, from_status,
                            to_status, actor, now, values=values) == 1


def record_built(where: ColumnElement[bool], actor: str, now: datetime) -> None:
    """Record the first transition of the dispatch batches just built (at `now`)."""
    transitions.record_created(DISPATCH_BATCHES, where, actor, now)
