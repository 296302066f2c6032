"""How link requests look in answers, to citizens and to staff."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from backend import canonical
from backend.api.common import PageSchema
from backend.messages import reason_text
from backend.models.statuses import LinkStatus
from backend.services.accounts import link_progress
from backend.services.accounts.account_numbers import mask

KINDS = ("bank", "mobile_money", "authorised_person")


def public_actor(actor: str) -> str:
    """Citizens see who acted by role, not which staff member."""
    return "staff" if actor.startswith("staff:") else actor


class LinkRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    institution = fields.String(validate=validate.Length(max=20),
                                metadata={"description": "code or NAPAS BIN"})
    account_number = fields.String(validate=validate.Length(max=40),
                                   metadata={"description": "account number or wallet phone"})
    authorised_personal_id = fields.String(validate=canonical.PERSONAL_ID)
    consent = fields.Boolean(required=True)
    consent_version = fields.String()


class TransitionSchema(Schema):
    status = fields.String(validate=validate.OneOf(tuple(LinkStatus)), attribute="to_status",
                           required=True)
    at = fields.DateTime(required=True)
    actor: fields.Field = fields.Function(lambda transition: public_actor(transition.actor))
    reason = fields.String(allow_none=True)


class WaitingForSchema(Schema):
    check = fields.String(required=True, metadata={
        "description": "what the request waits for: institution_answer (the bank or wallet "
                       "provider confirming the account holder)"})
    institution = fields.String(required=True)
    queued = fields.Boolean(required=True, metadata={
        "description": "true while the inquiry waits for the institution to take it (busy or "
                       "unavailable); false once it is with the institution"})
    since = fields.DateTime(required=True)
    attempt = fields.Integer(required=True)
    typical_seconds = fields.Integer(required=True, metadata={
        "description": "what this institution's answer usually takes (median of its recent "
                       "answers)"})


class PayoutLinkSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    institution = fields.String(allow_none=True)
    account_masked = fields.Function(lambda link: mask(link.account_last4))
    status = fields.String(validate=validate.OneOf(tuple(LinkStatus)), required=True)
    reason = fields.String(allow_none=True)
    reason_text = fields.Function(lambda link: reason_text(link.reason))
    note_for_citizen = fields.String(allow_none=True, metadata={
        "description": "what the reviewer wrote for the citizen when rejecting"})
    awaiting_authorised_person = fields.Function(
        lambda link: link.kind == "authorised_person" and link.status == LinkStatus.SUBMITTED
        and link.authorised_accepted_at is None)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    payable_from = fields.DateTime(allow_none=True, metadata={
        "description": "when payments may first go to it (after a cooling-off period "
                       "when it replaced another account)"})
    frozen = fields.Function(lambda link: link.frozen_at is not None, metadata={
        "description": "payouts to it stopped: the citizen said it was not them"})
    history = fields.List(fields.Nested(TransitionSchema), required=True)
    waiting_for = fields.Function(
        lambda link: WaitingForSchema().dump(found) if (found := link_progress.waiting_for(link))
        else None, metadata={"description": "while verifying: the check it waits for and how "
                                            "long that usually takes; null otherwise"})


class PayoutLinkPageSchema(PageSchema):
    items = fields.List(fields.Nested(PayoutLinkSchema), required=True)


class CheckSchema(Schema):
    name = fields.String(required=True)
    attempt = fields.Integer(required=True)
    result = fields.String(required=True)
    reason = fields.String(allow_none=True)
    evidence = fields.Dict(required=True)
    at = fields.DateTime(required=True)


class StaffTransitionSchema(TransitionSchema):
    actor = fields.String(required=True)
    note = fields.String(allow_none=True)


class StaffLinkSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    status = fields.String(validate=validate.OneOf(tuple(LinkStatus)), required=True)
    reason = fields.String(allow_none=True)
    institution = fields.String(allow_none=True)
    account_masked = fields.Function(lambda link: mask(link.account_last4))
    province_code = fields.String(allow_none=True)
    claimed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime(required=True)


class StaffLinkPageSchema(PageSchema):
    items = fields.List(fields.Nested(StaffLinkSchema), required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class StaffLinkDetailSchema(Schema):
    link = fields.Nested(StaffLinkSchema, required=True)
    personal_id = fields.String(required=True)
    claimed_by = fields.String(allow_none=True)
    institution_name = fields.String(allow_none=True)
    register = fields.Dict(allow_none=True)
    institution_holder_name = fields.String(allow_none=True)
    checks = fields.List(fields.Nested(CheckSchema), attribute="link.checks")
    history = fields.List(fields.Nested(StaffTransitionSchema), attribute="link.history")
