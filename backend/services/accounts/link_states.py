"""Moves of a link request, one request at a time.

Every move is the compare-and-set of `transitions.move` on the current
status, so two workers (or a worker and the citizen cancelling) can never
both move the same request, and every move is recorded with time, actor and
reason. The allowed moves are `LINK_STATES` in `backend.models.statuses`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from backend import db
from backend.errors import Conflict
from backend.models import LinkTransition, PayoutLink
from backend.models.statuses import LINK_STATES, LinkStatus
from backend.services.shared import transitions

LINKS = transitions.Lifecycle(LINK_STATES, PayoutLink, LinkTransition, "link_id",
                              synchronize_session="auto")


def record_submitted(link: PayoutLink, actor: str, now: datetime) -> None:
    """Record the first transition of a request just added in its initial status."""
    transitions.record_created(LINKS, PayoutLink.id == link.id, actor, now)
    db.session.expire(link, ["history"])


def move(link: PayoutLink, to_status: LinkStatus, actor: str, now: datetime,
         reason: str | None = None, note: str | None = None) -> None:
    from_status = link.status
    values: dict[str, Any] = {"reason": reason}
    if to_status == LinkStatus.ACTIVE:
        values["activated_at"] = now
    if from_status == LinkStatus.NEEDS_REVIEW:
        values.update(claimed_by=None, claimed_at=None)
    moved = transitions.move(LINKS, PayoutLink.id == link.id, from_status, to_status, actor,
                             now, reason=reason, note=note, values=values)
    if moved != 1:
        raise Conflict({"status": ["the request changed meanwhile; reload it"]})
    # The history read before this move is out of date; reload it when asked.
    db.session.expire(link, ["history"])
