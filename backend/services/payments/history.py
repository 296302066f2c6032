"""What a citizen sees of their payments: one payment, its timeline, the programmes' names."""
from __future__ import annotations

from sqlalchemy import select

from backend import db
from backend.errors import NotFound
from backend.models import EidAccount, Payment, PaymentMove, PaymentTransition, Programme


def get_for_citizen(citizen: EidAccount, payment_id: int) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.personal_id != citizen.personal_id:
        raise NotFound()
    return payment


def timeline(payment: Payment) -> list[PaymentTransition | PaymentMove]:
    """Every step of the payment, first to last: its own transitions and the
    moves of whole requests or a whole payroll that moved it (recorded once,
    on PostgreSQL). Both logs take their ids from one sequence, so the ids
    order the steps even within one second."""
    moves = list(db.session.scalars(select(PaymentMove).where(
        PaymentMove.id.in_(payment.moves)))) if payment.moves else []
    return sorted([*payment.transitions, *moves], key=lambda step: step.id)


def programme_names(language: str) -> dict[str, str]:
    """Every programme's name in `language`, by code."""
    return {programme.code: programme.name_en if language == "en" else programme.name_vi
            for programme in db.session.scalars(select(Programme))}
