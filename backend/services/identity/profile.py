"""Who the signed-in citizen is, read on every app start: one statement, no objects."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from backend import db
from backend.models import EidAccount

_PROFILE = (select(EidAccount.personal_id, EidAccount.full_name, EidAccount.date_of_birth,
                   EidAccount.ial, EidAccount.phone)
            .where(EidAccount.id == bindparam("citizen_id")))


def of_citizen(citizen_id: int) -> Any | None:
    """The citizen's row (personal_id, full_name, date_of_birth, ial, phone), or None."""
    rows = db.read_rows(_PROFILE, {"citizen_id": citizen_id})
    return rows[0] if rows else None
