"""REST API: one blueprint per resource, registered by `register_blueprints`."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api


def register_blueprints(app: Flask, api: Api) -> None:
    from backend.api import (auth, authorisations, bank_gateway, demo, docs_assets,
                             institutions, me, notifications, payments, payout_links, staff,
                             staff_payments)
    for module in (auth, me, notifications, institutions, payout_links, authorisations,
                   payments, staff, staff_payments, bank_gateway, demo):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    app.register_blueprint(docs_assets.assets)
