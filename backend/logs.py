"""Logs as JSON lines, each with the request id it belongs to and no full identifiers.

One request id follows a citizen's request from the web worker into the tasks it
queues (tasks.py carries it), so an operator can grep one id across every host.
Personal IDs (12 digits) are written masked to their last three digits and any
other long number (an account or wallet number, a phone number) not at all: the
filters below sit on every handler, whatever the code that logs forgot.
"""
from __future__ import annotations

import logging
import logging.config
import re
import traceback
import uuid
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

# The request (or task) being served by this thread; None outside of one.
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# A caller's X-Request-ID is kept only if it is short and plain text.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

# A run of 8 to 19 digits standing alone (not part of a word, a hex id or the
# fraction of a decimal number): 12 digits is a personal ID, anything else may be
# an account, wallet or phone number.
_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?<!\d\.)\d{8,19}(?![0-9A-Za-z])")
PERSONAL_ID_LENGTH = 12
WITHHELD = "[number withheld]"

# LogRecord attributes that are not text a caller put there.
_RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(offered: str | None) -> str:
    """The caller's id if it is sane, else a new one. An id that the redaction would
    change (one holding something like a personal ID) is replaced too: the id in
    the logs must be the one the caller was answered with."""
    if offered and _SANE_REQUEST_ID.fullmatch(offered) and redact(offered) == offered:
        return offered
    return new_request_id()


def current_request_id() -> str | None:
    return _request_id.get()


def bind_request_id(request_id: str | None) -> object:
    """Make `request_id` the current one; returns a token for `unbind_request_id`."""
    return _request_id.set(request_id)


def unbind_request_id(token: object) -> None:
    _request_id.reset(token)  # type: ignore[arg-type]


def _mask(match: re.Match[str]) -> str:
    number = match.group()
    if len(number) == PERSONAL_ID_LENGTH:
        return "*" * (PERSONAL_ID_LENGTH - 3) + number[-3:]
    return WITHHELD


def redact(text: str) -> str:
    """`text` with personal IDs masked and other long numbers withheld."""
    return _LONG_NUMBER.sub(_mask, text)


class RequestIdFilter(logging.Filter):
    """Stamps each record with the request id of the thread that logs it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _request_id.get()
        return True


class RedactFilter(logging.Filter):
    """Rewrites a record so that no handler can write a full identifier: its message
    with the arguments filled in, its traceback, its stack and every text extra."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_redacted", False):
            return True  # a record passes every handler of its logger's chain
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for name, value in list(vars(record).items()):
            if name not in _RECORD_ATTRIBUTES and isinstance(value, str):
                setattr(record, name, redact(value))
        record._redacted = True
        return True


FILTERS = (RequestIdFilter, RedactFilter)


def guard(handler: logging.Handler) -> logging.Handler:
    """Put the request id and redaction filters on `handler` (once)."""
    present = {type(existing) for existing in handler.filters}
    for filter_class in FILTERS:
        if filter_class not in present:
            handler.addFilter(filter_class())
    return handler


def every_handler() -> list[logging.Handler]:
    loggers = [logging.getLogger()] + [logger for logger in
                                       logging.Logger.manager.loggerDict.values()
                                       if isinstance(logger, logging.Logger)]
    return [handler for logger in loggers for handler in logger.handlers]


def guard_every_handler() -> None:
    for handler in every_handler():
        guard(handler)


def json_formatter() -> logging.Formatter:
    """One JSON object a line: time (ISO 8601, UTC), level, logger, pid, message,
    request_id and whatever extras the caller gave."""
    return JsonFormatter(["levelname", "name", "process", "message"],
                         rename_fields={"levelname": "level", "name": "logger",
                                        "process": "pid"},
                         timestamp="time", json_ensure_ascii=False)


def dict_config(level: str = "INFO") -> dict[str, Any]:
    """The logging configuration of every process (`ssa serve`, its gunicorn master,
    `ssa worker`, `ssa demo`): one JSON handler on standard error, which systemd's
    journal or the platform's log collector reads."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": RequestIdFilter},
            "redact": {"()": RedactFilter},
        },
        "formatters": {
            "json": {"()": json_formatter},
        },
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json",
                "filters": ["request_id", "redact"],
            },
        },
        "root": {"level": level, "handlers": ["json"]},
        "loggers": {
            # gunicorn's own messages (booting, worker exits) in the same shape.
            "gunicorn.error": {"level": level, "handlers": [], "propagate": True},
            # The app writes the access line itself, with the request id and the route.
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
            # The development server's own request lines repeat the app's access lines.
            "werkzeug": {"level": "WARNING"},
            # Alembic announces its plug-ins each time a process imports it.
            "alembic.runtime.plugins": {"level": "WARNING"},
        },
    }


def configure(level: str = "INFO") -> None:
    """JSON lines on standard error, guarded; for the commands that run the service."""
    logging.config.dictConfig(dict_config(level))
    guard_every_handler()
