"""Per-payment results from the bank gateway, signed with HMAC."""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.db import utcnow
from backend.services.payments import results

blp = Blueprint("bank_gateway", __name__, description="Bank gateway callbacks")


class CallbackAnswerSchema(Schema):
    outcome = fields.String(required=True, metadata={"description": "applied, waiting, duplicate"})


@blp.route("/bank-gateway/callbacks")
class Callbacks(MethodView):
    @blp.response(200, CallbackAnswerSchema)
    @blp.alt_response(401, "UNAUTHORIZED")
    @blp.doc(security=[],  # signed by the gateway instead: the header below
             parameters=[{"in": "header", "name": "X-Gateway-Signature", "required": True,
                          "schema": {"type": "string"},
                          "description": "sha256=HMAC-SHA256(secret, raw body), hex"}])
    def post(self):
        """One transfer's result; duplicates and early arrivals are harmless."""
        return {"outcome": results.receive(request.get_data(),
                                                request.headers.get("X-Gateway-Signature"),
                                                utcnow())}
