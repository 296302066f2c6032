"""Treasury control by batch: a programme's period, with its provinces' requests
inside, decided at once (backend/services/payments/treasury_batches.py).

Read access is a request's (payment_views.READERS); decisions are the Treasury's.
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from backend import db
from backend.console.blueprint import console
from backend.console.catalogue import current_language, label, t
from backend.console.forms import PaymentBatchFilter, RejectPaymentRequestForm
from backend.console.payment_views import PAGE_SIZE, READERS
from backend.console.signed_in import role_required
from backend.db import utcnow
from backend.models.statuses import PaymentRequestStatus
from backend.services.payments import history, treasury, treasury_batches


@console.get("/payment-requests")
@role_required(*READERS)
def payment_requests_page():
    """The batches: one row per programme and period, the provinces inside."""
    wanted = {key: request.args[key] for key in (*treasury_batches.BATCH_FILTERS, "page")
              if request.args.get(key)}
    problem = None
    try:
        query = PaymentBatchFilter().load(wanted)
    except ValidationError as invalid:
        problem = t("payments.bad_filter", fields=", ".join(sorted(invalid.messages)))
        query = PaymentBatchFilter().load({})
    filters = {key: query.get(key) for key in treasury_batches.BATCH_FILTERS}
    batches, total = treasury_batches.listing(filters, query["page"], PAGE_SIZE)
    return render_template("console/payment_batches.html", batches=batches, total=total,
                           filters=filters, page=query["page"], page_size=PAGE_SIZE,
                           problem=problem, statuses=tuple(PaymentRequestStatus),
                           programmes=tuple(history.programme_names(current_language())))


def _batch_page(programme: str, period: str, status: int = 200, problem: str | None = None,
                failed_form: str | None = None):
    return render_template(
        "console/payment_batch.html", batch=treasury_batches.get(programme, period),
        problem=problem, failed_form=failed_form, form=request.form,
        rejection_reasons=treasury.REJECTION_REASONS,
        page_address=url_for("console.payment_batch_page", programme=programme,
                             period=period)), status


@console.get("/payment-batches/<programme>/<period>")
@role_required(*READERS)
def payment_batch_page(programme: str, period: str):
    return _batch_page(programme, period)


def _left_text(why_left: dict[int, str]) -> str:
    """The requests approval left, grouped by why, in words."""
    by_reason: dict[str, list[str]] = {}
    for request_id, reason in sorted(why_left.items()):
        by_reason.setdefault(reason, []).append(f"#{request_id}")
    return "; ".join(t("batch.left_because", reason=label("left", reason),
                       requests=", ".join(ids)) for reason, ids in by_reason.items())


@console.post("/payment-batches/<programme>/<period>/approve")
@role_required("treasury")
def approve_payment_batch(programme: str, period: str):
    decided = treasury_batches.approve_sound(g.staff.actor, programme, period, utcnow())
    if not decided["approved"]:
        problem = t("batch.nothing_approved") if not decided["left"] else \
            t("batch.none_sound", left=_left_text(decided["why_left"]))
        return _batch_page(programme, period, 409, problem, "approve")
    flash(t("batch.approved_done", count=len(decided["approved"])), "success")
    if decided["left"]:
        flash(t("batch.some_left", left=_left_text(decided["why_left"])), "warning")
    return redirect(url_for("console.payment_batch_page", programme=programme, period=period))


@console.post("/payment-batches/<programme>/<period>/reject")
@role_required("treasury")
def reject_payment_batch(programme: str, period: str):
    try:
        decision = RejectPaymentRequestForm().load({"reasons": request.form.getlist("reasons"),
                                               "note": request.form.get("note", "").strip()})
    except ValidationError:
        return _batch_page(programme, period, 422, t("payment.reasons_and_note_needed"),
                           "reject")
    rejected = treasury_batches.reject(g.staff.actor, programme, period, decision["reasons"],
                                       decision["note"], utcnow())
    if not rejected:
        db.session.rollback()
        return _batch_page(programme, period, 409, t("batch.nothing_to_reject"), "reject")
    flash(t("batch.rejected_done", count=len(rejected)), "success")
    return redirect(url_for("console.payment_batch_page", programme=programme, period=period))


@console.post("/payment-batches/<programme>/<period>/dispatch")
@role_required("treasury")
def dispatch_payment_batch(programme: str, period: str):
    reports = treasury_batches.dispatch_approved(g.staff.actor, programme, period, utcnow())
    if not reports:
        return _batch_page(programme, period, 409, t("batch.nothing_to_dispatch"), "dispatch")
    flash(t("batch.dispatched_done", requests=len(reports),
            files=sum(report.files for report in reports),
            sent=sum(report.sent for report in reports)), "success")
    return redirect(url_for("console.payment_batch_page", programme=programme, period=period))
