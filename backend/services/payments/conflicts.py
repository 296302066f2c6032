"""Results that contradict each other for one payment become a staff case.

The bank may report a transfer settled and rejected (two callbacks, a
callback and a result file, in either order). The payment moves once (a
settlement wins, `results.apply_waiting`), and the contradiction used to
wait silently; now each such payment opens one case, set-based, in the
transaction that kept the second result. The console lists them (and on the
payment request's page); /metrics counts them (`ssa_conflicting_results_total`,
counted in the table, so every process and host agrees).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, insert, literal, select

from backend import db
from backend.db import UTCDateTime
from backend.models import BankCallback, Payment, ResultConflict
from backend.models.statuses import BankResult


def open_cases(payments_where, now: datetime) -> int:
    """Open a case for each payment matching `payments_where` whose kept results
    contradict each other and that has none yet; how many were opened."""
    def kept(status: BankResult):
        return exists().where(BankCallback.end_to_end_id == Payment.end_to_end_id,
                              BankCallback.status == status)

    # No `end_to_end_id IS NOT NULL` here (the kept results imply it): with
    # statistics from before the transfers had ids, the planner took it as
    # the way in, and compared every transfer with each line of each result
    # file (10,000 x 160 a file, 14 of the 24 s of a million-row payroll's
    # results), where the file's ids lead straight to their payments.
    contradicting = (
        select(Payment.id, Payment.request_id, Payment.end_to_end_id,
               literal(now, UTCDateTime))
        .where(payments_where, kept(BankResult.SETTLED), kept(BankResult.REJECTED),
               ~exists().where(ResultConflict.payment_id == Payment.id)))
    return db.execute_counted(insert(ResultConflict).from_select(
        ["payment_id", "request_id", "end_to_end_id", "opened_at"], contradicting))


def listing(request_id: int | None = None, page: int = 1, page_size: int = 50) -> tuple[
        list[dict], int]:
    """Cases, newest first, each with the payment's status and the results kept."""
    where = [] if request_id is None else [ResultConflict.request_id == request_id]
    total = db.session.scalar(select(func.count()).select_from(ResultConflict).where(*where)) or 0
    rows = db.session.execute(
        select(ResultConflict, Payment.status, Payment.amount_vnd)
        .join(Payment, Payment.id == ResultConflict.payment_id).where(*where)
        .order_by(ResultConflict.id.desc()).limit(page_size).offset((page - 1) * page_size)).all()
    results: dict[str, list[dict]] = {}
    for callback in db.session.scalars(select(BankCallback).where(
            BankCallback.end_to_end_id.in_([case.end_to_end_id for case, _, _ in rows]))
            .order_by(BankCallback.id)):
        results.setdefault(callback.end_to_end_id, []).append({
            "status": callback.status, "reason_code": callback.reason_code,
            "amount_vnd": callback.amount_vnd, "received_at": callback.received_at,
            "source": "file" if callback.result_file_id else "callback"})
    return [{"id": case.id, "payment_id": case.payment_id, "request_id": case.request_id,
             "end_to_end_id": case.end_to_end_id, "opened_at": case.opened_at,
             "payment_status": status, "amount_vnd": amount,
             "results": results.get(case.end_to_end_id, [])}
            for case, status, amount in rows], total


def opened_so_far() -> int:
    return db.session.scalar(select(func.count()).select_from(ResultConflict)) or 0
