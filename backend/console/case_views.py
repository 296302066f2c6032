"""Look up a citizen's case by personal ID; every look-up is audited."""
from __future__ import annotations

from flask import g, render_template, request

from backend.console.blueprint import console
from backend.console.catalogue import current_language, t
from backend.console.signed_in import role_required
from backend.db import utcnow
from backend.errors import NotFound
from backend.services.accounts import cases
from backend.services.identity import personal_id


@console.get("/cases")
@role_required("reviewer")
def case_form():
    return render_template("console/case.html", case=None, personal_id="")


# A POST, not a GET: a look-up writes to the audit log, so it must not be
# something a link or an image on another site can trigger.
@console.post("/cases")
@role_required("reviewer")
def case_look_up():
    wanted = request.form.get("personal_id", "").strip()
    try:
        personal_id.parse(wanted)
    except personal_id.InvalidPersonalId as invalid:
        message = invalid.message_vi if current_language() == "vi" else invalid.message_en
        return render_template("console/case.html", case=None, personal_id=wanted,
                               problem=message), 422
    try:
        case = cases.look_up_case(g.staff, wanted, utcnow())
    except NotFound:
        return render_template("console/case.html", case=None, personal_id=wanted,
                               problem=t("case.not_found"), recorded=True), 404
    return render_template("console/case.html", case=case, personal_id=wanted, recorded=True)
