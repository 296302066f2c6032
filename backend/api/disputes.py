""""This was not me": a citizen disputes a payout link; staff settle the case."""
from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import get_jwt, verify_jwt_in_request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.common import PageQuerySchema, PageSchema, page_of
from backend.api.guards import current_citizen, current_staff, staff_required
from backend.db import utcnow
from backend.errors import Forbidden, Ial2Required
from backend.extensions import limiter, login_rate_limit
from backend.models.statuses import DisputeStatus
from backend.services.accounts import disputes

blp = Blueprint("disputes", __name__, description="Disputed payout links")


class DisputeRequestSchema(Schema):
    code = fields.String(validate=validate.Length(min=4, max=20), metadata={
        "description": "the one-time code of the SMS; needed only without signing in"})


class DisputeSchema(Schema):
    id = fields.Integer(required=True)
    link_id = fields.Integer(required=True)
    status = fields.String(validate=validate.OneOf(tuple(DisputeStatus)), required=True)
    opened_via = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    settled_by = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class SettleSchema(Schema):
    note = fields.String(required=True, validate=validate.Length(min=3, max=1000))


@blp.route("/me/payout-links/<int:link_id>/dispute")
class PayoutLinkDispute(MethodView):
    decorators = [limiter.limit(login_rate_limit)]

    @blp.arguments(DisputeRequestSchema)
    @blp.response(201, DisputeSchema)
    @blp.alt_response(401, "UNAUTHORIZED")  # a token that is no longer valid
    @blp.alt_response(403, "FORBIDDEN")  # a staff token, or a citizen below level 2
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    @blp.doc(security=[])
    def post(self, body, link_id: int):
        """Payouts to the link stop, every session of the citizen ends, staff get a case.

        Signed in (level 2): any of the citizen's active links. Without signing in:
        the link named in the SMS, with its one-time code. Another citizen's link,
        or a wrong code, is NOT_FOUND and changes nothing."""
        if verify_jwt_in_request(optional=True) is None:
            return disputes.dispute_with_code(link_id, body.get("code"), utcnow())
        claims = get_jwt()
        if claims.get("kind") != "citizen":
            raise Forbidden()
        if claims.get("ial") != 2:
            raise Ial2Required()
        return disputes.dispute_as_citizen(current_citizen(), link_id, utcnow())


class DisputePageSchema(PageSchema):
    items = fields.List(fields.Nested(DisputeSchema), required=True)


@blp.route("/staff/disputes")
class Disputes(MethodView):
    @staff_required("reviewer")
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, DisputePageSchema)
    def get(self, query):
        """Open cases, oldest first, a page at a time; the look-up is audited."""
        items, total = disputes.open_disputes(current_staff(), query["page"],
                                              query["page_size"], utcnow())
        return page_of(items, total, query)


@blp.route("/staff/disputes/<int:dispute_id>/uphold")
class DisputeUphold(MethodView):
    @staff_required("reviewer")
    @blp.arguments(SettleSchema)
    @blp.response(200, DisputeSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def post(self, body, dispute_id: int):
        """Not the citizen's: the link is ended (audited)."""
        return disputes.settle(current_staff(), dispute_id, True, body["note"], utcnow())


@blp.route("/staff/disputes/<int:dispute_id>/dismiss")
class DisputeDismiss(MethodView):
    @staff_required("reviewer")
    @blp.arguments(SettleSchema)
    @blp.response(200, DisputeSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def post(self, body, dispute_id: int):
        """The citizen's own after all: payouts to it resume (audited)."""
        return disputes.settle(current_staff(), dispute_id, False, body["note"], utcnow())
