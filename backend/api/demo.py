"""Demo-mode helpers for QA and the phone simulator (NOT_FOUND outside demo mode)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend import canonical
from backend.db import utcnow
from backend.services.demo import codes, outbox, register

blp = Blueprint("demo", __name__, description="Demo mode only: a simulated authenticator")


class CodeQuerySchema(Schema):
    personal_id = fields.String(validate=canonical.PERSONAL_ID)
    username = fields.String(validate=validate.Length(max=60))


class CodeSchema(Schema):
    code = fields.String(required=True)
    valid_for_seconds = fields.Integer(required=True)


@blp.route("/demo/current-code")
class DemoCode(MethodView):
    @blp.arguments(CodeQuerySchema, location="query")
    @blp.response(200, CodeSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.doc(security=[])
    def get(self, query):
        """The code a demo citizen's (or staff member's) authenticator shows now."""
        return codes.current_code(utcnow(), query.get("personal_id"),
                                       query.get("username"))


class OutboxQuerySchema(Schema):
    phone = fields.String(required=True, validate=validate.Length(min=3, max=15))
    channel = fields.String(validate=validate.OneOf(("sms", "push")), metadata={
        "description": "only SMS, or only the pushes to the citizen's devices"})


class OutboxMessageSchema(Schema):
    phone = fields.String(required=True)
    channel = fields.String(required=True)
    device_token = fields.String(allow_none=True)
    body = fields.String(required=True)
    delivered_at = fields.DateTime(required=True)


@blp.route("/demo/outbox")
class DemoOutbox(MethodView):
    @blp.arguments(OutboxQuerySchema, location="query")
    @blp.response(200, OutboxMessageSchema(many=True))
    @blp.alt_response(404, "NOT_FOUND")
    @blp.doc(security=[])
    def get(self, query):
        """The simulated gateway's SMS to a phone and pushes to its citizen's
        devices, newest first."""
        return outbox.messages_to(query["phone"], query.get("channel"))



class NewBeneficiarySchema(Schema):
    personal_id = fields.String(required=True, validate=canonical.PERSONAL_ID)
    programme = fields.String(required=True, validate=canonical.PROGRAMME_FIELD)
    monthly_amount_vnd = fields.Integer(required=True, validate=validate.Range(min=1, max=10**9))
    province_code = fields.String(validate=canonical.PROVINCE_CODE)
    full_name = fields.String(validate=validate.Length(min=2, max=120))


class EligibilityReportSchema(Schema):
    period = fields.String(required=True)
    new_payments = fields.Integer(required=True)
    total_vnd = fields.Integer(required=True)


@blp.route("/demo/beneficiaries")
class DemoBeneficiaries(MethodView):
    @blp.arguments(NewBeneficiarySchema)
    @blp.response(201, EligibilityReportSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.doc(security=[])
    def post(self, values):
        """The simulated agency registers a beneficiary from today: their payment for
        this month is planned at once and goes into the next payment request."""
        return register.add_beneficiary(values, utcnow())
