"""What the OpenAPI document says once for every operation: how callers authenticate
(the global `security` is in Config.API_SPEC_OPTIONS) and what an error answer holds.

Each error status is one response component whose body is the one error shape
(`Error`, errors.ErrorSchema) and whose description names the codes it carries.
The components take flask-smorest's names (`UNAUTHORIZED`, `CONFLICT`, ...), so
views write `@blp.alt_response(409, "CONFLICT")` and the 422 and `default`
answers flask-smorest adds by itself say the same. Registered lazily, like
flask-smorest's own, they replace its bare ones and appear only where referenced.
"""
from __future__ import annotations

from http import HTTPStatus

from apispec import APISpec

from backend import errors

BEARER_SCHEME = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
# flask-smorest's name for the answer to any status an operation does not list.
DEFAULT_ERROR = "DEFAULT_ERROR"


def _error_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": errors.ErrorSchema}}}


def register_components(spec: APISpec) -> None:
    """Call after importing every resource (so every domain error is known) and before
    registering their routes (whose references resolve then)."""
    spec.components.security_scheme("bearerAuth", BEARER_SCHEME)
    for status, codes in errors.codes_by_status().items():
        spec.components.response(
            HTTPStatus(status).name,
            _error_response(f"{HTTPStatus(status).phrase}; code: {', '.join(codes)}"),
            lazy=True)
    spec.components.response(DEFAULT_ERROR, _error_response("Any other error, in the same shape"),
                             lazy=True)
    spec.components.response(
        HTTPStatus.NOT_MODIFIED.name,
        {"description": "Nothing changed since the ETag sent in If-None-Match; no body"},
        lazy=True)
