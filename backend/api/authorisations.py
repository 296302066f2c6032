"""Requests naming the signed-in citizen as someone's authorised person."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from backend.api.common import PageQuerySchema, page_of
from backend.api.guards import citizen_required, current_citizen, step_up_required
from backend.api.link_schemas import PayoutLinkPageSchema, PayoutLinkSchema
from backend.api.payout_links import STEP_UP
from backend.db import utcnow
from backend.services.accounts import authorisations

blp = Blueprint("authorisations", __name__,
                description="Receiving another citizen's payments as their authorised person")


@blp.route("/me/authorisations")
class Authorisations(MethodView):
    @citizen_required()
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, PayoutLinkPageSchema)
    def get(self, query):
        """Requests that name me, newest first."""
        items, total = authorisations.page_for(current_citizen(), query["page"],
                                               query["page_size"], utcnow())
        return page_of(items, total, query)


@blp.route("/me/authorisations/<int:link_id>/accept")
class AuthorisationAccept(MethodView):
    @citizen_required()
    @blp.response(200, PayoutLinkSchema)
    @blp.alt_response(409, "CONFLICT")
    @blp.doc(parameters=STEP_UP["parameters"])
    @step_up_required
    def post(self, link_id: int):
        """Agree to receive the citizen's payments into my active account."""
        return authorisations.accept(current_citizen(), link_id, utcnow())


@blp.route("/me/authorisations/<int:link_id>/decline")
class AuthorisationDecline(MethodView):
    @citizen_required()
    @blp.response(200, PayoutLinkSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, link_id: int):
        """Decline a pending request."""
        return authorisations.decline(current_citizen(), link_id, utcnow())


@blp.route("/me/authorisations/<int:link_id>/revoke")
class AuthorisationRevoke(MethodView):
    @citizen_required()
    @blp.response(200, PayoutLinkSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, link_id: int):
        """Stop receiving; the citizen's payments fall back to cash."""
        return authorisations.revoke(current_citizen(), link_id, utcnow())
