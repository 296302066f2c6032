"""Officer pages: lost-phone recoveries waiting for an ID card check at the desk."""
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
from backend.services.identity import recovery


@console.get("/recoveries")
@role_required("officer")
def recoveries_page():
    wanted = request.args.get("personal_id", "").strip()
    personal_id = wanted if len(wanted) == 12 and wanted.isascii() and wanted.isdigit() \
        else None
    page_number = page_number_asked()
    items, total = recovery.waiting(g.staff, personal_id, page_number, PAGE_SIZE, utcnow())
    return render_template("console/recoveries.html", items=items, total=total,
                           page=page_number, page_size=PAGE_SIZE, personal_id=wanted,
                           problem=t("recoveries.bad_id") if wanted and not personal_id
                           else None)


@console.post("/recoveries/<int:recovery_id>/<any(approve, refuse):decision>")
@role_required("officer")
def decide_recovery(recovery_id: int, decision: str):
    note = request.form.get("note", "").strip()
    try:
        if len(note) < 3:
            raise ValidationFailed({"note": ["at least 3 characters"]})
        if decision == "approve":
            recovery.approve_in_person(g.staff, recovery_id,
                                       request.form.get("card_personal_id", ""), note, utcnow())
        else:
            recovery.refuse(g.staff, recovery_id, note, utcnow())
    except ValidationFailed as refusal:
        db.session.rollback()
        why = t("recoveries.card_mismatch") if "card_personal_id" in refusal.details \
            else t("recoveries.note_needed")
        flash(t("recoveries.not_decided", id=recovery_id, why=why), "error")
    except (Conflict, NotFound):
        db.session.rollback()
        flash(t("recoveries.not_decided", id=recovery_id, why=t("recoveries.not_waiting")),
              "error")
    else:
        flash(t("recoveries.approved" if decision == "approve" else "recoveries.declined",
                id=recovery_id), "success")
    return redirect(url_for("console.recoveries_page"))
