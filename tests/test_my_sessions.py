"""The citizen's sessions and devices: listed, ended one by one or all but this one."""
from __future__ import annotations

from pathlib import Path

import pytest

from backend.app import create_app
from tests.conftest import bearer, make_config, totp_code

SESSIONS = "/api/v1/me/sessions"
PHONE_APP = "ssa-phone/1.0 (Android 14)"


@pytest.fixture
def other_worker(app, database_url):
    """Another instance of the service on the same database (another worker or host)."""
    # Configured as every worker of one deployment is: the same session store keys.
    other = create_app(make_config(Path(app.instance_path), database_url,
                                   SSA_SESSION_STORE_PREFIX=app.config["SESSION_STORE_PREFIX"],
                                   SSA_TASK_QUEUE_NAME=app.config["TASK_QUEUE_NAME"]))
    yield other.test_client()
    other.extensions["db_engine"].dispose()


def sign_in(client, clock, person: dict, address: str = "127.0.0.1",
            device_id: str | None = None, tokens: dict | None = None) -> dict:
    """A sign-in from a client at `address` with the phone app's user agent."""
    environ = {"REMOTE_ADDR": address}
    headers = {"User-Agent": PHONE_APP}
    started = client.post("/api/v1/auth/login", environ_base=environ, headers=headers, json={
        "personal_id": person["personal_id"], "password": person["password"],
        "device_id": device_id})
    finished = client.post("/api/v1/auth/otp", environ_base=environ, headers=headers, json={
        "challenge_id": started.json["challenge_id"], "code": totp_code(person)})
    assert finished.status_code == 200, finished.json
    clock.shift(30)
    if tokens is not None:
        tokens.update(finished.json)
    return bearer(finished.json["access_token"])


def test_sessions_list_device_times_and_approximate_place(client, citizen, clock):
    person = citizen("plain")
    sign_in(client, clock, person, "203.113.45.6", device_id="phone-old")
    headers = sign_in(client, clock, person, "192.168.1.20", device_id="phone-new")
    listed = client.get(SESSIONS, headers=headers)
    assert listed.status_code == 200, listed.json
    assert [each["device_id"] for each in listed.json] == ["phone-new", "phone-old"]
    newest, oldest = listed.json
    assert newest["current"] is True and oldest["current"] is False
    assert newest["place"] == "local network"
    assert oldest["place"] == "203.113.0.0/16"  # the network, never the address
    assert "203.113.45.6" not in str(listed.json)
    assert newest["device"] == PHONE_APP
    assert oldest["first_seen"] < newest["first_seen"] and newest["last_seen"]


def test_ending_a_session_makes_its_token_fail_on_every_worker(
        client, citizen, clock, other_worker):
    person, stranger = citizen("plain", 0), citizen("plain", 1)
    here = sign_in(client, clock, person)
    elsewhere = sign_in(client, clock, person, "203.113.45.6")
    strangers = sign_in(client, clock, stranger)
    for worker in (client, other_worker):
        assert worker.get("/api/v1/me/consents", headers=elsewhere).status_code == 200
        assert worker.get("/api/v1/me/payments", headers=elsewhere).status_code == 200

    [elsewhere_id] = [each["id"] for each in client.get(SESSIONS, headers=here).json
                      if not each["current"]]
    # Another citizen cannot end it, nor tell it exists.
    refused = client.delete(f"{SESSIONS}/{elsewhere_id}", headers=strangers)
    assert refused.status_code == 404 and refused.json["code"] == "NOT_FOUND"
    assert client.get("/api/v1/me", headers=elsewhere).status_code == 200

    assert client.delete(f"{SESSIONS}/{elsewhere_id}", headers=here).status_code == 204
    for worker in (client, other_worker):
        for path in ("/api/v1/me/consents", "/api/v1/me/payments", "/api/v1/me"):
            answer = worker.get(path, headers=elsewhere)
            assert answer.status_code == 401, (path, answer.json)
            assert answer.json["code"] == "UNAUTHENTICATED"
    assert client.get("/api/v1/me", headers=here).status_code == 200
    assert [each["current"] for each in client.get(SESSIONS, headers=here).json] == [True]
    assert client.delete(f"{SESSIONS}/{elsewhere_id}", headers=here).status_code == 404


def test_sign_out_everywhere_else(client, citizen, clock, other_worker):
    person = citizen("plain", 2)
    here = sign_in(client, clock, person)
    others = [sign_in(client, clock, person) for _ in range(2)]
    ended = client.post(f"{SESSIONS}/end-others", headers=here)
    assert ended.status_code == 200 and ended.json == {"ended": 2}
    for worker in (client, other_worker):
        for headers in others:
            assert worker.get("/api/v1/me/notifications", headers=headers).status_code == 401
        assert worker.get("/api/v1/me/notifications", headers=here).status_code == 200


def test_a_token_renewal_is_when_and_where_the_session_was_last_seen(client, citizen, clock):
    person, tokens = citizen("plain"), {}
    sign_in(client, clock, person, "192.168.1.20", tokens=tokens)
    clock.shift(600)
    renewed = client.post("/api/v1/auth/refresh", environ_base={"REMOTE_ADDR": "14.160.3.9"},
                          headers=bearer(tokens["refresh_token"]))
    assert renewed.status_code == 200
    [session] = client.get(SESSIONS, headers=bearer(renewed.json["access_token"])).json
    assert session["place"] == "14.160.0.0/16"
    assert session["last_seen"] > session["first_seen"]
