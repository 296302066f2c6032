"""Who the signed-in citizen is, read on every app start: one statement, no objects."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend import db
from backend.models import EidAccount
from backend.services.identity import revocation

_PROFILE = (select(EidAccount.personal_id, EidAccount.full_name, EidAccount.date_of_birth,
                   EidAccount.ial, EidAccount.phone,
                   EidAccount.passcode_hash.isnot(None).label("passcode_set"))
            .where(EidAccount.id == revocation.live_session_citizen()))


def of_session(session_id: str) -> Any | None:
    """The row (personal_id, full_name, date_of_birth, ial, phone, passcode_set) of the citizen
    whose session this is; None once the session has ended."""
    rows = db.read_rows(_PROFILE, {"session_id": session_id})
    return rows[0] if rows else None
