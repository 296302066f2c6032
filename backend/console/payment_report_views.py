"""Support pages: citizens' payment problem reports, worked beside the payment's
timeline and the bank's results; supervisors watch the overdue ones."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from backend import db
from backend.console.blueprint import console
from backend.console.catalogue import t
from backend.console.presenting import page_number_asked
from backend.console.review_views import PAGE_SIZE
from backend.console.signed_in import role_required
from backend.db import utcnow
from backend.errors import Conflict, ValidationFailed
from backend.services.payments import problem_reports


@console.get("/payment-reports")
@role_required("support", "supervisor")
def payment_reports_page():
    overdue_only = request.args.get("overdue") == "1"
    page_number = page_number_asked()
    now = utcnow()
    items, total = problem_reports.queue(g.staff, None, overdue_only, page_number, PAGE_SIZE,
                                         now)
    return render_template("console/payment_reports.html", items=items, total=total,
                           page=page_number, page_size=PAGE_SIZE, overdue_only=overdue_only,
                           overdue={item.id for item in items
                                    if problem_reports.is_overdue(item, now)})


@console.get("/payment-reports/<int:report_id>")
@role_required("support", "supervisor")
def payment_report_page(report_id: int):
    return render_template("console/payment_report.html",
                           case=problem_reports.look_up(g.staff, report_id, utcnow()))


@console.post("/payment-reports/<int:report_id>/<any(take, answer):step>")
@role_required("support")
def work_payment_report(report_id: int, step: str):
    try:
        if step == "take":
            problem_reports.take(g.staff, report_id, utcnow())
        else:
            problem_reports.answer(g.staff, report_id, request.form.get("answer"), utcnow())
    except (Conflict, ValidationFailed) as refusal:
        db.session.rollback()
        why = t("payment_reports.answer_needed") if isinstance(refusal, ValidationFailed) \
            else t("payment_reports.not_waiting")
        flash(t("payment_reports.refused", id=report_id, why=why), "error")
    else:
        flash(t("payment_reports.taken" if step == "take" else "payment_reports.answered",
                id=report_id), "success")
    return redirect(url_for("console.payment_report_page", report_id=report_id))
