"""Finding the payments of payment requests.

No index of `payments` names `request_id`: putting a national payroll into
its requests then rewrites each row on its page (a HOT update on
PostgreSQL) instead of adding an entry to every index of the table (issue
11). A request is one period, programme and province, so its payments are
found by the group index, then checked by request id: the cost is the
group's rows, whatever the size of the table.

The groups are named by value, not joined: right after a payroll is put
into its requests, the statistics still say no payment has one, and a join
from payments to requests planned on that became a nested loop comparing a
million payments with every request (17 s a statement). Values in the
group index's columns are estimated from statistics that never go stale.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, false, select

from backend import db
from backend.models import Payment, PaymentRequest


def of_requests(request_ids: Iterable[int]) -> ColumnElement[bool]:
    """The payments in these requests (one query reads their groups).

    The group condition is each column's values, a superset when requests
    differ in more than one column (a period's requests are exact); the
    request id then decides.
    """
    ids = list(request_ids)
    groups = db.session.execute(
        select(PaymentRequest.period, PaymentRequest.programme, PaymentRequest.province_code)
        .where(PaymentRequest.id.in_(ids))).all()
    if not groups:
        return false()
    periods, programmes, provinces = (sorted(set(values)) for values in zip(*groups, strict=True))
    return and_(Payment.period.in_(periods), Payment.programme.in_(programmes),
                Payment.province_code.in_(provinces), Payment.request_id.in_(ids))


def of_each_request() -> ColumnElement[bool]:
    """The payments of the `PaymentRequest` row of the enclosing query (a join or
    a correlated EXISTS)."""
    return and_(Payment.period == PaymentRequest.period,
                Payment.programme == PaymentRequest.programme,
                Payment.province_code == PaymentRequest.province_code,
                Payment.request_id == PaymentRequest.id)
