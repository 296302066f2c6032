"""What every resource shares: pagination, the error schema, request helpers."""
from __future__ import annotations

from flask import Response, request
from marshmallow import Schema, fields, validate


class PageQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class PageSchema(Schema):
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)


class ErrorSchema(Schema):
    code = fields.String(required=True, metadata={"example": "VALIDATION_ERROR"})
    message = fields.String(required=True)
    details = fields.Dict(required=True)


def page_of(items, total: int, query: dict) -> dict:
    return {"items": items, "total": total, "page": query["page"],
            "page_size": query["page_size"]}


def not_modified(tag: str) -> Response | None:
    """304, with no body, when the client already holds this version (ETag)."""
    if tag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{tag}"'})
    return None
