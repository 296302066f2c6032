"""How payments and payment requests look in answers."""
from __future__ import annotations

from flask import g
from marshmallow import Schema, fields, validate

from backend import canonical
from backend.api.common import PageQuerySchema, PageSchema
from backend.api.link_schemas import public_actor
from backend.messages import current_language
from backend.models.statuses import PaymentRequestStatus, PaymentStatus
from backend.services.accounts.account_numbers import mask
from backend.services.payments.history import programme_names, timeline


def _programme_name(code: str) -> str:
    """In the reader's language; the names are read once per request."""
    if "programme_names" not in g:
        g.programme_names = programme_names(current_language())
    return g.programme_names.get(code, code)


class PaymentQuerySchema(PageQuerySchema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))
    programme = fields.String(validate=canonical.PROGRAMME_FIELD)
    status = fields.String(validate=validate.OneOf(tuple(PaymentStatus)))


class DestinationSchema(Schema):
    kind = fields.String(attribute="destination_kind", allow_none=True)
    institution = fields.String(attribute="destination_institution", allow_none=True)
    account_masked = fields.Function(lambda payment: mask(payment.destination_last4))
    via_authorised_person = fields.Function(
        lambda payment: payment.via_authorisation_id is not None)


class PaymentSchema(Schema):
    id = fields.Integer(required=True)
    programme = fields.String(required=True)
    programme_name = fields.Function(lambda payment: _programme_name(payment.programme))
    period = fields.String(required=True)
    amount_vnd = fields.Integer(required=True)
    status = fields.String(validate=validate.OneOf(tuple(PaymentStatus)), required=True)
    failure_reason = fields.String(allow_none=True)
    destination = fields.Function(lambda payment: DestinationSchema().dump(payment))
    updated_at = fields.DateTime(required=True)


class YearTotalSchema(Schema):
    year = fields.Integer(required=True)
    paid_count = fields.Integer(required=True)
    paid_vnd = fields.Integer(required=True)


class PaymentPageSchema(PageSchema):
    items = fields.List(fields.Nested(PaymentSchema), required=True)
    totals_by_year = fields.List(fields.Nested(YearTotalSchema), required=True)


class PaymentTransitionSchema(Schema):
    status = fields.String(validate=validate.OneOf(tuple(PaymentStatus)), attribute="to_status",
                           required=True)
    at = fields.DateTime(required=True)
    actor = fields.Function(lambda transition: public_actor(transition.actor))
    reason = fields.String(allow_none=True)


class PaymentReportAnswerSchema(Schema):
    """A problem the citizen reported on the payment, and support's answer."""

    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    note = fields.String(required=True)
    status = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    due_at = fields.DateTime(required=True)
    answer = fields.String(allow_none=True)
    answered_at = fields.DateTime(allow_none=True)


class PaymentDetailSchema(PaymentSchema):
    history = fields.List(fields.Nested(PaymentTransitionSchema), required=True)
    reports = fields.List(fields.Nested(PaymentReportAnswerSchema), required=True)

    def get_attribute(self, obj, attr, default):
        # A payment's history is read from two logs (`history.timeline`).
        if attr == "history":
            return timeline(obj)
        return super().get_attribute(obj, attr, default)


class PayingPointSchema(Schema):
    agent_id = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "post_office or "
                                                  "mobile_money_agent"})
    address = fields.String(required=True)
    hours = fields.String(required=True)


class CashCollectionSchema(Schema):
    payment_id = fields.Integer(required=True)
    status = fields.String(validate=validate.OneOf(tuple(PaymentStatus)), required=True)
    collect_by = fields.Date(allow_none=True, metadata={
        "description": "the last day (Viet Nam time) to collect; null until the cash is ready"})
    paying_points = fields.List(fields.Nested(PayingPointSchema), required=True)


class PaymentRequestSchema(Schema):
    id = fields.Integer(required=True)
    programme = fields.String(required=True)
    period = fields.String(required=True)
    province_code = fields.String(required=True)
    count = fields.Integer(required=True)
    total_vnd = fields.Integer(required=True)
    checksum = fields.String(required=True)
    status = fields.String(validate=validate.OneOf(tuple(PaymentRequestStatus)), required=True)
    findings = fields.Dict()
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_reasons = fields.List(fields.String(), allow_none=True)
    created_at = fields.DateTime(required=True)


class PaymentRequestPageSchema(PageSchema):
    items = fields.List(fields.Nested(PaymentRequestSchema), required=True)
