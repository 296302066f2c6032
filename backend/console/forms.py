"""What the console's forms and page filters accept.

The console reads HTML forms and query strings, not JSON bodies, and answers a
bad field with a sentence on the page, so it keeps its own schemas rather than
borrowing the API's. The rules behind a decision (a note a colleague can read,
a reason from the fixed list) belong to the services, which check them again.
"""
from __future__ import annotations

from marshmallow import Schema, fields, pre_load, validate

from backend import canonical
from backend.models.statuses import LinkStatus, PaymentRequestStatus, ProgrammeKind
from backend.request_guard import ID_MAX
from backend.services.accounts import review
from backend.services.payments import programmes, treasury

NOTE = validate.Length(min=3, max=1000)


class SignInForm(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=60))
    password = fields.String(required=True, validate=validate.Length(min=1, max=128))
    otp = fields.String(required=True, validate=canonical.ONE_TIME_CODE)


class PageFilter(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=ID_MAX))


class QueueFilter(PageFilter):
    status = fields.String(validate=validate.OneOf(tuple(LinkStatus)))
    province = fields.String(validate=canonical.PROVINCE_CODE)
    institution = fields.String(validate=validate.Length(max=20))
    reason = fields.String(validate=validate.Length(max=40))
    claimed = fields.String(validate=validate.OneOf(("mine", "unclaimed")))


class ApproveLinkForm(Schema):
    note = fields.String(required=True, validate=NOTE)


class RejectLinkForm(ApproveLinkForm):
    reason = fields.String(required=True, validate=validate.OneOf(review.REJECTION_REASONS))
    note_for_citizen = fields.String(validate=validate.Length(max=500))


class PaymentBatchFilter(PageFilter):
    status = fields.String(validate=validate.OneOf(tuple(PaymentRequestStatus)))
    period = fields.String(validate=canonical.PERIOD_FIELD)
    programme = fields.String(validate=canonical.PROGRAMME_FIELD)


class RejectPaymentRequestForm(Schema):
    reasons = fields.List(fields.String(validate=validate.OneOf(treasury.REJECTION_REASONS)),
                          required=True, validate=validate.Length(min=1))
    note = fields.String(required=True, validate=NOTE)


class ProgrammeNamesForm(Schema):
    name_vi = fields.String(required=True, validate=validate.Length(min=2, max=120))
    name_en = fields.String(required=True, validate=validate.Length(min=2, max=120))


class BudgetForm(Schema):
    # An empty field clears the budget.
    budget_vnd = fields.Integer(required=True, allow_none=True,
                                validate=validate.Range(min=0, max=programmes.MAX_BUDGET_VND))

    @pre_load
    def _empty_is_none(self, data, **_):
        return {key: (None if value == "" else value) for key, value in data.items()}


class NewProgrammeForm(BudgetForm):
    code = fields.String(required=True, validate=validate.Length(min=2, max=30))
    name_vi = fields.String(required=True, validate=validate.Length(min=2, max=120))
    name_en = fields.String(required=True, validate=validate.Length(min=2, max=120))
    kind = fields.String(required=True, validate=validate.OneOf(tuple(ProgrammeKind)))
    label = fields.String(load_default=None, allow_none=True,
                          validate=validate.Length(min=2, max=7))
    budget_vnd = fields.Integer(load_default=None, allow_none=True,
                                validate=validate.Range(min=0, max=programmes.MAX_BUDGET_VND))
