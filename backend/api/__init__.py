"""REST API: one blueprint per resource, registered by `register_blueprints`."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api


def register_blueprints(app: Flask, api: Api) -> None:
    from backend.api import (auth, authorisations, demo, docs_assets, institutions, me,
                             notifications, payout_links, staff)
    for module in (auth, me, notifications, institutions, payout_links, authorisations, staff,
                   demo):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    app.register_blueprint(docs_assets.assets)
