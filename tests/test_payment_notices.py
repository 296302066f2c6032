"""Every outcome of a payment reaches the citizen, in the app and by SMS, in
their language and as they chose; no message holds a full account number."""
from __future__ import annotations

from tests.conftest import bearer
from tests.linking_helpers import request_link, settled
from tests.message_helpers import outbox
from tests.payment_helpers import (
    REQUESTS,
    approve_and_dispatch,
    build_requests,
    claim,
    payroll_csv,
    upload,
)
from tests.test_payment_results import set_account_status

PREFERENCES = "/api/v1/me/notification-preferences"


def kinds(client, tokens) -> list[str]:
    items = client.get("/api/v1/me/notifications?page_size=100",
                       headers=bearer(tokens["access_token"])).json["items"]
    return [item["kind"] for item in reversed(items)]


def test_a_bank_payment_fails_is_reissued_and_each_step_is_told(app, client, citizen,
                                                                 login_as, staff_login):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    assert settled(client, tokens, request_link(client, person, tokens).json["id"])["status"] \
        == "ACTIVE"
    client.put(PREFERENCES, json={"language": "en", "sms": {"PAYMENT_PLANNED": False}},
               headers=bearer(tokens["access_token"]))
    number = person["payout_account"]["account_number"]
    set_account_status(app, number, "closed")
    try:
        officer = staff_login("payroll1")
        upload(client, officer, payroll_csv([claim(person)]))
        requests = build_requests(client, officer)
        approve_and_dispatch(app, client, staff_login("treasury1"),
                             [request["id"] for request in requests])
        build_requests(client, staff_login("payroll1"))  # the next cycle reissues it
    finally:
        set_account_status(app, number, "open")
    assert kinds(client, tokens)[-4:] == ["PAYMENT_PLANNED", "PAYMENT_SENT", "PAYMENT_FAILED",
                                         "PAYMENT_REISSUED"]
    sms = outbox(app, person["phone"])
    assert not any("planned" in body for body in sms)  # switched off
    assert any(body.startswith("SSA: ") and "sent to the bank" in body for body in sms)
    assert any("could not be paid. Link another account" in body for body in sms)
    assert any("will be paid again" in body for body in sms)
    assert all(number not in body for body in sms)


def test_cash_is_ready_collected_and_told_where_and_until_when(app, client, citizen,
                                                               login_as, staff_login):
    person = citizen("plain")
    tokens = login_as(person)
    assert kinds(client, tokens) == ["ACCOUNT_CREATED"]  # opened the app once
    officer = staff_login("payroll1")
    upload(client, officer, payroll_csv([claim(person)]))
    requests = build_requests(client, officer)
    approve_and_dispatch(app, client, staff_login("treasury1"),
                         [request["id"] for request in requests], deliver=False)
    sms = outbox(app, person["phone"])
    ready = next(body for body in sms if "san sang tai diem chi tra" in body)
    assert "truoc 2026-12-23" in ready  # 30 days after 2026-11-23
    assert kinds(client, tokens)[-2:] == ["PAYMENT_PLANNED", "PAYMENT_CASH_READY"]


def test_a_treasury_rejection_is_told(app, client, citizen, login_as, staff_login):
    person = citizen("plain")
    tokens = login_as(person)
    assert kinds(client, tokens) == ["ACCOUNT_CREATED"]  # opened the app once
    officer = staff_login("payroll1")
    upload(client, officer, payroll_csv([claim(person)]))
    request = build_requests(client, officer)[0]
    rejected = client.post(f"{REQUESTS}/{request['id']}/reject",
                           json={"reasons": ["OTHER"], "note": "wrong programme code"},
                           headers=staff_login("treasury1"))
    assert rejected.status_code == 200, rejected.json
    assert kinds(client, tokens)[-1] == "PAYMENT_REJECTED"
    assert any("Kho bac chua duyet" in body for body in outbox(app, person["phone"]))
