"""What a citizen sees of their payments, and cash paid out at an agent."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from backend import db
from backend.errors import Conflict, NotFound
from backend.models import EidAccount, Payment, Programme
from backend.models.statuses import PaymentStatus
from backend.services.audit import trail
from backend.services.payments import states


def get_for_citizen(citizen: EidAccount, payment_id: int) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.personal_id != citizen.personal_id:
        raise NotFound()
    return payment


def programme_names(language: str) -> dict[str, str]:
    """Every programme's name in `language`, by code."""
    return {programme.code: programme.name_en if language == "en" else programme.name_vi
            for programme in db.session.scalars(select(Programme))}


def confirm_cash_paid(actor: str, payment_id: int, now: datetime) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        raise NotFound()
    if states.move(Payment.id == payment_id, PaymentStatus.CASH_READY, PaymentStatus.PAID,
                   actor, now) != 1:
        raise Conflict({"status": [f"only a payment ready in cash can be paid ({payment.status})"]})
    trail.record(actor, "payments.cash_paid", now, subject_personal_id=payment.personal_id,
                 target=f"payment:{payment_id}")
    db.session.commit()
    db.session.refresh(payment)
    return payment


def confirm_all_cash(request_id: int, actor: str, now: datetime) -> int:
    """The simulated paying agents hand out every cash payment of a request."""
    paid = states.move(Payment.request_id == request_id, PaymentStatus.CASH_READY,
                       PaymentStatus.PAID, actor, now)
    db.session.commit()
    return paid


