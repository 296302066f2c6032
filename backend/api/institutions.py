"""Banks and mobile-money providers a citizen can link."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

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
