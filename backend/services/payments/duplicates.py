"""Claims made twice (the same person, programme and period in two provinces).

The payroll import holds both sides (DUPLICATE_CLAIM). Treasury control sees
them side by side; payroll staff release the genuine claim, which joins the
next request, and cancel the other, each with a reason, audited. Releasing
one claim while another side is not held or cancelled is refused, so at most
one side is ever paid.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select, tuple_, update
from sqlalchemy.orm import aliased

from backend import db
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.models import Payment, PaymentRequest
from backend.models.statuses import PaymentStatus
from backend.services.audit import trail
from backend.services.payments import states

HOLD = "DUPLICATE_CLAIM"
# Side-by-side groups shown per request; the counts in `held` say how many there are.
MAX_SHOWN = 100


def side_by_side(request_ids: list[int]) -> dict[int, list[dict]]:
    """For each request, its group's held duplicates, each claim with every side of it."""
    held = (select(PaymentRequest.id.label("request_id"), Payment.personal_id,
                   Payment.programme, Payment.period)
            .join(Payment, and_(Payment.programme == PaymentRequest.programme,
                                Payment.period == PaymentRequest.period,
                                Payment.province_code == PaymentRequest.province_code))
            .where(PaymentRequest.id.in_(request_ids), Payment.hold_reason == HOLD,
                   Payment.status == PaymentStatus.PLANNED)
            .order_by(PaymentRequest.id, Payment.personal_id).limit(MAX_SHOWN * len(request_ids))
            .subquery())
    side = aliased(Payment)
    rows = db.session.execute(
        select(held.c.request_id, side.id, side.personal_id, side.programme, side.period,
               side.province_code, side.amount_vnd, side.status, side.hold_reason)
        .join(side, and_(side.personal_id == held.c.personal_id,
                         side.programme == held.c.programme, side.period == held.c.period,
                         side.reissue_of.is_(None)))
        .order_by(held.c.request_id, side.personal_id, side.province_code, side.id))
    found: dict[int, dict[tuple, dict]] = {request_id: {} for request_id in request_ids}
    for request_id, payment_id, personal_id, programme, period, province, amount, status, \
            hold in rows:
        claim = found[request_id].setdefault((personal_id, programme, period), {
            "personal_id": personal_id, "programme": programme, "period": period, "sides": []})
        claim["sides"].append({"payment_id": payment_id, "province_code": province,
                               "amount_vnd": amount, "status": status, "hold_reason": hold})
    return {request_id: list(claims.values())[:MAX_SHOWN]
            for request_id, claims in found.items()}


def _held(payment_id: int) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        raise NotFound()
    if payment.status != PaymentStatus.PLANNED or payment.hold_reason != HOLD:
        raise Conflict({"status": [f"not a held duplicate claim ({payment.status}, "
                                   f"{payment.hold_reason or 'not held'})"]})
    return payment


def _reason(reason: str | None) -> str:
    if reason is None or len(reason.strip()) < 3:
        raise ValidationFailed({"reason": ["at least 3 characters"]})
    return reason.strip()


def _other_sides(payment: Payment):
    return and_(tuple_(Payment.personal_id, Payment.programme, Payment.period)
                == tuple_(payment.personal_id, payment.programme, payment.period),
                Payment.id != payment.id, Payment.reissue_of.is_(None))


def release(actor: str, payment_id: int, reason: str | None, now: datetime) -> Payment:
    """The genuine claim: it joins the next request."""
    reason = _reason(reason)
    payment = _held(payment_id)
    # Two releases of two sides at once: the row locks make the second wait and
    # then see the first side released.
    db.session.execute(select(Payment.id).where(
        tuple_(Payment.personal_id, Payment.programme, Payment.period)
        == tuple_(payment.personal_id, payment.programme, payment.period)).with_for_update())
    live = db.session.scalar(select(Payment.id).where(
        _other_sides(payment), Payment.status != PaymentStatus.CANCELLED,
        Payment.hold_reason.is_distinct_from(HOLD)).limit(1))
    if live is not None:
        raise Conflict({"status": [f"payment {live} of the same claim is already released"]})
    released = db.execute_counted(
        update(Payment)
        .where(Payment.id == payment.id, Payment.status == PaymentStatus.PLANNED,
               Payment.hold_reason == HOLD)
        .values(hold_reason=None, updated_at=now)
        .execution_options(synchronize_session=False))
    if released != 1:
        raise Conflict({"status": ["the claim changed meanwhile; reload it"]})
    trail.record(actor, "duplicates.released", now, subject_personal_id=payment.personal_id,
                 target=f"payment:{payment.id}", details={"reason": reason})
    db.session.commit()
    db.session.refresh(payment)
    return payment


def cancel(actor: str, payment_id: int, reason: str | None, now: datetime) -> Payment:
    """Not the genuine claim: it is never paid."""
    reason = _reason(reason)
    payment = _held(payment_id)
    if states.move(and_(Payment.id == payment.id, Payment.hold_reason == HOLD),
                   PaymentStatus.PLANNED, PaymentStatus.CANCELLED, actor, now,
                   reason="DUPLICATE_CANCELLED") != 1:
        raise Conflict({"status": ["the claim changed meanwhile; reload it"]})
    trail.record(actor, "duplicates.cancelled", now, subject_personal_id=payment.personal_id,
                 target=f"payment:{payment.id}", details={"reason": reason})
    db.session.commit()
    db.session.refresh(payment)
    return payment
