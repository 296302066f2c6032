"""The lockout protects the owner: parallel guesses count exactly, the back-off is
minutes, unknown IDs answer like known ones, and the owner hears of the attack."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import time_machine

from backend.services.identity import passwords
from tests.conftest import bearer, totp_code

LOGIN, OTP = "/api/v1/auth/login", "/api/v1/auth/otp"
UNKNOWN_ID = "079190000001"  # valid, but nobody's account
THRESHOLD = 5


@pytest.fixture
def checked_passwords(monkeypatch):
    """How many times a password was actually checked against a hash."""
    checks: list[str | None] = []
    verify = passwords.verify_password

    def counting(password_hash, password):
        checks.append(password_hash)
        return verify(password_hash, password)
    monkeypatch.setattr(passwords, "verify_password", counting)
    return checks


def guess_in_parallel(app, personal_id: str, guesses: int = 50) -> list:
    def guess(number: int):
        answer = app.test_client().post(LOGIN, json={"personal_id": personal_id,
                                                     "password": f"guess-{number}"})
        return answer.status_code, answer.json["code"]
    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(guess, range(guesses)))


def sign_in(client, person) -> dict:
    started = client.post(LOGIN, json={"personal_id": person["personal_id"],
                                       "password": person["password"]})
    assert started.status_code == 200, started.json
    finished = client.post(OTP, json={"challenge_id": started.json["challenge_id"],
                                      "code": totp_code(person)})
    assert finished.status_code == 200, finished.json
    return finished.json


def test_fifty_parallel_guesses_check_at_most_the_threshold(app, client, citizen, clock,
                                                            checked_passwords):
    person = citizen("plain")
    answers = guess_in_parallel(app, person["personal_id"])
    assert len(checked_passwords) <= THRESHOLD
    assert sorted(set(answers)) == [(401, "INVALID_CREDENTIALS"), (423, "ACCOUNT_LOCKED")]
    refused = [answer for answer in answers if answer[0] == 423]
    assert len(refused) >= 50 - THRESHOLD

    # Still paused a moment later, even for the right password...
    clock.shift(30)
    assert client.post(LOGIN, json={"personal_id": person["personal_id"],
                                    "password": person["password"]}).status_code == 423
    # ...and open to the owner after the back-off: a minute, not a day.
    clock.shift(31)
    tokens = sign_in(client, person)
    # Told of every attempt that did not sign in: the 50 guesses, checked or
    # refused, and their own refused try.
    assert tokens["failed_sign_in_attempts"] == 51
    notes = client.get("/api/v1/me/notifications", headers=bearer(tokens["access_token"])).json
    assert notes["items"][0]["kind"] == "SIGN_IN_FAILURES"
    assert "51" in notes["items"][0]["title"]

    # Told once: the next sign-in has nothing to report.
    clock.shift(30)
    assert sign_in(client, person)["failed_sign_in_attempts"] == 0


def test_the_back_off_grows_in_minutes_and_never_reaches_a_day(client, citizen, clock):
    person = citizen("plain")
    waits = []
    for _ in range(12):
        answer = client.post(LOGIN, json={"personal_id": person["personal_id"],
                                          "password": "wrong"})
        if answer.status_code == 423:
            waits.append(answer.json["details"]["retry_after_seconds"])
            clock.shift(answer.json["details"]["retry_after_seconds"] + 1)
    assert waits == [60, 120, 240, 480, 900, 900, 900, 900]
    assert sign_in(client, person)["failed_sign_in_attempts"] == 12


def test_an_unknown_id_answers_exactly_like_a_known_one(app, client, citizen, clock,
                                                        checked_passwords):
    person = citizen("plain")

    def answers_for(personal_id: str) -> list[tuple[int, dict, str | None]]:
        seen = []
        # Time stands still, so that the back-off's deadlines can be compared too.
        with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), tick=False):
            for _ in range(THRESHOLD + 2):
                answer = client.post(LOGIN, json={"personal_id": personal_id,
                                                  "password": "wrong"})
                seen.append((answer.status_code, answer.json,
                             answer.headers.get("Retry-After")))
        return seen

    known, unknown = answers_for(person["personal_id"]), answers_for(UNKNOWN_ID)
    assert known == unknown
    assert [status for status, _body, _retry in known] == [401] * 4 + [423] * 3
    # The unknown ID costs a password check too (against a decoy hash), as often.
    assert len(checked_passwords) == 2 * THRESHOLD

    in_parallel = guess_in_parallel(app, "079190000028")
    assert sorted(set(in_parallel)) == [(401, "INVALID_CREDENTIALS"), (423, "ACCOUNT_LOCKED")]
    assert len(checked_passwords) <= 2 * THRESHOLD + THRESHOLD


def test_codes_and_passwords_are_counted_apart(client, citizen, clock):
    person = citizen("plain")
    challenge = client.post(LOGIN, json={"personal_id": person["personal_id"],
                                         "password": person["password"]}).json["challenge_id"]
    for _ in range(THRESHOLD):
        wrong = client.post(OTP, json={"challenge_id": challenge, "code": "000000"})
    assert wrong.status_code == 423
    # The password still opens a challenge; the code stays paused.
    again = client.post(LOGIN, json={"personal_id": person["personal_id"],
                                     "password": person["password"]})
    assert again.status_code == 200
    paused = client.post(OTP, json={"challenge_id": again.json["challenge_id"],
                                    "code": totp_code(person)})
    assert paused.status_code == 423

    # Wrong passwords do not pause the code: after the code's back-off, four
    # wrong passwords later, the owner signs in.
    clock.shift(61)
    for _ in range(THRESHOLD - 1):
        client.post(LOGIN, json={"personal_id": person["personal_id"], "password": "wrong"})
    assert sign_in(client, person)["failed_sign_in_attempts"] == THRESHOLD + 1 + THRESHOLD - 1


def test_staff_see_the_throttle_in_the_case(client, citizen, staff_login, clock):
    person = citizen("plain")
    reviewer = staff_login("reviewer1")
    fresh = client.get(f"/api/v1/staff/cases/{person['personal_id']}", headers=reviewer).json
    assert fresh["sign_in_throttle"] == []
    for _ in range(THRESHOLD):
        client.post(LOGIN, json={"personal_id": person["personal_id"], "password": "wrong"})
    case = client.get(f"/api/v1/staff/cases/{person['personal_id']}", headers=reviewer).json
    [throttle] = case["sign_in_throttle"]
    assert throttle["factor"] == "password" and throttle["attempts"] == THRESHOLD
    assert throttle["retry_at"] is not None and throttle["locked_for_good"] is False


def test_each_refusal_says_how_many_tries_are_left_for_that_factor(client, citizen, clock):
    person = citizen("plain")
    left = [client.post(LOGIN, json={"personal_id": person["personal_id"], "password": "wrong"})
            .json["details"]["attempts_left"] for _ in range(THRESHOLD - 1)]
    assert left == [4, 3, 2, 1]
    unknown = [client.post(LOGIN, json={"personal_id": UNKNOWN_ID, "password": "wrong"})
               .json["details"]["attempts_left"] for _ in range(2)]
    assert unknown == [4, 3]  # no hint that one ID has an account and the other not
    # Codes have their own count: wrong passwords before them take none of it.
    challenge = client.post(LOGIN, json={"personal_id": person["personal_id"],
                                         "password": person["password"]}).json["challenge_id"]
    wrong_code = client.post(OTP, json={"challenge_id": challenge, "code": "000000"})
    assert wrong_code.json["code"] == "OTP_INVALID"
    assert wrong_code.json["details"]["attempts_left"] == THRESHOLD - 1
