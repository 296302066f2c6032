"""Programmes as data (programme_admin role), and one-off disbursements to a population."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend import canonical
from backend.api.common import PageQuerySchema, page_of
from backend.api.guards import current_staff_actor, staff_required
from backend.db import utcnow
from backend.models.statuses import ProgrammeKind
from backend.services.payments import one_off, programmes

blp = Blueprint("programmes", __name__, description="Programmes and one-off disbursements")

_NAME = validate.Length(min=2, max=120)
_BUDGET = validate.Range(min=0, max=programmes.MAX_BUDGET_VND)


class StaffProgrammeSchema(Schema):
    code = fields.String(required=True)
    name_vi = fields.String(required=True)
    name_en = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(tuple(ProgrammeKind)))
    label = fields.String(allow_none=True, metadata={
        "description": "a one-off programme's label (such as QK2025), its payments' period"})
    budget_vnd = fields.Integer(allow_none=True, metadata={
        "description": "what one period (a one-off's whole label) may pay; Treasury control "
                       "refuses a request it does not cover (BUDGET_NOT_AVAILABLE)"})
    status = fields.String(required=True, validate=validate.OneOf(("open", "closed")))
    closed_at = fields.DateTime(allow_none=True)


class ProgrammeTotalsSchema(StaffProgrammeSchema):
    payments = fields.Integer(required=True, metadata={
        "description": "payments owed: not rejected, replaced or expired"})
    total_vnd = fields.Integer(required=True)
    paid = fields.Integer(required=True)
    paid_vnd = fields.Integer(required=True)


class ProgrammePageSchema(Schema):
    items = fields.List(fields.Nested(ProgrammeTotalsSchema), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)


class NewProgrammeSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=2, max=30))
    name_vi = fields.String(required=True, validate=_NAME)
    name_en = fields.String(required=True, validate=_NAME)
    kind = fields.String(required=True, validate=validate.OneOf(tuple(ProgrammeKind)))
    label = fields.String(load_default=None, allow_none=True,
                          validate=validate.Length(min=2, max=7))
    budget_vnd = fields.Integer(load_default=None, allow_none=True, validate=_BUDGET)


class ProgrammeChangesSchema(Schema):
    name_vi = fields.String(validate=_NAME)
    name_en = fields.String(validate=_NAME)
    budget_vnd = fields.Integer(allow_none=True, validate=_BUDGET)


class DisbursementSchema(Schema):
    eligibility = fields.String(required=True, validate=validate.OneOf(one_off.ELIGIBILITY),
                                metadata={"description": "every level-2 citizen, everyone the "
                                          "population register has alive on `date`, or "
                                          "`personal_ids`"})
    amount_vnd = fields.Integer(required=True,
                                validate=validate.Range(min=1, max=one_off.MAX_AMOUNT_VND))
    date = fields.Date(required=True)
    personal_ids = fields.List(fields.String(validate=canonical.PERSONAL_ID),
                               load_default=list, validate=validate.Length(max=100_000),
                               metadata={"description": "eligibility `list` only"})


class DisbursementReportSchema(Schema):
    payroll_id = fields.Integer(required=True)
    programme = fields.String(required=True)
    period = fields.String(required=True)
    new_payments = fields.Integer(required=True)
    total_vnd = fields.Integer(required=True)
    budget_vnd = fields.Integer(allow_none=True)
    already_built = fields.Boolean(required=True)


@blp.route("/staff/programmes")
class Programmes(MethodView):
    @staff_required("programme_admin", "treasury", "payroll", "supervisor")
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, ProgrammePageSchema)
    def get(self, query):
        """Programmes, open first, with the count and sum of their payments."""
        items, total = programmes.with_totals(query["page"], query["page_size"])
        return page_of(items, total, query)

    @staff_required("programme_admin")
    @blp.arguments(NewProgrammeSchema)
    @blp.response(201, StaffProgrammeSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, values):
        """Create a programme; audited."""
        return programmes.as_dict(programmes.create(current_staff_actor(), values, utcnow()))


@blp.route("/staff/programmes/<code>")
class ProgrammeDetail(MethodView):
    @staff_required("programme_admin")
    @blp.arguments(ProgrammeChangesSchema)
    @blp.response(200, StaffProgrammeSchema)
    def patch(self, changes, code: str):
        """Change the names or the budget; audited."""
        return programmes.as_dict(programmes.update(current_staff_actor(), code, changes,
                                                    utcnow()))


@blp.route("/staff/programmes/<code>/close")
class ProgrammeClose(MethodView):
    @staff_required("programme_admin")
    @blp.response(200, StaffProgrammeSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, code: str):
        """Close: no payroll, disbursement or newly eligible person names it again; audited."""
        return programmes.as_dict(programmes.close(current_staff_actor(), code, utcnow()))


@blp.route("/staff/programmes/<code>/disbursements")
class Disbursements(MethodView):
    @staff_required("programme_admin")
    @blp.arguments(DisbursementSchema)
    @blp.response(201, DisbursementReportSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, terms, code: str):
        """Build a one-off programme's payments to a population; the same build twice, or a
        person already paid by the programme, creates nothing new. Audited."""
        return one_off.build(current_staff_actor(), code, terms["eligibility"],
                             terms["amount_vnd"], terms["date"], utcnow(),
                             terms["personal_ids"])
