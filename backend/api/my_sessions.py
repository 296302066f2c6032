"""The citizen's signed-in sessions and devices: list them, end one, end the others."""
from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import get_jwt
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.api.guards import citizen_required, current_citizen
from backend.db import utcnow
from backend.services.identity import sessions

blp = Blueprint("my_sessions", __name__, description="The citizen's sessions and devices")


class SessionSchema(Schema):
    id = fields.String(required=True)
    device_id = fields.String(allow_none=True, metadata={
        "description": "the device id the app gave at sign-in"})
    device = fields.String(allow_none=True, attribute="user_agent",
                           metadata={"description": "the app or browser (its user agent)"})
    place = fields.String(allow_none=True, metadata={
        "description": "roughly where from, offline: 'local network' or the client's "
                       "network (IPv4 /16, IPv6 /32)"})
    first_seen = fields.DateTime(required=True, attribute="created_at")
    last_seen = fields.DateTime(allow_none=True, attribute="last_seen_at", metadata={
        "description": "the sign-in or the last token renewal (at most 15 minutes apart "
                       "while the app is used)"})
    expires_at = fields.DateTime(required=True)
    current = fields.Method("_is_current")

    def _is_current(self, auth_session) -> bool:
        return auth_session.id == get_jwt().get("sid")


class EndedSchema(Schema):
    ended = fields.Integer(required=True)


@blp.route("/me/sessions")
class MySessions(MethodView):
    @citizen_required(ial2=False)
    @blp.response(200, SessionSchema(many=True))
    def get(self):
        """The citizen's signed-in sessions, the most recently used first."""
        return sessions.live_of_citizen(current_citizen(), utcnow())


@blp.route("/me/sessions/<session_id>")
class MySession(MethodView):
    @citizen_required(ial2=False)
    @blp.response(204)
    @blp.alt_response(404, "NOT_FOUND")
    def delete(self, session_id: str):
        """End one session: its tokens fail on their next request, on every worker.
        Another citizen's session, or one already over, is NOT_FOUND."""
        sessions.end_of_citizen(current_citizen(), session_id, utcnow())


@blp.route("/me/sessions/end-others")
class EndOtherSessions(MethodView):
    @citizen_required(ial2=False)
    @blp.response(200, EndedSchema)
    def post(self):
        """Sign out everywhere else: every session but this one ends at once."""
        return {"ended": sessions.end_others_of_citizen(current_citizen(), get_jwt()["sid"],
                                                        utcnow())}
