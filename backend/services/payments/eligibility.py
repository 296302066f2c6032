"""Pay on eligibility: a person newly in the beneficiary register is paid this month.

Their payment for the current period (Viet Nam's month) is planned at once,
so the next payment request carries it without waiting for the month's
payroll. It is the same claim (person, programme, month, province) the
payroll will name, so when the payroll arrives the claim's unique index
finds it planned and the payroll pays them nothing more.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from backend import db, integrations
from backend.db import UTCDateTime
from backend.errors import NotFound, ValidationFailed
from backend.integrations.beneficiary_register import Entitlement
from backend.models import Payment, Payroll
from backend.models.statuses import PAYMENT_STATES
from backend.services.identity.personal_id import InvalidPersonalId, parse
from backend.services.payments import notices, programmes, states
from backend.vietnam_time import VIETNAM_TIME


@dataclass(frozen=True)
class EligibilityReport:
    period: str
    new_payments: int
    total_vnd: int

    def __str__(self) -> str:
        return (f"{self.period}: {self.new_payments} newly eligible people planned "
                f"({self.total_vnd:,} VND)")


def current_period(now: datetime) -> str:
    return now.astimezone(VIETNAM_TIME).strftime("%Y-%m")


def plan_newly_eligible(actor: str, now: datetime) -> EligibilityReport:
    """Plan this month's payment of everyone whose entitlement began this month,
    to an open recurring programme, alive, and not already planned; set-based."""
    period = current_period(now)
    first_day = now.astimezone(VIETNAM_TIME).date().replace(day=1)
    register = integrations.current().beneficiary_register
    population = integrations.current().population_register
    entitled = register.entitled_since(first_day).subquery()
    source = _source_of(period, actor, now)
    # Its own copy of the query: the IN list must not correlate with the outer rows.
    newly = register.entitled_since(first_day).subquery()
    deceased = population.deceased_among(select(newly.c.personal_id))
    stamp = literal(now, UTCDateTime())
    dialect_insert = postgresql.insert if db.on_postgresql() else sqlite.insert
    db.session.execute(dialect_insert(Payment).from_select(
        ["payroll_id", "personal_id", "programme", "period", "province_code", "amount_vnd",
         "status", "created_at", "updated_at"],
        select(literal(source.id), entitled.c.personal_id, entitled.c.programme,
               literal(period, Payment.period.type), entitled.c.province_code,
               entitled.c.monthly_amount_vnd,
               literal(PAYMENT_STATES.initial, Payment.status.type), stamp, stamp)
        .where(entitled.c.programme.in_(programmes.open_codes()),
               entitled.c.personal_id.notin_(deceased)))
        .on_conflict_do_nothing(
            index_elements=["personal_id", "programme", "period", "province_code"],
            index_where=Payment.reissue_of.is_(None)))
    planned_now = and_(Payment.payroll_id == source.id, Payment.created_at == now)
    states.record_planned(planned_now, actor, now, reason="NEWLY_ELIGIBLE")
    notices.for_payments(planned_now, "PAYMENT_PLANNED", now)
    count, total = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Payment.amount_vnd), 0))
        .where(planned_now)).one()
    source.new_payments += count
    source.total_vnd += int(total)
    db.session.commit()
    return EligibilityReport(period, count, int(total))


def register_and_plan(personal_id: str, programme: str, monthly_amount_vnd: int,
                      province_code: str | None, full_name: str, actor: str,
                      now: datetime) -> EligibilityReport:
    """The simulated agency registers a beneficiary from today; the service plans
    them at once. Only the simulator's register can be written to: a real
    register tells the service through `plan_newly_eligible`, run on its
    notice or on a schedule."""
    try:
        parts = parse(personal_id)
    except InvalidPersonalId as invalid:
        raise ValidationFailed({"personal_id": [invalid.message_en]}) from None
    if programme not in programmes.open_codes():
        raise ValidationFailed({"programme": ["not an open recurring programme"]})
    if not 0 < monthly_amount_vnd <= 10**9:
        raise ValidationFailed({"monthly_amount_vnd": ["whole VND from 1 to 10^9"]})
    register = integrations.current().beneficiary_register
    add = getattr(register, "add", None)
    if add is None:
        raise NotFound()
    add(Entitlement(personal_id, full_name, date(parts.birth_year, 1, 1),
                    province_code or parts.province_code, programme, monthly_amount_vnd,
                    now.astimezone(VIETNAM_TIME).date()))
    return plan_newly_eligible(actor, now)


def _source_of(period: str, actor: str, now: datetime) -> Payroll:
    """The month's record of payments planned on eligibility, made once (its digest
    names the month), so the pipeline after it sees a payroll like any other."""
    digest = hashlib.sha256(f"beneficiary-register:{period}".encode()).hexdigest()
    source = db.session.scalar(select(Payroll).where(Payroll.file_sha256 == digest))
    if source is None:
        source = Payroll(file_sha256=digest, filename=f"newly eligible {period}",
                         imported_by=actor, imported_at=now, row_count=0, new_payments=0,
                         total_vnd=0)
        db.session.add(source)
        db.session.flush()
    return source
