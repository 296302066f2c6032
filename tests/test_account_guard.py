"""The account-change guard: a replacing account waits before it is paid, the
registered phone is told at once, and "this was not me" stops it."""
from __future__ import annotations

import re

from sqlalchemy import select

from backend import db
from backend.models import AuditEntry, Institution, Payment
from tests.conftest import bearer, totp_code
from tests.linking_helpers import LINKS, request_link, settled
from tests.message_helpers import outbox
from tests.payment_helpers import build_requests, claim, payroll_csv, upload

HOUR = 3600


def link_now(client, person, login_as):
    tokens = login_as(person)
    link = settled(client, tokens, request_link(client, person, tokens).json["id"])
    assert link["status"] == "ACTIVE", link
    return link, tokens


def pay(app, client, staff_login, person, period: str) -> Payment:
    """Plan one payment of `period` for `person`, build the requests, and read it back."""
    officer = staff_login("payroll1")
    assert upload(client, officer, payroll_csv([claim(person, period=period)]),
                  name=f"{period}.csv").status_code == 201
    built = client.post("/api/v1/staff/payment-requests", json={"period": period},
                        headers=officer)
    assert built.status_code == 201, built.json
    with app.app_context():
        return db.session.scalars(select(Payment).where(
            Payment.personal_id == person["personal_id"], Payment.period == period)).one()


def institution_name(app, code: str) -> str:
    with app.app_context():
        return db.session.get(Institution, code).short_name


def dispute_code(app, person) -> tuple[int, str]:
    alert = next(body for body in outbox(app, person["phone"]) if "Khong phai ban" in body)
    link_id, code = re.search(r"ma (\d+)-([0-9A-F]+)", alert).groups()
    return int(link_id), code


def test_a_first_link_is_paid_at_once_and_sends_no_alert(app, client, citizen, login_as,
                                                          staff_login):
    person = citizen("clean_bank_link")
    first, _ = link_now(client, person, login_as)
    assert not any("Khong phai ban" in body for body in outbox(app, person["phone"]))
    payment = pay(app, client, staff_login, person, "2026-10")
    assert (payment.status, payment.destination_link_id) == ("REQUESTED", first["id"])


def test_a_replacing_account_alerts_the_phone_and_waits_while_the_old_one_is_paid(
        app, client, citizen, login_as, staff_login, clock):
    person = citizen("clean_bank_link")
    first, _ = link_now(client, person, login_as)
    clock.shift(60)
    second, _ = link_now(client, person, login_as)
    # The SMS is in the outbox after one run of the sender task.
    alert = next(body for body in outbox(app, person["phone"]) if "Khong phai ban" in body)
    last4 = person["payout_account"]["account_number"][-4:]
    assert f"•••• {last4}" in alert
    assert institution_name(app, person["payout_account"]["institution"]) in alert
    assert person["payout_account"]["account_number"] not in alert
    assert second["payable_from"] is not None

    clock.shift(HOUR)
    during = pay(app, client, staff_login, person, "2026-10")
    assert (during.status, during.destination_link_id) == ("REQUESTED", first["id"])

    clock.shift(72 * HOUR)
    after = pay(app, client, staff_login, person, "2026-11")
    assert (after.status, after.destination_link_id) == ("REQUESTED", second["id"])


def test_without_a_valid_account_before_it_the_payment_is_held_until_the_wait_ends(
        app, client, citizen, login_as, staff_login, clock):
    person = citizen("clean_bank_link")
    first, tokens = link_now(client, person, login_as)
    clock.shift(30)
    unlinked = client.post(f"{LINKS}/{first['id']}/unlink", headers={
        **bearer(tokens["access_token"]), "X-OTP": totp_code(person)})
    assert unlinked.status_code == 200, unlinked.json
    clock.shift(30)
    second, _ = link_now(client, person, login_as)
    assert second["payable_from"] is not None  # unlinking first skips no wait

    clock.shift(HOUR)
    held = pay(app, client, staff_login, person, "2026-10")
    assert (held.status, held.hold_reason, held.request_id) == ("PLANNED", "COOLING_OFF", None)

    clock.shift(72 * HOUR)
    build_requests(client, staff_login("payroll1"), "2026-10")
    with app.app_context():
        released = db.session.get(Payment, held.id)
        assert (released.status, released.hold_reason, released.destination_link_id) == \
            ("REQUESTED", None, second["id"])


def test_this_was_not_me_freezes_payouts_ends_sessions_and_opens_a_case(
        app, client, citizen, login_as, staff_login, clock):
    person = citizen("clean_bank_link")
    first, _ = link_now(client, person, login_as)
    clock.shift(60)
    second, tokens = link_now(client, person, login_as)
    other = citizen("clean_bank_link", 1)
    other_tokens = login_as(other)
    foreign = client.post(f"{LINKS}/{second['id']}/dispute", json={},
                          headers=bearer(other_tokens["access_token"]))
    assert foreign.status_code == 404

    disputed = client.post(f"{LINKS}/{second['id']}/dispute", json={},
                           headers=bearer(tokens["access_token"]))
    assert disputed.status_code == 201, disputed.json
    assert disputed.json["status"] == "OPEN"
    assert client.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 401
    assert any("dang xuat" in body for body in outbox(app, person["phone"]))

    # Frozen even once the cooling-off is over: the old account is paid instead.
    clock.shift(80 * HOUR)
    payment = pay(app, client, staff_login, person, "2026-10")
    assert payment.destination_link_id == first["id"]

    reviewer = staff_login("reviewer1")
    cases = client.get("/api/v1/staff/disputes", headers=reviewer).json["items"]
    assert [case["link_id"] for case in cases] == [second["id"]]
    upheld = client.post(f"/api/v1/staff/disputes/{cases[0]['id']}/uphold",
                         json={"note": "citizen confirmed by phone"}, headers=reviewer)
    assert upheld.status_code == 200 and upheld.json["status"] == "UPHELD"
    again = client.post(f"/api/v1/staff/disputes/{cases[0]['id']}/dismiss",
                        json={"note": "too late"}, headers=reviewer)
    assert again.status_code == 409
    tokens = login_as(person)
    ended = client.get(f"{LINKS}/{second['id']}", headers=bearer(tokens["access_token"])).json
    assert (ended["status"], ended["reason"]) == ("UNLINKED", "DISPUTE_UPHELD")
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"link.disputed", "dispute.upheld"} <= actions


def test_the_code_in_the_sms_disputes_without_signing_in_once(app, client, citizen,
                                                               login_as, clock):
    person = citizen("clean_bank_link")
    link_now(client, person, login_as)
    clock.shift(60)
    second, tokens = link_now(client, person, login_as)
    link_id, code = dispute_code(app, person)
    assert link_id == second["id"]

    wrong = client.post(f"{LINKS}/{link_id}/dispute", json={"code": "0000000000"})
    assert wrong.status_code == 404 and wrong.json["code"] == "NOT_FOUND"
    missing = client.post(f"{LINKS}/{link_id}/dispute", json={})
    assert missing.status_code == 422
    assert client.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 200

    disputed = client.post(f"{LINKS}/{link_id}/dispute", json={"code": code})
    assert disputed.status_code == 201, disputed.json
    assert disputed.json["opened_via"] == "sms_code"
    assert client.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 401
    clock.shift(30)
    tokens = login_as(person)
    frozen = client.get(f"{LINKS}/{link_id}", headers=bearer(tokens["access_token"])).json
    assert frozen["frozen"] is True


def test_naming_an_authorised_person_alerts_the_phone_but_a_first_one_is_paid_at_once(
        app, client, citizen, login_as, staff_login, clock):
    from tests.test_payments_flow import authorise, linked
    elderly, relative = citizen("authorised_person", 0), citizen("authorised_person", 1)
    elderly_tokens, relative_tokens = login_as(elderly), login_as(relative)
    linked(client, relative, relative_tokens)
    authorise(client, staff_login, elderly, elderly_tokens, relative, relative_tokens, clock)
    alert = next(body for body in outbox(app, elderly["phone"]) if "Khong phai ban" in body)
    assert "•••• " + relative["payout_account"]["account_number"][-4:] in alert
    payment = pay(app, client, staff_login, elderly, "2026-10")
    assert payment.via_authorisation_id is not None and payment.destination_kind != "cash"



def test_the_staff_list_of_disputes_is_paginated_oldest_first(client, citizen, login_as,
                                                              staff_login, clock):
    opened = []
    for person in (citizen("clean_bank_link", 0), citizen("clean_bank_link", 1)):
        link, tokens = link_now(client, person, login_as)
        disputed = client.post(f"{LINKS}/{link['id']}/dispute", json={},
                               headers=bearer(tokens["access_token"]))
        assert disputed.status_code == 201, disputed.json
        opened.append(disputed.json["id"])
        clock.shift(60)
    reviewer = staff_login("reviewer1")
    first = client.get("/api/v1/staff/disputes?page_size=1", headers=reviewer).json
    assert (first["total"], first["page"], first["page_size"]) == (2, 1, 1)
    assert [case["id"] for case in first["items"]] == opened[:1]
    second = client.get("/api/v1/staff/disputes?page_size=1&page=2", headers=reviewer).json
    assert [case["id"] for case in second["items"]] == opened[1:]
    past = client.get("/api/v1/staff/disputes?page=3", headers=reviewer).json
    assert (past["items"], past["total"]) == ([], 2)
    too_big = client.get("/api/v1/staff/disputes?page_size=101", headers=reviewer)
    assert too_big.status_code == 422 and too_big.json["code"] == "VALIDATION_ERROR"
