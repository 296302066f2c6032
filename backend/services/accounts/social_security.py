"""The citizen's social security account: one per personal ID."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from backend import db, integrations
from backend.models import EidAccount, PayoutLink, Programme, SocialSecurityAccount
from backend.models.statuses import AccountStatus, LinkStatus
from backend.services.accounts import notifications
from backend.services.accounts.account_numbers import mask
from backend.services.identity import revocation


@dataclass(frozen=True)
class ProgrammeEntitlement:
    code: str
    name: str
    monthly_amount_vnd: int
    province_code: str
    since: date


@dataclass(frozen=True)
class ActivePayout:
    id: int
    kind: str
    institution: str | None
    account_masked: str | None
    holder_name: str | None
    since: datetime


@dataclass(frozen=True)
class AccountOverview:
    personal_id: str
    status: str
    created_at: datetime
    active_payout: ActivePayout | None
    programmes: list[ProgrammeEntitlement]


def get_or_create(citizen: EidAccount, now: datetime) -> SocialSecurityAccount:
    """The citizen's account, created on first level-2 use.

    Two first requests at once both try to insert; the unique constraint on
    personal_id lets exactly one win and the other reads the winner's row.
    """
    account = _find(citizen.personal_id)
    if account is not None:
        return account
    account = SocialSecurityAccount(personal_id=citizen.personal_id,
                                    status=AccountStatus.ACTIVE,
                                    created_at=now)
    db.session.add(account)
    try:
        db.session.flush()
        notifications.notify(account, "ACCOUNT_CREATED", {}, now)
        db.session.commit()
    except IntegrityError:
        # Nothing else is pending at this point, so a full rollback loses nothing.
        db.session.rollback()
        winner = _find(citizen.personal_id)
        if winner is None:
            raise  # not the race on personal_id: a real failure
        account = winner
    return account


def overview(session_id: str, now: datetime, language: str) -> AccountOverview | None:
    """The account of the session's citizen, with its active payout and programmes;
    None once the session has ended. The account and its payout are one
    statement; the register and the programme names one each."""
    found = db.read_rows(_OVERVIEW, {"session_id": session_id})
    if not found:
        return None
    row = found[0]
    if row.account_id is None:  # first use: the account is made, then read again
        get_or_create(db.get_existing(EidAccount, row.citizen_id), now)
        row = db.read_rows(_OVERVIEW, {"session_id": session_id})[0]
    entitlements = integrations.current().beneficiary_register.entitlements_of(row.personal_id)
    codes = {entitlement.programme for entitlement in entitlements}
    names = {programme.code: programme for programme in db.read_rows(
        select(Programme.code, Programme.name_vi, Programme.name_en)
        .where(Programme.code.in_(codes)))} if codes else {}
    programmes = [
        ProgrammeEntitlement(
            code=entitlement.programme,
            name=_programme_name(names.get(entitlement.programme), entitlement.programme,
                                 language),
            monthly_amount_vnd=entitlement.monthly_amount_vnd,
            province_code=entitlement.province_code, since=entitlement.since)
        for entitlement in entitlements]
    payout = None
    if row.link_id is not None:
        # link_states.move sets it on every move to ACTIVE.
        assert row.activated_at is not None
        payout = ActivePayout(
            id=row.link_id, kind=row.kind, institution=row.institution,
            account_masked=mask(row.account_last4),
            holder_name=row.authorised_name if row.kind == "authorised_person"
            else row.holder_name, since=row.activated_at)
    return AccountOverview(personal_id=row.personal_id, status=row.status,
                           created_at=row.created_at, active_payout=payout,
                           programmes=programmes)


_authorised = aliased(SocialSecurityAccount)
_authorised_person = aliased(EidAccount)
_OVERVIEW = (
    select(EidAccount.id.label("citizen_id"), EidAccount.personal_id,
           SocialSecurityAccount.id.label("account_id"), SocialSecurityAccount.status,
           SocialSecurityAccount.created_at, PayoutLink.id.label("link_id"), PayoutLink.kind,
           PayoutLink.institution, PayoutLink.account_last4, PayoutLink.holder_name,
           PayoutLink.activated_at, _authorised_person.full_name.label("authorised_name"))
    .outerjoin(SocialSecurityAccount, SocialSecurityAccount.personal_id == EidAccount.personal_id)
    .outerjoin(PayoutLink, and_(PayoutLink.account_id == SocialSecurityAccount.id,
                                PayoutLink.status == LinkStatus.ACTIVE))
    .outerjoin(_authorised, _authorised.id == PayoutLink.authorised_account_id)
    .outerjoin(_authorised_person, _authorised_person.personal_id == _authorised.personal_id)
    .where(EidAccount.id == revocation.live_session_citizen()))


def active_link(account: SocialSecurityAccount) -> PayoutLink | None:
    return db.session.scalar(select(PayoutLink).where(PayoutLink.account_id == account.id,
                                                      PayoutLink.status == LinkStatus.ACTIVE))


def _programme_name(programme: Any, code: str, language: str) -> str:
    if programme is None:
        return code
    return programme.name_en if language == "en" else programme.name_vi


def _find(personal_id: str) -> SocialSecurityAccount | None:
    return db.session.scalar(select(SocialSecurityAccount)
                             .where(SocialSecurityAccount.personal_id == personal_id))
