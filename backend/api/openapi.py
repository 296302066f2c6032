"""What the OpenAPI document says once for every operation: how callers authenticate
(the global `security` is in Config.API_SPEC_OPTIONS) and what an error answer holds.

Each error status is one response component whose body is the one error shape
(`Error`, errors.ErrorSchema) and whose description names the codes it carries.
The components take flask-smorest's names (`UNAUTHORIZED`, `CONFLICT`, ...), so
views write `@blp.alt_response(409, "CONFLICT")` and the 422 answer
flask-smorest adds by itself says the same. Registered lazily, like
flask-smorest's own, they replace its bare ones and appear only where referenced.

There is no catch-all `default` answer: each operation lists the statuses it
can really answer, so a client (or a fuzzer) can hold the service to them.
`ErrorResponses` adds those every operation of a kind meets; a view adds its
own domain errors with `alt_response`.
"""
from __future__ import annotations

from http import HTTPStatus

from apispec import APISpec, BasePlugin

from backend import errors

BEARER_SCHEME = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


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
    spec.components.response(
        HTTPStatus.NOT_MODIFIED.name,
        {"description": "Nothing changed since the ETag sent in If-None-Match; no body"},
        lazy=True)


class ErrorResponses(BasePlugin):
    """Documents the errors an operation meets by what it is, before its view runs:

    - every one: 413 and 422 (backend/request_guard.py bounds every request)
      and 500 (the one shape of an unexpected failure);
    - one that needs a token: 401 without a valid one, 403 with the wrong kind;
    - one with an id in its path: 404 for an id that is no row;
    - one that asks a fresh one-time code (`X-OTP`): 423 while codes are paused.
    """

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        rule = kwargs.get("rule")
        has_path_ids = bool(rule is not None and rule.arguments)
        for operation in (operations or {}).values():
            statuses = [HTTPStatus.REQUEST_ENTITY_TOO_LARGE, HTTPStatus.UNPROCESSABLE_ENTITY,
                        HTTPStatus.INTERNAL_SERVER_ERROR]
            if operation.get("security") != []:
                statuses += [HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN]
            if has_path_ids:
                statuses.append(HTTPStatus.NOT_FOUND)
            if any(parameter.get("name") == "X-OTP" for parameter in operation.get("parameters", [])
                   if isinstance(parameter, dict)):
                statuses.append(HTTPStatus.LOCKED)
            responses = operation.setdefault("responses", {})
            for status in statuses:
                responses.setdefault(str(status.value), status.name)
