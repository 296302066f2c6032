"""Reconciliation of a payment request: planned against paid, failed and cash.

Counts and amounts per outcome, and every difference between what we
recorded, what the bank gateway reported and what the bank's end-of-day
statements booked, each listed by end-to-end id. It is stored per request
right after results arrive (`store`); readers get the stored one
(`stored`), computed again first only if results arrived since.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, exists, false, func, null, select, update
from sqlalchemy.orm import aliased

from backend import db
from backend.models import CASH_DESTINATION, BankCallback, Payment, PaymentRequest
from backend.models.reconciliation import BankStatement, Reconciliation, StatementEntry
from backend.models.statuses import BankResult, PaymentStatus
from backend.services.payments import request_scope, treasury
from backend.vietnam_time import VIETNAM_TIME

MAX_LISTED = 500
_CHUNK = 500  # requests computed together
# What stored a reconciliation: a kind, and for files the file (`kind:reference`).
FIRST_READING, CALLBACKS, RESULT_FILE, STATEMENT = (
    "first_reading", "callbacks", "result_file", "statement")
# Every outcome a payment of a request can have, in the order a controller reads them.
OUTCOMES = ("paid", "failed", "cash_paid", "cash_ready", "expired", "rejected", "in_progress")


def _bucket():
    return case(
        (and_(Payment.status == PaymentStatus.PAID, Payment.destination_kind == CASH_DESTINATION),
         "cash_paid"),
        (Payment.status == PaymentStatus.CASH_READY, "cash_ready"),
        # Cash not collected in time: back with the Treasury.
        (Payment.status == PaymentStatus.EXPIRED, "expired"),
        (Payment.status == PaymentStatus.PAID, "paid"),
        (Payment.status.in_((PaymentStatus.FAILED, PaymentStatus.REISSUED)), "failed"),
        (Payment.status == PaymentStatus.REJECTED, "rejected"),
        else_="in_progress")


def trigger(kind: str, reference: str = "") -> str:
    return f"{kind}:{reference}" if reference else kind


def store(request_ids: Iterable[int], trigger: str | Mapping[int, str], now: datetime) -> None:
    """Compute and keep the reconciliation of each request (after its results).

    Set-based over the requests: a result file that touched 300 requests
    costs the same statements as one that touched a single request, and so
    do the requests of many files picked up together (`trigger` then names
    each request's last file, by request id).
    """
    ids = sorted(set(request_ids))
    triggers = trigger if isinstance(trigger, Mapping) else dict.fromkeys(ids, trigger)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        kept = {row.request_id: row for row in db.session.scalars(
            select(Reconciliation).where(Reconciliation.request_id.in_(chunk)))}
        for request_id, computed in _compute(chunk).items():
            row = kept.get(request_id) or Reconciliation(request_id=request_id)
            row.computed_at, row.stale, row.trigger = now, False, triggers[request_id][:120]
            row.summary = {key: computed[key]
                           for key in ("planned", "outcomes", "accounted", "settled_by")}
            row.differences = computed["differences"]
            row.difference_count = len(computed["differences"])
            db.session.add(row)
    db.session.flush()


def mark_stale(payments_where) -> None:
    """A single result changed these payments: their requests' stored answer is out of date."""
    mark_requests_stale(
        select(Payment.request_id).where(payments_where, Payment.request_id.isnot(None)))


def mark_requests_stale(request_ids: Iterable[int] | Select) -> None:
    """These requests' stored answers are out of date: `stored` computes them again."""
    ids = request_ids if isinstance(request_ids, Select) else list(request_ids)
    db.session.execute(
        update(Reconciliation).where(Reconciliation.request_id.in_(ids))
        .values(stale=True).execution_options(synchronize_session=False))


def stored(request_id: int, now: datetime) -> dict:
    """The stored reconciliation, computed and kept first if missing or stale."""
    request = treasury.get(request_id)
    row = db.session.get(Reconciliation, request_id)
    if row is None or row.stale:
        store([request_id], CALLBACKS if row is not None else FIRST_READING, now)
        db.session.commit()
        row = db.session.get(Reconciliation, request_id)
        assert row is not None
    return {"request_id": request_id, "programme": request.programme,
            "period": request.period, "province_code": request.province_code,
            "status": request.status, "computed_at": row.computed_at, "trigger": row.trigger,
            **row.summary, "differences": row.differences}


def _compute(ids: list[int]) -> dict[int, dict]:
    of_requests = request_scope.of_requests(ids)
    planned = {request_id: {"count": count, "amount_vnd": total}
               for request_id, count, total in db.session.execute(
                   select(PaymentRequest.id, PaymentRequest.count, PaymentRequest.total_vnd)
                   .where(PaymentRequest.id.in_(ids)))}
    found: dict[int, dict] = {request_id: {} for request_id in planned}
    for request_id, bucket, count, amount in db.session.execute(
            select(Payment.request_id, _bucket().label("bucket"), func.count(),
                   func.coalesce(func.sum(Payment.amount_vnd), 0))
            .where(of_requests).group_by(Payment.request_id, "bucket")):
        found[request_id][bucket] = {"count": count, "amount_vnd": int(amount)}
    settled_by, listed = _settled_by(of_requests), _listed_differences(of_requests)
    computed = {}
    for request_id, plan in planned.items():
        outcomes = {bucket: found[request_id].get(bucket, {"count": 0, "amount_vnd": 0})
                    for bucket in OUTCOMES}
        accounted = {"count": sum(item["count"] for item in outcomes.values()),
                     "amount_vnd": sum(item["amount_vnd"] for item in outcomes.values())}
        totals = [] if plan == accounted else [
            {"kind": "TOTALS", "planned": plan, "accounted": accounted}]
        computed[request_id] = {"planned": plan, "outcomes": outcomes, "accounted": accounted,
                                "settled_by": settled_by.get(request_id, []),
                                "differences": totals + listed.get(request_id, [])}
    return computed


def _settled_by(of_requests) -> dict[int, list[dict]]:
    """Which bank results paid each request's payments: each source, its count and sum."""
    found: dict[int | None, list[dict]] = {}
    for request_id, source, count, amount in db.session.execute(
            select(Payment.request_id, BankCallback.source, func.count(),
                   func.sum(Payment.amount_vnd))
            .join(Payment, Payment.end_to_end_id == BankCallback.end_to_end_id)
            .where(of_requests, Payment.status == PaymentStatus.PAID,
                   BankCallback.status == BankResult.SETTLED,
                   BankCallback.applied_at.isnot(None))
            .group_by(Payment.request_id, BankCallback.source)
            .order_by(Payment.request_id, BankCallback.source)):
        found.setdefault(request_id, []).append(
            {"source": source, "count": count, "amount_vnd": int(amount or 0)})
    return {request_id: sources for request_id, sources in found.items()
            if request_id is not None}


def _listed_differences(of_requests) -> dict[int, list[dict]]:
    """Every difference by end-to-end id, at most MAX_LISTED of a kind per request."""
    listed: dict[int, list[dict]] = {}
    for kind, query in _result_checks(of_requests) + _statement_checks(of_requests):
        found = query.subquery()
        numbered = select(found, func.row_number().over(
            partition_by=found.c.request_id, order_by=found.c.end_to_end_id).label("n")).subquery()
        for request_id, e2e, amount, reported, _ in db.session.execute(
                select(numbered).where(numbered.c.n <= MAX_LISTED)
                .order_by(numbered.c.request_id, numbered.c.n)):
            # A sum is a Decimal on PostgreSQL; the stored JSON wants an int.
            listed.setdefault(request_id, []).append(
                {"kind": kind, "end_to_end_id": e2e, "amount_vnd": amount,
                 "reported_amount_vnd": None if reported is None else int(reported)})
    return listed


def _columns(reported):
    """What every check lists: request, end-to-end id, our amount, what was reported."""
    return (Payment.request_id, Payment.end_to_end_id, Payment.amount_vnd,
            reported.label("reported"))


def _result_checks(of_requests) -> list[tuple[str, Any]]:
    settled = aliased(BankCallback)
    return [
        ("PAID_WITHOUT_SETTLEMENT",
         select(*_columns(func.max(settled.amount_vnd)))
         .outerjoin(settled, and_(settled.end_to_end_id == Payment.end_to_end_id,
                                  settled.status == BankResult.SETTLED))
         .where(of_requests, Payment.status == PaymentStatus.PAID,
                Payment.destination_kind != CASH_DESTINATION)
         .group_by(Payment.id, Payment.request_id, Payment.end_to_end_id, Payment.amount_vnd)
         .having(func.count(settled.id) == 0)),
        ("AMOUNT_DIFFERS",
         select(*_columns(settled.amount_vnd))
         .join(settled, settled.end_to_end_id == Payment.end_to_end_id)
         .where(of_requests, settled.amount_vnd != Payment.amount_vnd)),
        ("NO_RESULT_YET",
         select(*_columns(null()))
         .where(of_requests, Payment.status == PaymentStatus.SENT)),
        ("CONFLICTING_RESULTS",
         select(*_columns(null()))
         # Probes the callbacks of these requests' payments, not every rejection kept.
         .where(of_requests, Payment.status == PaymentStatus.PAID, exists().where(
             BankCallback.end_to_end_id == Payment.end_to_end_id,
             BankCallback.status == BankResult.REJECTED))),
    ]


def _statement_checks(of_requests) -> list[tuple[str, Any]]:
    """What the bank's end-of-day statements booked, against what we believe.

    A payment is expected in a statement once a statement has been received
    for the day it was paid or a later one; before that, nothing is missing.
    A statement received again for the same account and day replaces the
    earlier one.
    """
    last_day = db.session.scalar(select(func.max(BankStatement.statement_date)))
    # The bank books in Vietnam's time; a payment paid before the end of the
    # last statement's day must be in it.
    booked_until = (datetime.combine(last_day + timedelta(days=1), time(), VIETNAM_TIME)
                    if last_day is not None else None)
    latest = (select(func.max(BankStatement.id))
              .group_by(BankStatement.account, BankStatement.statement_date))
    booked = (select(StatementEntry.end_to_end_id.label("e2e"),
                     func.sum(StatementEntry.amount_vnd).label("amount"))
              .where(StatementEntry.statement_id.in_(latest), StatementEntry.end_to_end_id.in_(
                  select(Payment.end_to_end_id).where(of_requests)))
              .group_by(StatementEntry.end_to_end_id).subquery())
    by_bank = and_(of_requests, Payment.destination_kind != CASH_DESTINATION)
    paid = and_(by_bank, Payment.status == PaymentStatus.PAID)
    return [
        ("MISSING_FROM_STATEMENT",
         select(*_columns(null()))
         .outerjoin(booked, booked.c.e2e == Payment.end_to_end_id)
         .where(paid, booked.c.e2e.is_(None),
                Payment.updated_at < booked_until if booked_until else false())),
        ("STATEMENT_AMOUNT_DIFFERS",
         select(*_columns(booked.c.amount))
         .join(booked, booked.c.e2e == Payment.end_to_end_id)
         .where(paid, booked.c.amount != Payment.amount_vnd)),
        ("BOOKED_BUT_NOT_PAID",
         select(*_columns(booked.c.amount))
         .join(booked, booked.c.e2e == Payment.end_to_end_id)
         .where(by_bank, Payment.status != PaymentStatus.PAID, booked.c.amount != 0)),
    ]


CSV_COLUMNS = ("section", "kind", "end_to_end_id", "count", "amount_vnd",
               "reported_amount_vnd", "source")


def as_csv(reconciled: dict) -> Iterator[str]:
    """The stored reconciliation as CSV lines: totals, outcomes, sources, differences."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def line(*values: object) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(*CSV_COLUMNS)
    planned = reconciled["planned"]
    yield line("planned", "", "", planned["count"], planned["amount_vnd"], "", "")
    for bucket, sums in reconciled["outcomes"].items():
        yield line("outcome", bucket, "", sums["count"], sums["amount_vnd"], "", "")
    accounted = reconciled["accounted"]
    yield line("accounted", "", "", accounted["count"], accounted["amount_vnd"], "", "")
    for source in reconciled["settled_by"]:
        yield line("settled_by", "", "", source["count"], source["amount_vnd"], "",
                   source["source"])
    for difference in reconciled["differences"]:
        if difference["kind"] == "TOTALS":
            continue  # the planned and accounted lines above already show it
        yield line("difference", difference["kind"], difference["end_to_end_id"], "",
                   difference["amount_vnd"], difference["reported_amount_vnd"], "")
