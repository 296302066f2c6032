"""Results of transfers, from the bank gateway's signed callbacks.

A callback is kept once per transaction id, so a duplicate changes nothing.
One that arrives before its payment is marked SENT waits, and is applied
when the payment gets there. A payment moves SENT -> PAID or FAILED once.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, exists, select, update
from sqlalchemy.exc import IntegrityError

from backend import db
from backend.errors import ApiError, ValidationFailed
from backend.models import BankCallback, Payment
from backend.models.statuses import BankResult, PaymentStatus
from backend.services.payments import notices, reconciliation, states

GATEWAY = "bank_gateway"
_FIELDS = ("transaction_id", "end_to_end_id", "status", "amount_vnd")


class SignatureInvalid(ApiError):
    status, code = 401, "SIGNATURE_INVALID"


def _verify(raw_body: bytes, signature: str | None) -> None:
    secret = current_app.config["BANK_GATEWAY_SECRET"].encode()
    expected = "sha256=" + hmac.new(secret, raw_body, hashlib.sha256).hexdigest()
    if not signature or not hmac.compare_digest(expected, signature):
        raise SignatureInvalid()


def receive(raw_body: bytes, signature: str | None, now: datetime) -> str:
    """Verify, keep and apply one callback: 'applied', 'waiting' or 'duplicate'."""
    _verify(raw_body, signature)
    try:
        payload = json.loads(raw_body)
    except ValueError:
        raise ValidationFailed({"body": ["not JSON"]}) from None
    missing = [field for field in _FIELDS if field not in payload]
    if missing or payload["status"] not in tuple(BankResult):
        raise ValidationFailed({field: ["required"] for field in missing}
                               or {"status": [" or ".join(BankResult)]})
    db.session.add(BankCallback(
        transaction_id=str(payload["transaction_id"])[:64],
        end_to_end_id=str(payload["end_to_end_id"])[:35], status=payload["status"],
        reason_code=payload.get("reason_code"), amount_vnd=payload.get("amount_vnd"),
        received_at=now, payload=payload))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    applied = apply_waiting(Payment.end_to_end_id == payload["end_to_end_id"], now)
    # One result does not recompute a request of a million payments; its
    # stored reconciliation is recomputed when next read.
    reconciliation.mark_stale(Payment.end_to_end_id == payload["end_to_end_id"])
    db.session.commit()
    return "applied" if applied else "waiting"


def apply_waiting(payments_where, now: datetime) -> int:
    """Apply kept callbacks to the matching payments that are SENT (set-based)."""
    settled = exists().where(BankCallback.end_to_end_id == Payment.end_to_end_id,
                             BankCallback.status == BankResult.SETTLED,
                             BankCallback.amount_vnd == Payment.amount_vnd)
    refused = exists().where(BankCallback.end_to_end_id == Payment.end_to_end_id,
                             BankCallback.status == BankResult.REJECTED)
    reason = select(BankCallback.reason_code).where(
        BankCallback.end_to_end_id == Payment.end_to_end_id,
        BankCallback.status == BankResult.REJECTED).limit(1).scalar_subquery()
    paid = states.move(and_(payments_where, settled), PaymentStatus.SENT, PaymentStatus.PAID,
                       GATEWAY, now)
    notices.for_payments(and_(payments_where, settled, Payment.status == PaymentStatus.PAID,
                                         Payment.updated_at == now), "PAYMENT_PAID", now)
    failed = states.move(and_(payments_where, refused, ~settled), PaymentStatus.SENT,
                         PaymentStatus.FAILED, GATEWAY, now, failure_reason=reason)
    notices.for_payments(and_(payments_where, Payment.status == PaymentStatus.FAILED,
                                         Payment.updated_at == now), "PAYMENT_FAILED", now)
    done = select(Payment.end_to_end_id).where(
        payments_where, Payment.status.notin_((PaymentStatus.APPROVED, PaymentStatus.SENT)))
    db.session.execute(update(BankCallback)
                       .where(BankCallback.applied_at.is_(None),
                              BankCallback.end_to_end_id.in_(done))
                       .values(applied_at=now).execution_options(synchronize_session=False))
    return paid + failed
