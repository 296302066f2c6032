"""The citizen's list of payments, polled on payday: one statement per answer.

The version is the sum of the person's payments' revisions (each row counts
its own changes, `Payment.revision`): it rises with every committed change
to any of them, so a poll that has nothing new reads the person's payments
through their index and sends no body. A full answer reads the version, the
count, the page with its programme names and the yearly totals in one
statement, so the ETag always describes exactly the body it comes with.
"""
from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    bindparam,
    case,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.types import TypeEngine

from backend import db
from backend.db import UTCDateTime
from backend.models import EidAccount, Payment, Programme
from backend.models.statuses import PaymentStatus
from backend.services.accounts.account_numbers import mask
from backend.services.identity import revocation


def version(session_id: str) -> int | None:
    """The version of the payments of the session's citizen; None once the session ended."""
    rows = db.read_rows(_version_query(), {"session_id": session_id})
    return rows[0][0] if rows else None


def tag(citizen_id: int, payments_version: int, query: dict) -> str:
    """The ETag of one page: the citizen, their payments' version and the page asked.

    "r": versions are sums of revisions (migration f2b8d4a6c0e3); the counters
    before them were tagged "p", and the two forms never match each other.
    """
    asked = hashlib.blake2b(repr(sorted(query.items())).encode(), digest_size=6).hexdigest()
    return f"r{citizen_id}.{payments_version}.{asked}"


def page(session_id: str, query: dict, language: str) -> tuple[int, dict] | None:
    """(version, page) of the session's citizen's payments; None once the session ended."""
    parameters = {"session_id": session_id, "limit": query["page_size"],
                  "offset": (query["page"] - 1) * query["page_size"],
                  "year": f"{int(query['year']):04d}-%" if query.get("year") else None,
                  # A one-off programme's label ends with its year (QK2025).
                  "label_year": f"%{int(query['year']):04d}" if query.get("year") else None,
                  "programme": query.get("programme"), "status": query.get("status")}
    statement = _page_query(language == "en", *(bool(query.get(name))
                                                  for name in ("year", "programme", "status")))
    rows = db.read_rows(statement, parameters)
    if rows[0].amount_vnd is None:  # the version row is always there, empty for no one
        return None
    items, totals, total = [], [], 0
    for row in rows[1:]:
        if row.kind == "1-count":
            total = row.amount_vnd
        elif row.kind == "2-item":
            items.append(_item(row))
        else:
            totals.append({"year": int(row.period), "paid_count": row.id,
                           "paid_vnd": int(row.amount_vnd)})
    return rows[0].amount_vnd, {
        "page": query["page"], "page_size": query["page_size"], "total": total,
        "items": items, "totals_by_year": totals}


def _item(row: Any) -> dict:
    return {
        "id": row.id, "programme": row.programme, "programme_name": row.programme_name,
        "period": row.period, "amount_vnd": row.amount_vnd, "status": row.status,
        "failure_reason": row.failure_reason,
        "destination": {"kind": row.destination_kind,
                        "institution": row.destination_institution,
                        "account_masked": mask(row.destination_last4),
                        "via_authorised_person": row.via_authorisation_id is not None},
        "updated_at": row.updated_at.isoformat()}


def _person() -> Any:
    return (select(EidAccount.personal_id)
            .where(EidAccount.id == revocation.live_session_citizen()).scalar_subquery())


@cache
def _version_query():
    revisions = (select(func.sum(Payment.revision))
                 .where(Payment.personal_id == EidAccount.personal_id).scalar_subquery())
    # A sum of BIGINT is NUMERIC on PostgreSQL; the version is an integer.
    return (select(func.coalesce(revisions, 0).cast(BigInteger()))
            .where(EidAccount.id == revocation.live_session_citizen()))


@cache
def _page_query(english: bool, by_year: bool, by_programme: bool, by_status: bool):
    """Four kinds of rows in one UNION ALL, told apart (and ordered) by `kind`.

    One statement per language and set of filters, built once.
    """
    mine = Payment.personal_id == _person()
    conditions = [mine]
    if by_year:
        conditions.append(or_(Payment.period.like(bindparam("year")),
                              Payment.period.like(bindparam("label_year"))))
    if by_programme:
        conditions.append(Payment.programme == bindparam("programme"))
    if by_status:
        conditions.append(Payment.status == bindparam("status"))
    name = Programme.name_en if english else Programme.name_vi
    text, number, big = String(), Integer(), BigInteger()

    def row(kind: str, **columns: Any):
        shape: dict[str, TypeEngine[Any]] = {
                 "id": number, "programme": text, "programme_name": text, "period": text,
                 "amount_vnd": big, "status": text, "failure_reason": text,
                 "destination_kind": text, "destination_institution": text,
                 "destination_last4": text, "via_authorisation_id": number,
                 "updated_at": UTCDateTime()}
        return [literal(kind, text).label("kind"),
                *(columns.get(column, null().cast(type_)).label(column)
                  for column, type_ in shape.items())]

    items = (select(*row("2-item", id=Payment.id, programme=Payment.programme,
                         programme_name=func.coalesce(name, Payment.programme),
                         period=Payment.period, amount_vnd=Payment.amount_vnd,
                         status=Payment.status, failure_reason=Payment.failure_reason,
                         destination_kind=Payment.destination_kind,
                         destination_institution=Payment.destination_institution,
                         destination_last4=Payment.destination_last4,
                         via_authorisation_id=Payment.via_authorisation_id,
                         updated_at=Payment.updated_at))
             .select_from(Payment).outerjoin(Programme, Programme.code == Payment.programme)
             .where(*conditions)
             .order_by(Payment.period.desc(), Payment.id.desc())
             .limit(bindparam("limit")).offset(bindparam("offset"))
             .subquery())
    # A month starts with its year, a one-off programme's label ends with it.
    year = case((Payment.period.like("____-__"), func.substr(Payment.period, 1, 4)),
                else_=func.substr(Payment.period, func.length(Payment.period) - 3, 4))
    combined = union_all(
        select(*row("0-version",
                    amount_vnd=_version_query().scalar_subquery().cast(big))),
        select(*row("1-count", amount_vnd=func.count())).select_from(Payment).where(*conditions),
        select(*items.c),
        # A sum is NUMERIC on PostgreSQL; the column stays one integer type.
        select(*row("3-year", period=year, id=func.count(),
                    amount_vnd=func.sum(Payment.amount_vnd).cast(big))).select_from(Payment)
        .where(mine, Payment.status == PaymentStatus.PAID).group_by(year),
    ).subquery()
    return select(combined).order_by(combined.c.kind, combined.c.period.desc(),
                                     combined.c.id.desc())
