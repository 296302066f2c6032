"""Support staff: sign-in, the review queue, decisions, the audit log."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend import canonical
from backend.api.common import PageQuerySchema, PageSchema, page_of
from backend.api.guards import current_staff, staff_required
from backend.api.link_schemas import (
    StaffLinkDetailSchema,
    StaffLinkPageSchema,
    StaffLinkSchema,
    StaffTransitionSchema,
)
from backend.api.payment_schemas import PaymentSchema
from backend.db import utcnow
from backend.extensions import limiter, login_rate_limit
from backend.models.statuses import LinkStatus
from backend.services.accounts import cases, review
from backend.services.audit import trail, verification
from backend.services.identity import staff_login

blp = Blueprint("staff", __name__, description="Support staff")


class StaffLoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=60))
    password = fields.String(required=True, validate=validate.Length(min=1, max=128))
    otp = fields.String(required=True, validate=canonical.ONE_TIME_CODE)


class StaffTokensSchema(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    roles = fields.List(fields.String(), required=True)


class QueueQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(tuple(LinkStatus)))
    province = fields.String(validate=canonical.PROVINCE_CODE)
    institution = fields.String(validate=validate.Length(max=20))
    reason = fields.String(validate=validate.Length(max=40))
    claimed = fields.String(validate=validate.OneOf(("mine", "unclaimed")))


class ApproveSchema(Schema):
    note = fields.String(required=True, validate=validate.Length(min=3, max=1000))


class RejectSchema(Schema):
    reason = fields.String(required=True, validate=validate.OneOf(review.REJECTION_REASONS))
    note = fields.String(required=True, validate=validate.Length(min=3, max=1000))
    note_for_citizen = fields.String(validate=validate.Length(min=3, max=500), metadata={
        "description": "what the citizen reads on the rejected request; needed with OTHER"})


class ReassignSchema(Schema):
    to = fields.String(allow_none=True, load_default=None,
                       metadata={"description": "reviewer username, or null to free it"})


class AuditQuerySchema(PageQuerySchema):
    actor = fields.String()
    action = fields.String()
    personal_id = fields.String(validate=canonical.PERSONAL_ID)
    since = fields.DateTime()
    until = fields.DateTime()


class AuditEntrySchema(Schema):
    id = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    actor = fields.String(required=True)
    action = fields.String(required=True)
    subject_personal_id = fields.String(allow_none=True)
    target = fields.String(allow_none=True)
    details = fields.Dict(required=True)
    entry_hash = fields.String(required=True)


class AuditPageSchema(PageSchema):
    items = fields.List(fields.Nested(AuditEntrySchema), required=True)


class ChainReportSchema(Schema):
    intact = fields.Boolean(required=True)
    checked = fields.Integer(required=True)
    broken_at = fields.Integer(allow_none=True)
    problem = fields.String(allow_none=True)
    checkpoint_entries = fields.Integer(allow_none=True, metadata={
        "description": "the entries the newest signed checkpoint counts, if any"})


@blp.route("/staff/auth/login")
class StaffLogin(MethodView):
    decorators = [limiter.limit(login_rate_limit)]

    @blp.arguments(StaffLoginSchema)
    @blp.response(200, StaffTokensSchema)
    @blp.alt_response(401, "UNAUTHORIZED")
    @blp.alt_response(423, "LOCKED")
    @blp.alt_response(429, "TOO_MANY_REQUESTS")
    @blp.doc(security=[])
    def post(self, login):
        """Password and one-time code; tokens carry the staff member's roles."""
        return staff_login.sign_in(login["username"], login["password"], login["otp"], utcnow())


@blp.route("/staff/link-requests")
class ReviewQueue(MethodView):
    @staff_required("reviewer")
    @blp.arguments(QueueQuerySchema, location="query")
    @blp.response(200, StaffLinkPageSchema)
    def get(self, query):
        """Requests to review, oldest first (NEEDS_REVIEW unless `status` says otherwise)."""
        items, total, counts = review.queue(current_staff(), query, query["page"],
                                            query["page_size"], utcnow())
        return {**page_of(items, total, query), "counts": counts}


@blp.route("/staff/link-requests/<int:link_id>")
class ReviewRequest(MethodView):
    @staff_required("reviewer")
    @blp.response(200, StaffLinkDetailSchema)
    def get(self, link_id: int):
        """The request with its evidence side by side; the look-up is audited."""
        return review.look_up_request(current_staff(), link_id, utcnow())


@blp.route("/staff/link-requests/<int:link_id>/claim")
class ReviewClaim(MethodView):
    @staff_required("reviewer")
    @blp.response(200, StaffLinkSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, link_id: int):
        """Claim the request so no one else decides it; CONFLICT if another reviewer holds it."""
        return review.claim(current_staff(), link_id, utcnow())


@blp.route("/staff/link-requests/<int:link_id>/approve")
class ReviewApprove(MethodView):
    @staff_required("reviewer")
    @blp.arguments(ApproveSchema)
    @blp.response(200, StaffLinkSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, decision, link_id: int):
        """Approve a claimed request: the account becomes the citizen's active one."""
        return review.approve(current_staff(), link_id, decision["note"], utcnow())


@blp.route("/staff/link-requests/<int:link_id>/reject")
class ReviewReject(MethodView):
    @staff_required("reviewer")
    @blp.arguments(RejectSchema)
    @blp.response(200, StaffLinkSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, decision, link_id: int):
        """Reject a claimed request with a reason from the fixed list, a note for
        colleagues and, needed with OTHER, a note the citizen reads."""
        return review.reject(current_staff(), link_id, decision["reason"], decision["note"],
                             utcnow(), decision.get("note_for_citizen"))


@blp.route("/staff/link-requests/<int:link_id>/reassign")
class ReviewReassign(MethodView):
    @staff_required("supervisor")
    @blp.arguments(ReassignSchema)
    @blp.response(200, StaffLinkSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, reassignment, link_id: int):
        """Hand a request to another reviewer, or free it (supervisors)."""
        return review.reassign(current_staff(), link_id, reassignment["to"], utcnow())


class CaseLinkSchema(StaffLinkSchema):
    history = fields.List(fields.Nested(StaffTransitionSchema), required=True)


class SignInThrottleSchema(Schema):
    factor = fields.String(required=True, metadata={"enum": ["password", "otp", "passcode"]})
    attempts = fields.Integer(required=True,
                              metadata={"description": "consecutive attempts since the last "
                                                       "success"})
    retry_at = fields.DateTime(allow_none=True,
                               metadata={"description": "no attempt before this time"})
    locked_for_good = fields.Boolean(required=True,
                                     metadata={"description": "until support lifts it"})


class CaseSchema(Schema):
    personal_id = fields.String(required=True)
    register = fields.Dict(allow_none=True)
    eid_level = fields.Integer(allow_none=True)
    sign_in_throttle = fields.List(fields.Nested(SignInThrottleSchema), required=True)
    account = fields.Dict(allow_none=True)
    programmes = fields.List(fields.Dict(), required=True)
    links = fields.List(fields.Nested(CaseLinkSchema), required=True)
    payments = fields.List(fields.Nested(PaymentSchema), required=True)


@blp.route("/staff/cases/<personal_id>")
class Case(MethodView):
    @staff_required("reviewer", "support")
    @blp.response(200, CaseSchema)
    def get(self, personal_id: str):
        """A citizen's case: account, links and their history; the look-up is audited."""
        return cases.look_up_case(current_staff(), personal_id, utcnow())


@blp.route("/staff/audit-log")
class AuditLog(MethodView):
    @staff_required("supervisor")
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, query):
        """Newest first, with filters (supervisors); the read is audited."""
        items, total = trail.page(current_staff().actor, query, query["page"],
                                  query["page_size"], utcnow())
        return page_of(items, total, query)


@blp.route("/staff/audit-log/integrity")
class AuditIntegrity(MethodView):
    @staff_required("supervisor")
    @blp.response(200, ChainReportSchema)
    def get(self):
        """Whether the hash chain is intact, and where it breaks (also against the
        signed checkpoints kept outside the database); the check is audited."""
        return verification.verify_for(current_staff().actor, utcnow())
