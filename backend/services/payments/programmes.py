"""Programmes as data that programme administrators create, edit and close.

A recurring programme is paid by the agency's monthly payroll; a one-off
programme is paid once, by a disbursement (`one_off`), under its own label
(such as QK2025) in place of a month. Every change is audited.
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import case, func, select

from backend import db
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.models import Payment, Programme
from backend.models.statuses import PaymentStatus, ProgrammeKind
from backend.services.audit import trail

_CODE = re.compile(r"[a-z][a-z0-9_]{1,29}")
# A letter, up to two more letters or digits, and the year (QK2025): never a month
# (YYYY-MM), and the app files it under its year as it files a month.
LABEL = re.compile(r"[A-Z][A-Z0-9]{0,2}[0-9]{4}")
# What no programme may reach: a safety bound on a mistyped budget (VND 10^16).
MAX_BUDGET_VND = 10**16
EDITABLE = ("name_vi", "name_en", "budget_vnd")
_PAID = (PaymentStatus.PAID,)
# Not owed: refused, replaced by their reissue, or cash returned uncollected.
_OUT = (PaymentStatus.REJECTED, PaymentStatus.REISSUED, PaymentStatus.EXPIRED)


def get(code: str) -> Programme:
    programme = db.session.get(Programme, code)
    if programme is None:
        raise NotFound()
    return programme


def as_dict(programme: Programme) -> dict:
    return {name: getattr(programme, name) for name in (
        "code", "name_vi", "name_en", "kind", "label", "budget_vnd", "status", "closed_at")}


def with_totals(page: int, page_size: int) -> tuple[list[dict], int]:
    """Programmes, open first, each with the count and sum of its payments owed and paid."""
    programmes, total = db.paginate(
        select(Programme).order_by(Programme.closed_at.is_not(None), Programme.code),
        page, page_size)
    codes = [programme.code for programme in programmes]
    owed = Payment.status.notin_(_OUT)
    paid = Payment.status.in_(_PAID)
    sums = {code: (count, int(amount), int(paid_count), int(paid_amount))
            for code, count, amount, paid_count, paid_amount in db.session.execute(
                select(Payment.programme, func.count(),
                       func.coalesce(func.sum(Payment.amount_vnd), 0),
                       func.coalesce(func.sum(case((paid, 1), else_=0)), 0),
                       func.coalesce(func.sum(case((paid, Payment.amount_vnd), else_=0)), 0))
                .where(Payment.programme.in_(codes), owed).group_by(Payment.programme))}
    return [as_dict(programme) | dict(zip(("payments", "total_vnd", "paid", "paid_vnd"),
                                          sums.get(programme.code, (0, 0, 0, 0)), strict=True))
            for programme in programmes], total


def create(actor: str, values: dict, now: datetime) -> Programme:
    code, kind, label = values["code"], values["kind"], values.get("label")
    errors = _errors(values)
    if not _CODE.fullmatch(code):
        errors["code"] = ["lower-case letters, digits and _, 2 to 30, starting with a letter"]
    if kind not in tuple(ProgrammeKind):
        errors["kind"] = ["recurring or one_off"]
    elif kind == ProgrammeKind.ONE_OFF and not (label and LABEL.fullmatch(label)):
        errors["label"] = ["a one-off programme needs a label: a capital letter, up to two "
                           "more capitals or digits, and the year (such as QK2025)"]
    elif kind == ProgrammeKind.RECURRING and label:
        errors["label"] = ["only a one-off programme has a label; its payments use months"]
    if errors:
        raise ValidationFailed(errors)
    if db.session.get(Programme, code) is not None:
        raise Conflict({"code": ["a programme with this code exists"]})
    if label and db.session.scalar(select(Programme.code).where(Programme.label == label)):
        raise Conflict({"label": ["another programme has this label"]})
    programme = Programme(code=code, name_vi=values["name_vi"], name_en=values["name_en"],
                          kind=kind, label=label, budget_vnd=values.get("budget_vnd"),
                          updated_at=now)
    db.session.add(programme)
    trail.record(actor, "programme.created", now, target=f"programme:{code}",
                 details={"kind": kind, "label": label, "budget_vnd": programme.budget_vnd,
                          "name_vi": programme.name_vi, "name_en": programme.name_en})
    db.session.commit()
    return programme


def update(actor: str, code: str, changes: dict, now: datetime) -> Programme:
    """Change the names or the budget; the kind and label stay what payments carry."""
    programme = get(code)
    unknown = sorted(set(changes) - set(EDITABLE))
    errors = _errors(changes)
    if unknown:
        errors |= {name: ["cannot be changed"] for name in unknown}
    if errors:
        raise ValidationFailed(errors)
    before = {name: getattr(programme, name) for name in changes}
    for name, value in changes.items():
        setattr(programme, name, value)
    programme.updated_at = now
    trail.record(actor, "programme.changed", now, target=f"programme:{code}",
                 details={"before": before, "after": changes})
    db.session.commit()
    return programme


def close(actor: str, code: str, now: datetime) -> Programme:
    """No payroll, disbursement or newly eligible person names it from now on."""
    programme = get(code)
    if programme.closed_at is not None:
        raise Conflict({"status": ["the programme is already closed"]})
    programme.closed_at = programme.updated_at = now
    trail.record(actor, "programme.closed", now, target=f"programme:{code}")
    db.session.commit()
    return programme


def open_codes(kind: ProgrammeKind = ProgrammeKind.RECURRING) -> list[str]:
    """The programmes a payroll line (recurring) or a disbursement (one_off) may name."""
    return list(db.session.scalars(select(Programme.code).where(
        Programme.kind == kind, Programme.closed_at.is_(None)).order_by(Programme.code)))


def _errors(values: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("name_vi", "name_en"):
        if name in values and not (isinstance(values[name], str)
                                   and 2 <= len(values[name].strip()) <= 120):
            errors[name] = ["2 to 120 characters"]
    budget = values.get("budget_vnd")
    if budget is not None and not (isinstance(budget, int) and 0 <= budget <= MAX_BUDGET_VND):
        errors["budget_vnd"] = [f"whole VND from 0 to {MAX_BUDGET_VND}, or null"]
    return errors
