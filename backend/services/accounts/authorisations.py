"""An authorised person: another level-2 citizen who receives a citizen's payments.

The citizen names them by personal ID (linking.submit, kind authorised_person)
and gets the same answer whoever is named. A worker then looks the ID up
(`resolve`): a level-2 account is asked to accept or decline in its own
session; anyone else ends the request, and the citizen is told only that the
person cannot accept it. The automatic checks run after acceptance and always
end with a staff decision. Either citizen can end it later.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from backend import db
from backend.errors import Conflict, NotFound
from backend.models import Consent, EidAccount, PayoutLink, SocialSecurityAccount
from backend.models.statuses import LINK_PENDING, LinkStatus
from backend.services.accounts import link_states, linking, notifications, social_security

ACTOR = "authorised_person"
SYSTEM = "system"


def awaiting_resolution(link: PayoutLink) -> bool:
    return (link.kind == "authorised_person" and link.authorised_account_id is None
            and link.status == LinkStatus.SUBMITTED)


def resolve(link: PayoutLink, now: datetime) -> None:
    """Find the level-2 account of the person named in `link` (run by a worker)."""
    named = db.session.scalar(select(EidAccount).where(
        EidAccount.personal_id == link.authorised_personal_id))
    requester = db.get_existing(SocialSecurityAccount, link.account_id)
    if named is None or named.ial != 2:
        try:
            link_states.move(link, LinkStatus.CANCELLED, SYSTEM, now,
                             reason="AUTHORISED_PERSON_UNAVAILABLE")
        except Conflict:
            db.session.rollback()
            return  # the citizen cancelled meanwhile
        # Says no more than the citizen needs to act: not which of "no account",
        # "level 1" or "mistyped" it was.
        notifications.notify(requester, "AUTHORISATION_UNAVAILABLE", {"link_id": link.id}, now)
        db.session.commit()
        return
    receiver = social_security.get_or_create(named, now)
    resolved = db.execute_counted(
        update(PayoutLink)
        .where(PayoutLink.id == link.id, PayoutLink.authorised_account_id.is_(None),
               PayoutLink.status == LinkStatus.SUBMITTED)
        .values(authorised_account_id=receiver.id, updated_at=now)
        .execution_options(synchronize_session=False))
    if resolved != 1:
        db.session.rollback()
        return  # cancelled, or resolved by a duplicate run
    requester_name = db.session.scalar(select(EidAccount.full_name).where(
        EidAccount.personal_id == requester.personal_id))
    notifications.notify(receiver, "AUTHORISATION_REQUESTED",
                         {"name": requester_name, "link_id": link.id}, now)
    db.session.commit()


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
