"""Cash at a paying agent: handed over with proof, or returned to the Treasury.

A payment in cash is CASH_READY once Treasury control approves it, until the
end of its deadline day (Vietnam time). The agent records the hand-over with
its id, the place, the time and the one-time code the receiver shows (the
citizen's, or their authorised person's); the payment is then PAID. Reports
of many hand-overs are imported in bulk. What is not collected in time is
EXPIRED.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import String, and_, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from backend import canonical, db, integrations, tasks
from backend.db import UTCDateTime
from backend.errors import Conflict, NotFound, OtpInvalid, ValidationFailed
from backend.integrations.paying_agents import PayingAgent
from backend.models import (
    CASH_DESTINATION,
    CashHandover,
    EidAccount,
    Payment,
    PaymentRequest,
    PayoutLink,
    SocialSecurityAccount,
)
from backend.models.statuses import LinkStatus, PaymentStatus
from backend.services.audit import trail
from backend.services.identity import one_time_codes
from backend.services.payments import (
    cash_terms,
    notices,
    province_parts,
    reconciliation,
    request_scope,
    states,
)


@dataclass
class ImportReport:
    recorded: int = 0
    refused: list[dict] = field(default_factory=list)


def _agent(agent_id: str) -> PayingAgent:
    agent = integrations.current().paying_agents.find(agent_id)
    if agent is None:
        raise ValidationFailed({"agent_id": ["no paying agent with this id"]})
    return agent


def _collectable(payment_id: int, handed_at: datetime) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        raise NotFound()
    if payment.status != PaymentStatus.CASH_READY:
        raise Conflict({"status": [f"only cash ready for collection can be handed over "
                                   f"({payment.status})"]})
    if payment.cash_deadline and cash_terms.today(handed_at) > payment.cash_deadline:
        raise Conflict({"cash_deadline": [f"collectable until {payment.cash_deadline}"]})
    return payment


def _receivers(payment: Payment) -> list[tuple[str, EidAccount]]:
    """Who may collect: the citizen, and their active authorised person."""
    owner, receiving = aliased(SocialSecurityAccount), aliased(SocialSecurityAccount)
    citizen = db.session.scalar(select(EidAccount).where(
        EidAccount.personal_id == payment.personal_id))
    authorised = db.session.scalar(
        select(EidAccount)
        .join(receiving, receiving.personal_id == EidAccount.personal_id)
        .join(PayoutLink, PayoutLink.authorised_account_id == receiving.id)
        .join(owner, owner.id == PayoutLink.account_id)
        .where(PayoutLink.kind == "authorised_person", PayoutLink.status == LinkStatus.ACTIVE,
               owner.personal_id == payment.personal_id))
    return [(who, account) for who, account in (("citizen", citizen),
                                                 ("authorised_person", authorised))
            if account is not None]


def record(actor: str, payment_id: int, agent_id: str, code: str, now: datetime,
           place: str | None = None) -> Payment:
    """The agent hands the cash over now, against the receiver's current one-time
    code (used up). An unknown agent, a payment not CASH_READY or a wrong code
    is refused and changes nothing."""
    agent = _agent(agent_id)
    payment = _collectable(payment_id, now)
    for who, account in _receivers(payment):
        try:
            one_time_codes.consume(account, code, now)
        except OtpInvalid:
            continue
        _hand_over([Handed(payment.id, who, agent_id, place or agent.place, now)], "api",
                   actor, now)
        db.session.commit()
        db.session.refresh(payment)
        return payment
    raise OtpInvalid()


def import_report(stream: BinaryIO, filename: str, actor: str, now: datetime) -> ImportReport:
    """Record every hand-over of an agent's report whose proof holds; list the others
    with why. Codes are checked against the time of each hand-over."""
    agents = integrations.current().paying_agents
    report = ImportReport()
    accepted: list[Handed] = []
    for line in agents.read_report(stream):
        why, handed = None, None
        if line.handed_at is None or not canonical.is_digits(line.payment_id, 1, 19):
            why = "UNREADABLE"
        elif agents.find(line.agent_id) is None:
            why = "UNKNOWN_AGENT"
        elif line.handed_at > now:
            why = "IN_THE_FUTURE"
        else:
            try:
                payment = _collectable(int(line.payment_id), line.handed_at)
            except NotFound:
                why = "UNKNOWN_PAYMENT"
            except Conflict:
                why = "NOT_CASH_READY"
            else:
                receiver = next((who for who, account in _receivers(payment)
                                 if one_time_codes.shown_at(account, line.code,
                                                            line.handed_at)), None)
                if receiver is None:
                    why = "CODE_INVALID"
                elif any(earlier.payment_id == payment.id for earlier in accepted):
                    why = "DUPLICATE_LINE"
                else:
                    handed = Handed(payment.id, receiver, line.agent_id,
                                    line.place or "", line.handed_at)
        if handed is not None:
            accepted.append(handed)
        else:
            report.refused.append({"line": line.line, "payment_id": line.payment_id,
                                   "reason": why})
    if accepted:
        report.recorded = _hand_over(accepted, filename[:120], actor, now)
    db.session.commit()
    return report


@dataclass(frozen=True)
class Handed:
    payment_id: int
    receiver: str
    agent_id: str
    place: str
    handed_at: datetime


def _hand_over(handed: list[Handed], source: str, actor: str, now: datetime) -> int:
    """Keep the proof of each hand-over and pay the payments, set-based."""
    ids = [each.payment_id for each in handed]
    try:
        db.session.execute(insert(CashHandover), [
            {"payment_id": each.payment_id, "agent_id": each.agent_id, "place": each.place,
             "handed_at": each.handed_at, "receiver": each.receiver, "source": source,
             "recorded_by": actor, "recorded_at": now} for each in handed])
    except IntegrityError:
        db.session.rollback()
        raise Conflict({"status": ["already handed over"]}) from None
    of_these = Payment.id.in_(ids)
    paid = states.move(of_these, PaymentStatus.CASH_READY, PaymentStatus.PAID, actor, now,
                       reason="CASH_HANDED_OVER")
    notices.for_payments(and_(of_these, Payment.status == PaymentStatus.PAID,
                              Payment.updated_at == now), "PAYMENT_CASH_COLLECTED", now)
    reconciliation.mark_stale(of_these)
    trail.record(actor, "cash.handed_over", now, target=f"payments:{len(ids)}",
                 details={"source": source, "agents": sorted({each.agent_id for each in handed})})
    return paid


def simulate_collection(request_ids: list[int], actor: str, now: datetime,
                        not_yet: Collection[str] = ()) -> int:
    """The demo month: every citizen collects their cash of these requests from a
    simulated agent at once, but those of `not_yet` (personal IDs), whose cash
    stays CASH_READY; the hand-overs are kept as proof like any other. The same
    statements for one request as for a period's hundreds; the provinces'
    agents hand over side by side (`province_parts`)."""
    parts = province_parts.requests_by_part(request_ids)
    return sum(province_parts.run(
        parts, lambda ids: _simulate_part(ids, actor, now, not_yet)))


def _simulate_part(request_ids: list[int], actor: str, now: datetime,
                   not_yet: Collection[str]) -> int:
    of_requests = request_scope.of_requests(request_ids)
    # Without the status: the move finds the rows again by it to record their step.
    collected = and_(of_requests, Payment.personal_id.not_in(list(not_yet)))
    ready = and_(collected, Payment.status == PaymentStatus.CASH_READY)
    simulated = literal("simulated", String())
    stamp = literal(now, UTCDateTime())
    db.session.execute(insert(CashHandover).from_select(
        ["payment_id", "agent_id", "place", "handed_at", "receiver", "source", "recorded_by",
         "recorded_at"],
        select(Payment.id, literal(actor[:30], String()), simulated, stamp,
               literal("citizen", String()), simulated, literal(actor, String()), stamp)
        .where(ready)))
    paid = states.move(collected, PaymentStatus.CASH_READY, PaymentStatus.PAID, actor, now,
                       reason="CASH_HANDED_OVER", recorded_once=True)
    notices.for_payments(and_(of_requests,
                              Payment.status == PaymentStatus.PAID, Payment.updated_at == now,
                              Payment.destination_kind == CASH_DESTINATION),
                         "PAYMENT_CASH_COLLECTED", now)
    db.session.commit()
    return paid


def expire_uncollected(actor: str, now: datetime) -> int:
    """Cash not collected by its deadline day returns to the Treasury (EXPIRED).

    Only the requests whose cash deadline has passed are read (their
    deadline is set at approval), and each is then done with: what was not
    collected has expired, so the next hour's check does not read it again.
    """
    today = cash_terms.today(now)
    due = list(db.session.scalars(select(PaymentRequest.id)
                                  .where(PaymentRequest.cash_deadline < today)))
    if not due:
        return 0
    overdue = and_(request_scope.of_requests(due), Payment.cash_deadline < today)
    expired = states.move(overdue, PaymentStatus.CASH_READY, PaymentStatus.EXPIRED, actor, now,
                          reason="NOT_COLLECTED")
    if expired:
        just_expired = and_(overdue, Payment.status == PaymentStatus.EXPIRED,
                            Payment.updated_at == now)
        notices.for_payments(just_expired, "PAYMENT_EXPIRED", now)
        reconciliation.mark_stale(just_expired)
    db.session.execute(update(PaymentRequest).where(PaymentRequest.id.in_(due))
                       .values(cash_deadline=None).execution_options(synchronize_session=False))
    db.session.commit()
    return expired


@tasks.periodic_task("expire_uncollected_cash", minute="5", hour="*")
def expire_uncollected_cash() -> None:
    expire_uncollected("system", db.utcnow())
