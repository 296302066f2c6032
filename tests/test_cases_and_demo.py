"""Staff case look-up (audited) and the demo-mode authenticator."""
from __future__ import annotations

from backend.app import create_app
from tests.conftest import make_config, totp_code
from tests.linking_helpers import request_link, settled
from tests.payment_helpers import build_requests, claim, payroll_csv, upload


def test_case_look_up_is_audited_and_masked(client, citizen, login_as, staff_login):
    person = citizen("closed_account")
    tokens = login_as(person)
    settled(client, tokens, request_link(client, person, tokens).json["id"])
    reviewer = staff_login("reviewer1")
    case = client.get(f"/api/v1/staff/cases/{person['personal_id']}", headers=reviewer)
    assert case.status_code == 200
    assert case.json["register"]["full_name"] == person["full_name"]
    assert case.json["links"][0]["status"] == "FAILED"
    assert case.json["links"][0]["account_masked"].startswith("•••• ")
    assert person["payout_account"]["account_number"] not in case.get_data(as_text=True)

    log = client.get("/api/v1/staff/audit-log?action=case.viewed",
                     headers=staff_login("supervisor1")).json["items"]
    assert log[0]["subject_personal_id"] == person["personal_id"]
    assert log[0]["actor"] == "staff:reviewer1"


def test_case_shows_payments_and_refuses_a_malformed_id(client, citizen, staff_login):
    person = citizen("plain")
    officer = staff_login("payroll1")
    upload(client, officer, payroll_csv([claim(person)]))
    build_requests(client, officer)
    reviewer = staff_login("reviewer1")
    case = client.get(f"/api/v1/staff/cases/{person['personal_id']}", headers=reviewer).json
    assert [(p["period"], p["status"]) for p in case["payments"]] == [("2026-10", "REQUESTED")]
    malformed = client.get("/api/v1/staff/cases/12345", headers=reviewer)
    assert malformed.status_code == 422 and "personal_id" in malformed.json["details"]


def test_unknown_citizen_look_up_is_still_audited(client, staff_login):
    reviewer = staff_login("reviewer1")
    assert client.get("/api/v1/staff/cases/079190000001", headers=reviewer).status_code == 404
    log = client.get("/api/v1/staff/audit-log?personal_id=079190000001",
                     headers=staff_login("supervisor1")).json
    assert log["total"] == 1


def test_demo_codes_only_in_demo_mode(app, client, citizen, database_url):
    person = citizen("plain")
    path = f"/api/v1/demo/current-code?personal_id={person['personal_id']}"
    assert client.get(path).status_code == 404
    # Same instance folder, so the same keys decrypt the same secrets.
    demo = create_app(make_config(app.config["INSTANCE_PATH"], database_url,
                                  SSA_DEMO_MODE="true"))
    answer = demo.test_client().get(path)
    assert answer.status_code == 200 and answer.json["code"] == totp_code(person)
    assert 0 < answer.json["valid_for_seconds"] <= 30
    staff = demo.test_client().get("/api/v1/demo/current-code?username=reviewer1")
    assert staff.status_code == 200
    demo.extensions["db_engine"].dispose()
