"""A citizen's payments, with cheap polling (ETag / If-None-Match)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from backend.api.common import not_modified
from backend.api.guards import citizen_required, current_citizen
from backend.api.payment_schemas import (PaymentDetailSchema, PaymentPageSchema,
                                         PaymentQuerySchema)
from backend.services import payments

blp = Blueprint("payments", __name__, description="The citizen's payments")
SECURITY = [{"bearerAuth": []}]


@blp.route("/me/payments")
class Payments(MethodView):
    @citizen_required()
    @blp.arguments(PaymentQuerySchema, location="query")
    @blp.response(200, PaymentPageSchema)
    @blp.alt_response(304, description="nothing changed since the ETag you sent")
    @blp.doc(security=SECURITY)
    def get(self, query):
        """Newest first, with totals per year; send If-None-Match to poll cheaply."""
        citizen = current_citizen()
        tag = payments.version_tag(citizen, query)
        unchanged = not_modified(tag)
        if unchanged:
            return unchanged
        return payments.page_for(citizen, query), 200, {"ETag": f'"{tag}"'}


@blp.route("/me/payments/<int:payment_id>")
class PaymentDetail(MethodView):
    @citizen_required()
    @blp.response(200, PaymentDetailSchema)
    @blp.alt_response(304, description="nothing changed since the ETag you sent")
    @blp.doc(security=SECURITY)
    def get(self, payment_id: int):
        """One payment with its status timeline."""
        payment = payments.get_for_citizen(current_citizen(), payment_id)
        tag = f"{payment.id}-{payment.status}-{payment.updated_at.timestamp()}"
        unchanged = not_modified(tag)
        if unchanged:
            return unchanged
        payment.history = payments.history(payment)
        return payment, 200, {"ETag": f'"{tag}"'}
