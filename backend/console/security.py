"""What every console request and response goes through: CSRF, the session,
and headers that keep pages out of caches, frames and inline script."""
from __future__ import annotations

from flask import request

from backend.console import signed_in
from backend.console.blueprint import console, csrf
from backend.db import utcnow

# No inline script or style anywhere: everything comes from /console/static.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
    "font-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"))


@console.before_request
def _guard():
    if request.endpoint == "console.static":
        return
    # Before the session is read: a session that just expired must still show
    # a form post as forged or not on its own merits.
    csrf.protect()
    signed_in.load(utcnow())


@console.after_request
def _headers(response):
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint != "console.static":
        # Pages carry citizens' data: never stored by the browser or a proxy.
        response.headers["Cache-Control"] = "no-store"
    return response
