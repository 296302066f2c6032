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
from threading import Lock

from sqlalchemy import and_, exists, func, select, update

from backend import db, integrations
from backend.errors import Conflict, NotFound
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
from backend.services.payments import (
    bank_files,
    notices,
    province_parts,
    request_scope,
    results,
    states,
)
from backend.services.shared import secret_box

ACTOR = "dispatch"
# An advisory lock's kind (with the batch's id): this file is being sent.
SENDING_A_FILE = 20_261_209


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
    sent so far. The banks answer with result files (`result_pickup`)."""
    return dispatch_many([request_id], now, actor, progress)[0]


def dispatch_many(request_ids: list[int], now: datetime, actor: str = ACTOR,
                  progress: Callable[[int], None] | None = None) -> list[DispatchReport]:
    """Dispatch these approved requests together (a period's hundreds): their
    payments are put in files and the requests moved with the same statements
    for one request as for all; each file is still built, validated and sent
    on its own. Refused whole, before anything is written, if one is not approved."""
    requests = list(db.session.scalars(select(PaymentRequest).where(
        PaymentRequest.id.in_(request_ids)).order_by(PaymentRequest.id)))
    if len(requests) != len(set(request_ids)):
        raise NotFound()
    for request in requests:
        if request.status not in PAYMENT_REQUEST_PAYABLE:
            raise Conflict({"reason": ["NOT_APPROVED"],
                            "status": [f"only an approved request is dispatched "
                                       f"({request.id}: {request.status})"]})
    ids = [request.id for request in requests]
    _assign_batches(ids, actor, now)
    files: dict[int, int] = {request_id: 0 for request_id in ids}
    unsent: dict[int, list[int]] = {request_id: [] for request_id in ids}
    for batch_id, request_id, status in db.session.execute(
            select(DispatchBatch.id, DispatchBatch.request_id, DispatchBatch.status)
            .where(DispatchBatch.request_id.in_(ids)).order_by(DispatchBatch.id)):
        files[request_id] += 1
        if status != DispatchBatchStatus.SENT:
            unsent[request_id].append(batch_id)
    sent = _send_in_parts(unsent, actor, now, progress)
    # A re-run finds the requests DISPATCHED already and leaves them so. A
    # request with a file another dispatch is still sending is left to that
    # one, which moves it once its file is sent, or leaves it for a re-run.
    all_sent = ~exists().where(DispatchBatch.request_id == PaymentRequest.id,
                               DispatchBatch.status != DispatchBatchStatus.SENT)
    states.move_requests(and_(PaymentRequest.id.in_(ids), all_sent),
                         PaymentRequestStatus.APPROVED, PaymentRequestStatus.DISPATCHED,
                         actor, now)
    trail.record_many(actor, "payments.dispatched", now, (
        {"target": f"payment_request:{request_id}",
         "details": {"files": files[request_id], "sent": sent[request_id]}}
        for request_id in ids))
    db.session.commit()
    return [DispatchReport(request_id, files[request_id], sent[request_id])
            for request_id in request_ids]


def _assign_batches(request_ids: list[int], actor: str, now: datetime) -> None:
    """Put each waiting payment in its request's file for its institution, once."""
    waiting = and_(request_scope.of_requests(request_ids),
                   Payment.status == PaymentStatus.APPROVED,
                   Payment.destination_kind != CASH_DESTINATION,
                   Payment.dispatch_batch_id.is_(None))
    pairs = db.session.execute(select(Payment.request_id, Payment.destination_institution)
                               .where(waiting).distinct()).all()
    if not pairs:
        return
    existing = set(db.session.scalars(select(DispatchBatch.msg_id).where(
        DispatchBatch.request_id.in_(request_ids))))
    built = []
    for request_id, institution in pairs:
        msg_id = f"SSA-R{request_id}-{institution}"
        if msg_id not in existing:
            built.append(DispatchBatch(request_id=request_id, institution=institution,
                                       msg_id=msg_id, status=DISPATCH_BATCH_STATES.initial,
                                       count=0, total_vnd=0, created_at=now, updated_at=now))
    db.session.add_all(built)
    db.session.flush()
    if built:
        states.record_built(DispatchBatch.id.in_([batch.id for batch in built]), actor, now)
    db.session.execute(update(Payment)
                       .where(waiting, DispatchBatch.request_id == Payment.request_id,
                              DispatchBatch.institution == Payment.destination_institution)
                       .values(dispatch_batch_id=DispatchBatch.id)
                       .execution_options(synchronize_session=False))
    of_requests = DispatchBatch.request_id.in_(request_ids)
    counted = {batch_id: (count, int(total)) for batch_id, count, total in db.session.execute(
        select(Payment.dispatch_batch_id, func.count(),
               func.coalesce(func.sum(Payment.amount_vnd), 0))
        .join(DispatchBatch, DispatchBatch.id == Payment.dispatch_batch_id)
        .where(of_requests, DispatchBatch.status != DispatchBatchStatus.SENT)
        .group_by(Payment.dispatch_batch_id))}
    for batch in db.session.scalars(select(DispatchBatch).where(
            of_requests, DispatchBatch.id.in_(counted))):
        batch.count, batch.total_vnd = counted[batch.id]
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


def _send_in_parts(unsent: dict[int, list[int]], actor: str, now: datetime,
                   progress: Callable[[int], None] | None) -> dict[int, int]:
    """Send each request's unsent files, the requests' province parts side by
    side (`province_parts`): each file is its own transaction already, and a
    period's files for forty banks need not wait for each other. Payments
    sent, by request."""
    sent = dict.fromkeys(unsent, 0)
    counting = Lock()  # the parts' threads add to `sent` and tell `progress`

    def send_part(request_ids: list[int]) -> None:
        for request_id in request_ids:
            for batch_id in unsent[request_id]:
                count = _send(batch_id, actor, now)
                with counting:
                    sent[request_id] += count
                    if progress:
                        progress(sum(sent.values()))

    parts = province_parts.requests_by_part(
        [request_id for request_id, batch_ids in unsent.items() if batch_ids])
    province_parts.run(parts, send_part)
    return sent


def _send(batch_id: int, actor: str, now: datetime) -> int:
    """Send one file, unless another dispatch of its request (a second click,
    a retried call, a period's dispatch) is sending it: the file's name is its
    MsgId, and two writers would truncate and remove each other's file."""
    with db.held_apart(SENDING_A_FILE, batch_id) as mine:
        if not mine:
            return 0
        # Read again once held: the other may have sent it since it was listed.
        batch = db.session.get_one(DispatchBatch, batch_id, populate_existing=True)
        if batch.status == DispatchBatchStatus.SENT:
            return 0
        return _send_held(batch, actor, now)


def _send_held(batch: DispatchBatch, actor: str, now: datetime) -> int:
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
