"""Payrolls, payment requests, Treasury control, dispatch, reconciliation, coverage."""
from __future__ import annotations

import io
import re

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend import canonical, request_guard
from backend.api.common import PageQuerySchema, page_of
from backend.api.guards import current_staff_actor, staff_required
from backend.api.payment_schemas import (
    PaymentRequestPageSchema,
    PaymentRequestSchema,
)
from backend.csv_download import csv_download
from backend.db import utcnow
from backend.errors import ValidationFailed
from backend.models.statuses import PaymentRequestStatus
from backend.services.payments import (
    coverage,
    dispatch,
    payment_requests,
    payroll,
    programmes,
    reconciliation,
    treasury,
)

blp = Blueprint("staff_payments", __name__, description="Payments: agency, Treasury, agents")


class ImportReportSchema(Schema):
    payroll_id = fields.Integer(required=True)
    rows = fields.Integer(required=True)
    new_payments = fields.Integer(required=True)
    held_duplicates = fields.Integer(required=True)
    total_vnd = fields.Integer(required=True)
    already_imported = fields.Boolean(required=True)


class BuildSchema(Schema):
    period = fields.String(required=True, validate=canonical.FullMatch(
        re.compile(f"{canonical.PERIOD.pattern}|{programmes.LABEL.pattern}"),
        "a month (YYYY-MM) or a one-off programme's label (QK2025), in ASCII"), metadata={
            "description": "a month (YYYY-MM), or a one-off programme's label (QK2025)"})


class RequestQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(tuple(PaymentRequestStatus)))
    period = fields.String(validate=canonical.PERIOD_FIELD)
    programme = fields.String(validate=canonical.PROGRAMME_FIELD)
    province_code = fields.String(validate=canonical.PROVINCE_CODE)


class RejectRequestSchema(Schema):
    reasons = fields.List(fields.String(validate=validate.OneOf(treasury.REJECTION_REASONS)),
                          required=True, validate=validate.Length(min=1))
    note = fields.String(required=True, validate=validate.Length(min=3, max=1000))


class DispatchReportSchema(Schema):
    request_id = fields.Integer(required=True)
    files = fields.Integer(required=True)
    sent = fields.Integer(required=True)


class ReconciliationSchema(Schema):
    request_id = fields.Integer(required=True)
    programme = fields.String(required=True)
    period = fields.String(required=True)
    province_code = fields.String(required=True)
    status = fields.String(validate=validate.OneOf(tuple(PaymentRequestStatus)), required=True)
    planned = fields.Dict(required=True)
    outcomes = fields.Dict(required=True)
    accounted = fields.Dict(required=True, metadata={
        "description": "count and amount of every payment of the request, whatever its outcome"})
    settled_by = fields.List(fields.Dict(), required=True, metadata={
        "description": "each source of bank results (a result file, or callback) that paid "
                       "payments of the request, with their count and amount"})
    differences = fields.List(fields.Dict(), required=True)
    computed_at = fields.DateTime(required=True, metadata={
        "description": "when it was stored: right after the latest results of the request"})
    trigger = fields.String(required=True, metadata={
        "description": "what stored it: `result_file:<name>`, `statement:<MsgId>`, "
                       "`callbacks` (single results since) or `first_reading`"})


class ReconciliationQuerySchema(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))


class CoverageSchema(Schema):
    national = fields.Dict(required=True, metadata={
        "description": "the whole country first: people with an active link, cashless share"})
    linked = fields.List(fields.Dict(), required=True, metadata={
        "description": "per current province (34 since 1 July 2025) and programme"})
    cashless = fields.List(fields.Dict(), required=True)


def _uploaded_csv() -> tuple[io.BytesIO, str]:
    upload = request.files.get("file")
    if upload is not None:
        return io.BytesIO(upload.read()), upload.filename or "payroll.csv"
    if request.mimetype == "text/csv" and request.content_length:
        return io.BytesIO(request.get_data()), request.args.get("filename", "payroll.csv")
    raise ValidationFailed({"file": ["send the payroll as multipart 'file' or as text/csv"]})


@blp.route("/staff/payrolls")
@request_guard.accepts_files
class Payrolls(MethodView):
    @staff_required("payroll")
    @blp.response(201, ImportReportSchema)
    def post(self):
        """Import a payroll CSV; a file with any bad row changes nothing."""
        stream, filename = _uploaded_csv()
        return payroll.import_payroll(stream, filename, current_staff_actor(), utcnow())


@blp.route("/staff/payment-requests")
class PaymentRequests(MethodView):
    @staff_required("treasury", "payroll", "supervisor")
    @blp.arguments(RequestQuerySchema, location="query")
    @blp.response(200, PaymentRequestPageSchema)
    def get(self, query):
        """Requests, newest first."""
        items, total = payment_requests.list_requests(query, query["page"], query["page_size"])
        return page_of(items, total, query)

    @staff_required("payroll")
    @blp.arguments(BuildSchema)
    @blp.response(201, PaymentRequestSchema(many=True))
    def post(self, build):
        """Put the period's planned payments to the Treasury, per programme and province."""
        return payment_requests.build(build["period"], current_staff_actor(), utcnow())


@blp.route("/staff/payment-requests/<int:request_id>")
class PaymentRequestDetail(MethodView):
    @staff_required("treasury", "payroll", "supervisor")
    @blp.response(200, PaymentRequestSchema)
    def get(self, request_id: int):
        """The request with Treasury control's findings, computed now."""
        payment_request = treasury.get(request_id)
        columns = {column.name: getattr(payment_request, column.name)
                   for column in payment_request.__table__.columns}
        return {**columns, "findings": treasury.findings(payment_request)}


@blp.route("/staff/payment-requests/<int:request_id>/approve")
class PaymentRequestApprove(MethodView):
    @staff_required("treasury")
    @blp.response(200, PaymentRequestSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, request_id: int):
        """Approve: deceased beneficiaries' payments are rejected, cash made ready."""
        return treasury.approve(current_staff_actor(), request_id, utcnow())


@blp.route("/staff/payment-requests/<int:request_id>/reject")
class PaymentRequestReject(MethodView):
    @staff_required("treasury")
    @blp.arguments(RejectRequestSchema)
    @blp.response(200, PaymentRequestSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, decision, request_id: int):
        """Reject with reasons from the fixed list and a note."""
        return treasury.reject(current_staff_actor(), request_id, decision["reasons"],
                               decision["note"], utcnow())


@blp.route("/staff/payment-requests/<int:request_id>/dispatch")
class PaymentRequestDispatch(MethodView):
    @staff_required("treasury")
    @blp.response(200, DispatchReportSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, request_id: int):
        """Send the approved request's bank files (safe to repeat)."""
        return dispatch.dispatch(request_id, utcnow(), actor=current_staff_actor())


@blp.route("/staff/payment-requests/<int:request_id>/reconciliation")
class PaymentRequestReconciliation(MethodView):
    @staff_required("treasury", "supervisor")
    @blp.arguments(ReconciliationQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, ReconciliationSchema)
    @blp.doc(responses={"200": {"content": {"text/csv": {"schema": {"type": "string"}}}}})
    def get(self, request_id: int, format: str):
        """The stored reconciliation: planned against paid, failed and cash, every
        difference listed. `?format=csv` (or `Accept: text/csv`) exports it."""
        reconciled = reconciliation.stored(request_id, utcnow())
        if format == "csv" or request.accept_mimetypes.best == "text/csv":
            return csv_download(reconciliation.as_csv(reconciled),
                                f"reconciliation-{request_id}.csv")
        return reconciled


@blp.route("/staff/coverage")
class Coverage(MethodView):
    @staff_required("supervisor", "treasury", "payroll")
    @blp.response(200, CoverageSchema)
    def get(self):
        """Share of beneficiaries with an active link (30 % target); cashless share."""
        return {"national": coverage.national_share(), "linked": coverage.linked_share(),
                "cashless": coverage.cashless_share()}
