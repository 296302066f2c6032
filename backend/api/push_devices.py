"""The citizen's app registers the phone that receives pushes."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.guards import citizen_required, current_citizen
from backend.db import utcnow
from backend.services.accounts import push_devices

blp = Blueprint("push_devices", __name__, description="The phone that receives app pushes")


class PushDeviceSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=8, max=255), metadata={
        "description": "the app's registration token with the push service"})
    platform = fields.String(required=True, validate=validate.OneOf(("android", "ios")))
    registered_at = fields.DateTime(dump_only=True)


@blp.route("/me/push-device")
class MyPushDevice(MethodView):
    @citizen_required()
    @blp.arguments(PushDeviceSchema)
    @blp.response(200, PushDeviceSchema)
    def put(self, device):
        """Every notification is pushed to this device too, beside SMS. Sent again
        after each sign-in; a recovery or a dispute forgets the citizen's devices."""
        return push_devices.register(current_citizen(), device["token"], device["platform"],
                                     utcnow())
