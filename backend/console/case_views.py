"""Look up a citizen's case by personal ID; every look-up is audited."""
from __future__ import annotations

from flask import g, render_template, request

from backend import db
from backend.console.blueprint import console
from backend.console.catalogue import current_language, t
from backend.console.signed_in import role_required
from backend.db import utcnow
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.services.accounts import cases
from backend.services.identity import personal_id
from backend.services.payments import problem_reports

# The payments shown first; the older ones the case holds fold away below them.
RECENT_PAYMENTS = 12


@console.get("/cases")
@role_required("reviewer", "support")
def case_form():
    return render_template("console/case.html", case=None, personal_id="")


# A POST, not a GET: a look-up writes to the audit log, so it must not be
# something a link or an image on another site can trigger.
@console.post("/cases")
@role_required("reviewer", "support")
def case_look_up():
    wanted = request.form.get("personal_id", "").strip()
    try:
        personal_id.parse(wanted)
    except personal_id.InvalidPersonalId as invalid:
        message = invalid.message_vi if current_language() == "vi" else invalid.message_en
        return render_template("console/case.html", case=None, personal_id=wanted,
                               problem=message), 422
    return _case_page(wanted)


def _case_page(wanted: str, status: int = 200, **shown):
    try:
        case = cases.look_up_case(g.staff, wanted, utcnow())
    except NotFound:
        return render_template("console/case.html", case=None, personal_id=wanted,
                               problem=t("case.not_found"), recorded=True), 404
    now = utcnow()
    reports = [reported["report"] for reported in case["reports"]]
    return render_template(
        "console/case.html", case=case, personal_id=wanted, recorded=True,
        recent_payments=RECENT_PAYMENTS,
        waiting_reports={report.id for report in reports
                         if report.status in problem_reports.WAITING},
        overdue_reports={report.id for report in reports
                         if problem_reports.is_overdue(report, now)},
        **shown), status


@console.post("/cases/lift-lock")
@role_required("reviewer", "support")
def lift_lock():
    """Support lifts one sign-in factor's lock after checking the caller by phone."""
    wanted = request.form.get("personal_id", "")
    factor = request.form.get("factor", "")
    try:
        cases.lift_lock(g.staff, wanted, factor, request.form.get("note", ""), utcnow())
    except ValidationFailed:
        db.session.rollback()
        return _case_page(wanted, 422, problem=t("case.lift_note_required"),
                          failed_factor=factor)
    except Conflict:
        return _case_page(wanted, 409, problem=t("case.nothing_to_lift"))
    return _case_page(wanted, done=t("case.lock_lifted", factor=t(f"field.sign_in_{factor}")))
