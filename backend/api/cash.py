"""Cash at paying agents: a hand-over with its proof, and an agent's report in bulk."""
from __future__ import annotations

import io

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend import canonical
from backend.api.guards import current_staff_actor, staff_required
from backend.api.payment_schemas import PaymentSchema
from backend.db import utcnow
from backend.errors import ValidationFailed
from backend.services.payments import cash_handover

blp = Blueprint("cash", __name__, description="Cash at paying agents")
# Who records hand-overs: the agency's payroll staff, or a paying agent's own account.
AGENT_ROLES = ("payroll", "paying_agent")


class CashPaidSchema(Schema):
    agent_id = fields.String(required=True, validate=validate.Length(min=1, max=30))
    code = fields.String(required=True, validate=canonical.ONE_TIME_CODE, metadata={
        "description": "the one-time code the citizen (or their authorised person) shows"})
    place = fields.String(validate=validate.Length(min=1, max=120), metadata={
        "description": "where it was handed over; the agent's own address if left out"})


class HandoverReportSchema(Schema):
    recorded = fields.Integer(required=True)
    refused = fields.List(fields.Dict(), required=True, metadata={
        "description": "each line not recorded: line, payment_id and a reason code"})


@blp.route("/staff/payments/<int:payment_id>/cash-paid")
class CashPaid(MethodView):
    @staff_required(*AGENT_ROLES)
    @blp.arguments(CashPaidSchema)
    @blp.response(200, PaymentSchema)
    @blp.alt_response(401, "UNAUTHORIZED")
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def post(self, body, payment_id: int):
        """The agent hands the cash over now. An unknown agent is VALIDATION_ERROR,
        a payment not CASH_READY is CONFLICT, a wrong code OTP_INVALID; none
        changes anything."""
        return cash_handover.record(current_staff_actor(), payment_id, body["agent_id"],
                                    body["code"], utcnow(), place=body.get("place"))


@blp.route("/staff/cash-handovers")
class CashHandovers(MethodView):
    @staff_required(*AGENT_ROLES)
    @blp.response(201, HandoverReportSchema)
    def post(self):
        """Import an agent's report (multipart 'file', CSV:
        payment_id,agent_id,place,handed_at,code); lines whose proof holds are recorded."""
        upload = request.files.get("file")
        if upload is None:
            raise ValidationFailed({"file": ["send the agent's report as multipart 'file'"]})
        return cash_handover.import_report(io.BytesIO(upload.read()),
                                           upload.filename or "handovers.csv",
                                           current_staff_actor(), utcnow())
