"""What a citizen sees of their payments, and cash paid out at an agent."""
from __future__ import annotations

from sqlalchemy import select

from backend import db
from backend.errors import NotFound
from backend.models import EidAccount, Payment, Programme


def get_for_citizen(citizen: EidAccount, payment_id: int) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.personal_id != citizen.personal_id:
        raise NotFound()
    return payment


def programme_names(language: str) -> dict[str, str]:
    """Every programme's name in `language`, by code."""
    return {programme.code: programme.name_en if language == "en" else programme.name_vi
            for programme in db.session.scalars(select(Programme))}
