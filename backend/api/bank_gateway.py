"""Bank results: per-payment signed callbacks, and ISO 20022 result files."""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.api.guards import current_staff_actor, staff_required
from backend.db import utcnow
from backend.errors import ValidationFailed
from backend.services.payments import result_files, results

blp = Blueprint("bank_gateway", __name__, description="Bank gateway callbacks and result files")

SIGNATURE_HEADER = {"in": "header", "name": "X-Gateway-Signature", "required": False,
                    "schema": {"type": "string"},
                    "description": "sha256=HMAC-SHA256(secret, raw body), hex"}


class CallbackAnswerSchema(Schema):
    outcome = fields.String(required=True, metadata={"description": "applied, waiting, duplicate"})


class ResultFileReportSchema(Schema):
    outcome = fields.String(required=True, metadata={
        "description": "imported, or duplicate: this very file was taken in before"})
    file_id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"description": "pain.002 or camt.054"})
    msg_id = fields.String(required=True)
    transactions = fields.Integer(required=True)
    accepted = fields.Integer(required=True, metadata={
        "description": "pain.002 ACSC lines: the Treasury's side settled, the credit "
                       "not yet confirmed; they pay nobody"})
    applied = fields.Integer(required=True)
    paid = fields.Integer(required=True)
    failed = fields.Integer(required=True)
    waiting = fields.Integer(required=True, metadata={
        "description": "payments named by the file that are not settled yet"})
    duplicates = fields.Integer(required=True, metadata={
        "description": "lines already kept from an earlier file"})
    # Not `unknown`: a Schema keeps its policy for unknown fields under that name.
    unknown_count = fields.Integer(required=True, data_key="unknown", attribute="unknown",
                                   metadata={"description": "lines for end-to-end ids we "
                                             "never issued"})
    unknown_end_to_end_ids = fields.List(fields.String(), required=True, metadata={
        "description": "the first 100 end-to-end ids we never issued; kept, not dropped"})
    request_ids = fields.List(fields.Integer(), required=True, metadata={
        "description": "payment requests whose payments this file moved"})


@blp.route("/bank-gateway/callbacks")
class Callbacks(MethodView):
    @blp.response(200, CallbackAnswerSchema)
    @blp.alt_response(401, "UNAUTHORIZED")
    @blp.doc(security=[],  # signed by the gateway instead: the header below
             parameters=[{**SIGNATURE_HEADER, "required": True}])
    def post(self):
        """One transfer's result; duplicates and early arrivals are harmless."""
        return {"outcome": results.receive(request.get_data(),
                                                request.headers.get("X-Gateway-Signature"),
                                                utcnow())}


@contextmanager
def _uploaded_xml() -> Iterator[tuple[Path, str]]:
    """The file as multipart 'file' or as the raw application/xml body, on disk."""
    upload = request.files.get("file")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "result.xml"
        if upload is not None:
            upload.save(path)
            yield path, upload.filename or "result.xml"
        elif request.mimetype in ("application/xml", "text/xml"):
            with path.open("wb") as out:
                for chunk in iter(lambda: request.stream.read(1 << 20), b""):
                    out.write(chunk)
            yield path, request.args.get("filename", "result.xml")
        else:
            raise ValidationFailed({"file": ["send the file as multipart 'file' or as "
                                             "application/xml"]})


@staff_required("treasury")
def _staff_actor() -> str:
    return current_staff_actor()


@blp.route("/staff/bank-results")
class BankResultFiles(MethodView):
    @blp.response(200, ResultFileReportSchema)
    @blp.alt_response(401, "UNAUTHORIZED")
    @blp.alt_response(403, "FORBIDDEN")
    @blp.alt_response(409, "CONFLICT")
    @blp.alt_response(422, "UNPROCESSABLE_ENTITY")
    # A treasury token, or instead of it the gateway's signature (the header).
    @blp.doc(parameters=[{**SIGNATURE_HEADER, "description": "sha256=HMAC-SHA256(secret, raw "
                          "XML body), hex; the gateway sends it instead of a token"}])
    def post(self):
        """Take in a pain.002 or camt.054 result file (treasury role, or the
        gateway's signature over the raw XML body). A malformed or XSD-invalid
        file is refused whole; the same file twice changes nothing."""
        signature = request.headers.get("X-Gateway-Signature")
        actor = _staff_actor() if signature is None else results.GATEWAY
        with _uploaded_xml() as (path, filename):
            if signature is not None:
                with path.open("rb") as body:
                    results.verify_file(body, signature)
            report = result_files.ingest(path, actor, utcnow(), filename=filename)
        return {**report.__dict__, "applied": report.applied}
