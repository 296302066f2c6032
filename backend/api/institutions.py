"""Banks and mobile-money providers a citizen can link."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.api.guards import citizen_required, current_citizen
from backend.services.accounts import institutions

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
