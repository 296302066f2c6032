"""What every resource shares: pagination and request helpers."""
from __future__ import annotations

from flask import Response, request
from marshmallow import Schema, fields, validate

from backend.messages import current_language


class PageQuerySchema(Schema):
    # Bounded so that the offset fits the database's integers.
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=2 ** 31 - 1))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class PageSchema(Schema):
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)


def page_of(items, total: int, query: dict) -> dict:
    return {"items": items, "total": total, "page": query["page"],
            "page_size": query["page_size"]}


def version_headers(*parts: object) -> dict[str, str]:
    """ETag of a resource version; answers name things in the reader's language,
    so the language is part of the version."""
    tag = "-".join(str(part) for part in (*parts, current_language()))
    return {"ETag": f'"{tag}"', "Vary": "Accept-Language"}


def not_modified(headers: dict[str, str]) -> Response | None:
    """304, with no body, when the client already holds this version."""
    if headers["ETag"].strip('"') in request.if_none_match:
        return Response(status=304, headers=headers)
    return None
