"""The citizen's in-app notifications."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.api.common import PageQuerySchema, PageSchema, page_of
from backend.api.guards import citizen_required, current_citizen, live_session
from backend.db import utcnow
from backend.errors import Unauthenticated
from backend.messages import notification_text
from backend.services.accounts import notifications, social_security

blp = Blueprint("notifications", __name__, description="In-app notifications")


class NotificationSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.Function(lambda n: notification_text(n.kind, "title", n.params))
    body = fields.Function(lambda n: notification_text(n.kind, "body", n.params))
    created_at = fields.DateTime(required=True)
    read_at = fields.DateTime(allow_none=True)
    opens = fields.Function(lambda n: notifications.opens(n.kind, n.params), allow_none=True,
                            metadata={"description": "What tapping it opens: "
                                      "{kind: payment|payout_link|authorisation, id}, or null"})


class NotificationPageSchema(PageSchema):
    items = fields.List(fields.Nested(NotificationSchema), required=True)


@blp.route("/me/notifications")
class Notifications(MethodView):
    @citizen_required(session_in_statement=True)
    @blp.arguments(PageQuerySchema(), location="query")  # an instance: not made per request
    @blp.response(200, NotificationPageSchema)
    def get(self, query):
        """Newest first."""
        session_id = live_session()
        try:
            found = notifications.page_for_session(session_id, query["page"],
                                                   query["page_size"])
        except notifications.NoAccountYet:  # first visit: the account and its first notice
            social_security.get_or_create(current_citizen(), utcnow())
            found = notifications.page_for_session(session_id, query["page"],
                                                   query["page_size"])
        if found is None:
            raise Unauthenticated()
        items, total = found
        return page_of(items, total, query)


@blp.route("/me/notifications/<int:notification_id>/read")
class NotificationRead(MethodView):
    @citizen_required()
    @blp.response(200, NotificationSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def post(self, notification_id: int):
        """Mark one notification read; another citizen's is NOT_FOUND."""
        account = social_security.get_or_create(current_citizen(), utcnow())
        return notifications.mark_read(account, notification_id, utcnow())
