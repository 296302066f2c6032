"""The application factory."""
from __future__ import annotations

from flask import Flask, g
from flask.json.provider import DefaultJSONProvider

from backend import console, db, errors, integrations, observability, request_guard, tasks
from backend.api import register_blueprints
from backend.cli import register_commands
from backend.config import Config
from backend.extensions import SsaApi, jwt, limiter
from backend.services.accounts import verification  # noqa: F401 - registers its tasks
from backend.services.identity import revocation


class JSONProvider(DefaultJSONProvider):
    ensure_ascii = False  # Vietnamese stays readable in bodies
    sort_keys = False  # fields in the order the schemas declare them


def create_app(config: Config | None = None) -> Flask:
    config = config or Config()
    app = Flask(__name__, instance_path=str(config.INSTANCE_PATH))
    app.config.from_object(config)
    app.json = JSONProvider(app)
    observability.init_app(app)  # first: every later hook sees the request id

    app.extensions["db_engine"] = db.make_engine(config.DATABASE_URL, config.PAYMENT_PARTS)
    revocation.init_app(app, app.extensions["db_engine"])

    @app.teardown_appcontext
    def _remove_session(_exc):
        db.session.remove()

    api = SsaApi(app)
    jwt.init_app(app)
    limiter.init_app(app)
    _install_token_checks()
    errors.register_error_handlers(app)
    request_guard.init_app(app, api)  # before the routes: it bounds their `<int:...>`
    register_blueprints(app, api)
    console.init_app(app)  # the staff web console at /console, with CSRF on its forms
    integrations.install_simulators(app)
    tasks.init_app(app)
    register_commands(app)
    return app


def _install_token_checks() -> None:
    @jwt.token_in_blocklist_loader
    def _session_ended(_header, payload) -> bool:
        if g.get("session_in_statement"):
            return False  # the view's own statement checks it (guards.citizen_required)
        return revocation.is_revoked(payload.get("sid"), db.utcnow())

    def _unauthenticated(*_args):
        return errors.error_response(401, "UNAUTHENTICATED")

    for loader in (jwt.unauthorized_loader, jwt.invalid_token_loader, jwt.expired_token_loader,
                   jwt.revoked_token_loader, jwt.needs_fresh_token_loader,
                   jwt.user_lookup_error_loader, jwt.token_verification_failed_loader):
        loader(_unauthenticated)
