"""The citizen's social security account: one per personal ID."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend import db, integrations
from backend.models import EidAccount, PayoutLink, Programme, SocialSecurityAccount
from backend.models.statuses import AccountStatus, LinkStatus
from backend.services.accounts import notifications
from backend.services.accounts.account_numbers import mask


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


def overview(citizen: EidAccount, now: datetime, language: str) -> AccountOverview:
    account = get_or_create(citizen, now)
    entitlements = integrations.current().beneficiary_register.entitlements_of(
        citizen.personal_id)
    names = {programme.code: programme for programme in db.session.scalars(select(Programme))}
    programmes = [
        ProgrammeEntitlement(
            code=entitlement.programme,
            name=_programme_name(names.get(entitlement.programme), entitlement.programme,
                                 language),
            monthly_amount_vnd=entitlement.monthly_amount_vnd,
            province_code=entitlement.province_code, since=entitlement.since)
        for entitlement in entitlements]
    return AccountOverview(personal_id=account.personal_id, status=account.status,
                           created_at=account.created_at, active_payout=_active_payout(account),
                           programmes=programmes)


def active_link(account: SocialSecurityAccount) -> PayoutLink | None:
    return db.session.scalar(select(PayoutLink).where(PayoutLink.account_id == account.id,
                                                      PayoutLink.status == LinkStatus.ACTIVE))


def _active_payout(account: SocialSecurityAccount) -> ActivePayout | None:
    link = active_link(account)
    if link is None:
        return None
    holder = link.holder_name
    if link.kind == "authorised_person":
        holder = db.session.scalar(select(EidAccount.full_name).join(
            SocialSecurityAccount, SocialSecurityAccount.personal_id == EidAccount.personal_id
        ).where(SocialSecurityAccount.id == link.authorised_account_id))
    # link_states.move sets it on every move to ACTIVE.
    assert link.activated_at is not None
    return ActivePayout(id=link.id, kind=link.kind, institution=link.institution,
                        account_masked=mask(link.account_last4), holder_name=holder,
                        since=link.activated_at)


def _programme_name(programme: Programme | None, code: str, language: str) -> str:
    if programme is None:
        return code
    return programme.name_en if language == "en" else programme.name_vi


def _find(personal_id: str) -> SocialSecurityAccount | None:
    return db.session.scalar(select(SocialSecurityAccount)
                             .where(SocialSecurityAccount.personal_id == personal_id))
