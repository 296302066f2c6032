""""I was not paid": the citizen reports a problem with a payment; support answers."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.common import PageQuerySchema, PageSchema, page_of
from backend.api.guards import citizen_required, current_citizen, current_staff, staff_required
from backend.api.payment_schemas import PaymentSchema, PaymentTransitionSchema
from backend.db import utcnow
from backend.models.payment_report import PAYMENT_REPORT_KINDS
from backend.models.statuses import PaymentReportStatus
from backend.services.payments import problem_reports

blp = Blueprint("payment_reports", __name__, description="Problems citizens report on payments")


class NewPaymentReportSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(PAYMENT_REPORT_KINDS))
    # What happened is the kind; the citizen's own words are optional.
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class PaymentReportSchema(Schema):
    """What the citizen sees: their report and support's answer, no staff names."""

    id = fields.Integer(required=True)
    payment_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    note = fields.String(required=True)
    status = fields.String(validate=validate.OneOf(tuple(PaymentReportStatus)), required=True)
    created_at = fields.DateTime(required=True)
    due_at = fields.DateTime(required=True)
    answer = fields.String(allow_none=True)
    answered_at = fields.DateTime(allow_none=True)


class StaffPaymentReportSchema(PaymentReportSchema):
    personal_id = fields.String(required=True)
    taken_by = fields.String(allow_none=True)
    answered_by = fields.String(allow_none=True)
    overdue = fields.Function(lambda report: problem_reports.is_overdue(report, utcnow()))


class StaffPaymentReportPageSchema(PageSchema):
    items = fields.List(fields.Nested(StaffPaymentReportSchema), required=True)


class StaffQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(tuple(PaymentReportStatus)))
    overdue = fields.Boolean(load_default=False)


class BankResultSchema(Schema):
    status = fields.String(required=True)
    reason_code = fields.String(allow_none=True)
    amount_vnd = fields.Integer(allow_none=True)
    received_at = fields.DateTime(required=True)
    source = fields.String(required=True)


class PaymentReportCaseSchema(Schema):
    report = fields.Nested(StaffPaymentReportSchema, required=True)
    payment = fields.Nested(PaymentSchema, required=True)
    timeline = fields.List(fields.Nested(PaymentTransitionSchema), required=True)
    bank_results = fields.List(fields.Nested(BankResultSchema), required=True)
    overdue = fields.Boolean(required=True)


class AnswerSchema(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=3, max=2000))


@blp.route("/me/payments/<int:payment_id>/reports")
class MyPaymentReports(MethodView):
    @citizen_required()
    @blp.arguments(NewPaymentReportSchema)
    @blp.response(201, PaymentReportSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def post(self, new_report, payment_id: int):
        """Report a problem (not received, wrong amount, not mine); support answers
        within the time limit. Another citizen's payment is NOT_FOUND."""
        return problem_reports.open_report(current_citizen(), payment_id, new_report["kind"],
                                           new_report["note"], utcnow())

    @citizen_required()
    @blp.response(200, PaymentReportSchema(many=True))
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, payment_id: int):
        """The reports on this payment, oldest first, with support's answers."""
        return problem_reports.of_payment(current_citizen(), payment_id)


@blp.route("/staff/payment-reports")
class PaymentReportQueue(MethodView):
    @staff_required("support", "supervisor")
    @blp.arguments(StaffQuerySchema, location="query")
    @blp.response(200, StaffPaymentReportPageSchema)
    def get(self, query):
        """Waiting cases, the nearest time limit first; `overdue=true` keeps those
        past it (what supervisors watch). Audited."""
        items, total = problem_reports.queue(current_staff(), query.get("status"),
                                             query["overdue"], query["page"],
                                             query["page_size"], utcnow())
        return page_of(items, total, query)


@blp.route("/staff/payment-reports/<int:report_id>")
class PaymentReportCase(MethodView):
    @staff_required("support", "supervisor")
    @blp.response(200, PaymentReportCaseSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, report_id: int):
        """The case with the payment's timeline and the bank's results; audited."""
        return problem_reports.look_up(current_staff(), report_id, utcnow())


@blp.route("/staff/payment-reports/<int:report_id>/take")
class PaymentReportTake(MethodView):
    @staff_required("support")
    @blp.response(200, StaffPaymentReportSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def post(self, report_id: int):
        """Take an open case (IN_PROGRESS); CONFLICT if it is not open. Audited."""
        return problem_reports.take(current_staff(), report_id, utcnow())


@blp.route("/staff/payment-reports/<int:report_id>/answer")
class PaymentReportAnswer(MethodView):
    @staff_required("support")
    @blp.arguments(AnswerSchema)
    @blp.response(200, StaffPaymentReportSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def post(self, body, report_id: int):
        """Answer the citizen and close the case; they are notified. Audited."""
        return problem_reports.answer(current_staff(), report_id, body["answer"], utcnow())
