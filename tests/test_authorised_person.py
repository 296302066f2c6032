"""A citizen names another level-2 citizen to receive their payments."""
from __future__ import annotations

from tests.conftest import bearer, totp_code, wait_for
from tests.linking_helpers import AUTHORISATIONS, LINKS, offered

QUEUE = "/api/v1/staff/link-requests"


def name_receiver(client, giver, giver_tokens, receiver_personal_id):
    return client.post(LINKS, json={"kind": "authorised_person",
                                    "authorised_personal_id": receiver_personal_id,
                                    "consent": True},
                       headers={**bearer(giver_tokens["access_token"]),
                                "X-OTP": totp_code(giver)})


def pair(citizen):
    elderly, relative = citizen("authorised_person", 0), citizen("authorised_person", 1)
    assert elderly["payout_account"] is None and relative["payout_account"]
    return elderly, relative


def give_relative_an_account(client, relative, relative_tokens, clock):
    payout = relative["payout_account"]
    linked = client.post(LINKS, json={**payout, "consent": True},
                         headers={**bearer(relative_tokens["access_token"]),
                                  "X-OTP": totp_code(relative)})
    wait_for(lambda: client.get(f"{LINKS}/{linked.json['id']}",
                                headers=bearer(relative_tokens["access_token"])).json["status"],
             lambda status: status == "ACTIVE")
    clock.shift(30)


def test_both_consent_staff_approve_then_either_can_end_it(client, citizen, login_as,
                                                           staff_login, clock):
    elderly, relative = pair(citizen)
    elderly_tokens, relative_tokens = login_as(elderly), login_as(relative)
    give_relative_an_account(client, relative, relative_tokens, clock)

    named = name_receiver(client, elderly, elderly_tokens, relative["personal_id"])
    assert named.status_code == 202
    assert named.json["awaiting_authorised_person"] is True

    relative_headers = bearer(relative_tokens["access_token"])
    # The person named is looked up after the answer, by a worker.
    offers = wait_for(lambda: client.get(AUTHORISATIONS, headers=relative_headers).json["items"],
                      lambda items: items)
    assert [offer["id"] for offer in offers] == [named.json["id"]]
    notice = client.get("/api/v1/me/notifications", headers=relative_headers).json["items"][0]
    assert notice["kind"] == "AUTHORISATION_REQUESTED" and elderly["full_name"] in notice["title"]

    accept_path = f"{AUTHORISATIONS}/{named.json['id']}/accept"
    assert client.post(accept_path, headers=relative_headers).json["code"] == "STEP_UP_REQUIRED"
    accepted = client.post(accept_path, headers={**relative_headers,
                                                 "X-OTP": totp_code(relative)})
    assert accepted.status_code == 200
    elderly_headers = bearer(elderly_tokens["access_token"])
    pending = wait_for(lambda: client.get(f"{LINKS}/{named.json['id']}",
                                          headers=elderly_headers).json,
                       lambda link: link["status"] == "NEEDS_REVIEW")
    assert pending["reason"] == "AUTHORISATION_NEEDS_APPROVAL"

    reviewer = staff_login("reviewer1")
    client.post(f"{QUEUE}/{named.json['id']}/claim", headers=reviewer)
    approved = client.post(f"{QUEUE}/{named.json['id']}/approve",
                           json={"note": "Con trai, đã xác minh qua điện thoại"},
                           headers=reviewer)
    assert approved.json["status"] == "ACTIVE"
    account = client.get("/api/v1/me/social-security-account", headers=elderly_headers).json
    assert account["active_payout"]["kind"] == "authorised_person"
    assert account["active_payout"]["holder_name"] == relative["full_name"]

    # The relative stops receiving: the elderly citizen falls back to cash.
    revoked = client.post(f"{AUTHORISATIONS}/{named.json['id']}/revoke",
                          headers=relative_headers)
    assert revoked.json["status"] == "UNLINKED"
    assert revoked.json["history"][-1]["actor"] == "authorised_person"
    account = client.get("/api/v1/me/social-security-account", headers=elderly_headers).json
    assert account["active_payout"] is None


def test_the_citizen_can_end_it_too(client, citizen, login_as, staff_login, clock):
    elderly, relative = pair(citizen)
    elderly_tokens, relative_tokens = login_as(elderly), login_as(relative)
    give_relative_an_account(client, relative, relative_tokens, clock)
    link_id = name_receiver(client, elderly, elderly_tokens, relative["personal_id"]).json["id"]
    offered(client, link_id, relative_tokens)
    client.post(f"{AUTHORISATIONS}/{link_id}/accept",
                headers={**bearer(relative_tokens["access_token"]), "X-OTP": totp_code(relative)})
    elderly_headers = bearer(elderly_tokens["access_token"])
    wait_for(lambda: client.get(f"{LINKS}/{link_id}", headers=elderly_headers).json["status"],
             lambda status: status == "NEEDS_REVIEW")
    reviewer = staff_login("reviewer1")
    client.post(f"{QUEUE}/{link_id}/claim", headers=reviewer)
    client.post(f"{QUEUE}/{link_id}/approve", json={"note": "verified"}, headers=reviewer)
    clock.shift(30)
    ended = client.post(f"{LINKS}/{link_id}/unlink",
                        headers={**elderly_headers, "X-OTP": totp_code(elderly)})
    assert ended.json["status"] == "UNLINKED"


def test_the_named_person_declines(client, citizen, login_as):
    elderly, relative = pair(citizen)
    elderly_tokens, relative_tokens = login_as(elderly), login_as(relative)
    link_id = name_receiver(client, elderly, elderly_tokens, relative["personal_id"]).json["id"]
    offered(client, link_id, relative_tokens)
    declined = client.post(f"{AUTHORISATIONS}/{link_id}/decline",
                           headers=bearer(relative_tokens["access_token"]))
    assert declined.json["status"] == "CANCELLED" and declined.json["reason"] == "DECLINED"
    elderly_headers = bearer(elderly_tokens["access_token"])
    assert client.get("/api/v1/me/notifications",
                      headers=elderly_headers).json["items"][0]["kind"] == \
        "AUTHORISATION_DECLINED"


def test_receiver_without_an_account_fails(client, citizen, login_as):
    elderly, relative = pair(citizen)
    elderly_tokens, relative_tokens = login_as(elderly), login_as(relative)
    link_id = name_receiver(client, elderly, elderly_tokens, relative["personal_id"]).json["id"]
    offered(client, link_id, relative_tokens)
    client.post(f"{AUTHORISATIONS}/{link_id}/accept",
                headers={**bearer(relative_tokens["access_token"]), "X-OTP": totp_code(relative)})
    failed = wait_for(lambda: client.get(f"{LINKS}/{link_id}", headers=bearer(
        elderly_tokens["access_token"])).json, lambda link: link["status"] == "FAILED")
    assert failed["reason"] == "AUTHORISED_PERSON_HAS_NO_ACCOUNT"


def test_only_the_named_person_can_accept(client, citizen, login_as):
    elderly, relative = pair(citizen)
    stranger = citizen("plain")
    elderly_tokens = login_as(elderly)
    link_id = name_receiver(client, elderly, elderly_tokens, relative["personal_id"]).json["id"]
    stranger_tokens = login_as(stranger)
    answer = client.post(f"{AUTHORISATIONS}/{link_id}/accept",
                         headers={**bearer(stranger_tokens["access_token"]),
                                  "X-OTP": totp_code(stranger)})
    assert answer.status_code == 404
    assert client.get(AUTHORISATIONS, headers=bearer(
        stranger_tokens["access_token"])).json["total"] == 0


def test_the_answer_is_the_same_whoever_is_named(client, citizen, login_as, clock):
    """Naming an ID answers alike whether or not it has a level-2 account; the
    outcome comes later, as a notification that says no more than needed."""
    elderly, relative = pair(citizen)
    tokens = login_as(elderly)
    headers = bearer(tokens["access_token"])

    def comparable(answer) -> tuple:
        body = {key: value for key, value in answer.json.items()
                if key not in ("id", "created_at", "updated_at", "history")}
        return answer.status_code, body, [(step["status"], step["actor"], step["reason"])
                                          for step in answer.json["history"]]

    answers, notices = [], []
    for personal_id in (citizen("level1")["personal_id"], "079190000001"):
        named = name_receiver(client, elderly, tokens, personal_id)
        answers.append(comparable(named))
        path = f"{LINKS}/{named.json['id']}"
        ended = wait_for(lambda path=path: client.get(path, headers=headers).json,
                         lambda link: link["status"] != "SUBMITTED")
        assert (ended["status"], ended["reason"]) == ("CANCELLED",
                                                      "AUTHORISED_PERSON_UNAVAILABLE")
        notice = client.get("/api/v1/me/notifications", headers=headers).json["items"][0]
        assert notice["kind"] == "AUTHORISATION_UNAVAILABLE"
        notices.append((notice["title"], notice["body"]))
        clock.shift(30)
    answers.append(comparable(name_receiver(client, elderly, tokens, relative["personal_id"])))

    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 202
    # A level-1 account and no account at all read the same to the citizen.
    assert notices[0] == notices[1]


def test_oneself_or_a_malformed_id_cannot_be_named(client, citizen, login_as, clock):
    elderly = citizen("authorised_person", 0)
    tokens = login_as(elderly)
    for personal_id in (elderly["personal_id"], "003152123456"):
        answer = name_receiver(client, elderly, tokens, personal_id)
        assert answer.status_code == 422
        assert "authorised_personal_id" in answer.json["details"]
        clock.shift(30)
