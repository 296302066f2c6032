"""Domain errors and the one error shape every failure answers with (API.md).

Services raise a subclass of `ApiError`; `register_error_handlers` turns it,
and every HTTP or unexpected error, into
`{"code", "message", "details"}` in the request's language.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from backend.messages import error_text

log = logging.getLogger(__name__)


class ApiError(Exception):
    status = 400
    code = "BAD_REQUEST"

    def __init__(self, details: dict[str, Any] | None = None, *,
                 message_params: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None, message_key: str | None = None):
        super().__init__(self.code)
        # Same machine code, a more specific text (e.g. a lock that only support lifts).
        self.message_key = message_key or self.code
        self.details = details or {}
        self.message_params = message_params or {}
        self.headers = headers or {}


class ValidationFailed(ApiError):
    status, code = 422, "VALIDATION_ERROR"


class Unauthenticated(ApiError):
    status, code = 401, "UNAUTHENTICATED"


class InvalidCredentials(ApiError):
    status, code = 401, "INVALID_CREDENTIALS"


class OtpInvalid(ApiError):
    status, code = 401, "OTP_INVALID"


class OtpReplayed(ApiError):
    status, code = 401, "OTP_REPLAYED"


class PasscodeInvalid(ApiError):
    status, code = 401, "PASSCODE_INVALID"


class ChallengeExpired(ApiError):
    status, code = 401, "CHALLENGE_EXPIRED"


class ChallengeInvalid(ApiError):
    status, code = 401, "CHALLENGE_INVALID"


class AccountLocked(ApiError):
    status, code = 423, "ACCOUNT_LOCKED"


class Ial2Required(ApiError):
    status, code = 403, "IAL2_REQUIRED"


class StepUpRequired(ApiError):
    status, code = 401, "STEP_UP_REQUIRED"


class Forbidden(ApiError):
    status, code = 403, "FORBIDDEN"


class NotFound(ApiError):
    status, code = 404, "NOT_FOUND"


class Conflict(ApiError):
    status, code = 409, "CONFLICT"

    @property
    def reason(self) -> str | None:
        """Why it was refused, as a code a client can act on (`details.reason`), if given."""
        reasons = self.details.get("reason")
        return reasons[0] if reasons else None


class IdempotencyKeyReused(ApiError):
    status, code = 422, "IDEMPOTENCY_KEY_REUSED"


class NotReady(ApiError):
    """A dependency (database, Redis, task queue) does not answer; `details` names it."""
    status, code = 503, "NOT_READY"


class ErrorSchema(Schema):
    """The body of every error answer; the OpenAPI document refers to it as `Error`."""

    code = fields.String(required=True, metadata={"example": "VALIDATION_ERROR"})
    message = fields.String(required=True)
    details = fields.Dict(required=True)


# HTTP errors raised outside our services (routing, webargs, the limiter).
_HTTP_CODES = {
    400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED", 409: "CONFLICT", 413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE", 422: "VALIDATION_ERROR", 429: "RATE_LIMITED",
}


def codes_by_status() -> dict[int, list[str]]:
    """Every machine code an answer may carry, by HTTP status, for the API's documentation:
    the HTTP errors above and every domain error defined by the modules imported so far."""
    codes: dict[int, set[str]] = {500: {"INTERNAL_ERROR"}}
    for status, code in _HTTP_CODES.items():
        codes.setdefault(status, set()).add(code)
    error_classes: list[type[ApiError]] = [ApiError]
    while error_classes:
        error_class = error_classes.pop()
        error_classes.extend(error_class.__subclasses__())
        codes.setdefault(error_class.status, set()).add(error_class.code)
    return {status: sorted(found) for status, found in sorted(codes.items())}


def error_response(status: int, code: str, details: dict | None = None,
                   message_params: dict | None = None, headers: dict | None = None,
                   message_key: str | None = None):
    body = {"code": code, "message": error_text(message_key or code, message_params),
            "details": details or {}}
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _flatten_webargs_messages(messages: dict) -> dict[str, list[str]]:
    """webargs nests field errors by location ({"json": {"field": [...]}})."""
    flat: dict[str, list[str]] = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            for field, reasons in location_errors.items():
                flat[field] = reasons if isinstance(reasons, list) else [reasons]
    return flat


def handle_api_error(error: ApiError):
    return error_response(error.status, error.code, error.details, error.message_params,
                          error.headers, error.message_key)


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if status >= 500:
        original = getattr(error, "original_exception", None)
        if original is not None:
            log.error("unhandled error", exc_info=original)
        return error_response(500, "INTERNAL_ERROR")
    data = getattr(error, "data", None) or {}
    details = _flatten_webargs_messages(data["messages"]) if "messages" in data else {}
    # What the error itself says beside its body, e.g. 405's `Allow`.
    headers = {name: value for name, value in error.get_headers()
               if name.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    return error_response(status, _HTTP_CODES.get(status, "BAD_REQUEST"), details,
                          headers=headers)


def handle_unexpected(error: Exception):
    # Database or programming detail never reaches the client; it goes to the log.
    log.exception("unhandled error", exc_info=error)
    return error_response(500, "INTERNAL_ERROR")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
