"""Linking a bank or mobile-money account, as a citizen sees it through HTTP."""
from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import event

from backend import db
from tests.conftest import FIXTURES, bearer, totp_code
from tests.linking_helpers import LINKS, SIGN_IN_WINDOW, link_body, request_link, settled

# What each demo citizen's note promises.
PROMISED = {
    "clean_bank_link": ("ACTIVE", None),
    "clean_wallet_link": ("ACTIVE", None),
    "holder_name_mismatch": ("NEEDS_REVIEW", "HOLDER_NAME_MISMATCH"),
    "closed_account": ("FAILED", "ACCOUNT_CLOSED"),
    "invalid_account": ("FAILED", "ACCOUNT_UNKNOWN"),
    "wallet_other_person": ("FAILED", "WALLET_OTHER_PERSON"),
    "account_linked_elsewhere": ("NEEDS_REVIEW", "ACCOUNT_LINKED_ELSEWHERE"),
    "registers_disagree": ("NEEDS_REVIEW", "REGISTERS_DISAGREE"),
    "deceased": ("FAILED", "DECEASED"),
}


@pytest.mark.parametrize("case", sorted(PROMISED))
def test_each_demo_case_ends_where_its_note_says(client, citizen, login_as, case):
    person = citizen(case)
    tokens = login_as(person)
    submitted = request_link(client, person, tokens)
    assert submitted.status_code == 202, submitted.json
    assert submitted.json["status"] in ("SUBMITTED", "VERIFYING")
    assert submitted.json["account_masked"] == \
        "•••• " + person["payout_account"]["account_number"][-4:]

    outcome = settled(client, tokens, submitted.json["id"])
    assert (outcome["status"], outcome["reason"]) == PROMISED[case]
    assert [step["status"] for step in outcome["history"]][:2] == ["SUBMITTED", "VERIFYING"]
    assert outcome["history"][-1]["actor"] == "system"
    if outcome["reason"]:
        assert outcome["reason_text"]  # something the citizen can act on

    notices = client.get("/api/v1/me/notifications",
                         headers=bearer(tokens["access_token"])).json["items"]
    expected_notice = {"ACTIVE": "LINK_ACTIVE", "FAILED": "LINK_FAILED",
                       "NEEDS_REVIEW": "LINK_NEEDS_REVIEW"}[outcome["status"]]
    assert notices[0]["kind"] == expected_notice


def test_active_link_shows_on_the_account_and_supersedes_the_previous(client, citizen,
                                                                       login_as, clock):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    first = settled(client, tokens, request_link(client, person, tokens).json["id"])
    assert first["status"] == "ACTIVE"
    account = client.get("/api/v1/me/social-security-account",
                         headers=bearer(tokens["access_token"])).json
    assert account["active_payout"]["id"] == first["id"]
    assert account["active_payout"]["holder_name"] == "LE VAN PHUC"

    clock.shift(30)
    second = settled(client, tokens, request_link(client, person, tokens).json["id"])
    assert second["status"] == "ACTIVE"
    before = client.get(f"{LINKS}/{first['id']}", headers=bearer(tokens["access_token"])).json
    assert before["status"] == "SUPERSEDED"
    assert before["history"][-1]["reason"] == "SUPERSEDED_BY_NEWER"


def test_linking_needs_a_fresh_one_time_code(client, citizen, login_as, clock):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    headers = bearer(tokens["access_token"])
    clock.shift(SIGN_IN_WINDOW)  # past the minutes in which the sign-in is enough
    missing = client.post(LINKS, json=link_body(person), headers=headers)
    assert missing.status_code == 401 and missing.json["code"] == "STEP_UP_REQUIRED"
    wrong = client.post(LINKS, json=link_body(person), headers={**headers, "X-OTP": "000000"})
    assert wrong.json["code"] == "OTP_INVALID"
    code = totp_code(person)
    assert request_link(client, person, tokens, code=code).status_code == 202
    settled(client, tokens, client.get(LINKS, headers=headers).json["items"][0]["id"])
    clock.shift(1)
    replay = request_link(client, person, tokens, code=code)
    assert replay.json["code"] == "OTP_REPLAYED"
    assert client.get(LINKS, headers=headers).json["total"] == 1  # nothing else created


def test_a_retried_request_gets_the_first_answer(client, citizen, login_as):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    first = request_link(client, person, tokens, key="link-1")
    # The retry carries the same (now used) code: it must not be needed again.
    again = request_link(client, person, tokens, key="link-1", code="000000")
    assert again.status_code == 202
    assert again.json == first.json
    headers = bearer(tokens["access_token"])
    assert client.get(LINKS, headers=headers).json["total"] == 1

    other_body = link_body(person, account_number="1234567890")
    reused = request_link(client, person, tokens, body=other_body, key="link-1")
    assert reused.status_code == 422
    assert reused.json["code"] == "IDEMPOTENCY_KEY_REUSED"


def test_a_failed_attempt_releases_its_idempotency_key(client, citizen, login_as, clock):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    clock.shift(SIGN_IN_WINDOW)
    headers = {**bearer(tokens["access_token"]), "Idempotency-Key": "k"}
    assert client.post(LINKS, json=link_body(person), headers=headers).json["code"] == \
        "STEP_UP_REQUIRED"
    retried = request_link(client, person, tokens, key="k")
    assert retried.status_code == 202


def test_one_pending_request_at_a_time(client, citizen, login_as, clock):
    person = citizen("holder_name_mismatch")
    tokens = login_as(person)
    pending = settled(client, tokens, request_link(client, person, tokens).json["id"])
    assert pending["status"] == "NEEDS_REVIEW"
    clock.shift(30)
    second = request_link(client, person, tokens)
    assert second.status_code == 409 and second.json["code"] == "CONFLICT"
    assert second.json["details"]["pending_link_id"] == [str(pending["id"])]


def test_cancel_a_pending_request(client, citizen, login_as, clock):
    person = citizen("holder_name_mismatch")
    tokens = login_as(person)
    headers = bearer(tokens["access_token"])
    link_id = settled(client, tokens, request_link(client, person, tokens).json["id"])["id"]
    cancelled = client.post(f"{LINKS}/{link_id}/cancel", headers=headers)
    assert cancelled.status_code == 200
    assert cancelled.json["status"] == "CANCELLED"
    assert cancelled.json["history"][-1] == {**cancelled.json["history"][-1],
                                             "status": "CANCELLED", "actor": "citizen"}
    again = client.post(f"{LINKS}/{link_id}/cancel", headers=headers)
    assert again.status_code == 409
    clock.shift(30)
    assert request_link(client, person, tokens).status_code == 202  # free to ask again


def test_unlink_the_active_account_falls_back_to_cash(client, citizen, login_as, clock):
    person = citizen("has_payment_history", 1)
    tokens = login_as(person)
    headers = bearer(tokens["access_token"])
    active = client.get("/api/v1/me/social-security-account", headers=headers).json
    link_id = active["active_payout"]["id"]
    assert client.post(f"{LINKS}/{link_id}/unlink", headers=headers).json["code"] == \
        "STEP_UP_REQUIRED"
    unlinked = client.post(f"{LINKS}/{link_id}/unlink",
                           headers={**headers, "X-OTP": totp_code(person)})
    assert unlinked.status_code == 200 and unlinked.json["status"] == "UNLINKED"
    account = client.get("/api/v1/me/social-security-account", headers=headers).json
    assert account["active_payout"] is None
    notice = client.get("/api/v1/me/notifications", headers=headers).json["items"][0]
    assert notice["kind"] == "LINK_ENDED" and "tiền mặt" in notice["body"]


def test_bad_input_changes_nothing(client, citizen, login_as, clock):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    headers = bearer(tokens["access_token"])
    cases = [
        (link_body(person, consent=False), "consent"),
        (link_body(person, institution="NOPE"), "institution"),
        (link_body(person, institution="VIETTELMONEY"), "institution"),  # a wallet, not a bank
        (link_body(person, account_number="12ab"), "account_number"),
        (link_body(person, kind="cash"), "kind"),
    ]
    for body, field in cases:
        clock.shift(30)
        answer = request_link(client, person, tokens, body=body)
        assert answer.status_code == 422, (field, answer.json)
        assert field in answer.json["details"], (field, answer.json)
    assert client.get(LINKS, headers=headers).json["total"] == 0


def test_institution_by_napas_bin_and_wallet_in_international_form(client, citizen, login_as):
    person = citizen("clean_wallet_link")
    tokens = login_as(person)
    body = link_body(person, institution="971005",
                     account_number="+84 " + person["payout_account"]["account_number"][1:])
    outcome = settled(client, tokens, request_link(client, person, tokens, body=body).json["id"])
    assert outcome["status"] == "ACTIVE"
    assert outcome["institution"] == "VIETTELMONEY"


def test_one_citizen_never_sees_anothers_link(client, citizen, login_as):
    owner, other = citizen("clean_bank_link", 0), citizen("clean_bank_link", 1)
    owner_tokens = login_as(owner)
    link_id = request_link(client, owner, owner_tokens).json["id"]
    other_headers = bearer(login_as(other)["access_token"])
    for answer in (client.get(f"{LINKS}/{link_id}", headers=other_headers),
                   client.post(f"{LINKS}/{link_id}/cancel", headers=other_headers)):
        assert answer.status_code == 404 and answer.json["code"] == "NOT_FOUND"
    assert client.get(LINKS, headers=other_headers).json["total"] == 0
    settled(client, owner_tokens, link_id)


def test_level1_cannot_link(client, citizen, login_as):
    person = citizen("level1")
    tokens = login_as(person)
    answer = client.post(LINKS, json={"kind": "bank", "institution": "VCB",
                                      "account_number": "0011004123456", "consent": True},
                         headers={**bearer(tokens["access_token"]), "X-OTP": totp_code(person)})
    assert answer.status_code == 403 and answer.json["code"] == "IAL2_REQUIRED"


def test_consent_text_is_served_with_its_version(client):
    vietnamese = client.get("/api/v1/consents/payout-link").json
    english = client.get("/api/v1/consents/payout-link", headers={"Accept-Language": "en"}).json
    assert vietnamese["version"] == english["version"]
    assert "đồng ý" in vietnamese["text"] and "I agree" in english["text"]


def test_a_plain_citizen_links_the_account_in_their_own_name(client, citizen, login_as):
    person = citizen("plain", 4)
    accounts = json.loads((FIXTURES / "institution_accounts.json").read_text(encoding="utf-8"))
    own = next(account for account in accounts if account["holder_personal_id"]
               == person["personal_id"] and account["status"] == "open")
    tokens = login_as(person)
    body = {"kind": "bank", "institution": own["institution"],
            "account_number": own["account_number"], "consent": True}
    outcome = settled(client, tokens, request_link(client, person, tokens, body=body).json["id"])
    assert outcome["status"] == "ACTIVE"


def test_polling_a_request_with_its_etag(client, citizen, login_as):
    person = citizen("holder_name_mismatch")
    tokens = login_as(person)
    link_id = settled(client, tokens, request_link(client, person, tokens).json["id"])["id"]
    headers = bearer(tokens["access_token"])
    first = client.get(f"{LINKS}/{link_id}", headers=headers)
    same = client.get(f"{LINKS}/{link_id}", headers={**headers,
                                                     "If-None-Match": first.headers["ETag"]})
    assert same.status_code == 304 and same.get_data() == b""
    client.post(f"{LINKS}/{link_id}/cancel", headers=headers)
    changed = client.get(f"{LINKS}/{link_id}", headers={**headers,
                                                        "If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.json["status"] == "CANCELLED"


def test_accepting_a_link_request_does_only_what_keeps_it(app, client, citizen, login_as):
    """The POST is what a burst waits on: its statements are counted (issue 13).
    Sixteen on a citizen's first request (the step-up's five, the account and its
    welcome message, the link, its transition and consent, the answer's history)."""
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    request_thread = threading.get_ident()
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_):
        if threading.get_ident() == request_thread:  # not the worker's verification
            statements.append(statement)

    with app.app_context():
        engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        submitted = request_link(client, person, tokens)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert submitted.status_code == 202, submitted.json
    assert len(statements) <= 16, "\n".join(statements)
