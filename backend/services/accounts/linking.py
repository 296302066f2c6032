"""A citizen's payout links: request, follow, cancel, unlink, and activation.

Requests are verified off the request thread (backend.tasks); this module
holds what the citizen does and the rules that apply whoever acts.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import bindparam, or_, select
from sqlalchemy.exc import IntegrityError

from backend import db, messages, tasks
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.models import Consent, EidAccount, Institution, PayoutLink, SocialSecurityAccount
from backend.models.statuses import LINK_PENDING, LINK_STATES, LinkStatus
from backend.services.accounts import (
    account_guard,
    account_numbers,
    link_states,
    notifications,
    social_security,
)
from backend.services.identity import recovery, revocation
from backend.services.identity.personal_id import InvalidPersonalId, parse

log = logging.getLogger(__name__)
VERIFY_TASK = "verify_link"  # registered by backend.services.accounts.verification
CONSENT_VERSION = "2026-11-v1"
CONSENT_PURPOSE = "share_with_institution"


def _institution(code_or_bin: str, kind: str) -> Institution:
    institution = db.session.scalar(select(Institution).where(
        or_(Institution.code == code_or_bin, Institution.bin == code_or_bin)))
    if institution is None or institution.kind != kind:
        unknown = "bank" if kind == "bank" else "mobile_money"
        raise ValidationFailed({"institution": [
            messages.both_languages(f"detail.institution_unknown.{unknown}")]})
    return institution


def _named_person(citizen: EidAccount, personal_id: str | None) -> str:
    """The authorised person's ID as named. Only what the citizen can know anyway is
    checked here (its form, and that it is not their own); whether it has a level-2
    account is checked afterwards (authorisations.resolve), so the answer is the
    same whoever is named."""
    try:
        parse(personal_id or "")
    except InvalidPersonalId:
        valid = False
    else:
        valid = personal_id != citizen.personal_id
    if not valid:
        raise ValidationFailed({"authorised_personal_id": [
            messages.both_languages("detail.authorised_person_invalid")]})
    assert personal_id is not None  # parse refused an empty one
    return personal_id


def submit(citizen: EidAccount, request: dict, now: datetime) -> PayoutLink:
    """Record a link request with the citizen's consent; verification follows."""
    if request.get("consent") is not True:
        raise ValidationFailed({"consent": [messages.both_languages("detail.consent_required")]})
    if request.get("consent_version", CONSENT_VERSION) != CONSENT_VERSION:
        raise ValidationFailed({"consent_version": [
            messages.both_languages("detail.consent_version_changed", version=CONSENT_VERSION)]})
    account = social_security.get_or_create(citizen, now)
    kind = request["kind"]
    link = PayoutLink(account_id=account.id, kind=kind, status=LINK_STATES.initial,
                      created_at=now, updated_at=now)
    if kind == "authorised_person":
        link.authorised_personal_id = _named_person(citizen, request.get("authorised_personal_id"))
    else:
        institution = _institution(request.get("institution") or "", kind)
        number = account_numbers.normalise(kind, request.get("account_number") or "")
        protected = account_numbers.protect(institution.code, number)
        link.institution = institution.code
        link.account_number_encrypted = protected.encrypted
        link.account_number_hash = protected.lookup_hash
        link.account_last4 = protected.last4
    db.session.add(link)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict({"pending_link_id": [str(_pending_link_id(account.id))]}) from None
    link_states.record_submitted(link, "citizen", now)
    db.session.add(Consent(account_id=account.id, link_id=link.id, purpose=CONSENT_PURPOSE,
                           text_version=CONSENT_VERSION, given_at=now))
    db.session.commit()
    queue_verification(link.id)
    return link


def sign_in_covers_step_up(citizen: EidAccount, request: dict, now: datetime) -> bool:
    """Whether a recent sign-in may stand for the step-up of this request: only a first
    link of the citizen's own bank account or wallet.

    Changing where payments already go is how a stolen session steals them, so
    an account ever activated before (active, unlinked or superseded), an
    authorised person, or any link soon after a lost-phone recovery takes the
    passcode or a fresh code, as every other sensitive action does."""
    if request.get("kind") not in account_guard.RECEIVING_KINDS:
        return False
    account = social_security.get_or_create(citizen, now)
    ever_activated = db.session.scalar(select(PayoutLink.id).where(
        PayoutLink.account_id == account.id, PayoutLink.activated_at.isnot(None)).limit(1))
    return ever_activated is None and not recovery.recovered_recently(account, now)


def _pending_link_id(account_id: int) -> int | None:
    return db.session.scalar(select(PayoutLink.id).where(
        PayoutLink.account_id == account_id, PayoutLink.status.in_(LINK_PENDING)))


def page_for(citizen: EidAccount, page: int, page_size: int, now: datetime
             ) -> tuple[list[PayoutLink], int]:
    account = social_security.get_or_create(citizen, now)
    return db.paginate(select(PayoutLink).where(PayoutLink.account_id == account.id)
                       .order_by(PayoutLink.created_at.desc(), PayoutLink.id.desc()),
                       page, page_size)


def get_for_citizen(citizen: EidAccount, link_id: int, now: datetime) -> PayoutLink:
    account = social_security.get_or_create(citizen, now)
    link = db.session.get(PayoutLink, link_id)
    # Another citizen's request answers exactly like a missing one.
    if link is None or link.account_id != account.id:
        raise NotFound()
    return link


def version_for_session(session_id: str, link_id: int) -> tuple[str, datetime] | None:
    """Status and last change of one of the session's citizen's requests, in one
    statement: what the app polls while a link verifies. None if it is not
    theirs, or the session has ended."""
    rows = db.read_rows(_LINK_VERSION, {"link_id": link_id, "session_id": session_id})
    return (rows[0].status, rows[0].updated_at) if rows else None


_LINK_VERSION = (
    select(PayoutLink.status, PayoutLink.updated_at)
    .join(SocialSecurityAccount, SocialSecurityAccount.id == PayoutLink.account_id)
    .join(EidAccount, EidAccount.personal_id == SocialSecurityAccount.personal_id)
    .where(PayoutLink.id == bindparam("link_id"),
           EidAccount.id == revocation.live_session_citizen()))


def cancel(citizen: EidAccount, link_id: int, now: datetime,
           reason: str = "CANCELLED_BY_CITIZEN") -> PayoutLink:
    link = get_for_citizen(citizen, link_id, now)
    # The worker may move the request (SUBMITTED -> VERIFYING -> ...) between
    # our read and our write; a cancel still applies to whatever pending state
    # it is in now, so read again and retry rather than refuse.
    for _ in range(5):
        if link.status not in LINK_PENDING:
            raise Conflict({"status": [f"only a pending request can be cancelled "
                                       f"({link.status})"]})
        try:
            link_states.move(link, LinkStatus.CANCELLED, "citizen", now, reason=reason)
        except Conflict:
            db.session.rollback()
            db.session.refresh(link)
            continue
        db.session.commit()
        return link
    raise Conflict({"status": ["the request keeps changing; try again"]})


def unlink(citizen: EidAccount, link_id: int, now: datetime) -> PayoutLink:
    """Stop paying into the active account; payments fall back to cash."""
    link = get_for_citizen(citizen, link_id, now)
    end_active(link, "citizen", "UNLINKED_BY_CITIZEN", now)
    db.session.commit()
    return link


def end_active(link: PayoutLink, actor: str, reason: str, now: datetime) -> None:
    if link.status != LinkStatus.ACTIVE:
        raise Conflict({"status": [f"only an active link can be ended ({link.status})"]})
    link_states.move(link, LinkStatus.UNLINKED, actor, now, reason=reason)
    notifications.notify(db.get_existing(SocialSecurityAccount, link.account_id), "LINK_ENDED",
                         _notice_params(link, reason), now)


def activate(link: PayoutLink, actor: str, now: datetime, note: str | None = None) -> None:
    """Make `link` the citizen's active one; the previous active link is superseded,
    and the account-change guard marks the new one."""
    previous = db.session.scalar(select(PayoutLink).where(
        PayoutLink.account_id == link.account_id, PayoutLink.status == LinkStatus.ACTIVE))
    account = db.get_existing(SocialSecurityAccount, link.account_id)
    if previous is not None:
        link_states.move(previous, LinkStatus.SUPERSEDED, actor, now, reason="SUPERSEDED_BY_NEWER")
        notifications.notify(account, "LINK_SUPERSEDED",
                             _notice_params(previous, "SUPERSEDED_BY_NEWER"), now)
    link_states.move(link, LinkStatus.ACTIVE, actor, now, note=note)
    notifications.notify(account, "LINK_ACTIVE", _notice_params(link, None), now)
    account_guard.on_activation(link, now)


def settle(link: PayoutLink, status: LinkStatus, actor: str, reason: str, now: datetime,
           note: str | None = None) -> None:
    """Move a request to NEEDS_REVIEW, FAILED or REJECTED and tell the citizen."""
    link_states.move(link, status, actor, now, reason=reason, note=note)
    kind = {LinkStatus.NEEDS_REVIEW: "LINK_NEEDS_REVIEW", LinkStatus.FAILED: "LINK_FAILED",
            LinkStatus.REJECTED: "LINK_REJECTED"}[status]
    notifications.notify(db.get_existing(SocialSecurityAccount, link.account_id), kind,
                         _notice_params(link, reason), now)


def _notice_params(link: PayoutLink, reason: str | None) -> dict:
    return {"link_id": link.id, "reason": reason,
            "account": account_numbers.mask(link.account_last4) or ""}


def queue_verification(link_id: int) -> None:
    """Verify the request off the request thread. If the queue is down the request
    stays stored, and verification.resume_stalled queues it again later.

    The first step of an authorised person's request is finding the person named
    (authorisations.resolve); their acceptance queues the checks."""
    try:
        tasks.enqueue(VERIFY_TASK, link_id)
    except Exception:  # noqa: BLE001 - see above: nothing is lost
        log.exception("could not queue verification of link %s", link_id)
