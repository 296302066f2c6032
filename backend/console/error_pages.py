"""Failures inside the console answer with a page in the user's language,
not the API's JSON shape."""
from __future__ import annotations

import logging

from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from backend.console.blueprint import console
from backend.console.catalogue import current_language, error_message, t
from backend.errors import ApiError
from backend.messages import error_text

log = logging.getLogger(__name__)

_HTTP_CODES = {403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED",
               429: "RATE_LIMITED"}


def _page(status: int, message: str):
    return render_template("console/error.html", status=status, message=message), status


@console.errorhandler(ApiError)
def _domain_error(error: ApiError):
    return _page(error.status, error_message(error))


@console.errorhandler(CSRFError)
def _forged_form(_error: CSRFError):
    return _page(400, t("error.csrf"))


@console.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    status = error.code or 500
    if status >= 500:
        return _unexpected(error)
    code = _HTTP_CODES.get(status, "BAD_REQUEST")
    return _page(status, error_text(code, language=current_language()))


@console.errorhandler(Exception)
def _unexpected(error: Exception):
    # The detail goes to the log only, never to the page.
    log.exception("unhandled error in the console", exc_info=error)
    return _page(500, error_text("INTERNAL_ERROR", language=current_language()))
