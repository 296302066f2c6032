"""What a citizen sees of their payments, and cash paid out at an agent."""
from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from backend import db
from backend.errors import NotFound
from backend.models import EidAccount, Payment, Programme
from backend.models.statuses import PaymentStatus


def _filters(citizen: EidAccount, query: dict) -> list:
    conditions = [Payment.personal_id == citizen.personal_id]
    if query.get("year"):
        conditions.append(Payment.period.like(f"{int(query['year']):04d}-%"))
    if query.get("programme"):
        conditions.append(Payment.programme == query["programme"])
    if query.get("status"):
        conditions.append(Payment.status == query["status"])
    return conditions


def version_tag(citizen: EidAccount, query: dict) -> str:
    """Changes whenever anything the citizen's list shows changes: cheap polling."""
    count, last_change, last_id = db.session.execute(
        select(func.count(), func.max(Payment.updated_at), func.max(Payment.id))
        .where(Payment.personal_id == citizen.personal_id)).one()
    seed = f"{citizen.id}|{count}|{last_change}|{last_id}|{sorted(query.items())}"
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


def page_for(citizen: EidAccount, query: dict) -> dict:
    conditions = _filters(citizen, query)
    items, total = db.paginate(select(Payment).where(*conditions)
                               .order_by(Payment.period.desc(), Payment.id.desc()),
                               query["page"], query["page_size"])
    year = func.substr(Payment.period, 1, 4)
    yearly = db.session.execute(
        select(year, func.count(), func.sum(Payment.amount_vnd))
        .where(Payment.personal_id == citizen.personal_id, Payment.status == PaymentStatus.PAID)
        .group_by(year).order_by(year.desc())).all()
    return {"items": items, "total": total, "page": query["page"],
            "page_size": query["page_size"],
            "totals_by_year": [{"year": int(y), "paid_count": n, "paid_vnd": int(amount)}
                               for y, n, amount in yearly]}


def get_for_citizen(citizen: EidAccount, payment_id: int) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.personal_id != citizen.personal_id:
        raise NotFound()
    return payment


def programme_names(language: str) -> dict[str, str]:
    """Every programme's name in `language`, by code."""
    return {programme.code: programme.name_en if language == "en" else programme.name_vi
            for programme in db.session.scalars(select(Programme))}
