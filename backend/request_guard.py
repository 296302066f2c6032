"""Bounds every request meets before a view reads it: the API, the console and the
gateway's callbacks alike (issue 14: no 500 on any input).

- Size: `MAX_CONTENT_LENGTH` (werkzeug stops reading there, chunked bodies
  too); a declared Content-Length over it is refused before anything is read.
  Views that take files say so (`accepts_files`) and get `MAX_UPLOAD_BYTES`.
- JSON bodies: JSON indeed, nested at most `MAX_JSON_DEPTH` deep, integers
  within a signed 64-bit column, numbers finite.
- Text anywhere (path, query, headers, form fields, JSON keys and values): no
  NUL byte (PostgreSQL cannot store one) and no lone surrogate (not text).
- Path ids (`<int:...>`): ASCII digits within the id columns' range, else 404.

A refusal answers the one error shape: 413 PAYLOAD_TOO_LARGE or 422
VALIDATION_ERROR naming the field.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app, request
from flask_smorest import Api
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, ValidationError

from backend.errors import ValidationFailed
from backend.messages import both_languages

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
# Primary keys are INTEGER columns: 32-bit on PostgreSQL.
ID_MAX = 2 ** 31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` that matches ASCII digits only, and only ids a row can have:
    anything else is no such row (404), never a database error."""

    regex = r"[0-9]{1,10}"

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits, 1 if min is None else min,
                         ID_MAX if max is None else max, signed)

    def to_python(self, value: str) -> Any:
        if not value.isascii():
            raise ValidationError()
        return super().to_python(value)


def accepts_files(view_class: type) -> type:
    """Mark a MethodView that takes uploaded files: it may receive MAX_UPLOAD_BYTES."""
    view_class.accepts_files = True  # type: ignore[attr-defined]
    return view_class


def init_app(app: Flask, api: Api) -> None:
    """Call before any blueprint adds its rules, so every `<int:...>` is bounded."""
    app.url_map.converters["int"] = IdConverter
    api.register_converter(IdConverter, lambda converter: {
        "type": "integer", "minimum": converter.min, "maximum": converter.max})
    app.before_request(check_request)


def _refuse(field: str, detail_key: str, **params: Any) -> ValidationFailed:
    return ValidationFailed({field: [both_languages(f"detail.{detail_key}", **params)]})


def check_text(field: str, value: str) -> None:
    if "\x00" in value:
        raise _refuse(field, "nul_byte")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _refuse(field, "lone_surrogate") from None


def _check_pairs(where: str, pairs: Iterable[tuple[str, Any]]) -> None:
    for name, value in pairs:
        field = f"{where}.{name}" if where else name
        check_text(field, name)
        if isinstance(value, str):  # path ids are already numbers
            check_text(field, value)


def check_request() -> None:
    config = current_app.config
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(getattr(view, "view_class", None), "accepts_files", False):
        request.max_content_length = config["MAX_UPLOAD_BYTES"]
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    check_text("path", request.path)
    _check_pairs("", (request.view_args or {}).items())
    _check_pairs("", request.args.items(multi=True))
    _check_pairs("header", request.headers.items())
    if request.is_json:
        _check_json_body(config["MAX_JSON_DEPTH"])
    elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        _check_pairs("", request.form.items(multi=True))


def _check_json_body(max_depth: int) -> None:
    raw = request.get_data(cache=True)
    if not raw:
        return
    try:
        document = json.loads(raw)
    except RecursionError:
        raise _refuse("body", "too_deep", depth=max_depth) from None
    except ValueError:
        # Said to be JSON and is not: invalid data like any other (422), not a
        # malformed request (the 400 webargs would answer).
        raise _refuse("body", "not_json") from None
    check_json(document, max_depth)


def check_json(document: Any, max_depth: int, field: str = "") -> None:
    """Walk a parsed JSON document without recursion (its depth is what is checked)."""
    pending: list[tuple[Any, str, int]] = [(document, field, 1)]
    while pending:
        value, name, depth = pending.pop()
        if isinstance(value, dict | list) and depth > max_depth:
            raise _refuse(name or "body", "too_deep", depth=max_depth)
        if isinstance(value, dict):
            for key, item in value.items():
                check_text(name or "body", key)
                pending.append((item, f"{name}.{key}" if name else key, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, name, depth + 1) for item in value)
        elif isinstance(value, str):
            check_text(name or "body", value)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
            raise _refuse(name or "body", "integer_out_of_range")
        elif isinstance(value, float) and not math.isfinite(value):
            raise _refuse(name or "body", "not_finite")
