"""A citizen's payout links (API.md)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.api.common import PageQuerySchema, not_modified, page_of, version_headers
from backend.api.guards import citizen_required, current_citizen, idempotent, step_up_required
from backend.api.link_schemas import LinkRequestSchema, PayoutLinkPageSchema, PayoutLinkSchema
from backend.db import utcnow
from backend.messages import current_language
from backend.services.accounts import consent_texts, linking

blp = Blueprint("payout_links", __name__, description="Linking a payout account")
STEP_UP = {"parameters": [
    {"in": "header", "name": "X-OTP", "schema": {"type": "string"}, "required": True,
     "description": "a current one-time code, used once"}]}
IDEMPOTENCY = {"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"}}


class ConsentTextSchema(Schema):
    version = fields.String(required=True)
    text = fields.String(required=True)


@blp.route("/me/payout-links")
class PayoutLinks(MethodView):
    @citizen_required()
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, PayoutLinkPageSchema)
    def get(self, query):
        """The citizen's link requests, newest first."""
        items, total = linking.page_for(current_citizen(), query["page"], query["page_size"],
                                        utcnow())
        return page_of(items, total, query)

    @citizen_required()
    @idempotent
    @blp.arguments(LinkRequestSchema)
    @blp.response(202, PayoutLinkSchema)
    @blp.alt_response(401, "UNAUTHORIZED")
    @blp.alt_response(409, "CONFLICT")
    @blp.doc(parameters=STEP_UP["parameters"] + [IDEMPOTENCY])
    @step_up_required
    def post(self, link_request):
        """Ask to be paid into an account; verification follows off the request.

        CONFLICT while another request is pending."""
        return linking.submit(current_citizen(), link_request, utcnow())


@blp.route("/me/payout-links/<int:link_id>")
class PayoutLink(MethodView):
    @citizen_required()
    @blp.response(200, PayoutLinkSchema)
    @blp.alt_response(304, "NOT_MODIFIED")
    def get(self, link_id: int):
        """One request with its full history; send If-None-Match to poll cheaply."""
        link = linking.get_for_citizen(current_citizen(), link_id, utcnow())
        headers = version_headers(link.id, link.status, link.updated_at.timestamp())
        return not_modified(headers) or (link, 200, headers)


@blp.route("/me/payout-links/<int:link_id>/cancel")
class PayoutLinkCancel(MethodView):
    @citizen_required()
    @blp.response(200, PayoutLinkSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, link_id: int):
        """Cancel a pending request; CONFLICT once it is no longer pending."""
        return linking.cancel(current_citizen(), link_id, utcnow())


@blp.route("/me/payout-links/<int:link_id>/unlink")
class PayoutLinkUnlink(MethodView):
    @citizen_required()
    @blp.response(200, PayoutLinkSchema)
    @blp.alt_response(409, "CONFLICT")
    @blp.doc(parameters=STEP_UP["parameters"])
    @step_up_required
    def post(self, link_id: int):
        """Stop paying into the active account; payments fall back to cash."""
        return linking.unlink(current_citizen(), link_id, utcnow())


@blp.route("/consents/payout-link")
class PayoutLinkConsent(MethodView):
    @blp.response(200, ConsentTextSchema)
    @blp.doc(security=[])
    def get(self):
        """The consent text the app shows before linking, and its version."""
        return consent_texts.payout_link(current_language())
