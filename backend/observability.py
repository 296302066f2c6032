"""What every request passes through on its way in and out: the client's real
address behind trusted proxies, its request id, its access-log line and its
metrics."""
from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from backend import logs, metrics

access_log = logging.getLogger("backend.access")
REQUEST_ID_HEADER = "X-Request-ID"
# Probes and scrapes every few seconds would drown the access log; they log at DEBUG.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def init_app(app: Flask) -> None:
    """Call before any other extension, so every later hook already has the request id."""
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops:
        # Believe exactly `hops` entries of X-Forwarded-*: request.remote_addr is then the
        # client the outermost trusted proxy saw, and rate limits key on it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops,  # type: ignore[method-assign]
                                x_host=hops, x_port=hops)
    app.before_request(_begin)
    app.after_request(_finish)
    app.teardown_request(_end)


def _begin() -> None:
    g.request_started = time.perf_counter()
    g.request_id = logs.accept_request_id(request.headers.get(REQUEST_ID_HEADER))
    g.request_id_token = logs.bind_request_id(g.request_id)


def _finish(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    if started is None:
        return response
    seconds = time.perf_counter() - started
    route = request.url_rule.rule if request.url_rule else None
    metrics.observe_request(request.method, route, response.status_code, seconds)
    access_log.log(logging.DEBUG if request.path in QUIET_PATHS else logging.INFO,
                   "%s %s %s", request.method, request.path, response.status_code,
                   extra={"route": route or metrics.UNMATCHED, "status": response.status_code,
                          "duration_ms": round(seconds * 1000, 2),
                          "client": request.remote_addr})
    return response


def _end(_error: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        logs.unbind_request_id(token)
