"""REST API: one blueprint per resource, registered by `register_blueprints`."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api


def register_blueprints(app: Flask, api: Api) -> None:
    from backend.api import (
        auth,
        authorisations,
        bank_gateway,
        cash,
        consents,
        demo,
        disputes,
        docs_assets,
        duplicate_claims,
        institutions,
        me,
        my_data,
        my_sessions,
        notification_preferences,
        notifications,
        openapi,
        operations,
        passcode,
        payment_reports,
        payments,
        payout_links,
        programmes,
        push_devices,
        recovery,
        staff,
        staff_payment_batches,
        staff_payments,
    )
    # Before any route: a route's references resolve when it is registered.
    openapi.register_components(api.spec)
    for module in (auth, recovery, me, passcode, my_data, my_sessions, notifications,
                   notification_preferences, push_devices, institutions, payout_links, consents,
                   disputes, authorisations, payments, payment_reports, staff, staff_payments,
                   staff_payment_batches,
                   programmes, cash, duplicate_claims, bank_gateway, demo):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
    # Where load balancers and Prometheus look by convention, outside the versioned API.
    api.register_blueprint(operations.blp)
    app.register_blueprint(docs_assets.assets)
