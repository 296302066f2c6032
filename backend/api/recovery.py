"""Lost-phone recovery: the citizen's app asks, an officer (or the ID card's chip,
in demo mode) confirms who they are, and the app enrols a new authenticator."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend import canonical
from backend.api.auth import LoginSchema
from backend.api.common import PageQuerySchema, PageSchema, page_of
from backend.api.guards import current_staff, staff_required
from backend.db import utcnow
from backend.extensions import limiter, login_rate_limit
from backend.models.statuses import RecoveryStatus
from backend.services.identity import recovery

blp = Blueprint("recovery", __name__, description="Lost-phone recovery of the second factor")

TOKEN = fields.String(required=True, validate=validate.Length(min=20, max=100), metadata={
    "description": "what POST /auth/recovery answered; keep it secret"})
NOTE = fields.String(required=True, validate=validate.Length(min=3, max=1000))


class RecoveryStartSchema(LoginSchema):
    class Meta:
        exclude = ("device_id",)


class RecoveryStateSchema(Schema):
    status = fields.String(validate=validate.OneOf(tuple(RecoveryStatus)), required=True)
    expires_at = fields.DateTime(required=True)


class RecoveryStartedSchema(RecoveryStateSchema):
    recovery_token = fields.String(required=True)


class RecoveryTokenSchema(Schema):
    recovery_token = TOKEN


class ChipReadSchema(RecoveryTokenSchema):
    chip_data = fields.String(required=True, validate=validate.Length(min=1, max=4000),
                              metadata={"description": "what the phone read from the card"})


class EnrolmentSchema(Schema):
    secret = fields.String(required=True, metadata={"description": "base32 TOTP secret"})
    otpauth_uri = fields.String(required=True)


class ConfirmationSchema(RecoveryTokenSchema):
    code = fields.String(required=True, validate=canonical.ONE_TIME_CODE)


@blp.route("/auth/recovery")
class RecoveryStart(MethodView):
    decorators = [limiter.limit(login_rate_limit)]

    @blp.arguments(RecoveryStartSchema)
    @blp.response(202, RecoveryStartedSchema)
    @blp.alt_response(423, "LOCKED")
    @blp.alt_response(429, "TOO_MANY_REQUESTS")
    @blp.doc(security=[])
    def post(self, asked):
        """Start a recovery with the personal ID and password. The answer is the
        same whether or not the ID exists and the password is right; the citizen
        then shows their ID card to an officer."""
        token, started = recovery.start(asked["personal_id"], asked["password"], utcnow())
        return {"recovery_token": token, "status": started.status,
                "expires_at": started.expires_at}


@blp.route("/auth/recovery/chip-read")
class RecoveryChipRead(MethodView):
    decorators = [limiter.limit(login_rate_limit)]

    @blp.arguments(ChipReadSchema)
    @blp.response(200, RecoveryStateSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    @blp.alt_response(429, "TOO_MANY_REQUESTS")
    @blp.doc(security=[])
    def post(self, read):
        """Demo mode only: the ID card's chip, read by the phone, proves who the
        citizen is (VALIDATION_ERROR when the card is not the account's)."""
        return recovery.verify_with_chip(read["recovery_token"], read["chip_data"], utcnow())


@blp.route("/auth/recovery/enrolment")
class RecoveryEnrolment(MethodView):
    decorators = [limiter.limit(login_rate_limit)]

    @blp.arguments(RecoveryTokenSchema)
    @blp.response(200, EnrolmentSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    @blp.alt_response(429, "TOO_MANY_REQUESTS")
    @blp.doc(security=[])
    def post(self, asked):
        """A new authenticator secret, once identity is proven (CONFLICT before)."""
        return recovery.enrol(asked["recovery_token"], utcnow())


@blp.route("/auth/recovery/confirmation")
class RecoveryConfirmation(MethodView):
    decorators = [limiter.limit(login_rate_limit)]

    @blp.arguments(ConfirmationSchema)
    @blp.response(200, RecoveryStateSchema)
    @blp.alt_response(401, "UNAUTHORIZED")
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    @blp.alt_response(429, "TOO_MANY_REQUESTS")
    @blp.doc(security=[])
    def post(self, confirmed):
        """A code from the new authenticator: the old one stops working, every
        session ends, and the registered phone is told by SMS."""
        return recovery.confirm(confirmed["recovery_token"], confirmed["code"], utcnow())


class WaitingQuerySchema(PageQuerySchema):
    personal_id = fields.String(validate=canonical.PERSONAL_ID)


class WaitingRecoverySchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    personal_id = fields.String(required=True)
    full_name = fields.String(required=True)
    date_of_birth = fields.Date(allow_none=True)
    created_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(required=True)
    verified_by = fields.String(allow_none=True)


class WaitingPageSchema(PageSchema):
    items = fields.List(fields.Nested(WaitingRecoverySchema), required=True)


class RecoveryApprovalSchema(Schema):
    card_personal_id = fields.String(required=True, validate=canonical.PERSONAL_ID,
                                     metadata={"description": "as printed on the ID card"})
    note = NOTE


class RecoveryRefusalSchema(Schema):
    note = NOTE


@blp.route("/staff/recoveries")
class WaitingRecoveries(MethodView):
    @staff_required("officer")
    @blp.arguments(WaitingQuerySchema, location="query")
    @blp.response(200, WaitingPageSchema)
    def get(self, query):
        """Recoveries waiting for an ID card check, oldest first; audited."""
        items, total = recovery.waiting(current_staff(), query.get("personal_id"),
                                        query["page"], query["page_size"], utcnow())
        return page_of(items, total, query)


@blp.route("/staff/recoveries/<int:recovery_id>/approve")
class RecoveryApprove(MethodView):
    @staff_required("officer")
    @blp.arguments(RecoveryApprovalSchema)
    @blp.response(200, WaitingRecoverySchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def post(self, approval, recovery_id: int):
        """The officer checked the ID card in person; its personal ID must be the
        account's (VALIDATION_ERROR otherwise, nothing changes). Audited."""
        return recovery.approve_in_person(current_staff(), recovery_id,
                                          approval["card_personal_id"], approval["note"],
                                          utcnow())


@blp.route("/staff/recoveries/<int:recovery_id>/refuse")
class RecoveryRefuse(MethodView):
    @staff_required("officer")
    @blp.arguments(RecoveryRefusalSchema)
    @blp.response(200, WaitingRecoverySchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def post(self, refusal, recovery_id: int):
        """The person at the desk is not the account's owner. Audited."""
        return recovery.refuse(current_staff(), recovery_id, refusal["note"], utcnow())
