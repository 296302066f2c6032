"""Treasury control by batch: a programme's period, with its provinces' requests inside.

Requests are built one per programme, period and province, so a month is
hundreds of them; the Treasury decides a batch (a programme's period) at
once, so that a month is a handful of decisions. A batch's decision runs
the same control as a request's (`treasury`): approving approves the sound
requests in it and leaves the others, each with its reason, for a person;
every request moved is audited as it is when decided alone.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, exists, func, select, tuple_

from backend import db
from backend.errors import NotFound
from backend.models import CASH_DESTINATION, Payment, PaymentRequest
from backend.models.statuses import PaymentRequestStatus
from backend.services.payments import dispatch, request_scope, treasury

BATCH_FILTERS = ("status", "period", "programme")


def listing(filters: dict, page: int, page_size: int) -> tuple[list[dict], int]:
    """Batches, newest first: their requests, provinces, payments, amount, how many
    requests are in each status and what control finds in those still waiting.
    `status` keeps the batches with at least one request in that status."""
    conditions = [getattr(PaymentRequest, name) == filters[name]
                  for name in ("period", "programme") if filters.get(name)]
    in_status = {status: func.sum(case((PaymentRequest.status == status, 1), else_=0))
                 for status in PaymentRequestStatus}
    statement = (select(PaymentRequest.programme, PaymentRequest.period,
                        func.count().label("requests"),
                        func.count(PaymentRequest.province_code.distinct()).label("provinces"),
                        func.sum(PaymentRequest.count).label("payments"),
                        func.sum(PaymentRequest.total_vnd).label("total_vnd"),
                        func.max(PaymentRequest.created_at).label("created_at"),
                        *(column.label(status) for status, column in in_status.items()))
                 .where(*conditions)
                 .group_by(PaymentRequest.programme, PaymentRequest.period)
                 .order_by(func.max(PaymentRequest.created_at).desc(),
                           PaymentRequest.period.desc(), PaymentRequest.programme))
    if filters.get("status"):
        statement = statement.having(in_status[PaymentRequestStatus(filters["status"])] > 0)
    total = db.session.execute(select(func.count()).select_from(
        statement.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(statement.limit(page_size).offset((page - 1) * page_size)).all()
    batches = [{"programme": row.programme, "period": row.period, "requests": row.requests,
                "provinces": row.provinces, "count": int(row.payments or 0),
                "total_vnd": int(row.total_vnd or 0), "created_at": row.created_at,
                "statuses": {status: int(getattr(row, status) or 0)
                             for status in PaymentRequestStatus
                             if getattr(row, status)}} for row in rows]
    waiting = _waiting_findings([(batch["programme"], batch["period"]) for batch in batches])
    for batch in batches:
        batch["findings"] = waiting.get((batch["programme"], batch["period"]))
    return batches, total


def get(programme: str, period: str) -> dict:
    """One batch: its requests by province, each with what control finds (computed
    now while it waits, as stored at its decision after), and the batch's summary."""
    requests = _requests_of(programme, period)
    if not requests:
        raise NotFound()
    waiting = [request for request in requests
               if request.status == PaymentRequestStatus.SUBMITTED]
    found = treasury.findings_of(waiting) if waiting else {}
    return {"programme": programme, "period": period, "requests": requests,
            "findings": {request.id: found.get(request.id, request.findings or {})
                         for request in requests},
            "count": sum(request.count for request in requests),
            "total_vnd": sum(request.total_vnd for request in requests),
            "provinces": len({request.province_code for request in requests}),
            "statuses": {status: count for status in PaymentRequestStatus
                         if (count := sum(request.status == status for request in requests))},
            "waiting": summary(found) if found else None,
            "to_dispatch": len(_to_dispatch(programme, period)),
            # Only payments into accounts go into a bank file: the others are cash only.
            "into_accounts": set(db.session.scalars(
                select(Payment.request_id).where(
                    request_scope.of_requests([request.id for request in requests]),
                    Payment.destination_kind != CASH_DESTINATION).distinct()))}


def approve_sound(actor: str, programme: str, period: str, now: datetime) -> dict:
    """Approve every sound request waiting in the batch (see `treasury.approve_sound`)."""
    return treasury.approve_sound(actor, _waiting_ids(programme, period), now)


def reject(actor: str, programme: str, period: str, reasons: list[str], note: str,
           now: datetime) -> list[int]:
    """Reject every request waiting in the batch, with the same reasons and note."""
    return treasury.reject_all(actor, _waiting_ids(programme, period), reasons, note, now)


def dispatch_approved(actor: str, programme: str, period: str,
                      now: datetime) -> list[dispatch.DispatchReport]:
    """Send the bank files of every approved request of the batch that pays into
    accounts (a cash-only request has none), together; safe to run again, so a
    batch interrupted midway is finished by a second run."""
    _known(programme, period)
    return dispatch.dispatch_many(_to_dispatch(programme, period), now, actor=actor)


def summary(found: dict[int, dict]) -> dict:
    """What control finds in many requests, counted: those sound, those whose totals
    or checksum changed, those the budget does not cover, deceased and held payments."""
    why = {request_id: treasury.unsound(each) for request_id, each in found.items()}
    reasons = list(why.values())
    # Control counts requests in order, each as if those before it were approved:
    # the first has the least committed before it.
    first = min((each["budget"] for each in found.values()),
                key=lambda budget: budget["committed_vnd"])
    return {"requests": len(found),
            "budget": None if first["budget_vnd"] is None else {
                "budget_vnd": first["budget_vnd"], "committed_vnd": first["committed_vnd"],
                "total_vnd": sum(each["total_vnd"] for each in found.values()),
                "covered": all(each["budget"]["covered"] for each in found.values())},
            "sound": reasons.count(None),
            # The requests approval would leave, by id, with why: for a person to open.
            "unsound": {request_id: reason for request_id, reason in sorted(why.items())
                        if reason},
            "totals_mismatch": reasons.count("TOTALS_MISMATCH"),
            "over_budget": reasons.count("BUDGET_NOT_AVAILABLE"),
            "deceased": sum(each["deceased"] for each in found.values()),
            "held": sum(held["count"] for each in found.values()
                        for held in each["held"].values())}


def _of_batch(programme: str, period: str) -> ColumnElement[bool]:
    return and_(PaymentRequest.programme == programme, PaymentRequest.period == period)


def _requests_of(programme: str, period: str) -> list[PaymentRequest]:
    return list(db.session.scalars(select(PaymentRequest).where(_of_batch(programme, period))
                                   .order_by(PaymentRequest.province_code, PaymentRequest.id)))


def _known(programme: str, period: str) -> None:
    if not db.session.scalar(select(exists().where(_of_batch(programme, period)))):
        raise NotFound()


def _waiting_ids(programme: str, period: str) -> list[int]:
    _known(programme, period)
    return list(db.session.scalars(
        select(PaymentRequest.id).where(_of_batch(programme, period),
                                        PaymentRequest.status == PaymentRequestStatus.SUBMITTED)
        .order_by(PaymentRequest.id)))


def _to_dispatch(programme: str, period: str) -> list[int]:
    """The batch's approved requests with payments into accounts, not yet sent."""
    into_accounts = exists().where(request_scope.of_each_request(),
                                   Payment.destination_kind != CASH_DESTINATION)
    return list(db.session.scalars(
        select(PaymentRequest.id).where(_of_batch(programme, period),
                                        PaymentRequest.status == PaymentRequestStatus.APPROVED,
                                        into_accounts)
        .order_by(PaymentRequest.id)))


def _waiting_findings(batches: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """The summary of control's findings on the requests still waiting in each batch."""
    if not batches:
        return {}
    waiting = list(db.session.scalars(
        select(PaymentRequest).where(
            PaymentRequest.status == PaymentRequestStatus.SUBMITTED,
            tuple_(PaymentRequest.programme, PaymentRequest.period).in_(batches))
        .order_by(PaymentRequest.id)))
    if not waiting:
        return {}
    found = treasury.findings_of(waiting)
    by_batch: dict[tuple[str, str], dict[int, dict]] = {}
    for request in waiting:
        by_batch.setdefault((request.programme, request.period), {})[request.id] = \
            found[request.id]
    return {batch: summary(each) for batch, each in by_batch.items()}
