"""Lost-phone recovery: asked in the app without revealing whether an ID exists,
proven again in person (or by the ID card's chip in demo mode), finished by
enrolling a new authenticator; then the old sessions and secret are dead."""
from __future__ import annotations

from datetime import datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from backend import db
from backend.app import create_app
from backend.models import AuditEntry
from backend.services.identity import recovery
from tests.conftest import bearer, make_config, totp_code
from tests.linking_helpers import LINKS, link_body, request_link, settled
from tests.message_helpers import outbox

RECOVERY = "/api/v1/auth/recovery"
STAFF_RECOVERIES = "/api/v1/staff/recoveries"


pytestmark = pytest.mark.usefixtures("secrets_restored")


def start(client, person, password=None):
    answer = client.post(RECOVERY, json={"personal_id": person["personal_id"],
                                         "password": password or person["password"]})
    assert answer.status_code == 202, answer.json
    return answer.json


def test_officer_approves_the_citizen_enrols_and_the_old_phone_is_dead(
        app, client, citizen, login_as, staff_login, clock, demo_citizens):
    person = citizen("clean_bank_link")
    old = login_as(person)
    asked = start(client, person)
    # A wrong password, or an ID with no account, answers alike.
    wrong = start(client, person, password="not-the-password")
    nobody = start(client, next(p for p in demo_citizens if p["case"] == "plain")
                   | {"personal_id": "001099012345"})
    assert {key: (type(value), len(value) if key == "recovery_token" else value)
            for key, value in asked.items() if key != "expires_at"} == \
        {key: (type(value), len(value) if key == "recovery_token" else value)
         for key, value in wrong.items() if key != "expires_at"} == \
        {key: (type(value), len(value) if key == "recovery_token" else value)
         for key, value in nobody.items() if key != "expires_at"}
    assert asked["status"] == "REQUESTED"
    token = asked["recovery_token"]
    early = client.post(f"{RECOVERY}/enrolment", json={"recovery_token": token})
    assert early.status_code == 409 and early.json["code"] == "CONFLICT"

    officer = staff_login("officer1")
    waiting = client.get(f"{STAFF_RECOVERIES}?personal_id={person['personal_id']}",
                         headers=officer).json
    assert waiting["total"] == 1  # the wrong password's request is nobody's
    case = waiting["items"][0]
    assert case["full_name"] == person["full_name"]
    assert client.get(STAFF_RECOVERIES, headers=staff_login("reviewer1")).status_code == 403
    other_card = client.post(f"{STAFF_RECOVERIES}/{case['id']}/approve", headers=officer,
                             json={"card_personal_id": "001099012345", "note": "card seen"})
    assert other_card.status_code == 422 and "card_personal_id" in other_card.json["details"]
    approved = client.post(f"{STAFF_RECOVERIES}/{case['id']}/approve", headers=officer,
                           json={"card_personal_id": person["personal_id"],
                                 "note": "CCCD checked at the desk"})
    assert approved.status_code == 200 and approved.json["status"] == "VERIFIED"
    assert client.post(f"{STAFF_RECOVERIES}/{case['id']}/approve", headers=officer, json={
        "card_personal_id": person["personal_id"], "note": "again"}).status_code == 409

    enrolled = client.post(f"{RECOVERY}/enrolment", json={"recovery_token": token})
    assert enrolled.status_code == 200, enrolled.json
    new_secret = enrolled.json["secret"]
    assert enrolled.json["otpauth_uri"].startswith("otpauth://totp/")
    bad = client.post(f"{RECOVERY}/confirmation",
                      json={"recovery_token": token, "code": totp_code(person)})
    assert bad.status_code == 401 and bad.json["code"] == "OTP_INVALID"
    assert client.get("/api/v1/me", headers=bearer(old["access_token"])).status_code == 200
    done = client.post(f"{RECOVERY}/confirmation", json={
        "recovery_token": token, "code": pyotp.TOTP(new_secret).now()})
    assert done.status_code == 200 and done.json["status"] == "COMPLETED"

    # Every old session is dead, access and refresh alike.
    assert client.get("/api/v1/me", headers=bearer(old["access_token"])).status_code == 401
    assert client.post("/api/v1/auth/refresh",
                       headers=bearer(old["refresh_token"])).status_code == 401
    # The old secret no longer signs in; the new one does.
    clock.shift(30)
    challenge = client.post("/api/v1/auth/login", json={
        "personal_id": person["personal_id"], "password": person["password"]}).json
    refused = client.post("/api/v1/auth/otp", json={"challenge_id": challenge["challenge_id"],
                                                    "code": totp_code(person)})
    assert refused.status_code == 401 and refused.json["code"] == "OTP_INVALID"
    signed_in = client.post("/api/v1/auth/otp", json={
        "challenge_id": challenge["challenge_id"], "code": pyotp.TOTP(new_secret).now()})
    assert signed_in.status_code == 200, signed_in.json
    # The registered phone was told when it was asked and when it was done.
    sms = outbox(app, person["phone"])
    assert any("xac thuc moi" in body for body in sms)
    assert any("khoi phuc dang nhap" in body for body in sms)
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.subject_personal_id == person["personal_id"])))
    assert {"recovery.requested", "recovery.approved", "recovery.secret_issued",
            "recovery.completed"} <= set(actions)
    assert "recovery.queue_viewed" in db_actions(app)

    # For the cooling-off period, even a first payout account waits and is announced.
    tokens = {"access_token": signed_in.json["access_token"]}
    clock.shift(30)
    # Signed in a minute ago, and a first link, but just after a recovery: whoever held
    # the old phone may be the one linking, so the sign-in does not stand for the step-up.
    bare = client.post(LINKS, json=link_body(person), headers=bearer(tokens["access_token"]))
    assert bare.status_code == 401 and bare.json["code"] == "STEP_UP_REQUIRED"
    linked = request_link(client, person, tokens, code=pyotp.TOTP(new_secret).now())
    assert linked.status_code == 202, linked.json
    link = settled(client, tokens, linked.json["id"])
    assert link["status"] == "ACTIVE"
    cooling_off = app.config["PAYOUT_COOLING_OFF"]
    assert link["payable_from"] is not None
    assert datetime.fromisoformat(link["payable_from"]) > \
        datetime.fromisoformat(link["history"][-1]["at"]) + cooling_off - timedelta(minutes=5)
    assert any("Khong phai ban? Bao ngay" in body for body in outbox(app, person["phone"]))


def db_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action)))


def test_an_officer_refuses_and_an_unfinished_recovery_expires(app, client, citizen,
                                                               staff_login, clock):
    person = citizen("clean_bank_link")
    officer = staff_login("officer1")
    refused = start(client, person)
    case = client.get(STAFF_RECOVERIES, headers=officer).json["items"][0]
    no_note = client.post(f"{STAFF_RECOVERIES}/{case['id']}/refuse", headers=officer,
                          json={"note": ""})
    assert no_note.status_code == 422
    answer = client.post(f"{STAFF_RECOVERIES}/{case['id']}/refuse", headers=officer,
                         json={"note": "the face is not the card's"})
    assert answer.status_code == 200 and answer.json["status"] == "REFUSED"
    enrol = client.post(f"{RECOVERY}/enrolment",
                        json={"recovery_token": refused["recovery_token"]})
    assert enrol.status_code == 409

    late = start(client, person)
    clock.shift(app.config["RECOVERY_TTL"].total_seconds() + 60)
    with app.app_context():
        assert recovery.expire_unfinished(db.utcnow()) == 1
        db.session.commit()
    officer = staff_login("officer1")
    assert client.get(STAFF_RECOVERIES, headers=officer).json["total"] == 0
    enrol = client.post(f"{RECOVERY}/enrolment", json={"recovery_token": late["recovery_token"]})
    assert enrol.status_code == 409 and "EXPIRED" in str(enrol.json["details"])
    assert "recovery.expired" in db_actions(app)
    unknown = client.post(f"{RECOVERY}/enrolment", json={"recovery_token": "x" * 43})
    assert unknown.status_code == 404


def test_in_demo_mode_the_id_card_chip_proves_who_the_citizen_is(app, client, citizen,
                                                                 database_url):
    person = citizen("clean_bank_link")
    token = start(client, person)["recovery_token"]
    chip = {"recovery_token": token, "chip_data": person["personal_id"]}
    assert client.post(f"{RECOVERY}/chip-read", json=chip).status_code == 404  # not demo
    demo = create_app(make_config(app.config["INSTANCE_PATH"], database_url,
                                  SSA_DEMO_MODE="true"))
    demo.extensions["integrations"] = app.extensions["integrations"]
    try:
        demo_client = demo.test_client()
        other = citizen("clean_bank_link", 1)
        mismatch = demo_client.post(f"{RECOVERY}/chip-read",
                                    json=chip | {"chip_data": other["personal_id"]})
        assert mismatch.status_code == 422 and "chip_data" in mismatch.json["details"]
        read = demo_client.post(f"{RECOVERY}/chip-read", json=chip)
        assert read.status_code == 200 and read.json["status"] == "VERIFIED"
        enrolled = demo_client.post(f"{RECOVERY}/enrolment", json={"recovery_token": token})
        assert enrolled.status_code == 200
    finally:
        demo.extensions["db_engine"].dispose()
