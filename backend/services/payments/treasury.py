"""Treasury control of a payment request: totals, duplicates, eligibility."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select, update

from backend import db, integrations
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.models import CASH_DESTINATION, Payment, PaymentRequest
from backend.models.statuses import PaymentRequestStatus, PaymentStatus
from backend.services.audit import trail
from backend.services.payments import (
    budgets,
    cash_terms,
    duplicates,
    notices,
    payment_requests,
    province_parts,
    request_scope,
    states,
)

REJECTION_REASONS = ("TOTALS_MISMATCH", "CHECKSUM_MISMATCH", "DUPLICATE_CLAIMS",
                     "INELIGIBLE_BENEFICIARIES", "BUDGET_NOT_AVAILABLE", "OTHER")


def get(request_id: int) -> PaymentRequest:
    request = db.session.get(PaymentRequest, request_id)
    if request is None:
        raise NotFound()
    return request


def requests_in(period: str, status: PaymentRequestStatus) -> list[int]:
    """The requests of a period in this status (SUBMITTED: waiting for control;
    APPROVED: waiting for dispatch)."""
    return list(db.session.scalars(
        select(PaymentRequest.id).where(PaymentRequest.period == period,
                                        PaymentRequest.status == status)
        .order_by(PaymentRequest.id)))


def findings(request: PaymentRequest) -> dict:
    """What control finds: recomputed totals, held duplicates, deceased, destinations."""
    return findings_of([request])[request.id]


def findings_of(requests: list[PaymentRequest]) -> dict[int, dict]:
    """The findings of many requests, by request id, in one grouped query per finding.

    A period is hundreds of requests (one per programme and province); the
    cost is their rows, not a round trip per request and finding.
    """
    ids = [request.id for request in requests]
    of_requests = request_scope.of_requests(ids)
    counted, sums = payment_requests.totals(ids), payment_requests.checksums(ids)
    deceased = integrations.current().population_register.deceased_among(
        select(Payment.personal_id).where(of_requests))
    dead = {request_id: count for request_id, count in db.session.execute(
        select(Payment.request_id, func.count()).where(of_requests,
                                                       Payment.personal_id.in_(deceased))
        .group_by(Payment.request_id))}
    # Held payments never join a request: they are found by its group.
    held: dict[int, dict] = {request_id: {} for request_id in ids}
    for request_id, reason, count, amount in db.session.execute(
            select(PaymentRequest.id, Payment.hold_reason, func.count(),
                   func.coalesce(func.sum(Payment.amount_vnd), 0))
            .join(Payment, and_(Payment.programme == PaymentRequest.programme,
                                Payment.period == PaymentRequest.period,
                                Payment.province_code == PaymentRequest.province_code))
            .where(PaymentRequest.id.in_(ids), Payment.hold_reason.isnot(None))
            .group_by(PaymentRequest.id, Payment.hold_reason)):
        held[request_id][reason] = {"count": count, "amount_vnd": int(amount)}
    destinations: dict[int, dict] = {request_id: {} for request_id in ids}
    for of_request, kind, count in db.session.execute(
            select(Payment.request_id, Payment.destination_kind, func.count())
            .where(of_requests).group_by(Payment.request_id, Payment.destination_kind)):
        assert of_request is not None  # selected by request id
        destinations[of_request][kind] = count
    duplicates_of = duplicates.side_by_side(ids)
    budget_of = budgets.findings_of(requests, counted)
    found = {}
    for request in requests:
        count, total = counted[request.id]
        found[request.id] = {
            "count": count, "total_vnd": total,
            "totals_match": (count, total) == (request.count, request.total_vnd),
            "checksum_match": sums[request.id] == request.checksum,
            "deceased": dead.get(request.id, 0), "held": held[request.id],
            "held_duplicates": duplicates_of[request.id],
            "destinations": destinations[request.id],
            # Only payments into accounts go into a bank file; cash is ready at approval.
            "needs_bank_file": any(kind != CASH_DESTINATION for kind in destinations[request.id]),
            "budget": budget_of[request.id],
        }
    return found


def _already_decided(request: PaymentRequest) -> Conflict:
    db.session.refresh(request)
    return Conflict({"reason": ["ALREADY_DECIDED"],
                     "status": [f"the request is already {request.status}"]})


_WHY_UNSOUND = {
    "TOTALS_MISMATCH": {"request": ["the totals or checksum no longer match; reject it"]},
    "BUDGET_NOT_AVAILABLE": {"budget": ["the programme's budget does not cover the request; "
                                        "reject it, or raise the budget"]}}


def approve(actor: str, request_id: int, now: datetime) -> PaymentRequest:
    request = get(request_id)
    if request.status != PaymentRequestStatus.SUBMITTED:
        raise _already_decided(request)
    budgets.hold([request])
    found = findings(request)
    reason = unsound(found)
    if reason:
        raise Conflict({"reason": [reason], **_WHY_UNSOUND[reason]})
    if not _approve({request.id: found}, actor, now):
        raise _already_decided(request)
    db.session.commit()
    db.session.refresh(request)
    return request


def approve_sound(actor: str, request_ids: list[int], now: datetime) -> dict:
    """Approve, together, every one of these requests that is still SUBMITTED, whose
    totals and checksum control confirms and whose programme's budget covers it;
    says which were approved, which were left for a person to decide, and why
    each was left (TOTALS_MISMATCH, BUDGET_NOT_AVAILABLE or ALREADY_DECIDED).

    Control decides for all of them at once, holding their programmes' budgets;
    the approved requests' payments then move in province parts side by side
    (`province_parts`), each part in a transaction of its own.
    """
    requests = list(db.session.scalars(
        select(PaymentRequest).where(PaymentRequest.id.in_(request_ids),
                                     PaymentRequest.status == PaymentRequestStatus.SUBMITTED)
        .order_by(PaymentRequest.id)))
    budgets.hold(requests)
    found = findings_of(requests) if requests else {}
    why = {request_id: unsound(each) for request_id, each in found.items()}
    sound = {request_id: found[request_id] for request_id, reason in why.items() if not reason}
    parts = province_parts.requests_by_part(list(sound))
    approved = sorted(request_id for part in province_parts.run(
        parts, lambda ids: _approve_committed({i: sound[i] for i in ids}, actor, now))
        for request_id in part)
    db.session.commit()  # lets go of the budgets
    left = sorted(set(request_ids) - set(approved))
    return {"approved": approved, "left": left,
            "why_left": {request_id: why.get(request_id) or "ALREADY_DECIDED"
                         for request_id in left}}


def unsound(found: dict) -> str | None:
    """Why control keeps a request from approval, as `approve` refuses it; None if sound."""
    if not (found["totals_match"] and found["checksum_match"]):
        return "TOTALS_MISMATCH"
    if not found["budget"]["covered"]:
        return "BUDGET_NOT_AVAILABLE"
    return None


def _approve_committed(found: dict[int, dict], actor: str, now: datetime) -> list[int]:
    approved = _approve(found, actor, now)
    db.session.commit()
    return approved


def _approve(found: dict[int, dict], actor: str, now: datetime) -> list[int]:
    """Approve the requests still SUBMITTED among `found` and act on their payments,
    in the same statements for one request as for hundreds. Returns those moved."""
    ids = list(found)
    states.move_requests(PaymentRequest.id.in_(ids), PaymentRequestStatus.SUBMITTED,
                         PaymentRequestStatus.APPROVED, actor, now,
                         decided_by=actor, decided_at=now)
    # Those another controller decided in between did not move.
    moved = list(db.session.scalars(select(PaymentRequest.id).where(
        PaymentRequest.id.in_(ids), PaymentRequest.status == PaymentRequestStatus.APPROVED,
        PaymentRequest.decided_by == actor, PaymentRequest.decided_at == now)))
    if not moved:
        return []
    db.session.execute(update(PaymentRequest),
                       [{"id": request_id, "findings": found[request_id]} for request_id in moved])
    of_requests = request_scope.of_requests(moved)
    deceased = integrations.current().population_register.deceased_among(
        select(Payment.personal_id).where(of_requests))
    states.move(and_(of_requests, Payment.personal_id.in_(deceased)), PaymentStatus.REQUESTED,
                PaymentStatus.REJECTED, actor, now, reason="DECEASED", hold_reason="DECEASED")
    # Cash is approved and ready for collection in one write of each payment
    # (both steps recorded); payments into accounts wait, approved, for dispatch.
    cash = and_(of_requests, Payment.destination_kind == CASH_DESTINATION)
    deadline = cash_terms.deadline_from(now)
    states.move_through(cash, (PaymentStatus.REQUESTED, PaymentStatus.APPROVED,
                               PaymentStatus.CASH_READY), actor, now, recorded_once=True,
                        cash_deadline=deadline)
    # The hourly expiry of uncollected cash looks at these requests only.
    with_cash = [request_id for request_id in moved
                 if found[request_id]["destinations"].get(CASH_DESTINATION)]
    if with_cash:
        db.session.execute(update(PaymentRequest), [
            {"id": request_id, "cash_deadline": deadline} for request_id in with_cash])
    states.move(of_requests, PaymentStatus.REQUESTED, PaymentStatus.APPROVED, actor, now,
                recorded_once=True)
    notices.for_payments(and_(cash, Payment.status == PaymentStatus.CASH_READY),
                         "PAYMENT_CASH_READY", now)
    trail.record_many(actor, "treasury.approved", now, (
        {"target": f"payment_request:{request_id}",
         "details": {key: found[request_id][key] for key in ("count", "total_vnd", "deceased")}}
        for request_id in moved))
    return moved


def _reasons_known(reasons: list[str]) -> None:
    unknown = [reason for reason in reasons if reason not in REJECTION_REASONS]
    if not reasons or unknown:
        raise ValidationFailed({"reasons": [f"one or more of {', '.join(REJECTION_REASONS)}"]})


def reject(actor: str, request_id: int, reasons: list[str], note: str,
           now: datetime) -> PaymentRequest:
    _reasons_known(reasons)
    request = get(request_id)
    if not _reject([request], actor, reasons, note, now):
        raise _already_decided(request)
    db.session.commit()
    db.session.refresh(request)
    return request


def reject_all(actor: str, request_ids: list[int], reasons: list[str], note: str,
               now: datetime) -> list[int]:
    """Reject, together, every one of these requests still SUBMITTED, with the same
    reasons and note; returns those rejected."""
    _reasons_known(reasons)
    requests = list(db.session.scalars(
        select(PaymentRequest).where(PaymentRequest.id.in_(request_ids),
                                     PaymentRequest.status == PaymentRequestStatus.SUBMITTED)
        .order_by(PaymentRequest.id)))
    rejected = _reject(requests, actor, reasons, note, now) if requests else []
    db.session.commit()
    return rejected


def _reject(requests: list[PaymentRequest], actor: str, reasons: list[str], note: str,
            now: datetime) -> list[int]:
    """Reject the requests still SUBMITTED among `requests` and their payments, each
    audited; the same statements for one request as for a batch. Returns those moved."""
    found = findings_of(requests)
    ids = list(found)
    states.move_requests(PaymentRequest.id.in_(ids), PaymentRequestStatus.SUBMITTED,
                         PaymentRequestStatus.REJECTED, actor, now, reason=reasons[0],
                         decided_by=actor, decided_at=now, decision_reasons=reasons)
    # Those another controller decided in between did not move.
    moved = list(db.session.scalars(select(PaymentRequest.id).where(
        PaymentRequest.id.in_(ids), PaymentRequest.status == PaymentRequestStatus.REJECTED,
        PaymentRequest.decided_by == actor, PaymentRequest.decided_at == now)))
    if not moved:
        return []
    db.session.execute(update(PaymentRequest),
                       [{"id": request_id, "findings": found[request_id]} for request_id in moved])
    of_requests = request_scope.of_requests(moved)
    states.move(of_requests, PaymentStatus.REQUESTED, PaymentStatus.REJECTED, actor, now,
                reason=reasons[0], recorded_once=True)
    notices.for_payments(and_(of_requests, Payment.status == PaymentStatus.REJECTED,
                              Payment.updated_at == now), "PAYMENT_REJECTED", now)
    trail.record_many(actor, "treasury.rejected", now, (
        {"target": f"payment_request:{request_id}", "details": {"reasons": reasons, "note": note}}
        for request_id in moved))
    return moved
