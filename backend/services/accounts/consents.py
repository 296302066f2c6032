"""The citizen's consents: what they agreed to, and withdrawing one.

A consent is given with each payout link request. Withdrawing it takes the
link with it: an active link ends (payments then go in cash, as when the
citizen unlinks) and a pending request is cancelled. That consequence is
told before anything happens: the list names it for each consent, and a
withdrawal that has one is refused until the citizen confirms it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from backend import db, messages
from backend.errors import Conflict, NotFound
from backend.models import Consent, EidAccount, PayoutLink
from backend.models.statuses import (
    LINK_PENDING,
    ConsentStatus,
    ConsentWithdrawalEffect,
    LinkStatus,
)
from backend.services.accounts import consent_texts, linking, social_security
from backend.services.audit import trail
from backend.services.identity import step_up

WITHDRAWN_REASON = "CONSENT_WITHDRAWN"


@dataclass(frozen=True)
class ConsentView:
    id: int
    purpose: str
    text_version: str
    text: str | None
    given_at: datetime
    status: str
    withdrawn_at: datetime | None
    link_id: int
    link_status: str
    withdrawal_effect: str | None
    withdrawal_effect_text: str | None


def list_for(citizen: EidAccount, now: datetime, language: str) -> list[ConsentView]:
    account = social_security.get_or_create(citizen, now)
    rows = db.session.execute(
        select(Consent, PayoutLink.status).join(PayoutLink, PayoutLink.id == Consent.link_id)
        .where(Consent.account_id == account.id)
        .order_by(Consent.given_at.desc(), Consent.id.desc())).all()
    return [_view(consent, link_status, language) for consent, link_status in rows]


def withdraw(citizen: EidAccount, consent_id: int, confirmed: bool, otp: str | None,
             now: datetime, language: str, passcode: str | None = None) -> ConsentView:
    """Withdraw one of the citizen's consents with the passcode or a fresh one-time code.

    Refused (CONFLICT, `details.reason` CONFIRMATION_REQUIRED, with the effect)
    before the code is used, while a withdrawal that ends a link is not confirmed."""
    account = social_security.get_or_create(citizen, now)
    consent = db.session.get(Consent, consent_id)
    if consent is None or consent.account_id != account.id:
        raise NotFound()
    if consent.withdrawn_at is not None:
        raise Conflict({"reason": ["ALREADY_WITHDRAWN"]})
    link = db.get_existing(PayoutLink, consent.link_id)
    effect = _effect(link.status)
    if effect is not None and not confirmed:
        # The message itself says what would happen; the app shows it and asks.
        raise Conflict({"reason": ["CONFIRMATION_REQUIRED"], "effect": [effect],
                        "effect_text": [_effect_text(effect, language)]},
                       message_key=f"CONSENT_WITHDRAWAL_{effect}")
    step_up.confirm(citizen, otp, now, passcode=passcode)
    db.session.commit()  # the code is spent whatever happens next
    if effect == ConsentWithdrawalEffect.REQUEST_CANCELLED:
        # Cancelling commits on its own, retrying while the checks move the request.
        linking.cancel(citizen, link.id, now, reason=WITHDRAWN_REASON)
    elif effect == ConsentWithdrawalEffect.PAYMENTS_IN_CASH:
        linking.end_active(link, "citizen", WITHDRAWN_REASON, now)
    marked = db.execute_counted(
        update(Consent).where(Consent.id == consent.id, Consent.withdrawn_at.is_(None))
        .values(withdrawn_at=now).execution_options(synchronize_session=False))
    if marked != 1:
        db.session.rollback()
        raise Conflict({"reason": ["ALREADY_WITHDRAWN"]})
    trail.record("citizen", "consent.withdrawn", now, subject_personal_id=citizen.personal_id,
                 target=f"consent:{consent.id}",
                 details={"purpose": consent.purpose, "link_id": link.id, "effect": effect})
    db.session.commit()
    db.session.refresh(consent)
    db.session.refresh(link)
    return _view(consent, link.status, language)


def _effect(link_status: str) -> str | None:
    if link_status == LinkStatus.ACTIVE:
        return ConsentWithdrawalEffect.PAYMENTS_IN_CASH
    if link_status in LINK_PENDING:
        return ConsentWithdrawalEffect.REQUEST_CANCELLED
    return None


def _effect_text(effect: str | None, language: str) -> str | None:
    return None if effect is None else messages.text(f"consent_effect.{effect}", language)


def _view(consent: Consent, link_status: str, language: str) -> ConsentView:
    effect = None if consent.withdrawn_at is not None else _effect(link_status)
    return ConsentView(
        id=consent.id, purpose=consent.purpose, text_version=consent.text_version,
        text=consent_texts.text_of(consent.text_version, language), given_at=consent.given_at,
        status=ConsentStatus.GIVEN if consent.withdrawn_at is None else ConsentStatus.WITHDRAWN,
        withdrawn_at=consent.withdrawn_at, link_id=consent.link_id, link_status=link_status,
        withdrawal_effect=effect, withdrawal_effect_text=_effect_text(effect, language))
