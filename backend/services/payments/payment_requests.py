"""Payment requests to the Treasury: one per programme, period and province.

Building a request fixes each payment's destination as it stands that day:
the citizen's active account, their authorised person's, or cash at a paying
agent. Failed payments of earlier cycles are reissued first: to the account
the citizen has corrected, or to cash.

The account-change guard is applied here too, in one place: a link that
replaced another is not paid during its cooling-off period, nor while the
citizen disputes it. Its payment goes to the account it replaced if that one
is still valid, or is held (COOLING_OFF) until the link may be paid.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    cast,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import aliased

from backend import db
from backend.db import UTCDateTime
from backend.models import (
    CASH_DESTINATION,
    Payment,
    PaymentRequest,
    PaymentTransition,
    PayoutLink,
    SocialSecurityAccount,
)
from backend.models.statuses import (
    PAYMENT_REQUEST_STATES,
    PAYMENT_STATES,
    LinkStatus,
    PaymentStatus,
)
from backend.services.audit import trail
from backend.services.payments import notices, province_parts, request_scope, states

RECEIVING_KINDS = ("bank", "mobile_money")
# A payment's destination when no account of the citizen's can receive it.
CASH: dict[str, Any] = {
    "destination_kind": CASH_DESTINATION, "destination_link_id": None,
    "via_authorisation_id": None, "destination_institution": None, "destination_last4": None}


def reissue_failed(actor: str, now: datetime) -> int:
    """Each FAILED payment becomes REISSUED, with a new PLANNED payment of the same claim.

    The failed payments are found through their transition to FAILED (a
    partial index on the log): no index on `payments` names the status.
    """
    failed_ids = select(PaymentTransition.payment_id).where(
        PaymentTransition.to_status == PaymentStatus.FAILED)
    ever_failed = Payment.id.in_(failed_ids)
    stamp = literal(now, UTCDateTime())
    db.session.execute(insert(Payment).from_select(
        ["payroll_id", "personal_id", "programme", "period", "province_code", "amount_vnd",
         "status", "reissue_of", "created_at", "updated_at"],
        select(Payment.payroll_id, Payment.personal_id, Payment.programme, Payment.period,
               Payment.province_code, Payment.amount_vnd,
               literal(PAYMENT_STATES.initial, Payment.status.type), Payment.id,
               stamp, stamp).where(ever_failed, Payment.status == PaymentStatus.FAILED)))
    # The reissues just made, found by the (partial) index of reissues.
    states.record_planned(and_(Payment.reissue_of.in_(failed_ids), Payment.created_at == now),
                          actor, now, reason="REISSUE")
    reissued = states.move(ever_failed, PaymentStatus.FAILED, PaymentStatus.REISSUED, actor,
                           now)
    notices.for_payments(and_(ever_failed, Payment.status == PaymentStatus.REISSUED,
                              Payment.updated_at == now), "PAYMENT_REISSUED", now)
    return reissued


def build(period: str, actor: str, now: datetime,
          progress: Callable[[int], None] | None = None) -> list[PaymentRequest]:
    """One request per (programme, period, province) of the payments ready.

    Set-based over every group at once: the same statements for 3 groups as
    for 300, so a group costs its rows and nothing more. The provinces are
    built in parts side by side (`province_parts`), each part's requests in
    a transaction of their own. `progress` hears the payments requested once
    they are.
    """
    reissue_failed(actor, now)
    hold_cooling_off(now)
    # The reissues and holds stand even with nothing to request, and the
    # parts, on connections of their own, see them.
    db.session.commit()
    # The groups to request, read once here: the parts insert theirs.
    groups = db.session.execute(
        select(Payment.province_code, Payment.programme, func.count()).where(_to_request(period))
        .group_by(Payment.province_code, Payment.programme)).all()
    weights: dict[str, int] = {}
    for province, _, count in groups:
        weights[province] = weights.get(province, 0) + count
    parts = province_parts.split(weights, province_parts.part_count())
    built = province_parts.run(parts, lambda provinces: _build_part(
        period, [(programme, province) for province, programme, _ in groups
                 if province in provinces], actor, now))
    ids = [request_id for part in built for request_id in part]
    requests = list(db.session.scalars(select(PaymentRequest).where(PaymentRequest.id.in_(ids))
                                       .order_by(PaymentRequest.id)))
    if progress:
        progress(sum(request.count for request in requests))
    return requests


def _to_request(period: str) -> ColumnElement[bool]:
    """The payments a build of `period` puts in requests, and the held ones of a
    group never requested: a group whose every claim is held still reaches
    control once, so it is seen."""
    # The period's payments are found by the group index (it leads with the
    # period), the held ones by their own partial index.
    unrequested = and_(Payment.period == period, Payment.request_id.is_(None),
                       Payment.status == PaymentStatus.PLANNED)
    held_unseen = and_(unrequested, Payment.hold_reason.isnot(None),
                       ~exists().where(PaymentRequest.programme == Payment.programme,
                                       PaymentRequest.period == Payment.period,
                                       PaymentRequest.province_code == Payment.province_code))
    return or_(and_(unrequested, Payment.hold_reason.is_(None)), held_unseen)


def _build_part(period: str, groups: list[tuple[str, str]], actor: str,
                now: datetime) -> list[int]:
    """The requests of these (programme, province) groups, committed; their ids."""
    ids = list(db.session.scalars(insert(PaymentRequest).values([
        {"programme": programme, "period": period, "province_code": province, "count": 0,
         "total_vnd": 0, "checksum": "", "status": PAYMENT_REQUEST_STATES.initial,
         "findings": {}, "created_at": now, "updated_at": now}
        for programme, province in sorted(groups)]).returning(PaymentRequest.id)))
    new_requests = PaymentRequest.id.in_(ids)
    in_new_requests = request_scope.of_requests(ids)
    states.record_requested(new_requests, actor, now)
    # Cash unless an account says otherwise, set in the same write as the
    # move: every row of a national payroll is rewritten once here, not twice.
    states.move(and_(Payment.hold_reason.is_(None), Payment.programme == PaymentRequest.programme,
                     Payment.period == PaymentRequest.period,
                     Payment.province_code == PaymentRequest.province_code, new_requests),
                PaymentStatus.PLANNED, PaymentStatus.REQUESTED, actor, now,
                moved=in_new_requests, recorded_once=True, request_id=PaymentRequest.id,
                **CASH)
    resolve_destinations(in_new_requests, now)
    counted, sums = totals(ids), checksums(ids)
    db.session.execute(update(PaymentRequest), [
        {"id": request_id, "count": counted[request_id][0],
         "total_vnd": counted[request_id][1], "checksum": sums[request_id]}
        for request_id in ids])
    trail.record(actor, "payment_requests.built", now, target=f"payment_requests:{len(ids)}",
                 details={"period": period, "requests": [
                     {"id": request_id, "count": counted[request_id][0],
                      "total_vnd": counted[request_id][1], "checksum": sums[request_id]}
                     for request_id in ids]})
    db.session.commit()
    return ids


def _payable(link, now: datetime) -> ColumnElement[bool]:
    """An active link the guard lets be paid: past its cooling-off and not disputed."""
    return and_(link.status == LinkStatus.ACTIVE, link.frozen_at.is_(None),
                or_(link.payable_from.is_(None), link.payable_from <= now))


def _held_back(now: datetime):
    """(personal_id, the valid account it replaced or NULL) of every citizen whose
    active link, own or naming an authorised person, may not be paid yet. The
    account replaced is valid if it may still receive: superseded (not ended or
    disputed), a bank or wallet account, and no payment into it has failed."""
    current, replaced = aliased(PayoutLink), aliased(PayoutLink)
    failed_into = exists().where(Payment.destination_link_id == replaced.id,
                                 Payment.status.in_((PaymentStatus.FAILED,
                                                     PaymentStatus.REISSUED)))
    return (select(SocialSecurityAccount.personal_id, replaced.id.label("replaced_id"),
                   replaced.kind, replaced.institution, replaced.account_last4)
            .join(current, current.account_id == SocialSecurityAccount.id)
            .outerjoin(replaced, and_(replaced.id == current.replaces_link_id,
                                      replaced.status == LinkStatus.SUPERSEDED,
                                      replaced.kind.in_(RECEIVING_KINDS),
                                      replaced.frozen_at.is_(None), ~failed_into))
            .where(current.status == LinkStatus.ACTIVE, ~_payable(current, now)))


def hold_cooling_off(now: datetime) -> None:
    """Hold the planned payments of citizens whose new link may not be paid yet and
    who have no valid account before it; release those whose wait is over."""
    waiting = _held_back(now).subquery()
    nowhere_to_pay = select(waiting.c.personal_id).where(waiting.c.replaced_id.is_(None))
    planned = and_(Payment.request_id.is_(None), Payment.status == PaymentStatus.PLANNED)
    db.session.execute(update(Payment)
                       .where(planned, Payment.hold_reason == "COOLING_OFF",
                              Payment.personal_id.notin_(nowhere_to_pay))
                       .values(hold_reason=None, updated_at=now)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Payment)
                       .where(planned, Payment.hold_reason.is_(None),
                              Payment.personal_id.in_(nowhere_to_pay))
                       .values(hold_reason="COOLING_OFF", updated_at=now)
                       .execution_options(synchronize_session=False))


def resolve_destinations(of_request: ColumnElement[bool], now: datetime,
                         end_to_end_ids: bool = True) -> None:
    """Fix where each payment matching `of_request` goes, once they are set to
    cash (`CASH`, as they are requested or built): only payments with an
    account are written again. A one-off build resolves them before any
    request (`end_to_end_ids` False); its request resolves them again, as
    they stand that day, and gives the transfers their ids."""
    # 1. The citizen's own active bank or wallet account, if the guard lets it be paid.
    own = (select(PayoutLink.id, PayoutLink.kind, PayoutLink.institution,
                  PayoutLink.account_last4, SocialSecurityAccount.personal_id)
           .join(SocialSecurityAccount, SocialSecurityAccount.id == PayoutLink.account_id)
           .where(_payable(PayoutLink, now), PayoutLink.kind.in_(RECEIVING_KINDS))
           .subquery())
    db.session.execute(update(Payment).where(of_request, Payment.personal_id == own.c.personal_id)
                       .values(destination_kind=own.c.kind, destination_link_id=own.c.id,
                               destination_institution=own.c.institution,
                               destination_last4=own.c.account_last4)
                       .execution_options(synchronize_session=False))
    # 2. An authorised person: into that person's own active account.
    receiving = aliased(PayoutLink)
    authorised = (select(PayoutLink.id.label("authorisation_id"),
                         SocialSecurityAccount.personal_id, receiving.id, receiving.kind,
                         receiving.institution, receiving.account_last4)
                  .join(SocialSecurityAccount,
                        SocialSecurityAccount.id == PayoutLink.account_id)
                  .join(receiving, and_(receiving.account_id == PayoutLink.authorised_account_id,
                                        receiving.status == LinkStatus.ACTIVE,
                                        receiving.kind.in_(RECEIVING_KINDS)))
                  .where(_payable(PayoutLink, now),
                         PayoutLink.kind == "authorised_person").subquery())
    db.session.execute(update(Payment)
                       .where(of_request, Payment.personal_id == authorised.c.personal_id)
                       .values(destination_kind=authorised.c.kind,
                               destination_link_id=authorised.c.id,
                               via_authorisation_id=authorised.c.authorisation_id,
                               destination_institution=authorised.c.institution,
                               destination_last4=authorised.c.account_last4)
                       .execution_options(synchronize_session=False))
    # 3. A link still cooling off or disputed: the valid account it replaced.
    # (Those with none were held before the request was built.)
    fallback = _held_back(now).subquery()
    db.session.execute(update(Payment)
                       .where(of_request, Payment.personal_id == fallback.c.personal_id,
                              fallback.c.replaced_id.isnot(None))
                       .values(destination_kind=fallback.c.kind,
                               destination_link_id=fallback.c.replaced_id,
                               destination_institution=fallback.c.institution,
                               destination_last4=fallback.c.account_last4)
                       .execution_options(synchronize_session=False))
    # A reissue never goes back to the account that failed: unless the
    # citizen linked another one, it is paid in cash.
    failed = aliased(Payment)
    same_as_failed = select(failed.destination_link_id).where(
        failed.id == Payment.reissue_of).scalar_subquery()
    db.session.execute(update(Payment)
                       .where(of_request, Payment.reissue_of.isnot(None),
                              Payment.destination_link_id == same_as_failed)
                       .values(**CASH)
                       .execution_options(synchronize_session=False))
    if not end_to_end_ids:
        return
    db.session.execute(update(Payment)
                       .where(of_request, Payment.destination_kind != CASH_DESTINATION)
                       .values(end_to_end_id=literal("SSA-") + cast(Payment.id, String))
                       .execution_options(synchronize_session=False))


def totals(request_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Count and sum of each request's payments, by request id."""
    rows = db.session.execute(
        select(Payment.request_id, func.count(), func.coalesce(func.sum(Payment.amount_vnd), 0))
        .where(request_scope.of_requests(request_ids)).group_by(Payment.request_id))
    found = {request_id: (count, int(total)) for request_id, count, total in rows}
    return {request_id: found.get(request_id, (0, 0)) for request_id in request_ids}


def checksums(request_ids: list[int]) -> dict[int, str]:
    """SHA-256 over every payment of each request in id order, one line a payment:
    `id|personal_id|amount|destination`. PostgreSQL hashes in the database;
    SQLite, which has no SHA-256, streams the same lines here."""
    if db.on_postgresql():
        return _checksums_in_postgresql(request_ids)
    return _checksums_streamed(request_ids)


def _checksums_streamed(request_ids: list[int]) -> dict[int, str]:
    digests = {request_id: hashlib.sha256() for request_id in request_ids}
    rows = db.session.execute(
        select(Payment.request_id, Payment.id, Payment.personal_id, Payment.amount_vnd,
               Payment.destination_kind)
        .where(request_scope.of_requests(request_ids)).order_by(Payment.request_id, Payment.id)
        .execution_options(yield_per=10000))
    for request_id, payment_id, personal_id, amount, destination in rows:
        assert request_id is not None  # selected by request id
        digests[request_id].update(f"{payment_id}|{personal_id}|{amount}|{destination}\n".encode())
    return {request_id: digest.hexdigest() for request_id, digest in digests.items()}


def _checksums_in_postgresql(request_ids: list[int]) -> dict[int, str]:
    line = func.concat_ws("|", Payment.id, Payment.personal_id, Payment.amount_vnd,
                          func.coalesce(Payment.destination_kind, "None")) + "\n"
    lines = func.string_agg(line, aggregate_order_by(literal(""), Payment.id))
    found: dict[int | None, str] = dict(db.session.execute(
        select(Payment.request_id,
               func.encode(func.sha256(func.convert_to(lines, "UTF8")), "hex"))
        .where(request_scope.of_requests(request_ids)).group_by(Payment.request_id)).all())
    empty = hashlib.sha256().hexdigest()
    return {request_id: found.get(request_id, empty) for request_id in request_ids}


def list_requests(filters: dict, page: int, page_size: int) -> tuple[list[PaymentRequest], int]:
    conditions = [getattr(PaymentRequest, name) == value for name, value in filters.items()
                  if value and name in ("status", "period", "programme", "province_code")]
    return db.paginate(select(PaymentRequest).where(*conditions)
                       .order_by(PaymentRequest.created_at.desc(), PaymentRequest.id.desc()),
                       page, page_size)
