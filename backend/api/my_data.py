"""What the service holds on the citizen, and which staff looked at it (API.md)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.common import PageQuerySchema, PageSchema, page_of
from backend.api.guards import citizen_required, current_citizen
from backend.db import utcnow
from backend.messages import current_language
from backend.services.accounts import data_export
from backend.services.audit import access_log

blp = Blueprint("my_data", __name__, description="The citizen's data and who accessed it")


class DataExportSchema(Schema):
    format_version = fields.Integer(required=True)
    exported_at = fields.String(required=True)
    identity = fields.Dict(required=True)
    social_security_account = fields.Dict(allow_none=True)
    payout_links = fields.List(fields.Dict(), required=True, metadata={
        "description": "every link request, with the account number in full"})
    consents = fields.List(fields.Dict(), required=True)
    notifications = fields.List(fields.Dict(), required=True)
    notification_preferences = fields.Dict(allow_none=True)
    messages = fields.List(fields.Dict(), required=True)
    disputes = fields.List(fields.Dict(), required=True)
    payments = fields.List(fields.Dict(), required=True)
    sessions = fields.List(fields.Dict(), required=True)
    staff_access = fields.List(fields.Dict(), required=True)


class StaffAccessSchema(Schema):
    at = fields.DateTime(required=True)
    role = fields.String(required=True, validate=validate.OneOf(
        sorted({role for role, _ in access_log.STAFF_ACCESS.values()})))
    role_name = fields.String(required=True)
    purpose = fields.String(required=True, metadata={"description": "why, in words"})
    purpose_code = fields.String(required=True)
    action = fields.String(required=True)


class StaffAccessPageSchema(PageSchema):
    items = fields.List(fields.Nested(StaffAccessSchema), required=True)


@blp.route("/me/data-export")
class DataExport(MethodView):
    @citizen_required(ial2=False)
    @blp.response(200, DataExportSchema)
    def get(self):
        """Everything held on the citizen as one JSON document; the export is audited."""
        return data_export.export(current_citizen(), utcnow(), current_language())


@blp.route("/me/access-log")
class AccessLog(MethodView):
    @citizen_required(ial2=False)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, StaffAccessPageSchema)
    def get(self, query):
        """Staff look-ups of and actions on the citizen's case, newest first: when, the
        role, and why; never who."""
        items, total = access_log.page_for(current_citizen().personal_id, query["page"],
                                           query["page_size"], current_language())
        return page_of(items, total, query)
