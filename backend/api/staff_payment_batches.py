"""Treasury control by batch: a programme's period, its provinces' requests inside,
decided at once (the console's payment-requests list and batch page, as an API)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend import canonical
from backend.api.common import PageQuerySchema, PageSchema, page_of
from backend.api.guards import current_staff_actor, staff_required
from backend.api.staff_payments import DispatchReportSchema, RejectRequestSchema
from backend.db import utcnow
from backend.models.statuses import PaymentRequestStatus
from backend.services.payments import treasury_batches

blp = Blueprint("staff_payment_batches", __name__,
                description="Treasury control by batch: a programme's period, all provinces")

LEFT_REASONS = ("TOTALS_MISMATCH", "BUDGET_NOT_AVAILABLE", "ALREADY_DECIDED")


class BatchQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(tuple(PaymentRequestStatus)), metadata={
        "description": "batches with at least one request in this status"})
    period = fields.String(validate=canonical.PERIOD_FIELD)
    programme = fields.String(validate=canonical.PROGRAMME_FIELD)


class WaitingFindingsSchema(Schema):
    requests = fields.Integer(required=True, metadata={"description": "requests waiting"})
    sound = fields.Integer(required=True, metadata={
        "description": "of those, the ones an approval of the batch would approve"})
    unsound = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                          metadata={"description": "request id: why approval would leave it "
                                                   "(TOTALS_MISMATCH, BUDGET_NOT_AVAILABLE)"})
    totals_mismatch = fields.Integer(required=True)
    over_budget = fields.Integer(required=True)
    deceased = fields.Integer(required=True)
    held = fields.Integer(required=True, metadata={"description": "payments held back"})
    budget = fields.Dict(allow_none=True, metadata={
        "description": "budget_vnd, committed_vnd, total_vnd (waiting) and covered; "
                       "null when the programme has no budget"})


class BatchSchema(Schema):
    programme = fields.String(required=True)
    period = fields.String(required=True)
    requests = fields.Integer(required=True)
    provinces = fields.Integer(required=True)
    count = fields.Integer(required=True, metadata={"description": "payments"})
    total_vnd = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    statuses = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                           metadata={"description": "requests by status"})
    findings = fields.Nested(WaitingFindingsSchema, allow_none=True, metadata={
        "description": "what control finds now in the requests still waiting; null if none"})


class BatchPageSchema(PageSchema):
    items = fields.List(fields.Nested(BatchSchema), required=True)


class LeftSchema(Schema):
    request_id = fields.Integer(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(LEFT_REASONS))


class BatchApprovalSchema(Schema):
    approved = fields.List(fields.Integer(), required=True, metadata={
        "description": "the requests approved, each audited as `treasury.approved`"})
    left = fields.List(fields.Nested(LeftSchema), required=True, metadata={
        "description": "the requests still to decide one by one, and why"})


class BatchDispatchSchema(Schema):
    dispatched = fields.List(fields.Nested(DispatchReportSchema), required=True, metadata={
        "description": "each approved request that pays into accounts, with its files and "
                       "payments sent; empty when none is left to send"})


class BatchRejectionSchema(Schema):
    rejected = fields.List(fields.Integer(), required=True, metadata={
        "description": "the requests rejected, each audited as `treasury.rejected`"})


@blp.route("/staff/payment-batches")
class PaymentBatches(MethodView):
    @staff_required("treasury", "payroll", "supervisor")
    @blp.arguments(BatchQuerySchema, location="query")
    @blp.response(200, BatchPageSchema)
    def get(self, query):
        """Batches, newest first: one per programme and period, the provinces inside."""
        items, total = treasury_batches.listing(query, query["page"], query["page_size"])
        return page_of(items, total, query)


@blp.route("/staff/payment-batches/<programme>/<period>/approve")
class PaymentBatchApprove(MethodView):
    @staff_required("treasury")
    @blp.response(200, BatchApprovalSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def post(self, programme: str, period: str):
        """Approve every waiting request of the batch that control finds sound (totals,
        checksum, budget); the others are left, each with its reason."""
        decided = treasury_batches.approve_sound(current_staff_actor(), programme, period,
                                                 utcnow())
        return {"approved": decided["approved"],
                "left": [{"request_id": request_id, "reason": reason}
                         for request_id, reason in decided["why_left"].items()]}


@blp.route("/staff/payment-batches/<programme>/<period>/reject")
class PaymentBatchReject(MethodView):
    @staff_required("treasury")
    @blp.arguments(RejectRequestSchema)
    @blp.response(200, BatchRejectionSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def post(self, decision, programme: str, period: str):
        """Reject every waiting request of the batch, with reasons and a note."""
        return {"rejected": treasury_batches.reject(
            current_staff_actor(), programme, period, decision["reasons"], decision["note"],
            utcnow())}


@blp.route("/staff/payment-batches/<programme>/<period>/dispatch")
class PaymentBatchDispatch(MethodView):
    @staff_required("treasury")
    @blp.response(200, BatchDispatchSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def post(self, programme: str, period: str):
        """Send the bank files of every approved request of the batch that pays into
        accounts (cash-only requests have none); safe to repeat."""
        return {"dispatched": treasury_batches.dispatch_approved(
            current_staff_actor(), programme, period, utcnow())}
