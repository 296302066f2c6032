"""Extensions created once and bound to the app in create_app."""
from flask import current_app
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import Api

from backend import errors
from backend.api import openapi


class SsaApi(Api):
    """flask-smorest's Api, answering every HTTP error in our one error shape, and
    documenting each operation's real error answers rather than a catch-all."""

    ERROR_SCHEMA = errors.ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _init_spec(self, **kwargs):
        kwargs["extra_plugins"] = [*(kwargs.get("extra_plugins") or ()),
                                   openapi.ErrorResponses()]
        super()._init_spec(**kwargs)

    def handle_http_exception(self, error):
        return errors.handle_http_exception(error)


jwt = JWTManager()
# Shared counts across workers and hosts come from RATELIMIT_STORAGE_URI (Redis
# in production); the embedded default counts in memory.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def login_rate_limit() -> str:
    """The per-address limit on every sign-in endpoint."""
    return current_app.config["LOGIN_RATE_LIMIT"]
