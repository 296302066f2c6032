"""Demo-mode helpers for QA and the phone simulator (NOT_FOUND outside demo mode)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.db import utcnow
from backend.services.demo import codes, outbox

blp = Blueprint("demo", __name__, description="Demo mode only: a simulated authenticator")


class CodeQuerySchema(Schema):
    personal_id = fields.String(validate=validate.Length(equal=12))
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
