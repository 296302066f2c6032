"""The institutions a citizen can be paid through."""
from __future__ import annotations

from sqlalchemy import select

from backend import db, integrations
from backend.models import EidAccount, Institution


def list_all() -> list[Institution]:
    """Banks first, then mobile money, each by short name."""
    return list(db.session.scalars(select(Institution)
                                   .order_by(Institution.kind, Institution.short_name)))


def likely_for(citizen: EidAccount) -> list[Institution]:
    """The institutions holding an open account in the citizen's name, in the order
    of `list_all`: the app offers them first. Codes and names only, no numbers."""
    codes = integrations.current().accounts_register.institutions_holding(citizen.personal_id)
    if not codes:
        return []
    return list(db.session.scalars(select(Institution).where(Institution.code.in_(codes))
                                   .order_by(Institution.kind, Institution.short_name)))
