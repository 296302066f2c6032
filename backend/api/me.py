"""The signed-in citizen and their social security account."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.guards import citizen_required, live_session
from backend.db import utcnow
from backend.errors import Unauthenticated
from backend.messages import current_language
from backend.models.statuses import AccountStatus
from backend.services.accounts import social_security
from backend.services.identity import profile

blp = Blueprint("me", __name__, description="The signed-in citizen")


class MeSchema(Schema):
    personal_id = fields.String(required=True)
    full_name = fields.String(required=True)
    date_of_birth = fields.Date(allow_none=True)
    ial = fields.Integer(required=True)
    phone_masked = fields.Method("_mask_phone")
    passcode_set = fields.Boolean(required=True, metadata={
        "description": "whether the step-up passcode is set (PUT /me/passcode)"})

    def _mask_phone(self, citizen) -> str:
        return "•" * (len(citizen.phone) - 3) + citizen.phone[-3:]


class ProgrammeSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    monthly_amount_vnd = fields.Integer(required=True)
    province_code = fields.String(required=True)
    since = fields.Date(required=True)


class ActivePayoutSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    institution = fields.String(allow_none=True)
    account_masked = fields.String(allow_none=True)
    holder_name = fields.String(allow_none=True)
    since = fields.DateTime(required=True)


class SocialSecurityAccountSchema(Schema):
    personal_id = fields.String(required=True)
    status = fields.String(validate=validate.OneOf(tuple(AccountStatus)), required=True)
    created_at = fields.DateTime(required=True)
    active_payout = fields.Nested(ActivePayoutSchema, allow_none=True)
    programmes = fields.List(fields.Nested(ProgrammeSchema), required=True)


@blp.route("/me")
class Me(MethodView):
    @citizen_required(ial2=False, session_in_statement=True)
    @blp.response(200, MeSchema)
    def get(self):
        """Who is signed in (any identity level)."""
        citizen = profile.of_session(live_session())
        if citizen is None:
            raise Unauthenticated()
        return citizen


@blp.route("/me/social-security-account")
class MySocialSecurityAccount(MethodView):
    @citizen_required(session_in_statement=True)
    @blp.response(200, SocialSecurityAccountSchema)
    @blp.alt_response(403, "FORBIDDEN")
    def get(self):
        """The citizen's account, created on first use; programmes from the register."""
        found = social_security.overview(live_session(), utcnow(), current_language())
        if found is None:
            raise Unauthenticated()
        return found
