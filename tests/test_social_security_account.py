"""The social security account and notifications through HTTP."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from backend import db
from backend.models import Notification, SocialSecurityAccount
from backend.services.accounts import social_security
from tests.conftest import bearer

SSA, NOTIFICATIONS = "/api/v1/me/social-security-account", "/api/v1/me/notifications"


def test_account_created_on_first_use_with_programmes(client, citizen, login_as):
    person = citizen("has_payment_history")
    headers = bearer(login_as(person)["access_token"])
    answer = client.get(SSA, headers=headers)
    assert answer.status_code == 200
    account = answer.json
    assert account["personal_id"] == person["personal_id"]
    assert account["status"] == "ACTIVE"
    payout = account["active_payout"]  # seeded for this case
    assert payout["institution"] == person["payout_account"]["institution"]
    assert payout["account_masked"] == "•••• " + person["payout_account"]["account_number"][-4:]
    assert account["programmes"], "a beneficiary sees their programmes"
    programme = account["programmes"][0]
    assert isinstance(programme["monthly_amount_vnd"], int)
    assert programme["name"] in ("Lương hưu", "Trợ cấp xã hội hằng tháng")

    english = client.get(SSA, headers={**headers, "Accept-Language": "en"}).json
    assert english["programmes"][0]["name"] in ("Retirement pension",
                                                "Monthly social-protection allowance")
    assert english["created_at"] == account["created_at"]  # the same account, not a second

    notices = client.get(NOTIFICATIONS, headers=headers).json
    assert notices["total"] == 1
    assert notices["items"][0]["kind"] == "ACCOUNT_CREATED"


def test_level1_citizen_is_told_how_to_reach_level2(client, citizen, login_as):
    tokens = login_as(citizen("level1"))
    assert tokens["ial"] == 1
    headers = bearer(tokens["access_token"])
    assert client.get("/api/v1/me", headers=headers).json["ial"] == 1
    for path in (SSA, NOTIFICATIONS):
        refused = client.get(path, headers=headers)
        assert refused.status_code == 403
        assert refused.json["code"] == "IAL2_REQUIRED"
        assert "mức độ 2" in refused.json["message"]
    english = client.get(SSA, headers={**headers, "Accept-Language": "en"})
    assert "level 2" in english.json["message"]


def test_one_citizen_never_reaches_anothers_data(client, citizen, login_as):
    alice, bob = citizen("plain", 0), citizen("plain", 1)
    alice_headers = bearer(login_as(alice)["access_token"])
    bob_headers = bearer(login_as(bob)["access_token"])
    alice_notice = client.get(NOTIFICATIONS, headers=alice_headers).json["items"][0]
    assert client.get(SSA, headers=bob_headers).json["personal_id"] == bob["personal_id"]

    stolen = client.post(f"{NOTIFICATIONS}/{alice_notice['id']}/read", headers=bob_headers)
    assert stolen.status_code == 404
    assert stolen.json["code"] == "NOT_FOUND"
    missing = client.post(f"{NOTIFICATIONS}/999999/read", headers=bob_headers)
    assert stolen.json == missing.json  # indistinguishable from a missing record
    bob_ids = [item["id"] for item in client.get(NOTIFICATIONS, headers=bob_headers).json["items"]]
    assert alice_notice["id"] not in bob_ids

    # Query parameters cannot widen the scope either.
    widened = client.get(f"{SSA}?personal_id={alice['personal_id']}", headers=bob_headers)
    assert widened.json["personal_id"] == bob["personal_id"]
    own = client.post(f"{NOTIFICATIONS}/{alice_notice['id']}/read", headers=alice_headers)
    assert own.status_code == 200 and own.json["read_at"] is not None


def test_two_simultaneous_first_requests_make_one_account(app, client, citizen, login_as,
                                                          monkeypatch):
    person = citizen("plain", 3)
    headers = bearer(login_as(person)["access_token"])
    # Both requests look before either inserts, as on two workers at once.
    both_looked = threading.Barrier(2, timeout=10)
    real_find = social_security._find
    first_look = threading.local()

    def find_after_both_looked(personal_id):
        found = real_find(personal_id)
        if not getattr(first_look, "done", False):
            first_look.done = True
            both_looked.wait()
            return None
        return found

    monkeypatch.setattr(social_security, "_find", find_after_both_looked)
    answers = []

    def first_use():
        answers.append(app.test_client().get(SSA, headers=headers))

    threads = [threading.Thread(target=first_use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].json["created_at"] == answers[1].json["created_at"]
    with app.app_context():
        accounts = db.session.scalars(select(SocialSecurityAccount).where(
            SocialSecurityAccount.personal_id == person["personal_id"])).all()
        assert len(accounts) == 1
        assert db.session.scalar(select(func.count()).select_from(Notification)
                                 .where(Notification.account_id == accounts[0].id)) == 1


def test_pagination_is_bounded(client, citizen, login_as):
    headers = bearer(login_as(citizen("plain"))["access_token"])
    too_big = client.get(f"{NOTIFICATIONS}?page_size=101", headers=headers)
    assert too_big.status_code == 422
    assert "page_size" in too_big.json["details"]
    page = client.get(f"{NOTIFICATIONS}?page=2&page_size=1", headers=headers).json
    assert (page["page"], page["page_size"], page["total"], page["items"]) == (2, 1, 1, [])
