"""Support staff settle the link requests the automatic checks could not.

A reviewer claims a request before deciding it, so two reviewers never
decide the same one; claims and decisions are compare-and-set updates. A
claim left without action for REVIEW_CLAIM_TIMEOUT lapses: the request is
free again for anyone, so a reviewer who went home blocks nothing.
Every decision and every look-up of a citizen's data is audited.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import ColumnElement, func, or_, select, update

from backend import db, integrations, names
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.models import Institution, PayoutLink, SocialSecurityAccount, StaffAccount
from backend.models.statuses import LinkStatus
from backend.services.accounts import linking
from backend.services.audit import trail
from backend.services.identity.personal_id import masked as masked_personal_id

REJECTION_REASONS = ("HOLDER_NOT_CITIZEN", "DOCUMENTS_INSUFFICIENT", "SUSPECTED_FRAUD",
                     "SHARED_ACCOUNT_NOT_ALLOWED", "REGISTER_DATA_UNRESOLVED", "OTHER")
# What the review queue shows when no status is asked for.
QUEUE_STATUS = LinkStatus.NEEDS_REVIEW


def queue(staff: StaffAccount, filters: dict, page: int, page_size: int, now: datetime
          ) -> tuple[list[PayoutLink], int, dict[str, int]]:
    """Oldest first; with the count per status for the top of the page."""
    release_lapsed_claims(now)
    status = filters.get("status") or QUEUE_STATUS
    conditions = [PayoutLink.status == status]
    if filters.get("province"):
        conditions.append(PayoutLink.province_code == filters["province"])
    if filters.get("institution"):
        conditions.append(PayoutLink.institution == filters["institution"])
    if filters.get("reason"):
        conditions.append(PayoutLink.reason == filters["reason"])
    if filters.get("claimed") == "mine":
        conditions.append(PayoutLink.claimed_by == staff.id)
    elif filters.get("claimed") == "unclaimed":
        conditions.append(PayoutLink.claimed_by.is_(None))
    items, total = db.paginate(select(PayoutLink).where(*conditions)
                               .order_by(PayoutLink.created_at, PayoutLink.id), page, page_size)
    counts = dict(db.session.execute(select(PayoutLink.status, func.count())
                                     .group_by(PayoutLink.status)).all())
    trail.record(staff.actor, "review.queue_viewed", now,
                 details={"filters": {k: v for k, v in filters.items() if v}, "shown": len(items)})
    db.session.commit()
    return items, total, counts


def _lapsed(now: datetime) -> ColumnElement[bool]:
    return PayoutLink.claimed_at < now - current_app.config["REVIEW_CLAIM_TIMEOUT"]


def release_lapsed_claims(now: datetime) -> int:
    """Free every request whose claim has seen no action for too long."""
    released = db.execute_counted(
        update(PayoutLink)
        .where(PayoutLink.status == LinkStatus.NEEDS_REVIEW, PayoutLink.claimed_by.isnot(None),
               _lapsed(now))
        .values(claimed_by=None, claimed_at=None)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return released


def _link(link_id: int) -> PayoutLink:
    link = db.session.get(PayoutLink, link_id)
    if link is None:
        raise NotFound()
    return link


def personal_id_of(link: PayoutLink) -> str:
    return db.get_existing(SocialSecurityAccount, link.account_id).personal_id


def look_up_request(staff: StaffAccount, link_id: int, now: datetime) -> dict:
    """The request with its evidence side by side; the look-up is audited."""
    link = _link(link_id)
    personal_id = personal_id_of(link)
    person = integrations.current().population_register.find_person(personal_id)
    holder_check = next((check for check in reversed(link.checks)
                         if check.name == "holder_name"), None)
    trail.record(staff.actor, "review.request_viewed", now, subject_personal_id=personal_id,
                 target=f"link:{link.id}")
    db.session.commit()
    return {
        "link": link, "personal_id": personal_id,
        "register": None if person is None else {
            "full_name": person.full_name, "date_of_birth": person.date_of_birth,
            "sex": person.sex, "province_code": person.province_code, "alive": person.alive},
        "institution_holder_name": holder_check.evidence.get("holder_name")
        if holder_check else None,
        "institution_name": db.get_existing(Institution, link.institution).short_name
        if link.institution else None,
        "claimed_by": _username(link.claimed_by),
        "linked_elsewhere": _linked_elsewhere(link),
    }


# How the other holder of the same account is tied to this citizen, as far as
# the service knows: through an authorised-person link, one way or the other.
AUTHORISED_PERSON_OF_CITIZEN = "AUTHORISED_PERSON_OF_CITIZEN"
CITIZEN_IS_THEIR_AUTHORISED_PERSON = "CITIZEN_IS_THEIR_AUTHORISED_PERSON"
NO_KNOWN_RELATION = "NO_KNOWN_RELATION"


def _linked_elsewhere(link: PayoutLink) -> list[dict]:
    """The other citizens whose active link holds this account, masked, with their tie."""
    check = next((check for check in reversed(link.checks)
                  if check.name == "not_linked_elsewhere"), None)
    other_link_ids = (check.evidence.get("active_links_of_others") or []) if check else []
    if not other_link_ids:
        return []
    register = integrations.current().population_register
    others = []
    for other in db.session.scalars(select(PayoutLink).where(PayoutLink.id.in_(other_link_ids))
                                    .order_by(PayoutLink.id)):
        owner = db.get_existing(SocialSecurityAccount, other.account_id)
        person = register.find_person(owner.personal_id)
        others.append({"link_id": other.id,
                       "personal_id_masked": masked_personal_id(owner.personal_id),
                       "name_initials": names.initials(person.full_name) if person else None,
                       "relation": _relation(link.account_id, other.account_id)})
    return others


def _relation(account_id: int, other_account_id: int) -> str:
    def names_as_authorised(receiving_for: int, receiver: int) -> bool:
        return db.session.scalar(select(PayoutLink.id).where(
            PayoutLink.account_id == receiving_for, PayoutLink.kind == "authorised_person",
            PayoutLink.authorised_account_id == receiver,
            PayoutLink.status == LinkStatus.ACTIVE).limit(1)) is not None
    if names_as_authorised(account_id, other_account_id):
        return AUTHORISED_PERSON_OF_CITIZEN
    if names_as_authorised(other_account_id, account_id):
        return CITIZEN_IS_THEIR_AUTHORISED_PERSON
    return NO_KNOWN_RELATION


def _username(staff_id: int | None) -> str | None:
    if staff_id is None:
        return None
    return db.get_existing(StaffAccount, staff_id).username


def claim(staff: StaffAccount, link_id: int, now: datetime) -> PayoutLink:
    link = _link(link_id)
    claimed = db.execute_counted(
        update(PayoutLink)
        .where(PayoutLink.id == link_id, PayoutLink.status == LinkStatus.NEEDS_REVIEW,
               or_(PayoutLink.claimed_by.is_(None), PayoutLink.claimed_by == staff.id,
                   _lapsed(now)))
        .values(claimed_by=staff.id, claimed_at=now))
    if claimed != 1:
        db.session.rollback()
        raise _not_yours(link)
    trail.record(staff.actor, "review.claimed", now, subject_personal_id=personal_id_of(link),
                 target=f"link:{link.id}")
    db.session.commit()
    return link


def _not_yours(link: PayoutLink) -> Conflict:
    db.session.refresh(link)
    if link.status != LinkStatus.NEEDS_REVIEW:
        return Conflict({"reason": ["ALREADY_DECIDED"],
                         "status": [f"the request is already {link.status}"]})
    return Conflict({"reason": ["HELD_BY_OTHER"],
                     "claimed_by": [_username(link.claimed_by) or ""]})


def _note(note: str | None) -> str:
    """Every decision carries a note a colleague can read later."""
    if note is None or len(note.strip()) < 3:
        raise ValidationFailed({"note": ["at least 3 characters"]})
    return note.strip()


def _decidable(staff: StaffAccount, link_id: int) -> PayoutLink:
    link = _link(link_id)
    if link.status != LinkStatus.NEEDS_REVIEW or link.claimed_by not in (None, staff.id):
        raise _not_yours(link)
    if link.claimed_by is None:
        raise Conflict({"reason": ["NOT_CLAIMED"],
                        "claimed_by": ["claim the request before deciding it"]})
    return link


def approve(staff: StaffAccount, link_id: int, note: str, now: datetime) -> PayoutLink:
    note = _note(note)
    link = _decidable(staff, link_id)
    # The state machine's compare-and-set on NEEDS_REVIEW settles a race
    # between two decisions: the second one answers CONFLICT.
    linking.activate(link, staff.actor, now, note=note)
    trail.record(staff.actor, "review.approved", now, subject_personal_id=personal_id_of(link),
                 target=f"link:{link.id}", details={"note": note})
    db.session.commit()
    return link


# A reason whose fixed words tell the citizen nothing: the reviewer must say more.
REASONS_NEEDING_WORDS_FOR_CITIZEN = ("OTHER",)


def reject(staff: StaffAccount, link_id: int, reason: str, note: str, now: datetime,
           note_for_citizen: str | None = None) -> PayoutLink:
    if reason not in REJECTION_REASONS:
        raise ValidationFailed({"reason": [f"one of {', '.join(REJECTION_REASONS)}"]})
    note = _note(note)
    note_for_citizen = (note_for_citizen or "").strip() or None
    if note_for_citizen is None and reason in REASONS_NEEDING_WORDS_FOR_CITIZEN:
        raise ValidationFailed({"note_for_citizen": [
            f"needed with the reason {reason}: the citizen reads it"]},
            message_key="NOTE_FOR_CITIZEN_NEEDED")
    link = _decidable(staff, link_id)
    link.note_for_citizen = note_for_citizen
    linking.settle(link, LinkStatus.REJECTED, staff.actor, reason, now, note=note)
    trail.record(staff.actor, "review.rejected", now, subject_personal_id=personal_id_of(link),
                 target=f"link:{link.id}", details={"reason": reason, "note": note,
                                                    "note_for_citizen": note_for_citizen})
    db.session.commit()
    return link


def reassign(supervisor: StaffAccount, link_id: int, to_username: str | None,
             now: datetime) -> PayoutLink:
    """A supervisor hands a claimed request to another reviewer, or frees it."""
    link = _link(link_id)
    if link.status != LinkStatus.NEEDS_REVIEW:
        raise Conflict({"reason": ["ALREADY_DECIDED"],
                        "status": [f"the request is already {link.status}"]})
    target = None
    if to_username:
        target = db.session.scalar(select(StaffAccount).where(
            StaffAccount.username == to_username))
        if target is None or "reviewer" not in target.roles:
            raise ValidationFailed({"to": ["no reviewer with this username"]})
    previous = _username(link.claimed_by)
    link.claimed_by = target.id if target else None
    link.claimed_at = now if target else None
    trail.record(supervisor.actor, "review.reassigned", now,
                 subject_personal_id=personal_id_of(link), target=f"link:{link.id}",
                 details={"from": previous, "to": to_username})
    db.session.commit()
    return link
