"""The states of a link request, as data, and the one function that moves them.

Every move is a compare-and-set on the current status, so two workers (or a
worker and the citizen cancelling) can never both move the same request,
and every move is recorded with time, actor and reason.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from backend import db
from backend.errors import Conflict
from backend.models import LinkTransition, PayoutLink
from backend.models.payout_link import PENDING as PENDING_STATUSES

PENDING = frozenset(PENDING_STATUSES)
FINAL = frozenset({"REJECTED", "FAILED", "CANCELLED", "SUPERSEDED", "UNLINKED"})

TRANSITIONS: dict[str, frozenset[str]] = {
    "SUBMITTED": frozenset({"VERIFYING", "CANCELLED"}),
    "VERIFYING": frozenset({"ACTIVE", "NEEDS_REVIEW", "FAILED", "CANCELLED"}),
    "NEEDS_REVIEW": frozenset({"ACTIVE", "REJECTED", "CANCELLED"}),
    # UNLINKED: the citizen (or, for an authorised person, either citizen)
    # stops using an active link; payments fall back to cash.
    "ACTIVE": frozenset({"SUPERSEDED", "UNLINKED"}),
}


def record_submitted(link: PayoutLink, actor: str, now: datetime) -> None:
    db.session.add(LinkTransition(link_id=link.id, from_status=None, to_status="SUBMITTED",
                                  at=now, actor=actor))
    db.session.expire(link, ["history"])


def move(link: PayoutLink, to_status: str, actor: str, now: datetime,
         reason: str | None = None, note: str | None = None) -> None:
    from_status = link.status
    if to_status not in TRANSITIONS.get(from_status, frozenset()):
        raise Conflict({"status": [f"cannot go from {from_status} to {to_status}"]})
    values = {"status": to_status, "reason": reason, "updated_at": now}
    if to_status == "ACTIVE":
        values["activated_at"] = now
    if from_status == "NEEDS_REVIEW":
        values.update(claimed_by=None, claimed_at=None)
    moved = db.session.execute(update(PayoutLink)
                               .where(PayoutLink.id == link.id,
                                      PayoutLink.status == from_status)
                               .values(**values))
    if moved.rowcount != 1:
        raise Conflict({"status": ["the request changed meanwhile; reload it"]})
    db.session.add(LinkTransition(link_id=link.id, from_status=from_status,
                                  to_status=to_status, at=now, actor=actor, reason=reason,
                                  note=note))
    # The history read before this move is out of date; reload it when asked.
    db.session.expire(link, ["history"])
