"""An authorised person: another level-2 citizen who receives a citizen's payments.

The citizen names them (linking.submit, kind authorised_person); the named
person accepts or declines in their own session; the automatic checks run
after acceptance and always end with a staff decision. Either citizen can
end it later.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from backend import db
from backend.errors import Conflict, NotFound
from backend.models import Consent, EidAccount, PayoutLink, SocialSecurityAccount
from backend.models.statuses import LINK_PENDING, LinkStatus
from backend.services.accounts import link_states, linking, notifications, social_security

ACTOR = "authorised_person"


def page_for(receiver: EidAccount, page: int, page_size: int, now: datetime
             ) -> tuple[list[PayoutLink], int]:
    account = social_security.get_or_create(receiver, now)
    return db.paginate(select(PayoutLink).where(PayoutLink.authorised_account_id == account.id)
                       .order_by(PayoutLink.created_at.desc(), PayoutLink.id.desc()),
                       page, page_size)


def _naming_me(receiver: EidAccount, link_id: int, now: datetime) -> PayoutLink:
    account = social_security.get_or_create(receiver, now)
    link = db.session.get(PayoutLink, link_id)
    if link is None or link.authorised_account_id != account.id:
        raise NotFound()
    return link


def accept(receiver: EidAccount, link_id: int, now: datetime) -> PayoutLink:
    link = _naming_me(receiver, link_id, now)
    if link.status != LinkStatus.SUBMITTED or link.authorised_accepted_at is not None:
        raise Conflict({"status": [f"nothing to accept ({link.status})"]})
    link.authorised_accepted_at = now
    db.session.add(Consent(account_id=link.authorised_account_id, link_id=link.id,
                           purpose="receive_for_another", text_version=linking.CONSENT_VERSION,
                           given_at=now))
    db.session.commit()
    linking.queue_verification(link.id)
    return link


def decline(receiver: EidAccount, link_id: int, now: datetime) -> PayoutLink:
    link = _naming_me(receiver, link_id, now)
    if link.status not in LINK_PENDING:
        raise Conflict({"status": [f"nothing to decline ({link.status})"]})
    link_states.move(link, LinkStatus.CANCELLED, ACTOR, now, reason="DECLINED")
    notifications.notify(db.get_existing(SocialSecurityAccount, link.account_id),
                         "AUTHORISATION_DECLINED", {"link_id": link.id, "reason": "DECLINED"}, now)
    db.session.commit()
    return link


def revoke(receiver: EidAccount, link_id: int, now: datetime) -> PayoutLink:
    """The authorised person stops receiving; the citizen falls back to cash."""
    link = _naming_me(receiver, link_id, now)
    linking.end_active(link, ACTOR, "REVOKED_BY_AUTHORISED_PERSON", now)
    db.session.commit()
    return link
