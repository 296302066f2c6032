"""Programmes: the list with their totals, and the programme administrator's forms.

Read access follows the REST API (backend/api/programmes.py): every payment
role and supervisors see the list; only programme_admin creates, changes
the budget of, and closes a programme.
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from backend.console.blueprint import console
from backend.console.catalogue import error_message, t
from backend.console.forms import BudgetForm, NewProgrammeForm, ProgrammeNamesForm
from backend.console.signed_in import role_required
from backend.db import utcnow
from backend.errors import ApiError
from backend.models.statuses import ProgrammeKind
from backend.services.payments import programmes

READERS = ("programme_admin", "treasury", "payroll", "supervisor")
ADMIN = "programme_admin"


def _page(status: int = 200, problem: str | None = None):
    items, _ = programmes.with_totals(1, 1000)
    return render_template("console/programmes.html", items=items, problem=problem,
                           form=request.form, kinds=tuple(ProgrammeKind),
                           may_manage=ADMIN in g.staff.roles), status


def _done(text: str):
    flash(text, "success")
    return redirect(url_for("console.programmes_page"))


@console.get("/programmes")
@role_required(*READERS)
def programmes_page():
    return _page()


@console.post("/programmes")
@role_required(ADMIN)
def create_programme():
    try:
        values = NewProgrammeForm().load({key: value.strip() for key, value in
                                          request.form.items() if key != "csrf_token"})
        programme = programmes.create(g.staff.actor, values, utcnow())
    except ValidationError as invalid:
        return _page(422, t("programmes.bad_fields", fields=", ".join(sorted(invalid.messages))))
    except ApiError as refused:
        return _page(refused.status, error_message(refused))
    return _done(t("programmes.created", code=programme.code))


@console.post("/programmes/<code>/budget")
@role_required(ADMIN)
def change_budget(code: str):
    # An empty field clears the budget (BudgetForm reads it as None).
    return _change(code, BudgetForm(), ("budget_vnd",), "programmes.budget_changed")


@console.post("/programmes/<code>/names")
@role_required(ADMIN)
def rename_programme(code: str):
    return _change(code, ProgrammeNamesForm(), ("name_vi", "name_en"), "programmes.renamed")


def _change(code: str, form, names: tuple[str, ...], done_key: str):
    try:
        values = form.load({name: request.form.get(name, "").strip() for name in names})
        programmes.update(g.staff.actor, code, values, utcnow())
    except ValidationError as invalid:
        return _page(422, t("programmes.bad_fields", fields=", ".join(sorted(invalid.messages))))
    except ApiError as refused:
        return _page(refused.status, error_message(refused))
    return _done(t(done_key, code=code))


@console.post("/programmes/<code>/close")
@role_required(ADMIN)
def close_programme(code: str):
    try:
        programmes.close(g.staff.actor, code, utcnow())
    except ApiError as refused:
        return _page(refused.status, error_message(refused))
    return _done(t("programmes.closed", code=code))
