"""An institution's inquiry report (acmt.024) as it posts it: checked whole first.

The JSON body carries the acmt.024 fields: `inquiry_id` (the acmt.023 message
identification, quoted back), `verified`, and either the reason (AC01 unknown,
AC04 closed, AC06 blocked) or the holder's name (and, from a wallet provider,
the personal ID the wallet is registered to). A signed body is the
institution's word, not proof of its shape: a report that is not a JSON
object, has fields of the wrong type, or names no holder for an account it
calls open is refused (422) and nothing of it is kept.
"""
from __future__ import annotations

import json

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from backend import canonical, request_guard
from backend.errors import ValidationFailed
from backend.integrations.institutions import STATUS_OF_REASON, VerificationReport


class ReportSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    inquiry_id = fields.Integer(required=True, strict=True,
                                validate=validate.Range(min=1, max=request_guard.ID_MAX))
    # JSON true or false only: "yes" or 1 is not an institution's answer.
    verified = fields.Boolean(required=True, truthy={True}, falsy={False})
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.OneOf(tuple(STATUS_OF_REASON)))
    holder_name = fields.String(load_default=None, allow_none=True,
                                validate=validate.Length(min=1, max=140))  # acmt.024 Nm
    holder_personal_id = fields.String(load_default=None, allow_none=True,
                                       validate=canonical.PERSONAL_ID)

    @validates_schema
    def _answer_is_whole(self, data: dict, **_) -> None:
        if data["verified"] and not (data["holder_name"] or "").strip():
            raise ValidationError("an open account's holder must be named", "holder_name")
        if not data["verified"] and data["reason"] is None:
            raise ValidationError("a refusal gives its reason: AC01, AC04 or AC06", "reason")


def parse(institution: str, raw_body: bytes) -> VerificationReport:
    """The report, or ValidationFailed naming what is wrong."""
    try:
        payload = json.loads(raw_body)
    except (ValueError, RecursionError):
        raise ValidationFailed({"body": ["not JSON"]}) from None
    if not isinstance(payload, dict):
        raise ValidationFailed({"body": ["must be a JSON object"]})
    request_guard.check_json(payload, max_depth=1)
    try:
        fields_of = ReportSchema().load(payload)
    except ValidationError as invalid:
        raise ValidationFailed(invalid.normalized_messages()) from None
    if fields_of["verified"]:
        fields_of["reason"] = None  # an open account has no refusal reason
    else:
        fields_of["holder_name"] = fields_of["holder_personal_id"] = None
    return VerificationReport(institution=institution, **fields_of)
