"""The citizen's step-up passcode (services/identity/passcodes.py)."""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.api.guards import citizen_required, current_citizen
from backend.db import utcnow
from backend.services.identity import passcodes, step_up

blp = Blueprint("passcode", __name__, description="The step-up passcode")


class PasscodeSchema(Schema):
    passcode = fields.String(required=True, metadata={
        "description": "6 ASCII digits; not one digit repeated, a run, a repeated pair "
                       "or triple, or the citizen's birth date or end of ID or phone"})


@blp.route("/me/passcode")
class Passcode(MethodView):
    @citizen_required()
    @blp.arguments(PasscodeSchema)
    @blp.response(204)
    @blp.alt_response(401, "UNAUTHORIZED")
    @blp.doc(parameters=[{"in": "header", "name": "X-OTP", "schema": {"type": "string"},
                          "required": True, "description": "a current one-time code, used once"}])
    def put(self, body):
        """Set or change the passcode, with a fresh one-time code (not the passcode).

        VALIDATION_ERROR with `details.reason` PASSCODE_TOO_SIMPLE for one that is
        easy to guess; the code is not used by that answer. Audited."""
        citizen, now = current_citizen(), utcnow()
        passcodes.check_new(citizen, body["passcode"])
        step_up.confirm_code(citizen, request.headers.get("X-OTP"), now)
        passcodes.set_passcode(citizen, body["passcode"], now)
