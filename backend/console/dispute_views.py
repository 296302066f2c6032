"""Disputed payout links: the citizen said "this was not me"; staff settle the case."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from backend import db
from backend.console.blueprint import console
from backend.console.catalogue import t
from backend.console.presenting import page_number_asked
from backend.console.review_views import PAGE_SIZE
from backend.console.signed_in import role_required
from backend.db import utcnow
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.services.accounts import disputes


@console.get("/disputes")
@role_required("reviewer")
def disputes_page():
    page_number = page_number_asked()
    items, total = disputes.open_disputes(g.staff, page_number, PAGE_SIZE, utcnow())
    return render_template("console/disputes.html", items=items, total=total,
                           page=page_number, page_size=PAGE_SIZE)


@console.post("/disputes/<int:dispute_id>/<any(uphold, dismiss):decision>")
@role_required("reviewer")
def settle_dispute(dispute_id: int, decision: str):
    try:
        disputes.settle(g.staff, dispute_id, decision == "uphold",
                        request.form.get("note", ""), utcnow())
    except (Conflict, NotFound, ValidationFailed) as refusal:
        db.session.rollback()
        why = t("disputes.note_needed") if isinstance(refusal, ValidationFailed) \
            else t("disputes.already_settled")
        flash(t("disputes.refused", id=dispute_id, why=why), "error")
    else:
        flash(t(f"disputes.{decision}d", id=dispute_id), "success")
    return redirect(url_for("console.disputes_page", page=request.form.get("page", 1)))
