"""Results of transfers: the bank gateway's signed callbacks, one at a time.

Result files (pain.002, camt.054) are taken in by `result_files` and go
through the same `apply_waiting`.
A callback is kept once per transaction id, so a duplicate changes nothing.
One that arrives before its payment is marked SENT waits, and is applied
when the payment gets there. A payment moves SENT -> PAID or FAILED once.
"""
from __future__ import annotations

from datetime import datetime
from typing import BinaryIO, NamedTuple

from flask import current_app
from sqlalchemy import and_, exists, select, update
from sqlalchemy.exc import IntegrityError

from backend import db
from backend.integrations import gateway_callback, signatures
from backend.models import BankCallback, Payment
from backend.models.statuses import BankResult, PaymentStatus
from backend.services.payments import conflicts, notices, reconciliation, states

GATEWAY = "bank_gateway"


def verify_file(body: BinaryIO, signature: str | None) -> None:
    """The gateway's signature of a result file of any size."""
    signatures.verify_stream(body, signature, current_app.config["BANK_GATEWAY_SECRET"])


def receive(raw_body: bytes, signature: str | None, now: datetime) -> str:
    """Verify, keep and apply one callback: 'applied', 'waiting' or 'duplicate'."""
    signatures.verify(raw_body, signature, current_app.config["BANK_GATEWAY_SECRET"])
    payload = gateway_callback.parse(raw_body)
    db.session.add(BankCallback(
        transaction_id=payload["transaction_id"], end_to_end_id=payload["end_to_end_id"],
        status=payload["status"], reason_code=payload["reason_code"],
        amount_vnd=payload["amount_vnd"], received_at=now, payload=payload))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    applied = apply_waiting(Payment.end_to_end_id == payload["end_to_end_id"], now)
    # One result does not recompute a request of a million payments; its
    # stored reconciliation is recomputed when next read.
    reconciliation.mark_stale(Payment.end_to_end_id == payload["end_to_end_id"])
    db.session.commit()
    return "applied" if applied.paid or applied.failed else "waiting"


class Applied(NamedTuple):
    paid: int
    failed: int


def apply_waiting(payments_where, now: datetime, mark_applied: bool = True,
                  bulk: bool = False) -> Applied:
    """Apply kept results (callbacks and result files' lines alike) to the
    matching payments that are SENT, set-based.

    A settled result with the payment's amount pays; a rejection fails it
    with its reason code, unless a settlement is kept too (the bank's credit
    wins over a late or conflicting rejection, and reconciliation lists the
    conflict); an accepted-only result (pain.002 ACSC) leaves it SENT.
    Kept results of payments no longer waiting are marked applied; a result
    file's lines are kept already marked (`mark_applied=False`): rewriting a
    million kept results to mark them took longer than applying them. `bulk`
    for a large file's moves: its credits recorded once, its failures in one
    statement (`states.move`).
    """
    settled = exists().where(BankCallback.end_to_end_id == Payment.end_to_end_id,
                             BankCallback.status == BankResult.SETTLED,
                             BankCallback.amount_vnd == Payment.amount_vnd)
    refused = exists().where(BankCallback.end_to_end_id == Payment.end_to_end_id,
                             BankCallback.status == BankResult.REJECTED)
    reason = select(BankCallback.reason_code).where(
        BankCallback.end_to_end_id == Payment.end_to_end_id,
        BankCallback.status == BankResult.REJECTED).limit(1).scalar_subquery()
    paid = states.move(and_(payments_where, settled), PaymentStatus.SENT, PaymentStatus.PAID,
                       GATEWAY, now, recorded_once=bulk)
    if paid:
        notices.for_payments(and_(payments_where, Payment.status == PaymentStatus.PAID,
                                  Payment.updated_at == now), "PAYMENT_PAID", now)
    failed = states.move(and_(payments_where, refused, ~settled), PaymentStatus.SENT,
                         PaymentStatus.FAILED, GATEWAY, now, bulk=bulk, failure_reason=reason)
    if failed:
        notices.for_payments(and_(payments_where, Payment.status == PaymentStatus.FAILED,
                                  Payment.updated_at == now), "PAYMENT_FAILED", now)
    # Whichever result came second, a contradiction is a case for staff.
    conflicts.open_cases(payments_where, now)
    if mark_applied:
        done = select(Payment.end_to_end_id).where(
            payments_where, Payment.status.notin_((PaymentStatus.APPROVED, PaymentStatus.SENT)))
        db.session.execute(update(BankCallback)
                           .where(BankCallback.applied_at.is_(None),
                                  BankCallback.end_to_end_id.in_(done))
                           .values(applied_at=now).execution_options(synchronize_session=False))
    return Applied(paid, failed)
