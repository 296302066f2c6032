"""A one-off disbursement: one payment per eligible person, built set-based.

Staff name who is eligible (every level-2 citizen, the population register
alive on a date, or a list of personal IDs), the amount and the date. One
INSERT ... SELECT plans every payment under the programme's label in place of
a month; the claim's unique index makes it one payment per person and
programme, so a build run again, or another build of the same programme,
pays nobody twice. The province is the one a personal ID names (its first
three digits), so that every build of a programme makes the same claim for
the same person. People the population register records as deceased are
not planned. The destination is resolved as the payments are built, and
again when they are requested, through the same pipeline as a payroll.

A build is recorded as a payroll of the agency's (its digest is that of the
build's terms), so that the same build twice is recognised at once and the
rest of the pipeline (requests, control, dispatch, results) takes it as is.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, delete, func, insert, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from backend import db, integrations
from backend.db import UTCDateTime
from backend.errors import Conflict, ValidationFailed
from backend.models import CASH_DESTINATION, EidAccount, Payment, Payroll, PayrollRow
from backend.models.statuses import PAYMENT_STATES, ProgrammeKind
from backend.services.audit import trail
from backend.services.identity.personal_id import InvalidPersonalId, parse
from backend.services.payments import notices, payment_requests, programmes, states

ELIGIBILITY = ("all_level2", "population_alive_on", "list")
MAX_AMOUNT_VND = 10**9
LIST_BATCH = 5000


@dataclass(frozen=True)
class DisbursementReport:
    payroll_id: int
    programme: str
    period: str
    new_payments: int
    total_vnd: int
    budget_vnd: int | None
    already_built: bool = False

    def __str__(self) -> str:
        if self.already_built:
            return f"disbursement {self.payroll_id} was already built: nothing new"
        budget = "no budget set" if self.budget_vnd is None else f"budget {self.budget_vnd:,} VND"
        return (f"disbursement {self.payroll_id}: {self.programme} {self.period}: "
                f"{self.new_payments} new payments ({self.total_vnd:,} VND; {budget})")


def build(actor: str, code: str, eligibility: str, amount_vnd: int, on_date: date,
          now: datetime, personal_ids: Iterable[str] = ()) -> DisbursementReport:
    programme = programmes.get(code)
    if programme.kind != ProgrammeKind.ONE_OFF or programme.label is None:
        raise Conflict({"programme": ["only a one-off programme is paid by a disbursement"]})
    if programme.closed_at is not None:
        raise Conflict({"programme": ["the programme is closed"]})
    errors = {}
    if eligibility not in ELIGIBILITY:
        errors["eligibility"] = [f"one of {', '.join(ELIGIBILITY)}"]
    if not (isinstance(amount_vnd, int) and 0 < amount_vnd <= MAX_AMOUNT_VND):
        errors["amount_vnd"] = [f"whole VND from 1 to {MAX_AMOUNT_VND}"]
    listed = sorted(set(personal_ids)) if eligibility == "list" else []
    if eligibility == "list":
        errors |= _list_errors(listed)
    if errors:
        raise ValidationFailed(errors)
    terms = {"programme": code, "eligibility": eligibility, "amount_vnd": amount_vnd,
             "date": on_date.isoformat(),
             "list_sha256": hashlib.sha256("\n".join(listed).encode()).hexdigest()}
    digest = hashlib.sha256(json.dumps(terms, sort_keys=True).encode()).hexdigest()
    existing = db.session.scalar(select(Payroll).where(Payroll.file_sha256 == digest))
    if existing is not None:
        return DisbursementReport(existing.id, code, programme.label, 0, 0,
                                  programme.budget_vnd, already_built=True)
    build_record = Payroll(file_sha256=digest,
                           filename=f"one-off {code} {eligibility} {on_date.isoformat()}",
                           imported_by=actor, imported_at=now, row_count=0, new_payments=0,
                           total_vnd=0)
    db.session.add(build_record)
    db.session.flush()
    if eligibility == "list":
        _stage(build_record.id, code, programme.label, amount_vnd, listed)
    eligible = _eligible(eligibility, on_date, build_record.id)
    _plan(build_record.id, programme.label, code, amount_vnd, eligible, now)
    if eligibility == "list":
        db.session.execute(delete(PayrollRow).where(PayrollRow.payroll_id == build_record.id))
    this_build = Payment.payroll_id == build_record.id
    payment_requests.resolve_destinations(this_build, now, end_to_end_ids=False)
    states.record_planned(this_build, actor, now)
    notices.for_payments(this_build, "PAYMENT_PLANNED", now)
    count, total = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Payment.amount_vnd), 0))
        .where(this_build)).one()
    build_record.row_count = len(listed) if eligibility == "list" else count
    build_record.new_payments, build_record.total_vnd = count, int(total)
    trail.record(actor, "programme.disbursement_built", now, target=f"programme:{code}",
                 details=terms | {"payroll_id": build_record.id, "new_payments": count,
                                  "total_vnd": int(total)})
    db.session.commit()
    return DisbursementReport(build_record.id, code, programme.label, count, int(total),
                              programme.budget_vnd)


def _list_errors(listed: list[str]) -> dict[str, list[str]]:
    if not listed:
        return {"personal_ids": ["a list of at least one personal ID"]}
    bad = []
    for personal_id in listed:
        try:
            parse(personal_id)
        except InvalidPersonalId as invalid:
            bad.append(f"{personal_id[:12]}: {invalid.message_en}")
    return {"personal_ids": bad[:100]} if bad else {}


def _stage(build_id: int, code: str, label: str, amount_vnd: int, listed: list[str]) -> None:
    """The uploaded list goes into the payroll staging table, to be planned by the one
    INSERT ... SELECT like any other population."""
    for start in range(0, len(listed), LIST_BATCH):
        db.session.execute(insert(PayrollRow), [
            {"payroll_id": build_id, "line_no": start + offset, "personal_id": personal_id,
             "programme": code, "period": label, "amount_vnd": amount_vnd,
             "province_code": personal_id[:3]}
            for offset, personal_id in enumerate(listed[start:start + LIST_BATCH])])


def _eligible(eligibility: str, on_date: date, build_id: int) -> Select:
    """The personal IDs (one column) of the population the terms name."""
    if eligibility == "all_level2":
        return select(EidAccount.personal_id).where(EidAccount.ial == 2)
    if eligibility == "population_alive_on":
        return integrations.current().population_register.alive_on(on_date)
    return select(PayrollRow.personal_id).where(PayrollRow.payroll_id == build_id)


def _plan(build_id: int, label: str, code: str, amount_vnd: int, eligible: Select,
          now: datetime) -> None:
    population = eligible.subquery()
    person = population.c[0]
    deceased = integrations.current().population_register.deceased_among(eligible)
    stamp = literal(now, UTCDateTime())
    dialect_insert = postgresql.insert if db.on_postgresql() else sqlite.insert
    db.session.execute(dialect_insert(Payment).from_select(
        ["payroll_id", "personal_id", "programme", "period", "province_code", "amount_vnd",
         "status", "destination_kind", "created_at", "updated_at"],
        select(literal(build_id), person, literal(code, Payment.programme.type),
               literal(label, Payment.period.type), func.substr(person, 1, 3),
               literal(amount_vnd, Payment.amount_vnd.type),
               literal(PAYMENT_STATES.initial, Payment.status.type),
               literal(CASH_DESTINATION, Payment.destination_kind.type), stamp, stamp)
        .where(person.notin_(deceased)))
        .on_conflict_do_nothing(
            index_elements=["personal_id", "programme", "period", "province_code"],
            index_where=Payment.reissue_of.is_(None)))
