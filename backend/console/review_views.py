"""Reviewer pages: the queue, a request with its evidence, claim and decide."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from backend import db
from backend.console.blueprint import console
from backend.console.catalogue import error_message, label, refusal_message, t
from backend.console.forms import ApproveLinkForm, QueueFilter, RejectLinkForm
from backend.console.signed_in import role_required
from backend.db import utcnow
from backend.errors import Conflict, ValidationFailed
from backend.messages import REASONS
from backend.models import PayoutLink
from backend.models.statuses import LinkStatus
from backend.services.accounts import institutions, review
from backend.services.identity import staff_login

PAGE_SIZE = 20
# The queue's own status first, then the others in their natural order.
STATUSES = (review.QUEUE_STATUS,
            *(status for status in LinkStatus if status != review.QUEUE_STATUS))
QUEUE_FILTERS = ("status", "province", "institution", "reason", "claimed")


def holder_of(link: PayoutLink) -> str | None:
    staff = staff_login.staff_by_id(link.claimed_by) if link.claimed_by else None
    return staff.username if staff else None


def queue_choices() -> dict:
    """What the queue's filters offer; shared with the supervisor's page."""
    return {"statuses": STATUSES, "default_status": review.QUEUE_STATUS,
            "reasons": sorted(REASONS),
            "institutions": institutions.list_all()}


@console.get("/queue")
@role_required("reviewer")
def queue():
    wanted = {key: request.args[key] for key in (*QUEUE_FILTERS, "page")
              if request.args.get(key)}
    problem = None
    try:
        query = QueueFilter().load(wanted)
    except ValidationError as invalid:
        problem = t("queue.bad_filter", fields=", ".join(sorted(invalid.messages)))
        query = QueueFilter().load({})
    filters = {key: query.get(key) for key in QUEUE_FILTERS}
    items, total, counts = review.queue(g.staff, filters, query["page"], PAGE_SIZE, utcnow())
    return render_template("console/queue.html", items=items, total=total, counts=counts,
                           filters=filters, page=query["page"], page_size=PAGE_SIZE,
                           holder_of=holder_of, problem=problem, **queue_choices())


def _request_page(link_id: int, status: int = 200, problem: str | None = None,
                  refusal: Conflict | None = None, failed_form: str | None = None):
    detail = review.look_up_request(g.staff, link_id, utcnow())
    if refusal is not None:
        problem = _refusal_text(refusal, detail)
    return render_template("console/request.html", detail=detail, link=detail["link"],
                           problem=problem, failed_form=failed_form, form=request.form,
                           rejection_reasons=review.REJECTION_REASONS,
                           # A refusal answers a POST; switching language returns here.
                           page_address=url_for("console.request_page", link_id=link_id)), status


@console.get("/requests/<int:link_id>")
@role_required("reviewer")
def request_page(link_id: int):
    return _request_page(link_id)


# The review service's reason for refusing a claim or decision, and its words here.
REFUSALS = {"ALREADY_DECIDED": "request.refused_decided",
            "NOT_CLAIMED": "request.refused_unclaimed",
            "HELD_BY_OTHER": "request.refused_held"}


def _refusal_text(refusal: Conflict, detail: dict) -> str:
    """The service's reason in words, with the request as it stands now."""
    return refusal_message(refusal, REFUSALS, status=label("status", detail["link"].status),
                           holder=detail["claimed_by"])


def _settle(link_id: int, form_name: str, decide, done_text: str):
    """Run one claim or decision; a refusal comes back on the request's page."""
    try:
        decide()
    except Conflict as refusal:
        db.session.rollback()  # nothing of the refused attempt may land with the page's audit
        return _request_page(link_id, 409, refusal=refusal, failed_form=form_name)
    except ValidationFailed as invalid:
        db.session.rollback()
        return _request_page(link_id, 422, error_message(invalid), failed_form=form_name)
    flash(done_text, "success")
    return redirect(url_for("console.request_page", link_id=link_id))


@console.post("/requests/<int:link_id>/claim")
@role_required("reviewer")
def claim(link_id: int):
    return _settle(link_id, "claim", lambda: review.claim(g.staff, link_id, utcnow()),
                   t("request.claimed_done"))


@console.post("/requests/<int:link_id>/approve")
@role_required("reviewer")
def approve(link_id: int):
    try:
        decision = ApproveLinkForm().load({"note": request.form.get("note", "").strip()})
    except ValidationError:
        return _request_page(link_id, 422, t("request.note_needed"), failed_form="approve")
    return _settle(link_id, "approve",
                   lambda: review.approve(g.staff, link_id, decision["note"], utcnow()),
                   t("request.approved_done"))


@console.post("/requests/<int:link_id>/reject")
@role_required("reviewer")
def reject(link_id: int):
    try:
        decision = RejectLinkForm().load({
            "reason": request.form.get("reason", ""), "note": request.form.get("note", "").strip(),
            "note_for_citizen": request.form.get("note_for_citizen", "").strip()})
    except ValidationError:
        return _request_page(link_id, 422, t("request.reason_and_note_needed"),
                             failed_form="reject")
    return _settle(link_id, "reject", lambda: review.reject(
        g.staff, link_id, decision["reason"], decision["note"], utcnow(),
        decision["note_for_citizen"]),
                   t("request.rejected_done"))
