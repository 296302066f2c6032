"""Banks and mobile-money providers a citizen can link, and their inquiry reports."""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.api.guards import citizen_required, current_citizen
from backend.db import utcnow
from backend.integrations.institution_callback import ReportSchema
from backend.services.accounts import inquiry_callbacks, institutions

blp = Blueprint("institutions", __name__, description="Banks and mobile-money providers")


class InstitutionSchema(Schema):
    code = fields.String(required=True)
    bin = fields.String(allow_none=True)
    name = fields.String(required=True)
    short_name = fields.String(required=True)
    kind = fields.String(required=True)


@blp.route("/institutions")
class Institutions(MethodView):
    @blp.response(200, InstitutionSchema(many=True))
    @blp.doc(security=[])
    def get(self):
        """Every institution, banks first, by short name."""
        return institutions.list_all()


@blp.route("/me/likely-institutions")
class LikelyInstitutions(MethodView):
    @citizen_required()
    @blp.response(200, InstitutionSchema(many=True))
    def get(self):
        """Where the accounts register holds an open account in the citizen's name,
        for the app to list first: institutions only, never account numbers."""
        return institutions.likely_for(current_citizen())


class ReportAnswerSchema(Schema):
    outcome = fields.String(required=True, metadata={
        "description": "applied, or duplicate: this inquiry was answered before and "
                       "nothing changed"})


@blp.route("/institutions/<string:code>/inquiry-reports")
class InquiryReports(MethodView):
    @blp.response(200, ReportAnswerSchema)
    @blp.alt_response(401, "UNAUTHORIZED")
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    @blp.alt_response(422, "UNPROCESSABLE_ENTITY")
    # The body is parsed only once its signature is checked: documented, not parsed here.
    @blp.doc(requestBody={"required": True,
                          "content": {"application/json": {"schema": ReportSchema}}})
    @blp.doc(security=[],  # signed by the institution instead: the header below
             parameters=[{"in": "header", "name": "X-Institution-Signature", "required": True,
                          "schema": {"type": "string"},
                          "description": "sha256=HMAC-SHA256(the institution's secret, raw "
                                         "body), hex"}])
    def post(self, code: str):
        """The institution's report (acmt.024) on one account-holder inquiry (acmt.023)
        it was sent: `inquiry_id` quotes the request's id. The signature is checked
        first; a report delivered twice is applied once."""
        return {"outcome": inquiry_callbacks.receive(
            code, request.get_data(), request.headers.get("X-Institution-Signature"),
            utcnow())}
