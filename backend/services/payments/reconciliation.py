"""Reconciliation of a payment request: planned against paid, failed and cash.

Counts and amounts per outcome, and every difference between what we
recorded and what the bank gateway reported, each listed by end-to-end id.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, exists, func, null, select
from sqlalchemy.orm import aliased

from backend import db
from backend.models import BankCallback, Payment
from backend.models.statuses import BankResult, PaymentStatus
from backend.services.payments import treasury

MAX_LISTED = 500
# Every outcome a payment of a request can have, in the order a controller reads them.
OUTCOMES = ("paid", "failed", "cash_paid", "cash_ready", "rejected", "in_progress")


def _bucket():
    return case(
        (and_(Payment.status == PaymentStatus.PAID, Payment.destination_kind == "cash"),
         "cash_paid"),
        (Payment.status == PaymentStatus.CASH_READY, "cash_ready"),
        (Payment.status == PaymentStatus.PAID, "paid"),
        (Payment.status.in_((PaymentStatus.FAILED, PaymentStatus.REISSUED)), "failed"),
        (Payment.status == PaymentStatus.REJECTED, "rejected"),
        else_="in_progress")


def reconcile(request_id: int) -> dict:
    request = treasury.get(request_id)
    of_request = Payment.request_id == request_id
    rows = db.session.execute(
        select(_bucket().label("bucket"), func.count(),
               func.coalesce(func.sum(Payment.amount_vnd), 0))
        .where(of_request).group_by("bucket")).all()
    found = {bucket: {"count": count, "amount_vnd": int(amount)}
             for bucket, count, amount in rows}
    outcomes = {bucket: found.get(bucket, {"count": 0, "amount_vnd": 0}) for bucket in OUTCOMES}
    planned = {"count": request.count, "amount_vnd": request.total_vnd}
    accounted = {"count": sum(item["count"] for item in outcomes.values()),
                 "amount_vnd": sum(item["amount_vnd"] for item in outcomes.values())}
    return {"request_id": request_id, "programme": request.programme,
            "period": request.period, "province_code": request.province_code,
            "status": request.status, "planned": planned, "outcomes": outcomes,
            "accounted": accounted,
            "differences": _differences(request_id, planned, accounted)}


def _differences(request_id: int, planned: dict, accounted: dict) -> list[dict]:
    differences: list[dict[str, Any]] = []
    if planned != accounted:
        differences.append({"kind": "TOTALS", "planned": planned, "accounted": accounted})
    of_request = Payment.request_id == request_id
    settled = aliased(BankCallback)
    checks = [
        ("PAID_WITHOUT_SETTLEMENT",
         select(Payment.end_to_end_id, Payment.amount_vnd, func.max(settled.amount_vnd))
         .outerjoin(settled, and_(settled.end_to_end_id == Payment.end_to_end_id,
                                  settled.status == BankResult.SETTLED))
         .where(of_request, Payment.status == PaymentStatus.PAID,
                Payment.destination_kind != "cash")
         .group_by(Payment.id, Payment.end_to_end_id, Payment.amount_vnd)
         .having(func.count(settled.id) == 0)),
        ("AMOUNT_DIFFERS",
         select(Payment.end_to_end_id, Payment.amount_vnd, settled.amount_vnd)
         .join(settled, settled.end_to_end_id == Payment.end_to_end_id)
         .where(of_request, settled.amount_vnd != Payment.amount_vnd)),
        ("NO_RESULT_YET",
         select(Payment.end_to_end_id, Payment.amount_vnd, null())
         .where(of_request, Payment.status == PaymentStatus.SENT)),
        ("CONFLICTING_RESULTS",
         select(Payment.end_to_end_id, Payment.amount_vnd, null())
         # Probes the callbacks of this request's payments, not every rejection kept.
         .where(of_request, Payment.status == PaymentStatus.PAID, exists().where(
             BankCallback.end_to_end_id == Payment.end_to_end_id,
             BankCallback.status == BankResult.REJECTED))),
    ]
    for kind, query in checks:
        for e2e, amount, reported in db.session.execute(query.limit(MAX_LISTED)):
            differences.append({"kind": kind, "end_to_end_id": e2e, "amount_vnd": amount,
                                "reported_amount_vnd": reported})
    return differences
