"""Treasury control of one payment request (a province's share of a batch),
dispatch, and reconciliation; the batches are in payment_batch_views.

Read access follows the REST API (backend/api/staff_payments.py): a
request's page for treasury, payroll and supervisor; decisions and dispatch
for treasury only; reconciliation for treasury and supervisor.
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from backend import db
from backend.console.blueprint import console
from backend.console.catalogue import error_message, label, refusal_message, t
from backend.console.forms import PageFilter, RejectPaymentRequestForm
from backend.console.signed_in import role_required
from backend.csv_download import csv_download
from backend.db import utcnow
from backend.errors import Conflict, ValidationFailed
from backend.services.payments import (
    conflicts,
    dispatch,
    reconciliation,
    treasury,
)

READERS = ("treasury", "payroll", "supervisor")
RECONCILERS = ("treasury", "supervisor")
PAGE_SIZE = 20


def _request_page(request_id: int, status: int = 200, problem: str | None = None,
                  failed_form: str | None = None):
    payment_request = treasury.get(request_id)
    return render_template(
        "console/payment_request.html", payment_request=payment_request,
        findings=treasury.findings(payment_request),
        conflicts=conflicts.listing(request_id)[0], problem=problem,
        failed_form=failed_form, form=request.form,
        rejection_reasons=treasury.REJECTION_REASONS,
        page_address=url_for("console.payment_request_page", request_id=request_id)), status


@console.get("/payment-requests/<int:request_id>")
@role_required(*READERS)
def payment_request_page(request_id: int):
    return _request_page(request_id)


# The Treasury and dispatch services' reasons for a refusal, and their words here.
REFUSALS = {"ALREADY_DECIDED": "payment.refused_decided",
            "NOT_APPROVED": "payment.refused_not_approved",
            "TOTALS_MISMATCH": "payment.refused_mismatch",
            "BUDGET_NOT_AVAILABLE": "payment.refused_budget"}


def _refusal_text(refusal: Conflict, request_id: int) -> str:
    return refusal_message(refusal, REFUSALS,
                           status=label("request_status", treasury.get(request_id).status))


def _settle(request_id: int, form_name: str, decide):
    """Run one decision or dispatch; a refusal comes back on the request's page."""
    try:
        done_text = decide()
    except Conflict as refusal:
        db.session.rollback()
        return _request_page(request_id, 409, _refusal_text(refusal, request_id), form_name)
    except ValidationFailed as invalid:
        db.session.rollback()
        return _request_page(request_id, 422, error_message(invalid), form_name)
    flash(done_text, "success")
    return redirect(url_for("console.payment_request_page", request_id=request_id))


@console.post("/payment-requests/<int:request_id>/approve")
@role_required("treasury")
def approve_payment_request(request_id: int):
    def decide():
        treasury.approve(g.staff.actor, request_id, utcnow())
        return t("payment.approved_done", id=request_id)
    return _settle(request_id, "approve", decide)


@console.post("/payment-requests/<int:request_id>/reject")
@role_required("treasury")
def reject_payment_request(request_id: int):
    try:
        decision = RejectPaymentRequestForm().load({"reasons": request.form.getlist("reasons"),
                                               "note": request.form.get("note", "").strip()})
    except ValidationError:
        return _request_page(request_id, 422, t("payment.reasons_and_note_needed"), "reject")

    def decide():
        treasury.reject(g.staff.actor, request_id, decision["reasons"], decision["note"],
                        utcnow())
        return t("payment.rejected_done", id=request_id)
    return _settle(request_id, "reject", decide)


@console.post("/payment-requests/<int:request_id>/dispatch")
@role_required("treasury")
def dispatch_payment_request(request_id: int):
    def send():
        report = dispatch.dispatch(request_id, utcnow(), actor=g.staff.actor)
        return t("payment.dispatched_done", files=report.files, sent=report.sent)
    return _settle(request_id, "dispatch", send)


@console.get("/payment-requests/<int:request_id>/reconciliation")
@role_required(*RECONCILERS)
def reconciliation_page(request_id: int):
    return render_template("console/reconciliation.html",
                           reconciled=reconciliation.stored(request_id, utcnow()))


@console.get("/payment-requests/<int:request_id>/reconciliation.csv")
@role_required(*RECONCILERS)
def reconciliation_csv(request_id: int):
    reconciled = reconciliation.stored(request_id, utcnow())
    return csv_download(reconciliation.as_csv(reconciled), f"reconciliation-{request_id}.csv")


@console.get("/result-conflicts")
@role_required(*RECONCILERS)
def result_conflicts_page():
    """Payments the bank reported both settled and rejected: cases for staff."""
    try:
        page = PageFilter().load({"page": request.args.get("page", "1")})["page"]
    except ValidationError:
        page = 1
    items, total = conflicts.listing(page=page, page_size=PAGE_SIZE)
    return render_template("console/result_conflicts.html", items=items, total=total,
                           page=page, page_size=PAGE_SIZE)
