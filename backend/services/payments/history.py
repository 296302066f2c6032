"""A payment's history, read from both logs of its moves (its own transitions,
and the moves of many payments recorded once), and what a citizen sees of
their payments: one payment, its timeline, the programmes' names."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from backend import db
from backend.errors import NotFound
from backend.models import EidAccount, Payment, PaymentMove, PaymentTransition, Programme
from backend.models.statuses import PaymentStatus


def get_for_citizen(citizen: EidAccount, payment_id: int) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.personal_id != citizen.personal_id:
        raise NotFound()
    return payment


def timeline(payment: Payment) -> list[PaymentTransition | PaymentMove]:
    """Every step of the payment, first to last: its own transitions and the
    moves of whole requests, a whole payroll or a large result file's credits
    that moved it (recorded once, on PostgreSQL). Both logs take their ids
    from one sequence, so the ids order the steps even within one second."""
    moves = list(db.session.scalars(select(PaymentMove).where(
        PaymentMove.id.in_(payment.moves)))) if payment.moves else []
    return sorted([*payment.transitions, *moves], key=lambda step: step.id)


def requests_paid_between(start: datetime, end: datetime) -> set[int]:
    """The requests with a transfer paid (`SENT → PAID`) from `start` until
    `end`, found through both logs' partial indexes on that step's time."""
    one_by_one = select(Payment.request_id).join(
        PaymentTransition, PaymentTransition.payment_id == Payment.id).where(
        PaymentTransition.from_status == PaymentStatus.SENT,
        PaymentTransition.to_status == PaymentStatus.PAID,
        PaymentTransition.at >= start, PaymentTransition.at < end)
    paid = {request_id for request_id in db.session.scalars(one_by_one.distinct())
            if request_id is not None}
    # A large result file's credits are recorded once, with their requests.
    for request_ids in db.session.scalars(select(PaymentMove.request_ids).where(
            PaymentMove.from_status == PaymentStatus.SENT,
            PaymentMove.to_status == PaymentStatus.PAID,
            PaymentMove.at >= start, PaymentMove.at < end)):
        paid.update(request_ids or ())
    return paid


def programme_names(language: str) -> dict[str, str]:
    """Every programme's name in `language`, by code."""
    return {programme.code: programme.name_en if language == "en" else programme.name_vi
            for programme in db.session.scalars(select(Programme))}
