"""Treasury control of a payment request: totals, duplicates, eligibility."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select

from backend import db, integrations
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.models import Payment, PaymentRequest
from backend.models.statuses import PaymentRequestStatus, PaymentStatus
from backend.services.audit import trail
from backend.services.payments import notices, payment_requests, states

REJECTION_REASONS = ("TOTALS_MISMATCH", "CHECKSUM_MISMATCH", "DUPLICATE_CLAIMS",
                     "INELIGIBLE_BENEFICIARIES", "BUDGET_NOT_AVAILABLE", "OTHER")


def get(request_id: int) -> PaymentRequest:
    request = db.session.get(PaymentRequest, request_id)
    if request is None:
        raise NotFound()
    return request


def findings(request: PaymentRequest) -> dict:
    """What control finds: recomputed totals, held duplicates, deceased, destinations."""
    count, total = payment_requests.totals([request.id])[request.id]
    of_request = Payment.request_id == request.id
    deceased = integrations.current().population_register.deceased_among(
        select(Payment.personal_id).where(of_request))
    held = db.session.execute(
        select(Payment.hold_reason, func.count(), func.coalesce(func.sum(Payment.amount_vnd), 0))
        .where(Payment.programme == request.programme, Payment.period == request.period,
               Payment.province_code == request.province_code, Payment.hold_reason.isnot(None))
        .group_by(Payment.hold_reason)).all()
    destinations = dict(db.session.execute(
        select(Payment.destination_kind, func.count()).where(of_request)
        .group_by(Payment.destination_kind)).all())
    return {
        "count": count, "total_vnd": total,
        "totals_match": (count, total) == (request.count, request.total_vnd),
        "checksum_match": (payment_requests.checksums([request.id])[request.id]
                           == request.checksum),
        "deceased": db.session.scalar(select(func.count()).select_from(Payment).where(
            of_request, Payment.personal_id.in_(deceased))),
        "held": {reason: {"count": n, "amount_vnd": int(amount)} for reason, n, amount in held},
        "destinations": destinations,
    }


def _already_decided(request: PaymentRequest) -> Conflict:
    db.session.refresh(request)
    return Conflict({"reason": ["ALREADY_DECIDED"],
                     "status": [f"the request is already {request.status}"]})


def approve(actor: str, request_id: int, now: datetime) -> PaymentRequest:
    request = get(request_id)
    if request.status != PaymentRequestStatus.SUBMITTED:
        raise _already_decided(request)
    found = findings(request)
    if not (found["totals_match"] and found["checksum_match"]):
        raise Conflict({"reason": ["TOTALS_MISMATCH"],
                        "request": ["the totals or checksum no longer match; reject it"]})
    if not states.move_request(request, PaymentRequestStatus.SUBMITTED,
                               PaymentRequestStatus.APPROVED, actor, now,
                               decided_by=actor, decided_at=now, findings=found):
        raise _already_decided(request)
    of_request = Payment.request_id == request_id
    deceased = integrations.current().population_register.deceased_among(
        select(Payment.personal_id).where(of_request))
    states.move(and_(of_request, Payment.personal_id.in_(deceased)), PaymentStatus.REQUESTED,
                PaymentStatus.REJECTED, actor, now, reason="DECEASED", hold_reason="DECEASED")
    states.move(of_request, PaymentStatus.REQUESTED, PaymentStatus.APPROVED, actor, now)
    cash = and_(of_request, Payment.destination_kind == "cash")
    states.move(cash, PaymentStatus.APPROVED, PaymentStatus.CASH_READY, actor, now)
    notices.for_payments(and_(cash, Payment.status == PaymentStatus.CASH_READY),
                                     "PAYMENT_CASH_READY", now)
    trail.record(actor, "treasury.approved", now, target=f"payment_request:{request_id}",
                 details={"count": found["count"], "total_vnd": found["total_vnd"],
                          "deceased": found["deceased"]})
    db.session.commit()
    db.session.refresh(request)
    return request


def reject(actor: str, request_id: int, reasons: list[str], note: str,
           now: datetime) -> PaymentRequest:
    unknown = [reason for reason in reasons if reason not in REJECTION_REASONS]
    if not reasons or unknown:
        raise ValidationFailed({"reasons": [f"one or more of {', '.join(REJECTION_REASONS)}"]})
    request = get(request_id)
    if not states.move_request(request, PaymentRequestStatus.SUBMITTED,
                               PaymentRequestStatus.REJECTED, actor, now, reason=reasons[0],
                               decided_by=actor, decided_at=now, decision_reasons=reasons,
                               findings=findings(request)):
        raise _already_decided(request)
    states.move(Payment.request_id == request_id, PaymentStatus.REQUESTED,
                PaymentStatus.REJECTED, actor, now, reason=reasons[0])
    trail.record(actor, "treasury.rejected", now, target=f"payment_request:{request_id}",
                 details={"reasons": reasons, "note": note})
    db.session.commit()
    db.session.refresh(request)
    return request
