"""Treasury control of a programme's budget: what a period may pay against what it asks.

A programme's budget covers one period (a month, or a one-off's label).
Requests already approved for that programme and period are committed; a
request is covered if its total fits in what is left. Requests controlled
together are counted in the order they were built, those of one build by
province, each as if the ones before it were approved, so a period split
over many provinces cannot pass one by one what it could not pass as a
whole. (Not in id order: a build's provinces get their ids in parts side by
side, in whichever order the parts run; the decision must not depend on it.)
Control holds the budgets of the programmes it approves from (`hold`) until
its approvals are committed, so two controllers approving at once cannot
both spend what is left.
"""
from __future__ import annotations

from sqlalchemy import func, select, tuple_

from backend import db
from backend.models import PaymentRequest, Programme
from backend.models.statuses import PaymentRequestStatus

_COMMITTED = (PaymentRequestStatus.APPROVED, PaymentRequestStatus.DISPATCHED)


def hold(requests: list[PaymentRequest]) -> None:
    """Take the budgets of these requests' programmes for this transaction: another
    approval from them waits until it ends. (NO KEY UPDATE: the rows that name a
    programme can still be written meanwhile, by this approval's own parts too.)
    SQLite has one writer at a time already."""
    codes = sorted({request.programme for request in requests})
    if codes:
        db.session.execute(select(Programme.code).where(Programme.code.in_(codes))
                           .order_by(Programme.code).with_for_update(key_share=True))


def findings_of(requests: list[PaymentRequest], totals: dict[int, tuple[int, int]]
                ) -> dict[int, dict]:
    """{"budget_vnd", "committed_vnd", "total_vnd", "covered"} of each request, by id;
    `totals` are the (count, total) control recomputed."""
    groups = {(request.programme, request.period) for request in requests}
    if not groups:
        return {}
    budgets = dict(db.session.execute(select(Programme.code, Programme.budget_vnd).where(
        Programme.code.in_({programme for programme, _ in groups}))).all())
    committed = {(programme, period): int(total) for programme, period, total in
                 db.session.execute(
                     select(PaymentRequest.programme, PaymentRequest.period,
                            func.sum(PaymentRequest.total_vnd))
                     .where(tuple_(PaymentRequest.programme, PaymentRequest.period).in_(groups),
                            PaymentRequest.status.in_(_COMMITTED))
                     .group_by(PaymentRequest.programme, PaymentRequest.period))}
    found = {}
    for request in sorted(requests, key=lambda each: (each.created_at, each.province_code,
                                                      each.id)):
        group = (request.programme, request.period)
        budget, before, total = budgets.get(request.programme), committed.get(group, 0), \
            totals[request.id][1]
        committed[group] = before + total
        found[request.id] = {"budget_vnd": budget, "committed_vnd": before, "total_vnd": total,
                             "covered": budget is None or before + total <= budget}
    return found
