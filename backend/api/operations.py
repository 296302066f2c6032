"""For the platform rather than for citizens: liveness, readiness and metrics.

They sit at the root (`/healthz`, `/readyz`, `/metrics`), where load balancers
and Prometheus look by convention, outside the versioned API.

Who may read /metrics: it tells the state of the service (queue depth, how many
links and payments in each status), not personal data, but it is no business
of the public. With SSA_METRICS_TOKEN set, a scraper sends it as a bearer token
(Prometheus's `authorization` setting) from anywhere. Without it, only a client
on this host that came straight in, not through a proxy, may read it.
"""
from __future__ import annotations

import hmac
import ipaddress

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend import metrics
from backend.errors import Forbidden, NotReady
from backend.services.operations import readiness

blp = Blueprint("operations", __name__, description="Liveness, readiness and metrics")

FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})


class ReadinessSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ready"})
    checks = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                         metadata={"example": {"database": "ok", "redis": "ok",
                                               "queue": "ok"}})


@blp.route("/healthz")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.doc(security=[])
    def get(self):
        """Liveness: the process answers (it checks nothing else, so a restart is never
        triggered by a dependency's outage)."""
        return {"status": "ok"}


@blp.route("/readyz")
class Readiness(MethodView):
    @blp.response(200, ReadinessSchema)
    @blp.alt_response(503, "SERVICE_UNAVAILABLE")
    @blp.doc(security=[])
    def get(self):
        """Readiness: the database, Redis and the task queue answer. 503 NOT_READY names
        in `details` each dependency that does not ("not used" ones are fine)."""
        checks = readiness.check()
        if not readiness.ready(checks):
            down = {name: [state] for name, state in checks.items()
                    if state == readiness.DOWN}
            raise NotReady(down, message_params={"dependencies": ", ".join(down)})
        return {"status": "ready", "checks": checks}


@blp.route("/metrics")
class Metrics(MethodView):
    @blp.doc(security=[], responses={"200": {
        "description": "Prometheus text exposition format",
        "content": {"text/plain": {"schema": {"type": "string"}}}}})
    @blp.alt_response(403, "FORBIDDEN")
    def get(self):
        """Prometheus metrics; see the module's note for who may read them."""
        if not _may_read_metrics():
            raise Forbidden()
        return Response(metrics.exposition(), mimetype=None,
                        headers={"Content-Type": metrics.CONTENT_TYPE})


def _may_read_metrics() -> bool:
    token = current_app.config["METRICS_TOKEN"]
    if token:
        offered = request.headers.get("Authorization", "")
        return hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())
    # The peer before ProxyFix rewrote it, and no sign of a proxy in between: a
    # proxy on this host would otherwise make every outside client look local.
    original = request.environ.get("werkzeug.proxy_fix.orig", {})
    peer = original.get("REMOTE_ADDR") or request.remote_addr or ""
    if any(header in request.headers for header in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(peer).is_loopback
    except ValueError:
        return False
