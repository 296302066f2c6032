"""Which outcomes a citizen is told of by SMS, and in which language."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.guards import citizen_required, current_citizen
from backend.db import utcnow
from backend.messages import LANGUAGES
from backend.services.accounts import preferences, social_security

blp = Blueprint("notification_preferences", __name__,
                description="The citizen's choice of SMS notifications")


class PreferencesSchema(Schema):
    sms = fields.Dict(keys=fields.String(), values=fields.Boolean(), required=True, metadata={
        "description": "each event the citizen may have by SMS, on or off"})
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    security_alerts = fields.List(fields.String(), dump_only=True, metadata={
        "description": "sent by SMS whatever is chosen; they cannot be switched off"})


class PreferencesUpdateSchema(Schema):
    sms = fields.Dict(keys=fields.String(), values=fields.Boolean())
    language = fields.String(validate=validate.OneOf(LANGUAGES))


@blp.route("/me/notification-preferences")
class NotificationPreferences(MethodView):
    @citizen_required()
    @blp.response(200, PreferencesSchema)
    def get(self):
        """The events told by SMS (all on until switched off) and the language."""
        return preferences.of(social_security.get_or_create(current_citizen(), utcnow()))

    @citizen_required()
    @blp.arguments(PreferencesUpdateSchema)
    @blp.response(200, PreferencesSchema)
    def put(self, update):
        """Switch events on or off, or change the language; events not named keep
        their choice. A security alert named answers VALIDATION_ERROR."""
        account = social_security.get_or_create(current_citizen(), utcnow())
        return preferences.update(account, update.get("sms"), update.get("language"), utcnow())
