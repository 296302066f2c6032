"""The institutions a citizen can be paid through."""
from __future__ import annotations

from sqlalchemy import select

from backend import db
from backend.models import Institution


def list_all() -> list[Institution]:
    """Banks first, then mobile money, each by short name."""
    return list(db.session.scalars(select(Institution)
                                   .order_by(Institution.kind, Institution.short_name)))
