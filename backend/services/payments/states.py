"""The states of a payment, as data, and the set-based moves between them.

Payments move in bulk (a request, a bank file), so a move is one UPDATE over
the rows still in an allowed state, plus one INSERT ... SELECT recording the
transition of each row moved: what was retried or delivered twice finds
nothing left to move, and so a payment is paid at most once.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, literal, select, update

from backend import db
from backend.db import UTCDateTime
from backend.models import Payment, PaymentTransition

TRANSITIONS: dict[str, frozenset[str]] = {
    "PLANNED": frozenset({"REQUESTED"}),
    "REQUESTED": frozenset({"APPROVED", "REJECTED"}),
    "APPROVED": frozenset({"SENT", "CASH_READY"}),
    "SENT": frozenset({"PAID", "FAILED"}),
    "FAILED": frozenset({"REISSUED"}),
    "CASH_READY": frozenset({"PAID"}),
}


def move(where, from_status: str, to_status: str, actor: str, now: datetime,
         reason: str | None = None, **values) -> int:
    """Move every payment matching `where` and in `from_status`; returns how many.

    `where` must not mention the status: it selects the moved rows again,
    after the move, to record their transitions.
    """
    if to_status not in TRANSITIONS.get(from_status, frozenset()):
        raise ValueError(f"a payment cannot go from {from_status} to {to_status}")
    stamp = literal(now, UTCDateTime())
    # Mark the rows being moved by their new updated_at and status in one
    # statement; the transition rows are then written for exactly those.
    moved = db.session.execute(
        update(Payment).where(where, Payment.status == from_status)
        .values(status=to_status, updated_at=now, **values)
        .execution_options(synchronize_session=False))
    if moved.rowcount:
        db.session.execute(insert(PaymentTransition).from_select(
            ["payment_id", "to_status", "at", "actor", "reason"],
            select(Payment.id, literal(to_status), stamp, literal(actor), literal(reason))
            .where(where, Payment.status == to_status, Payment.updated_at == now)))
    return moved.rowcount
