"""The citizen's consents: list and withdraw (API.md, "The citizen's data and access")."""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.guards import citizen_required, current_citizen
from backend.api.payout_links import STEP_UP
from backend.db import utcnow
from backend.messages import current_language
from backend.models.statuses import ConsentStatus, ConsentWithdrawalEffect, LinkStatus
from backend.services.accounts import consents

blp = Blueprint("consents", __name__, description="The citizen's consents")


class ConsentSchema(Schema):
    id = fields.Integer(required=True)
    purpose = fields.String(required=True)
    text_version = fields.String(required=True)
    text = fields.String(allow_none=True, metadata={
        "description": "the words agreed to, in the request's language"})
    given_at = fields.DateTime(required=True)
    status = fields.String(required=True, validate=validate.OneOf(tuple(ConsentStatus)))
    withdrawn_at = fields.DateTime(allow_none=True)
    link_id = fields.Integer(required=True, metadata={
        "description": "the payout link request this consent was given with"})
    link_status = fields.String(required=True, validate=validate.OneOf(tuple(LinkStatus)))
    withdrawal_effect = fields.String(
        allow_none=True, validate=validate.OneOf(tuple(ConsentWithdrawalEffect)),
        metadata={"description": "what withdrawing it would do besides; null if nothing. "
                                 "A withdrawal with an effect needs `confirm: true`"})
    withdrawal_effect_text = fields.String(allow_none=True)


class WithdrawSchema(Schema):
    confirm = fields.Boolean(load_default=False, metadata={
        "description": "the citizen has seen `withdrawal_effect` and goes ahead"})


@blp.route("/me/consents")
class Consents(MethodView):
    @citizen_required()
    @blp.response(200, ConsentSchema(many=True))
    def get(self):
        """Every consent the citizen gave, newest first, with what withdrawing it would do."""
        return consents.list_for(current_citizen(), utcnow(), current_language())


@blp.route("/me/consents/<int:consent_id>/withdraw")
class ConsentWithdrawal(MethodView):
    @citizen_required()
    @blp.arguments(WithdrawSchema)
    @blp.response(200, ConsentSchema)
    @blp.alt_response(401, "UNAUTHORIZED")
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    @blp.doc(parameters=STEP_UP["parameters"])
    def post(self, withdrawal, consent_id: int):
        """Withdraw a consent with the passcode (`X-Passcode`) or a fresh one-time code
        (`X-OTP`).

        A consent whose withdrawal ends the active link (payments then go in
        cash) or cancels a pending request answers CONFLICT with
        `details.reason` CONFIRMATION_REQUIRED and `details.effect` until the
        body says `{"confirm": true}`; the code is not used by that answer.
        CONFLICT ALREADY_WITHDRAWN for a consent withdrawn before."""
        return consents.withdraw(current_citizen(), consent_id, withdrawal["confirm"],
                                 request.headers.get("X-OTP"), utcnow(), current_language(),
                                 passcode=request.headers.get("X-Passcode"))
