"""Everything the service holds on a citizen, as one document, for the citizen.

The owner is asking, so account numbers are decrypted and shown in full; what
belongs to other people stays out (the accounts of an authorised person they
are paid through show their last four digits only, as on the payment; the
evidence of the automatic checks, which may describe another person's
account, is summed up by each check's result). The export is audited.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from backend import db
from backend.models import (
    AuthSession,
    Consent,
    EidAccount,
    LinkDispute,
    Notification,
    OutboundMessage,
    Payment,
    PayoutLink,
    SocialSecurityAccount,
)
from backend.services.accounts import consent_texts, preferences
from backend.services.audit import access_log, trail
from backend.services.payments import history
from backend.services.shared import secret_box

FORMAT_VERSION = 1


def export(citizen: EidAccount, now: datetime, language: str) -> dict[str, Any]:
    account = db.session.scalar(select(SocialSecurityAccount).where(
        SocialSecurityAccount.personal_id == citizen.personal_id))
    document: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "exported_at": now,
        "identity": {"personal_id": citizen.personal_id, "full_name": citizen.full_name,
                     "date_of_birth": citizen.date_of_birth, "phone": citizen.phone,
                     "ial": citizen.ial, "created_at": citizen.created_at},
        "social_security_account": None,
        "payout_links": [], "consents": [], "notifications": [],
        "notification_preferences": None, "messages": [], "disputes": [],
        "payments": [_payment(payment) for payment in db.session.scalars(
            select(Payment).where(Payment.personal_id == citizen.personal_id)
            .order_by(Payment.id))],
        "sessions": [_session(auth_session) for auth_session in db.session.scalars(
            select(AuthSession).where(AuthSession.citizen_id == citizen.id)
            .order_by(AuthSession.created_at))],
        "staff_access": [asdict(access) for access in
                         access_log.all_for(citizen.personal_id, language)],
    }
    if account is not None:
        document.update(_account_records(account, language))
    trail.record("citizen", "data.exported", now, subject_personal_id=citizen.personal_id,
                 details={"sections": {name: len(value) for name, value in document.items()
                                       if isinstance(value, list)}})
    db.session.commit()
    return _plain(document)


def _account_records(account: SocialSecurityAccount, language: str) -> dict[str, Any]:
    of_account = {"account_id": account.id}
    return {
        "social_security_account": {"status": account.status, "created_at": account.created_at},
        "payout_links": [_link(link) for link in db.session.scalars(
            select(PayoutLink).filter_by(**of_account).order_by(PayoutLink.id))],
        "consents": [{"id": consent.id, "purpose": consent.purpose, "link_id": consent.link_id,
                      "text_version": consent.text_version,
                      "text": consent_texts.text_of(consent.text_version, language),
                      "given_at": consent.given_at, "withdrawn_at": consent.withdrawn_at}
                     for consent in db.session.scalars(
                         select(Consent).filter_by(**of_account).order_by(Consent.id))],
        "notifications": [{"id": notice.id, "kind": notice.kind, "params": notice.params,
                           "created_at": notice.created_at, "read_at": notice.read_at}
                          for notice in db.session.scalars(
                              select(Notification).filter_by(**of_account)
                              .order_by(Notification.id))],
        "notification_preferences": preferences.of(account),
        "messages": [{"id": message.id, "channel": message.channel, "phone": message.phone,
                      "kind": message.kind, "status": message.status,
                      "created_at": message.created_at}
                     for message in db.session.scalars(
                         select(OutboundMessage).filter_by(**of_account)
                         .order_by(OutboundMessage.id))],
        "disputes": [{"id": dispute.id, "link_id": dispute.link_id, "status": dispute.status,
                      "opened_via": dispute.opened_via, "created_at": dispute.created_at,
                      "updated_at": dispute.updated_at}
                     for dispute in db.session.scalars(
                         select(LinkDispute).filter_by(**of_account).order_by(LinkDispute.id))],
    }


def _link(link: PayoutLink) -> dict[str, Any]:
    return {
        "id": link.id, "kind": link.kind, "status": link.status, "reason": link.reason,
        "institution": link.institution,
        "account_number": secret_box.decrypt(link.account_number_encrypted)
        if link.account_number_encrypted else None,
        "holder_name": link.holder_name, "authorised_personal_id": link.authorised_personal_id,
        "created_at": link.created_at, "activated_at": link.activated_at,
        "payable_from": link.payable_from, "frozen_at": link.frozen_at,
        "history": [{"from_status": move.from_status, "to_status": move.to_status,
                     "at": move.at, "actor": _actor_kind(move.actor), "reason": move.reason}
                    for move in link.history],
        "checks": [{"name": check.name, "result": check.result, "reason": check.reason,
                    "at": check.at} for check in link.checks],
    }


def _payment(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.id, "programme": payment.programme, "period": payment.period,
        "amount_vnd": payment.amount_vnd, "status": payment.status,
        "hold_reason": payment.hold_reason, "destination_kind": payment.destination_kind,
        "destination_institution": payment.destination_institution,
        "destination_last4": payment.destination_last4,
        "destination_link_id": payment.destination_link_id,
        "failure_reason": payment.failure_reason, "cash_deadline": payment.cash_deadline,
        "created_at": payment.created_at, "updated_at": payment.updated_at,
        "history": [{"from_status": move.from_status, "to_status": move.to_status,
                     "at": move.at, "actor": _actor_kind(move.actor), "reason": move.reason}
                    for move in history.timeline(payment)],
    }


def _session(auth_session: AuthSession) -> dict[str, Any]:
    return {"id": auth_session.id, "device_id": auth_session.device_id,
            "user_agent": auth_session.user_agent, "place": auth_session.place,
            "created_at": auth_session.created_at, "last_seen_at": auth_session.last_seen_at,
            "expires_at": auth_session.expires_at, "ended_at": auth_session.revoked_at,
            "ended_because": auth_session.revoked_reason}


def _actor_kind(actor: str) -> str:
    """Staff names stay out of the citizen's copy: "staff", "citizen", "system"..."""
    return actor.split(":", 1)[0]


def _plain(value: Any) -> Any:
    """Times as ISO 8601, the rest as JSON has it."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
