"""Confirming with a passcode, or with a sign-in minutes old, instead of a second
one-time code; and the banks the app offers first (issue 18)."""
from __future__ import annotations

import json

from sqlalchemy import select

from backend import db
from backend.models import AuditEntry
from tests.conftest import bearer, totp_code
from tests.linking_helpers import LINKS, SIGN_IN_WINDOW, link_body, settled

PASSCODE = "/api/v1/me/passcode"
DEMO_PASSCODE = "739264"  # README, demo accounts


def _link(client, person, tokens, **headers):
    return client.post(LINKS, json=link_body(person),
                       headers={**bearer(tokens["access_token"]), **headers})


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_first_link_within_minutes_of_signing_in_needs_nothing_more(client, citizen,
                                                                       login_as):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    sent = _link(client, person, tokens)
    assert sent.status_code == 202, sent.json
    assert settled(client, tokens, sent.json["id"])["status"] == "ACTIVE"
    assert client.get(LINKS, headers=bearer(tokens["access_token"])).json["total"] == 1


def test_after_the_window_a_first_link_takes_the_passcode(client, citizen, login_as, clock):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    clock.shift(SIGN_IN_WINDOW)
    refused = _link(client, person, tokens)
    assert refused.status_code == 401 and refused.json["code"] == "STEP_UP_REQUIRED"
    assert refused.json["details"] == {"accepts": ["passcode", "otp"], "passcode_set": True}
    wrong = _link(client, person, tokens, **{"X-Passcode": "000001"})
    assert wrong.status_code == 401 and wrong.json["code"] == "PASSCODE_INVALID"
    assert wrong.json["details"]["attempts_left"] == 4
    fullwidth = _link(client, person, tokens, **{"X-Passcode": "７３９２６４"})
    assert fullwidth.status_code == 422  # digits of another script are not digits here
    assert _link(client, person, tokens, **{"X-Passcode": DEMO_PASSCODE}).status_code == 202
    assert client.get(LINKS, headers=bearer(tokens["access_token"])).json["total"] == 1


def test_refreshing_the_token_is_no_sign_in(client, citizen, login_as, clock):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    clock.shift(SIGN_IN_WINDOW)
    assert _link(client, person, _refreshed(client, tokens)).json["code"] == "STEP_UP_REQUIRED"


def test_changing_an_existing_account_still_takes_a_factor(client, citizen, login_as):
    person = citizen("has_payment_history", 1)  # paid into his MB Bank account
    tokens = login_as(person)
    other = link_body(person, account_number="1234567890")
    headers = bearer(tokens["access_token"])
    refused = client.post(LINKS, json=other, headers=headers)
    assert refused.status_code == 401 and refused.json["code"] == "STEP_UP_REQUIRED"
    confirmed = client.post(LINKS, json=other, headers={**headers, "X-Passcode": DEMO_PASSCODE})
    assert confirmed.status_code == 202
    # Unlinking is as sensitive, signed in just now or not.
    active = client.get("/api/v1/me/social-security-account", headers=headers).json
    unlink = client.post(f"{LINKS}/{active['active_payout']['id']}/unlink", headers=headers)
    assert unlink.json["code"] == "STEP_UP_REQUIRED"


def test_naming_an_authorised_person_takes_a_factor_even_at_first(client, citizen, login_as):
    elderly, relative = citizen("authorised_person", 0), citizen("authorised_person", 1)
    tokens = login_as(elderly)
    named = client.post(LINKS, headers=bearer(tokens["access_token"]), json={
        "kind": "authorised_person", "authorised_personal_id": relative["personal_id"],
        "consent": True})
    assert named.status_code == 401 and named.json["code"] == "STEP_UP_REQUIRED"


def test_passcode_failures_are_counted_apart_and_lock_only_the_passcode(app, client, citizen,
                                                                         login_as, clock):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    clock.shift(SIGN_IN_WINDOW)
    for _attempt in range(4):
        assert _link(client, person, tokens, **{"X-Passcode": "000001"}).json["code"] == \
            "PASSCODE_INVALID"
    paused = _link(client, person, tokens, **{"X-Passcode": "000001"})
    assert paused.status_code == 423 and paused.json["details"]["factor"] == "passcode"
    assert _link(client, person, tokens, **{"X-Passcode": DEMO_PASSCODE}).status_code == 423
    # The code and the password keep their own counts: both still work at once.
    by_code = _link(client, person, tokens, **{"X-OTP": totp_code(person)})
    assert by_code.status_code == 202
    # Settled first: the last link below must not meet this one still pending.
    assert settled(client, tokens, by_code.json["id"])["status"] == "ACTIVE"
    clock.shift(30)
    assert client.post("/api/v1/auth/login", json={
        "personal_id": person["personal_id"], "password": person["password"]}).status_code == 200
    # Ten in a row lock the passcode until a new one is set with a one-time code.
    for _attempt in range(5):
        clock.shift(16 * 60)  # past each back-off
        tokens = _refreshed(client, tokens)
        answer = _link(client, person, tokens, **{"X-Passcode": "000001"})
    assert answer.status_code == 423 and "mã một lần" in answer.json["message"]
    assert answer.json["details"]["retry_after_seconds"] is None
    assert "passcode.locked" in _actions(app)
    clock.shift(60 * 60)  # longer than any back-off: this one stays
    tokens = _refreshed(client, tokens)
    assert _link(client, person, tokens, **{"X-Passcode": DEMO_PASSCODE}).status_code == 423
    assert client.put(PASSCODE, json={"passcode": "582014"}, headers={
        **bearer(tokens["access_token"]), "X-OTP": totp_code(person)}).status_code == 204
    assert _link(client, person, tokens, **{"X-Passcode": "582014"}).status_code == 202


def _refreshed(client, tokens: dict) -> dict:
    """A new token pair for the same session, as the app gets every 15 minutes."""
    renewed = client.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert renewed.status_code == 200, renewed.json
    return renewed.json


def test_the_passcode_is_set_with_a_fresh_code_and_never_a_simple_one(app, client, citizen,
                                                                       login_as, clock):
    person = citizen("plain", 0)
    tokens = login_as(person)
    headers = bearer(tokens["access_token"])
    no_code = client.put(PASSCODE, json={"passcode": "582014"}, headers=headers)
    assert no_code.status_code == 401 and no_code.json["code"] == "STEP_UP_REQUIRED"
    with_passcode = client.put(PASSCODE, json={"passcode": "582014"},
                               headers={**headers, "X-Passcode": DEMO_PASSCODE})
    assert with_passcode.json["code"] == "STEP_UP_REQUIRED"  # a passcode cannot set one
    code = totp_code(person)
    for simple in ("000000", "123456", "654321", "890123", "121212", "123123",
                   person["personal_id"][-6:], person["phone"][-6:]):
        refused = client.put(PASSCODE, json={"passcode": simple},
                             headers={**headers, "X-OTP": code})
        assert refused.status_code == 422, simple
        assert refused.json["details"]["reason"] == ["PASSCODE_TOO_SIMPLE"], simple
    assert client.put(PASSCODE, json={"passcode": "58201"},
                      headers={**headers, "X-OTP": code}).status_code == 422
    # None of those used the code.
    assert client.put(PASSCODE, json={"passcode": "582014"},
                      headers={**headers, "X-OTP": code}).status_code == 204
    assert client.get("/api/v1/me", headers=headers).json["passcode_set"] is True
    clock.shift(SIGN_IN_WINDOW)
    body = link_body({"payout_account": _own_account(person)})
    old = client.post(LINKS, json=body, headers={**headers, "X-Passcode": DEMO_PASSCODE})
    assert old.json["code"] == "PASSCODE_INVALID"
    new = client.post(LINKS, json=body, headers={**headers, "X-Passcode": "582014"})
    assert new.status_code == 202
    assert "passcode.changed" in _actions(app)


def _own_account(person: dict) -> dict:
    from mobile_app.flows.scripts.steps import own_account
    return own_account(person)


def test_likely_institutions_name_the_banks_never_the_numbers(client, citizen, login_as):
    person = citizen("clean_bank_link")  # an open Vietcombank account in his name
    tokens = login_as(person)
    answer = client.get("/api/v1/me/likely-institutions", headers=bearer(tokens["access_token"]))
    assert answer.status_code == 200
    assert [each["code"] for each in answer.json] == ["VCB"]
    assert set(answer.json[0]) == {"code", "bin", "name", "short_name", "kind"}
    assert person["payout_account"]["account_number"] not in json.dumps(answer.json)
    closed = citizen("closed_account")  # his only account is closed: nothing to offer
    assert client.get("/api/v1/me/likely-institutions", headers=bearer(
        login_as(closed)["access_token"])).json == []
    assert client.get("/api/v1/me/likely-institutions").status_code == 401
