"""The bank gateway's per-payment callback body, checked whole before any of it is used.

A signed body is the gateway's word, not proof of its shape: one that is not a
JSON object, or whose fields have the wrong types, is refused (422) and nothing
of it is kept (issue 14).
"""
from __future__ import annotations

import json

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from backend import canonical, request_guard
from backend.errors import ValidationFailed
from backend.models.statuses import BankResult

_IDENTIFIER = canonical.FullMatch(canonical.GATEWAY_IDENTIFIER,
                                  "ASCII letters, digits and . _ : / + - only")


class CallbackSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    # Identifiers in their one ASCII spelling: a fullwidth or zero-width variant
    # of a transaction id must not pass for a new transaction (canonical).
    transaction_id = fields.String(required=True, validate=[
        validate.Length(min=1, max=64), _IDENTIFIER])
    end_to_end_id = fields.String(required=True, validate=[
        validate.Length(min=1, max=35), _IDENTIFIER])
    status = fields.String(required=True, validate=validate.OneOf(tuple(BankResult)))
    reason_code = fields.String(load_default=None, allow_none=True,
                                validate=[validate.Length(max=10), _IDENTIFIER])
    # Required, but null where the gateway has no amount to report.
    amount_vnd = fields.Integer(required=True, allow_none=True, strict=True,
                                validate=validate.Range(min=0, max=request_guard.INT64_MAX))
    msg_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    institution = fields.String(load_default=None, allow_none=True,
                                validate=validate.Length(max=100))


def parse(raw_body: bytes) -> dict:
    """The callback's fields, or ValidationFailed naming what is wrong."""
    try:
        payload = json.loads(raw_body)
    except (ValueError, RecursionError):
        raise ValidationFailed({"body": ["not JSON"]}) from None
    if not isinstance(payload, dict):
        raise ValidationFailed({"body": ["must be a JSON object"]})
    request_guard.check_json(payload, max_depth=1)
    try:
        return CallbackSchema().load(payload)
    except ValidationError as invalid:
        raise ValidationFailed(invalid.normalized_messages()) from None
