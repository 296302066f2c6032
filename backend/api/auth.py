"""Citizen authentication: password, one-time code, refresh, logout."""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_jwt_extended import get_jwt, jwt_required
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates

from backend import canonical
from backend.db import utcnow
from backend.extensions import limiter, login_rate_limit
from backend.messages import current_language
from backend.services.identity import citizen_login, sessions
from backend.services.identity.personal_id import InvalidPersonalId, parse

blp = Blueprint("auth", __name__, description="Citizen sign-in with level-2 eID")


class LoginSchema(Schema):
    personal_id = fields.String(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=128))
    device_id = fields.String(load_default=None, validate=validate.Length(max=100))

    @validates("personal_id")
    def _valid_personal_id(self, value: str, **_) -> None:
        try:
            parse(value)
        except InvalidPersonalId as invalid:
            raise ValidationError(invalid.message_en if current_language() == "en"
                                  else invalid.message_vi) from invalid


class ChallengeSchema(Schema):
    challenge_id = fields.String(required=True)
    methods = fields.List(fields.String(), required=True)
    expires_in = fields.Integer(required=True)


class OtpSchema(Schema):
    challenge_id = fields.String(required=True, validate=validate.Length(max=64))
    code = fields.String(required=True, validate=canonical.ONE_TIME_CODE)


class TokenPairSchema(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    ial = fields.Integer(required=True)


class SignedInSchema(TokenPairSchema):
    failed_sign_in_attempts = fields.Integer(
        required=True, metadata={"description": "failed password and one-time-code attempts "
                                                "since the last complete sign-in; the app warns "
                                                "the citizen when it is not 0"})


def client_seen() -> sessions.ClientSeen:
    """The client as the citizen's list of sessions shows it (the address behind
    trusted proxies: observability's ProxyFix)."""
    return sessions.ClientSeen(user_agent=request.user_agent.string or None,
                               address=request.remote_addr)


@blp.route("/auth/login")
class Login(MethodView):
    decorators = [limiter.limit(login_rate_limit)]

    @blp.arguments(LoginSchema)
    @blp.response(200, ChallengeSchema)
    @blp.alt_response(401, "UNAUTHORIZED")
    @blp.alt_response(423, "LOCKED")
    @blp.alt_response(429, "TOO_MANY_REQUESTS")
    @blp.doc(security=[])
    def post(self, login):
        """Check the password; answers a challenge for the one-time code."""
        now = utcnow()
        challenge = citizen_login.start(login["personal_id"], login["password"],
                                        login["device_id"], now)
        return {"challenge_id": challenge.id, "methods": ["totp"],
                "expires_in": int((challenge.expires_at - now).total_seconds())}


@blp.route("/auth/otp")
class Otp(MethodView):
    decorators = [limiter.limit(login_rate_limit)]

    @blp.arguments(OtpSchema)
    @blp.response(200, SignedInSchema)
    @blp.alt_response(401, "UNAUTHORIZED")
    @blp.alt_response(423, "LOCKED")
    @blp.alt_response(429, "TOO_MANY_REQUESTS")
    @blp.doc(security=[])
    def post(self, otp):
        """Check the one-time code; answers the session's tokens."""
        return citizen_login.complete(otp["challenge_id"], otp["code"], utcnow(),
                                      client_seen())


@blp.route("/auth/refresh")
class Refresh(MethodView):
    @jwt_required(refresh=True)
    @blp.response(200, TokenPairSchema)
    def post(self):
        """Trade the refresh token (as Bearer) for a new pair; the old one dies."""
        claims = get_jwt()
        return sessions.rotate(claims["sid"], claims["jti"], utcnow(), client_seen())


@blp.route("/auth/logout")
class Logout(MethodView):
    @jwt_required()
    @blp.response(204)
    def post(self):
        """End the session: its access and refresh tokens stop working."""
        sessions.sign_out(get_jwt(), utcnow())
