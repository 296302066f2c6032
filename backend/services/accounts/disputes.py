"""A citizen's "this was not me" about a payout link, and staff settling it.

Saying it freezes payouts to the link at once, signs every session of the
citizen out (whoever linked it may hold one) and opens a case; every step is
audited.
"""
from __future__ import annotations

import hmac
from datetime import datetime

from sqlalchemy import select

from backend import db
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.models import (
    EidAccount,
    LinkDispute,
    LinkDisputeTransition,
    PayoutLink,
    SocialSecurityAccount,
    StaffAccount,
)
from backend.models.statuses import DISPUTE_STATES, DisputeStatus, LinkStatus
from backend.services.accounts import (
    account_guard,
    account_numbers,
    linking,
    notifications,
    push_devices,
)
from backend.services.audit import trail
from backend.services.identity import sessions
from backend.services.shared import transitions

DISPUTES = transitions.Lifecycle(DISPUTE_STATES, LinkDispute, LinkDisputeTransition,
                                 "dispute_id", synchronize_session="auto")


def dispute_as_citizen(citizen: EidAccount, link_id: int, now: datetime) -> LinkDispute:
    """The signed-in citizen says a link is not theirs; another's link is NOT_FOUND."""
    return _dispute(linking.get_for_citizen(citizen, link_id, now), "app", now)


def dispute_with_code(link_id: int, code: str | None, now: datetime) -> LinkDispute:
    """Without signing in, with the one-time code of the SMS; a wrong code changes nothing."""
    if not code:
        raise ValidationFailed({"code": ["the code from the SMS is required"]})
    link = db.session.get(PayoutLink, link_id)
    if link is None or link.dispute_code_hash is None or not hmac.compare_digest(
            link.dispute_code_hash, account_guard.code_hash(link_id, code)):
        raise NotFound()
    return _dispute(link, "sms_code", now)


def _dispute(link: PayoutLink, via: str, now: datetime) -> LinkDispute:
    opened = db.session.scalar(select(LinkDispute).where(LinkDispute.link_id == link.id))
    if opened is not None:
        return opened  # said twice: the case is already open
    if link.status != LinkStatus.ACTIVE:
        raise Conflict({"status": [f"only an active link can be disputed ({link.status})"]})
    account = db.get_existing(SocialSecurityAccount, link.account_id)
    link.frozen_at = now
    link.dispute_code_hash = None
    dispute = LinkDispute(link_id=link.id, account_id=account.id,
                          status=DISPUTE_STATES.initial, opened_via=via, created_at=now,
                          updated_at=now)
    db.session.add(dispute)
    db.session.flush()
    transitions.record_created(DISPUTES, LinkDispute.id == dispute.id, "citizen", now,
                               reason=via.upper())
    citizen = db.session.scalar(select(EidAccount).where(
        EidAccount.personal_id == account.personal_id))
    if citizen is not None:
        push_devices.forget_all(citizen.id)
    notifications.notify(account, "SECURITY_LINK_DISPUTED",
                         {"link_id": link.id,
                          "account": account_numbers.mask(link.account_last4) or ""}, now)
    trail.record("citizen", "link.disputed", now, subject_personal_id=account.personal_id,
                 target=f"link:{link.id}", details={"via": via, "dispute_id": dispute.id})
    if citizen is not None:
        # Whoever holds a session of this citizen may be the one who linked it.
        # Last: every worker is told before the commit that ends the sessions
        # (a bare UPDATE left them live on workers asking Redis).
        sessions.end_all(citizen, now, reason="link_disputed")
    db.session.commit()
    return dispute


def open_disputes(staff: StaffAccount, page: int, page_size: int, now: datetime
                  ) -> tuple[list[LinkDispute], int]:
    """A page of the cases still to settle, oldest first, and how many there
    are; the look-up is audited."""
    found, total = db.paginate(select(LinkDispute)
                               .where(LinkDispute.status == DisputeStatus.OPEN)
                               .order_by(LinkDispute.created_at, LinkDispute.id),
                               page, page_size)
    trail.record(staff.actor, "dispute.queue_viewed", now,
                 details={"shown": len(found), "page": page})
    db.session.commit()
    return found, total


def settle(staff: StaffAccount, dispute_id: int, upheld: bool, note: str | None,
           now: datetime) -> LinkDispute:
    """Upheld: the link was not the citizen's and is ended. Dismissed: it was
    theirs after all, and payouts to it resume."""
    if note is None or len(note.strip()) < 3:
        raise ValidationFailed({"note": ["at least 3 characters"]})
    dispute = db.session.get(LinkDispute, dispute_id)
    if dispute is None:
        raise NotFound()
    to_status = DisputeStatus.UPHELD if upheld else DisputeStatus.DISMISSED
    if transitions.move(DISPUTES, LinkDispute.id == dispute.id, DisputeStatus.OPEN, to_status,
                        staff.actor, now, note=note.strip(),
                        values={"settled_by": staff.actor, "note": note.strip()}) != 1:
        raise Conflict({"status": [f"the case is already {dispute.status}"]})
    link = db.get_existing(PayoutLink, dispute.link_id)
    if upheld:
        if link.status == LinkStatus.ACTIVE:
            linking.end_active(link, staff.actor, "DISPUTE_UPHELD", now)
    else:
        link.frozen_at = None
    trail.record(staff.actor, "dispute.upheld" if upheld else "dispute.dismissed", now,
                 subject_personal_id=db.get_existing(SocialSecurityAccount,
                                                     dispute.account_id).personal_id,
                 target=f"link:{link.id}", details={"dispute_id": dispute.id, "note": note})
    db.session.commit()
    return dispute
