"""The staff web console at /console: server-rendered pages over the services.

Views are thin: each calls a service in backend/services and renders what it
returns. The console holds no rule of its own.
"""
from __future__ import annotations

from flask import Flask

# Imported for their routes, registered on `console` as a side effect.
from backend.console import (  # noqa: F401
    auth_views,
    case_views,
    catalogue,
    coverage_views,
    dispute_views,
    error_pages,
    payment_batch_views,
    payment_report_views,
    payment_views,
    presenting,
    programme_views,
    recovery_views,
    review_views,
    security,
    supervisor_views,
)
from backend.console.blueprint import console, csrf

URL_PREFIX = "/console"


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    catalogue.init_app(app)
    app.register_blueprint(console, url_prefix=URL_PREFIX)
