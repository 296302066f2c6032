"""A citizen's payments, with cheap polling (ETag / If-None-Match)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from backend.api.common import not_modified, version_headers
from backend.api.guards import citizen_required, current_citizen
from backend.api.payment_schemas import PaymentDetailSchema, PaymentPageSchema, PaymentQuerySchema
from backend.services.payments import history

blp = Blueprint("payments", __name__, description="The citizen's payments")


@blp.route("/me/payments")
class Payments(MethodView):
    @citizen_required()
    @blp.arguments(PaymentQuerySchema, location="query")
    @blp.response(200, PaymentPageSchema)
    @blp.alt_response(304, "NOT_MODIFIED")
    def get(self, query):
        """Newest first, with totals per year; send If-None-Match to poll cheaply."""
        citizen = current_citizen()
        headers = version_headers(history.version_tag(citizen, query))
        return not_modified(headers) or (history.page_for(citizen, query), 200, headers)


@blp.route("/me/payments/<int:payment_id>")
class PaymentDetail(MethodView):
    @citizen_required()
    @blp.response(200, PaymentDetailSchema)
    @blp.alt_response(304, "NOT_MODIFIED")
    def get(self, payment_id: int):
        """One payment with its status timeline."""
        payment = history.get_for_citizen(current_citizen(), payment_id)
        headers = version_headers(payment.id, payment.status, payment.updated_at.timestamp())
        if unchanged := not_modified(headers):
            return unchanged
        return payment, 200, headers
