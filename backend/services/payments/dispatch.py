"""Dispatch of an approved request: one pain.001 file per institution.

Safe to run again after a crash at any point: payments are assigned to a
file (batch) once, a file keeps its MsgId, the gateway executes a MsgId once,
and a payment moves APPROVED -> SENT once. So a re-run pays nobody twice and
finishes what the crashed run left undone.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select, update

from backend import db, integrations
from backend.errors import Conflict
from backend.integrations import pain001
from backend.models import (
    CASH_DESTINATION,
    DispatchBatch,
    Institution,
    Payment,
    PaymentRequest,
    PayoutLink,
)
from backend.models.statuses import (
    DISPATCH_BATCH_STATES,
    PAYMENT_REQUEST_PAYABLE,
    DispatchBatchStatus,
    PaymentRequestStatus,
    PaymentStatus,
)
from backend.services.audit import trail
from backend.services.payments import bank_files, notices, results, states, treasury
from backend.services.shared import secret_box

ACTOR = "dispatch"


@dataclass(frozen=True)
class DispatchReport:
    request_id: int
    files: int
    sent: int

    def __str__(self) -> str:
        return f"request {self.request_id}: {self.files} bank files, {self.sent} payments sent"


def dispatch(request_id: int, now: datetime, actor: str = ACTOR,
             progress: Callable[[int], None] | None = None) -> DispatchReport:
    """Build, validate and send the request's files; `progress` hears the payments
    sent so far. The banks answer with result files (`result_files.pick_up`)."""
    request = treasury.get(request_id)
    if request.status not in PAYMENT_REQUEST_PAYABLE:
        raise Conflict({"reason": ["NOT_APPROVED"],
                        "status": [f"only an approved request is dispatched ({request.status})"]})
    _assign_batches(request, actor, now)
    sent = 0
    batches = db.session.scalars(select(DispatchBatch).where(
        DispatchBatch.request_id == request_id).order_by(DispatchBatch.id)).all()
    for batch in batches:
        if batch.status != DispatchBatchStatus.SENT:
            sent += _send(batch, actor, now)
            if progress:
                progress(sent)
    # A re-run finds the request DISPATCHED already and leaves it so.
    states.move_request(request, PaymentRequestStatus.APPROVED,
                        PaymentRequestStatus.DISPATCHED, actor, now)
    trail.record(actor, "payments.dispatched", now, target=f"payment_request:{request_id}",
                 details={"files": len(batches), "sent": sent})
    db.session.commit()
    return DispatchReport(request_id, len(batches), sent)


def _assign_batches(request: PaymentRequest, actor: str, now: datetime) -> None:
    waiting = and_(Payment.request_id == request.id, Payment.status == PaymentStatus.APPROVED,
                   Payment.destination_kind != CASH_DESTINATION,
                   Payment.dispatch_batch_id.is_(None))
    for institution in db.session.scalars(select(Payment.destination_institution)
                                          .where(waiting).distinct()).all():
        msg_id = f"SSA-R{request.id}-{institution}"
        batch = db.session.scalar(select(DispatchBatch).where(DispatchBatch.msg_id == msg_id))
        if batch is None:
            batch = DispatchBatch(request_id=request.id, institution=institution, msg_id=msg_id,
                                  status=DISPATCH_BATCH_STATES.initial, count=0, total_vnd=0,
                                  created_at=now, updated_at=now)
            db.session.add(batch)
            db.session.flush()
            states.record_built(batch, actor, now)
        db.session.execute(update(Payment)
                           .where(waiting, Payment.destination_institution == institution)
                           .values(dispatch_batch_id=batch.id)
                           .execution_options(synchronize_session=False))
        batch.count, batch.total_vnd = db.session.execute(
            select(func.count(), func.coalesce(func.sum(Payment.amount_vnd), 0))
            .where(Payment.dispatch_batch_id == batch.id)).one()
        db.session.commit()


def _transfers(batch: DispatchBatch, remittance_prefix: str):
    rows = db.session.execute(
        select(Payment.end_to_end_id, Payment.amount_vnd, Payment.programme, Payment.period,
               PayoutLink.holder_name, PayoutLink.account_number_encrypted,
               Institution.bin, Institution.code)
        .join(PayoutLink, PayoutLink.id == Payment.destination_link_id)
        .join(Institution, Institution.code == PayoutLink.institution)
        .where(Payment.dispatch_batch_id == batch.id).order_by(Payment.id)
        .execution_options(yield_per=5000))
    for e2e, amount, programme, period, holder, encrypted, bin_, code in rows:
        # Only bank and wallet payments are batched: each was given an end-to-end
        # id (payment_requests) and goes to a link holding an account number.
        assert e2e is not None and encrypted is not None
        yield pain001.Transfer(end_to_end_id=e2e, amount_vnd=amount,
                               creditor_name=(holder or "")[:140] or "N/A",
                               creditor_account=secret_box.decrypt(encrypted),
                               creditor_agent=bin_ or code,
                               remittance=f"{remittance_prefix} {programme} {period}")


def _send(batch: DispatchBatch, actor: str, now: datetime) -> int:
    path = bank_files.write(batch, _transfers(batch, "BHXH"), actor, now)
    db.session.commit()
    with bank_files.opened(path) as plaintext:
        integrations.current().bank_gateway.submit(batch.msg_id, batch.institution, plaintext)
    # Taken by the gateway: the file has done its work (a crash before this
    # line leaves it for the sweep; a re-run writes it again).
    bank_files.remove(path, "acknowledged", actor, now)
    in_batch = Payment.dispatch_batch_id == batch.id
    sent = states.move(in_batch, PaymentStatus.APPROVED, PaymentStatus.SENT, actor, now)
    notices.for_payments(and_(in_batch, Payment.status == PaymentStatus.SENT,
                              Payment.updated_at == now), "PAYMENT_SENT", now)
    states.move_batch(batch, DispatchBatchStatus.BUILT, DispatchBatchStatus.SENT, actor, now,
                      sent_at=now)
    # Results (files or callbacks) that raced ahead of this commit were kept;
    # apply them now.
    results.apply_waiting(in_batch, now)
    db.session.commit()
    return sent
