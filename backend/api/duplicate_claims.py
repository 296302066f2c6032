"""Held duplicate claims: payroll staff release the genuine one and cancel the other."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.guards import current_staff_actor, staff_required
from backend.api.payment_schemas import PaymentSchema
from backend.db import utcnow
from backend.services.payments import duplicates

blp = Blueprint("duplicate_claims", __name__, description="Held duplicate claims")


class DecisionSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=1000))


@blp.route("/staff/duplicate-claims/<int:payment_id>/release")
class ReleaseDuplicate(MethodView):
    @staff_required("payroll")
    @blp.arguments(DecisionSchema)
    @blp.response(200, PaymentSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def post(self, body, payment_id: int):
        """The genuine claim joins the next request (audited). CONFLICT when it is not
        a held duplicate, or another side of the claim is already released."""
        return duplicates.release(current_staff_actor(), payment_id, body["reason"], utcnow())


@blp.route("/staff/duplicate-claims/<int:payment_id>/cancel")
class CancelDuplicate(MethodView):
    @staff_required("payroll")
    @blp.arguments(DecisionSchema)
    @blp.response(200, PaymentSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def post(self, body, payment_id: int):
        """The other side is CANCELLED and never paid (audited)."""
        return duplicates.cancel(current_staff_actor(), payment_id, body["reason"], utcnow())
