"""A citizen's payments, with cheap polling (ETag / If-None-Match)."""
from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_jwt_extended import get_jwt_identity
from flask_smorest import Blueprint

from backend.api.common import not_modified, version_headers
from backend.api.guards import citizen_required, current_citizen, live_session
from backend.api.payment_schemas import (
    CashCollectionSchema,
    PaymentDetailSchema,
    PaymentPageSchema,
    PaymentQuerySchema,
)
from backend.errors import Unauthenticated
from backend.messages import current_language
from backend.services.payments import cash_collection, history, listing

blp = Blueprint("payments", __name__, description="The citizen's payments")


@blp.route("/me/payments")
class Payments(MethodView):
    @citizen_required(session_in_statement=True)
    @blp.arguments(PaymentQuerySchema(), location="query")  # an instance: not made per request
    @blp.response(200, PaymentPageSchema)
    @blp.alt_response(304, "NOT_MODIFIED")
    def get(self, query):
        """Newest first, with totals per year; send If-None-Match to poll cheaply."""
        citizen_id, session_id = int(get_jwt_identity()), live_session()
        if request.if_none_match:
            version = listing.version(session_id)
            if version is None:
                raise Unauthenticated()
            if unchanged := not_modified(version_headers(listing.tag(citizen_id, version, query))):
                return unchanged
        found = listing.page(session_id, query, current_language())
        if found is None:
            raise Unauthenticated()
        version, body = found
        # Already plain JSON values: no second pass through the schema, which
        # stays the documented shape (tests hold the two together).
        return current_app.json.response(body), 200, version_headers(
            listing.tag(citizen_id, version, query))


@blp.route("/me/payments/<int:payment_id>")
class PaymentDetail(MethodView):
    @citizen_required()
    @blp.response(200, PaymentDetailSchema)
    @blp.alt_response(304, "NOT_MODIFIED")
    def get(self, payment_id: int):
        """One payment with its status timeline and the problems reported on it."""
        payment = history.get_for_citizen(current_citizen(), payment_id)
        # A report or its answer changes what is shown, so it changes the version.
        reports = [f"r{report.id}.{report.updated_at.timestamp()}" for report in payment.reports]
        headers = version_headers(payment.id, f"v{payment.revision}", *reports)
        if unchanged := not_modified(headers):
            return unchanged
        return payment, 200, headers


@blp.route("/me/payments/<int:payment_id>/cash-collection")
class CashCollection(MethodView):
    @citizen_required()
    @blp.response(200, CashCollectionSchema)
    def get(self, payment_id: int):
        """Where and until when to collect a cash payment (404 for one paid into an account)."""
        return cash_collection.where_to_collect(current_citizen(), payment_id)
