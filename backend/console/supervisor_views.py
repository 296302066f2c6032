"""Supervisor pages: the audit log with its integrity, and reassigning requests."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import flash, g, redirect, render_template, request, url_for

from backend import db
from backend.console.blueprint import console
from backend.console.catalogue import ACTIONS, t
from backend.console.presenting import page_number_asked
from backend.console.review_views import PAGE_SIZE, holder_of
from backend.console.signed_in import role_required
from backend.db import utcnow
from backend.errors import Conflict, ValidationFailed
from backend.services.accounts import review
from backend.services.audit import trail, verification
from backend.vietnam_time import VIETNAM_TIME

AUDIT_FILTERS = ("actor", "action", "personal_id", "since", "until")


def _day_start(text: str, days_later: int = 0) -> datetime | None:
    """A day typed in a date field, as the moment it starts in Viet Nam."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return datetime.combine(day + timedelta(days=days_later), time(), VIETNAM_TIME)


@console.get("/audit")
@role_required("supervisor")
def audit_log():
    typed = {key: request.args.get(key, "").strip() for key in AUDIT_FILTERS}
    filters = {"actor": typed["actor"], "action": typed["action"],
               "personal_id": typed["personal_id"],
               "since": _day_start(typed["since"]) if typed["since"] else None,
               # "until" names the last day shown, so the day after is the bound.
               "until": _day_start(typed["until"], 1) if typed["until"] else None}
    page_number = page_number_asked()
    entries, total = trail.page(g.staff.actor, filters, page_number, PAGE_SIZE, utcnow())
    return render_template("console/audit.html", entries=entries, total=total,
                           typed=typed, page=page_number, page_size=PAGE_SIZE,
                           chain=verification.verify(), actions=ACTIONS)


@console.get("/claims")
@role_required("supervisor")
def claims():
    page_number = page_number_asked()
    items, total, _counts = review.queue(g.staff, {"status": review.QUEUE_STATUS}, page_number,
                                         PAGE_SIZE, utcnow())
    return render_template("console/claims.html", items=items, total=total,
                           page=page_number, page_size=PAGE_SIZE, holder_of=holder_of)


@console.post("/requests/<int:link_id>/reassign")
@role_required("supervisor")
def reassign(link_id: int):
    to_username = request.form.get("to", "").strip() or None
    try:
        review.reassign(g.staff, link_id, to_username, utcnow())
    except (Conflict, ValidationFailed) as refusal:
        db.session.rollback()
        # reassign refuses an unknown reviewer (ValidationFailed) or a request
        # that is no longer waiting for review (Conflict).
        why = t("claims.no_such_reviewer") if isinstance(refusal, ValidationFailed) \
            else t("claims.not_pending")
        flash(t("claims.refused", id=link_id, why=why), "error")
    else:
        flash(t("claims.reassigned", id=link_id, to=to_username)
              if to_username else t("claims.freed", id=link_id), "success")
    return redirect(url_for("console.claims", page=request.form.get("page", 1)))
