"""Institutions posting their inquiry reports (acmt.024) back, signed: applied once,
and anything refused changes nothing."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from backend import db
from backend.integrations.signatures import sign
from backend.models import InquiryTransition, InstitutionInquiry, LinkCheck, Notification
from tests.conftest import FIXTURES, bearer, wait_for
from tests.linking_helpers import LINKS, request_link, settled

SECRETS = {"VCB": "vcb-callback-secret-of-at-least-32-chars",
           "MB": "mb-callback-secret-of-at-least-32-characters"}


def reports_url(institution: str) -> str:
    return f"/api/v1/institutions/{institution}/inquiry-reports"


@pytest.fixture
def institutions(app):
    secrets = app.config["INSTITUTION_CALLBACK_SECRETS"]
    app.config["INSTITUTION_CALLBACK_SECRETS"] = SECRETS
    simulator = app.extensions["integrations"].institutions
    yield simulator
    simulator.faults.clear()
    app.config["INSTITUTION_CALLBACK_SECRETS"] = secrets


@pytest.fixture
def waiting_link(client, citizen, login_as, institutions):
    """A VCB request whose inquiry was sent and not answered: the bank will call back."""
    institutions.fail_next("timeout")  # taken, and answered only by our callback
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    link_id = request_link(client, person, tokens).json["id"]
    return person, tokens, link_id, inquiry_in(client.application, link_id, "SENT")


def inquiry_in(app, link_id: int, status: str) -> int:
    """The request's inquiry in `status`, once the worker has put it there."""
    def find() -> int | None:
        with app.app_context():
            found = db.session.scalar(select(InstitutionInquiry.id).where(
                InstitutionInquiry.link_id == link_id, InstitutionInquiry.status == status))
            db.session.rollback()
            return found
    return wait_for(find, lambda found: found is not None)


def holder_name(account_number: str) -> str:
    accounts = json.loads((FIXTURES / "institution_accounts.json").read_text())
    return next(account["holder_name"] for account in accounts
                if account["account_number"] == account_number)


def post_report(client, institution: str, body: bytes | dict, secret: str | None = None,
                signature: str | None = None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signature is None and secret is not None:
        signature = sign(secret, raw)
    if signature is not None:
        headers["X-Institution-Signature"] = signature
    return client.post(reports_url(institution), data=raw, headers=headers)


def state(app, client, tokens: dict, link_id: int) -> tuple:
    """What a refused report must leave as it was."""
    link = client.get(f"{LINKS}/{link_id}", headers=bearer(tokens["access_token"])).json
    with app.app_context():
        inquiry_statuses = db.session.scalars(select(InstitutionInquiry.status).where(
            InstitutionInquiry.link_id == link_id).order_by(InstitutionInquiry.id)).all()
        checks = db.session.scalar(select(func.count()).select_from(LinkCheck).where(
            LinkCheck.link_id == link_id))
        db.session.rollback()
    return link["status"], len(link["history"]), tuple(inquiry_statuses), checks


def test_a_signed_report_decides_the_request_and_a_second_delivery_changes_nothing(
        app, client, waiting_link):
    person, tokens, link_id, inquiry_id = waiting_link
    report = {"inquiry_id": inquiry_id, "verified": True,
              "holder_name": holder_name(person["payout_account"]["account_number"])}
    first = post_report(client, "VCB", report, SECRETS["VCB"])
    assert first.status_code == 200, first.json
    assert first.json == {"outcome": "applied"}
    outcome = settled(client, tokens, link_id)
    assert outcome["status"] == "ACTIVE"
    assert [step["status"] for step in outcome["history"]] == ["SUBMITTED", "VERIFYING", "ACTIVE"]

    again = post_report(client, "VCB", report, SECRETS["VCB"])
    assert again.status_code == 200
    assert again.json == {"outcome": "duplicate"}
    assert settled(client, tokens, link_id)["history"] == outcome["history"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(InquiryTransition).where(
            InquiryTransition.inquiry_id == inquiry_id,
            InquiryTransition.to_status == "ANSWERED")) == 1
        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.kind == "LINK_ACTIVE")) == 1
        db.session.rollback()


def test_a_refusal_from_the_bank_fails_the_request_with_its_reason(app, client, waiting_link):
    _, tokens, link_id, inquiry_id = waiting_link
    answer = post_report(client, "VCB", {"inquiry_id": inquiry_id, "verified": False,
                                         "reason": "AC04"}, SECRETS["VCB"])
    assert answer.json == {"outcome": "applied"}
    outcome = settled(client, tokens, link_id)
    assert (outcome["status"], outcome["reason"]) == ("FAILED", "ACCOUNT_CLOSED")


@pytest.mark.parametrize("institution, secret, signature", [
    ("VCB", None, None),  # unsigned
    ("VCB", None, "sha256=" + "0" * 64),  # signed wrongly
    ("VCB", SECRETS["MB"], None),  # signed with another institution's secret
    ("AGRIBANK", "agribank-secret-nobody-configured-here", None),  # no secret configured
])
def test_a_report_without_the_institutions_signature_is_refused(
        app, client, waiting_link, institution, secret, signature):
    _, tokens, link_id, inquiry_id = waiting_link
    before = state(app, client, tokens, link_id)
    answer = post_report(client, institution, {"inquiry_id": inquiry_id, "verified": False,
                                               "reason": "AC04"}, secret, signature)
    assert answer.status_code == 401
    assert answer.json["code"] == "SIGNATURE_INVALID"
    assert state(app, client, tokens, link_id) == before == ("VERIFYING", 2, ("SENT",), 0)


def test_a_report_on_an_inquiry_not_theirs_is_refused(app, client, waiting_link):
    _, tokens, link_id, inquiry_id = waiting_link
    before = state(app, client, tokens, link_id)
    for institution, unknown_id in (("VCB", inquiry_id + 1000), ("MB", inquiry_id)):
        answer = post_report(client, institution, {"inquiry_id": unknown_id, "verified": False,
                                                   "reason": "AC01"}, SECRETS[institution])
        assert answer.status_code == 404, answer.json
        assert answer.json["code"] == "NOT_FOUND"
        assert "inquiry_id" in answer.json["details"]
    assert state(app, client, tokens, link_id) == before


def test_a_report_on_an_inquiry_that_never_reached_the_bank_is_a_conflict(
        app, client, citizen, login_as, institutions):
    institutions.fail_next("error", "timeout")  # the first refused at sending, asked again
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    link_id = request_link(client, person, tokens).json["id"]
    refused = inquiry_in(app, link_id, "FAILED")
    inquiry_in(app, link_id, "SENT")
    before = state(app, client, tokens, link_id)
    answer = post_report(client, "VCB", {"inquiry_id": refused, "verified": True,
                                         "holder_name": "LE VAN PHUC"}, SECRETS["VCB"])
    assert answer.status_code == 409, answer.json
    assert answer.json["code"] == "CONFLICT"
    assert state(app, client, tokens, link_id) == before


@pytest.mark.parametrize("body, field", [
    (b"{not json", "body"),
    (b"[1, 2]", "body"),
    ({"verified": True, "holder_name": "LE VAN PHUC"}, "inquiry_id"),
    ({"inquiry_id": "1", "verified": False, "reason": "AC04"}, "inquiry_id"),
    ({"inquiry_id": 1, "verified": "yes", "holder_name": "LE VAN PHUC"}, "verified"),
    ({"inquiry_id": 1, "verified": True}, "holder_name"),
    ({"inquiry_id": 1, "verified": True, "holder_name": "  "}, "holder_name"),
    ({"inquiry_id": 1, "verified": False}, "reason"),
    ({"inquiry_id": 1, "verified": False, "reason": "XX99"}, "reason"),
    ({"inquiry_id": 1, "verified": True, "holder_name": "LE VAN PHUC",
      "holder_personal_id": "０８６064686798"}, "holder_personal_id"),
])
def test_a_malformed_report_is_refused_whole(app, client, waiting_link, body, field):
    _, tokens, link_id, inquiry_id = waiting_link
    if isinstance(body, dict) and "inquiry_id" in body and body["inquiry_id"] == 1:
        body = {**body, "inquiry_id": inquiry_id}  # the real inquiry: only the shape is wrong
    before = state(app, client, tokens, link_id)
    answer = post_report(client, "VCB", body, SECRETS["VCB"])
    assert answer.status_code == 422, answer.json
    assert answer.json["code"] == "VALIDATION_ERROR"
    assert field in answer.json["details"], answer.json
    assert state(app, client, tokens, link_id) == before


def test_the_openapi_document_describes_the_report_and_its_signature(client):
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/institutions/{code}/inquiry-reports"]["post"]
    assert operation["security"] == []
    assert [parameter["name"] for parameter in operation["parameters"]
            if parameter["in"] == "header"] == ["X-Institution-Signature"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" in body:
        body = spec["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert set(body["required"]) == {"inquiry_id", "verified"}
    assert {"reason", "holder_name", "holder_personal_id"} <= set(body["properties"])
    assert {"200", "401", "404", "409", "422"} <= set(operation["responses"])
