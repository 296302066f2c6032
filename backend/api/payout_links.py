"""A citizen's payout links (API.md)."""
from __future__ import annotations

from datetime import datetime

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.api.common import PageQuerySchema, not_modified, page_of, version_headers
from backend.api.guards import (
    check_session_now,
    citizen_required,
    current_citizen,
    idempotent,
    live_session,
    step_up_now,
    step_up_required,
)
from backend.api.link_schemas import LinkRequestSchema, PayoutLinkPageSchema, PayoutLinkSchema
from backend.db import utcnow
from backend.messages import current_language
from backend.services.accounts import consent_texts, linking

blp = Blueprint("payout_links", __name__, description="Linking a payout account")
STEP_UP = {"parameters": [
    {"in": "header", "name": "X-OTP", "schema": {"type": "string"}, "required": False,
     "description": "a current one-time code, used once (or X-Passcode)"},
    {"in": "header", "name": "X-Passcode", "schema": {"type": "string"}, "required": False,
     "description": "the citizen's 6-digit passcode, in place of X-OTP"}]}
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
    def post(self, link_request):
        """Ask to be paid into an account; verification follows off the request.

        Step-up: `X-Passcode` or `X-OTP`; neither is needed for a first link of the
        citizen's own account within minutes of signing in. STEP_UP_REQUIRED says
        in `details.accepts` what may be sent. CONFLICT while another request is
        pending."""
        citizen, now = current_citizen(), utcnow()
        step_up_now(citizen, now,
                    lambda: linking.sign_in_covers_step_up(citizen, link_request, now))
        return linking.submit(citizen, link_request, now)


@blp.route("/me/payout-links/<int:link_id>")
class PayoutLink(MethodView):
    @citizen_required(session_in_statement=True)
    @blp.response(200, PayoutLinkSchema)
    @blp.alt_response(304, "NOT_MODIFIED")
    def get(self, link_id: int):
        """One request with its full history; send If-None-Match to poll cheaply."""
        if request.if_none_match:  # one statement while nothing changed
            found = linking.version_for_session(live_session(), link_id)
            if found and (unchanged := not_modified(_link_version(link_id, *found))):
                return unchanged
        check_session_now()
        link = linking.get_for_citizen(current_citizen(), link_id, utcnow())
        headers = _link_version(link.id, link.status, link.updated_at)
        return not_modified(headers) or (link, 200, headers)


def _link_version(link_id: int, status: str, updated_at: datetime) -> dict[str, str]:
    return version_headers(link_id, status, updated_at.timestamp())


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
