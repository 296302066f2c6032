"""Citizen sign-in through HTTP: password, one-time code, tokens, lockout."""
from __future__ import annotations

import jwt as pyjwt

from tests.conftest import bearer, totp_code

LOGIN, OTP, REFRESH, LOGOUT, ME = ("/api/v1/auth/login", "/api/v1/auth/otp",
                                   "/api/v1/auth/refresh", "/api/v1/auth/logout", "/api/v1/me")


def start_login(client, person, password=None):
    return client.post(LOGIN, json={"personal_id": person["personal_id"],
                                    "password": password or person["password"]})


def test_level2_citizen_signs_in_end_to_end(client, citizen):
    person = citizen("clean_bank_link")
    started = start_login(client, person)
    assert started.status_code == 200
    assert started.json["methods"] == ["totp"]
    assert started.json["expires_in"] == 300

    finished = client.post(OTP, json={"challenge_id": started.json["challenge_id"],
                                      "code": totp_code(person)})
    assert finished.status_code == 200
    tokens = finished.json
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 15 * 60
    assert tokens["ial"] == 2
    claims = pyjwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert claims["ial"] == 2 and claims["amr"] == ["pwd", "otp"]
    assert claims["exp"] - claims["iat"] == 15 * 60
    # The personal ID is not written into tokens, which get logged and copied.
    assert person["personal_id"] not in str(claims)

    me = client.get(ME, headers=bearer(tokens["access_token"]))
    assert me.status_code == 200
    assert me.json["personal_id"] == person["personal_id"]
    assert me.json["full_name"] == person["full_name"]
    assert me.json["ial"] == 2


def test_wrong_password_and_unknown_id_answer_the_same(client, citizen):
    person = citizen("plain")
    wrong_password = start_login(client, person, password="not-the-password")
    unknown_id = client.post(LOGIN, json={"personal_id": "079190000001", "password": "x"})
    assert wrong_password.status_code == unknown_id.status_code == 401
    assert wrong_password.json == unknown_id.json
    assert wrong_password.json["code"] == "INVALID_CREDENTIALS"


def test_a_code_is_accepted_once(client, citizen):
    person = citizen("plain")
    code = totp_code(person)
    first = start_login(client, person).json["challenge_id"]
    assert client.post(OTP, json={"challenge_id": first, "code": code}).status_code == 200

    second = start_login(client, person).json["challenge_id"]
    replay = client.post(OTP, json={"challenge_id": second, "code": code})
    assert replay.status_code == 401
    assert replay.json["code"] == "OTP_REPLAYED"


def test_previous_step_code_accepted_older_refused(client, citizen, clock):
    person = citizen("plain", 1)
    code_now = totp_code(person)
    clock.shift(30)
    challenge = start_login(client, person).json["challenge_id"]
    assert client.post(OTP, json={"challenge_id": challenge,
                                  "code": code_now}).status_code == 200

    person = citizen("plain", 2)
    old_code = totp_code(person)
    clock.shift(60)
    challenge = start_login(client, person).json["challenge_id"]
    too_old = client.post(OTP, json={"challenge_id": challenge, "code": old_code})
    assert too_old.json["code"] == "OTP_INVALID"


def test_challenge_expires_after_five_minutes(client, citizen, clock):
    person = citizen("plain")
    challenge = start_login(client, person).json["challenge_id"]
    clock.shift(5 * 60 + 1)
    late = client.post(OTP, json={"challenge_id": challenge, "code": totp_code(person)})
    assert late.status_code == 401
    assert late.json["code"] == "CHALLENGE_EXPIRED"


def test_a_challenge_completes_once(client, citizen, clock):
    person = citizen("plain")
    challenge = start_login(client, person).json["challenge_id"]
    assert client.post(OTP, json={"challenge_id": challenge,
                                  "code": totp_code(person)}).status_code == 200
    clock.shift(30)
    again = client.post(OTP, json={"challenge_id": challenge, "code": totp_code(person)})
    assert again.json["code"] == "CHALLENGE_INVALID"


def test_lockout_after_five_failures_with_growing_backoff(client, citizen, clock):
    person = citizen("plain")
    for _ in range(4):
        assert start_login(client, person, "wrong").json["code"] == "INVALID_CREDENTIALS"
    locked = start_login(client, person, "wrong")
    assert locked.status_code == 423
    assert locked.json["code"] == "ACCOUNT_LOCKED"
    assert locked.json["details"]["retry_after_seconds"] == 60
    assert locked.headers["Retry-After"] == "60"

    # While locked even the right password is refused, and does not count.
    assert start_login(client, person).json["code"] == "ACCOUNT_LOCKED"
    clock.shift(61)
    relocked = start_login(client, person, "wrong")
    assert relocked.json["details"]["retry_after_seconds"] == 120
    clock.shift(121)
    relocked = start_login(client, person, "wrong")
    assert relocked.json["details"]["retry_after_seconds"] == 240

    # A complete sign-in resets the count.
    clock.shift(241)
    challenge = start_login(client, person).json["challenge_id"]
    assert client.post(OTP, json={"challenge_id": challenge,
                                  "code": totp_code(person)}).status_code == 200
    assert start_login(client, person, "wrong").json["code"] == "INVALID_CREDENTIALS"


def test_wrong_codes_count_towards_lockout(client, citizen):
    person = citizen("plain")
    challenge = start_login(client, person).json["challenge_id"]
    for _ in range(4):
        assert client.post(OTP, json={"challenge_id": challenge,
                                      "code": "000000"}).json["code"] == "OTP_INVALID"
    locked = client.post(OTP, json={"challenge_id": challenge, "code": "000000"})
    assert locked.json["code"] == "ACCOUNT_LOCKED"
    # The right code is refused while locked.
    refused = client.post(OTP, json={"challenge_id": challenge, "code": totp_code(person)})
    assert refused.json["code"] == "ACCOUNT_LOCKED"


def test_never_more_than_100_consecutive_failures(client, citizen, clock):
    person = citizen("plain")
    for _attempt in range(100):
        answer = start_login(client, person, "wrong")
        assert answer.json["code"] in ("INVALID_CREDENTIALS", "ACCOUNT_LOCKED")
        clock.shift(25 * 3600)  # past the longest back-off
    assert answer.json["details"] == {"locked_until": None, "retry_after_seconds": None,
                                      "factor": "password"}
    clock.shift(30 * 24 * 3600)
    still = start_login(client, person)
    assert still.status_code == 423
    assert "liên hệ" in still.json["message"]  # tells them to contact support


def test_refresh_rotates_and_reuse_kills_the_session(client, citizen, login_as):
    tokens = login_as(citizen("plain"))
    rotated = client.post(REFRESH, headers=bearer(tokens["refresh_token"]))
    assert rotated.status_code == 200
    assert rotated.json["refresh_token"] != tokens["refresh_token"]
    assert client.get(ME, headers=bearer(rotated.json["access_token"])).status_code == 200

    # The old refresh token again: someone else has it. The whole session dies.
    reused = client.post(REFRESH, headers=bearer(tokens["refresh_token"]))
    assert reused.status_code == 401
    assert reused.json["code"] == "UNAUTHENTICATED"
    assert client.post(REFRESH, headers=bearer(rotated.json["refresh_token"])).status_code == 401
    assert client.get(ME, headers=bearer(rotated.json["access_token"])).status_code == 401


def test_access_token_is_not_a_refresh_token(client, citizen, login_as):
    tokens = login_as(citizen("plain"))
    assert client.post(REFRESH, headers=bearer(tokens["access_token"])).status_code == 401
    assert client.get(ME, headers=bearer(tokens["refresh_token"])).status_code == 401


def test_logout_kills_both_tokens(client, citizen, login_as):
    tokens = login_as(citizen("plain"))
    assert client.post(LOGOUT, headers=bearer(tokens["access_token"])).status_code == 204
    after = client.get(ME, headers=bearer(tokens["access_token"]))
    assert after.status_code == 401 and after.json["code"] == "UNAUTHENTICATED"
    assert client.post(REFRESH, headers=bearer(tokens["refresh_token"])).status_code == 401


def test_access_token_lives_fifteen_minutes(client, citizen, login_as, clock):
    tokens = login_as(citizen("plain"))
    clock.shift(14 * 60)
    assert client.get(ME, headers=bearer(tokens["access_token"])).status_code == 200
    clock.shift(2 * 60)
    assert client.get(ME, headers=bearer(tokens["access_token"])).status_code == 401


def test_session_ends_after_twelve_hours_whatever_is_refreshed(client, citizen, login_as,
                                                               clock):
    tokens = login_as(citizen("plain"))
    for _ in range(47):  # every 15 minutes, for 11h45 in all (plus the login's 30 s)
        clock.shift(15 * 60)
        tokens = client.post(REFRESH, headers=bearer(tokens["refresh_token"])).json
    assert tokens["expires_in"] <= 15 * 60
    clock.shift(15 * 60)
    ended = client.post(REFRESH, headers=bearer(tokens["refresh_token"]))
    assert ended.status_code == 401


def test_missing_or_forged_token_is_unauthenticated(client, citizen, login_as):
    assert client.get(ME).json["code"] == "UNAUTHENTICATED"
    tokens = login_as(citizen("plain"))
    claims = pyjwt.decode(tokens["access_token"], options={"verify_signature": False})
    claims["ial"] = 2
    claims["sub"] = "1"
    forged = pyjwt.encode(claims, "guessed-secret-guessed-secret-guessed-secret", "HS256")
    answer = client.get(ME, headers=bearer(forged))
    assert answer.status_code == 401 and answer.json["code"] == "UNAUTHENTICATED"


def test_malformed_personal_id_is_a_validation_error(client):
    answer = client.post(LOGIN, json={"personal_id": "003152123456", "password": "x"})
    assert answer.status_code == 422
    assert answer.json["code"] == "VALIDATION_ERROR"
    assert "003" in answer.json["details"]["personal_id"][0]
