"""Treasury decisions, bank results, reissues, reconciliation, polling."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, update

from backend import db
from backend.integrations.signatures import sign
from backend.models import BankCallback, Payment, SimTransfer
from tests.conftest import bearer
from tests.linking_helpers import request_link, settled
from tests.payment_helpers import (
    REQUESTS,
    approve_and_dispatch,
    build_requests,
    claim,
    deliver_callbacks,
    payroll_csv,
    set_account_status,
    upload,
)

PAYMENTS = "/api/v1/me/payments"


@pytest.fixture
def linked_citizen(client, citizen, login_as):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    assert settled(client, tokens, request_link(client, person, tokens).json["id"])["status"] \
        == "ACTIVE"
    return person, bearer(tokens["access_token"])


def one_request(client, staff_login, people, period="2026-10") -> dict:
    officer = staff_login("payroll1")
    # One province's payroll, so the claims make one request.
    upload(client, officer, payroll_csv([claim(person, period, province="079")
                                         for person in people]),
           name=f"{period}-{len(people)}.csv")
    requests = build_requests(client, officer, period)
    assert len(requests) == 1
    return requests[0]


def payments_of(client, headers) -> list[dict]:
    return client.get(PAYMENTS, headers=headers).json["items"]


def test_treasury_rejects_a_request_with_reasons(client, citizen, login_as, staff_login):
    person = citizen("plain")
    request = one_request(client, staff_login, [person])
    treasurer = staff_login("treasury1")
    invented = client.post(f"{REQUESTS}/{request['id']}/reject",
                           json={"reasons": ["BAD_VIBES"], "note": "no"}, headers=treasurer)
    assert invented.status_code == 422
    rejected = client.post(f"{REQUESTS}/{request['id']}/reject",
                           json={"reasons": ["BUDGET_NOT_AVAILABLE"],
                                 "note": "Chưa có dự toán"}, headers=treasurer)
    assert rejected.json["status"] == "REJECTED"
    again = client.post(f"{REQUESTS}/{request['id']}/approve", headers=treasurer)
    assert again.status_code == 409
    headers = bearer(login_as(person)["access_token"])
    assert payments_of(client, headers)[0]["status"] == "REJECTED"
    assert client.post(f"{REQUESTS}/{request['id']}/approve",
                       headers=staff_login("payroll1")).status_code == 403


def test_a_refused_decision_or_dispatch_says_why_in_a_reason_code(app, client, citizen,
                                                                  staff_login):
    request = one_request(client, staff_login, [citizen("plain")])
    treasurer = staff_login("treasury1")
    path = f"{REQUESTS}/{request['id']}"

    def refusal(action: str) -> list[str]:
        answer = client.post(f"{path}/{action}", headers=treasurer)
        assert answer.status_code == 409 and answer.json["code"] == "CONFLICT"
        return answer.json["details"]["reason"]

    assert refusal("dispatch") == ["NOT_APPROVED"]
    with app.app_context():  # a payment changed after the request was built
        db.session.execute(update(Payment).where(Payment.request_id == request["id"])
                           .values(amount_vnd=Payment.amount_vnd + 1))
        db.session.commit()
    assert refusal("approve") == ["TOTALS_MISMATCH"]
    client.post(f"{path}/reject", json={"reasons": ["TOTALS_MISMATCH"], "note": "sửa lại"},
                headers=treasurer)
    assert refusal("approve") == ["ALREADY_DECIDED"]
    assert refusal("dispatch") == ["NOT_APPROVED"]


def test_control_rejects_the_payment_of_a_deceased_beneficiary(app, client, citizen,
                                                               staff_login):
    request = one_request(client, staff_login, [citizen("deceased"), citizen("plain")])
    treasurer = staff_login("treasury1")
    findings = client.get(f"{REQUESTS}/{request['id']}", headers=treasurer).json["findings"]
    assert findings["deceased"] == 1
    client.post(f"{REQUESTS}/{request['id']}/approve", headers=treasurer)
    with app.app_context():
        statuses = dict(db.session.execute(select(Payment.personal_id, Payment.status)).all())
    assert statuses[citizen("deceased")["personal_id"]] == "REJECTED"
    assert statuses[citizen("plain")["personal_id"]] == "CASH_READY"


@pytest.fixture
def closed_after_linking(app, linked_citizen):
    """The bank closes the citizen's account after it was linked."""
    number = linked_citizen[0]["payout_account"]["account_number"]
    set_account_status(app, number, "closed")
    yield linked_citizen
    set_account_status(app, number, "open")


def fail_one_payment(app, client, staff_login, person, headers) -> dict:
    request = one_request(client, staff_login, [person])
    approve_and_dispatch(app, client, staff_login("treasury1"), [request["id"]])
    failed = payments_of(client, headers)[0]
    assert (failed["status"], failed["failure_reason"]) == ("FAILED", "AC04")
    notice = client.get("/api/v1/me/notifications", headers=headers).json["items"][0]
    assert notice["kind"] == "PAYMENT_FAILED"
    return failed


def test_a_failed_transfer_not_corrected_is_reissued_in_cash(app, client, staff_login,
                                                             closed_after_linking):
    person, headers = closed_after_linking
    failed = fail_one_payment(app, client, staff_login, person, headers)
    build_requests(client, staff_login("payroll1"), "2026-10")  # the next cycle
    items = payments_of(client, headers)
    assert sorted(item["status"] for item in items) == ["REISSUED", "REQUESTED"]
    reissue = next(item for item in items if item["status"] == "REQUESTED")
    assert reissue["destination"]["kind"] == "cash"
    assert reissue["amount_vnd"] == failed["amount_vnd"]


def test_a_failed_transfer_is_reissued_to_the_corrected_account(app, client, login_as,
                                                                 staff_login, clock,
                                                                 closed_after_linking):
    person, headers = closed_after_linking
    fail_one_payment(app, client, staff_login, person, headers)
    # The bank reopens the account and the citizen links it again.
    set_account_status(app, person["payout_account"]["account_number"], "open")
    clock.shift(30)
    tokens = login_as(person)
    relinked = settled(client, tokens, request_link(client, person, tokens).json["id"])
    assert relinked["status"] == "ACTIVE"
    headers = bearer(tokens["access_token"])
    # A newly linked account waits out its cooling-off period, and the one it
    # replaced failed: the reissue is held until then (issue 15).
    assert build_requests(client, staff_login("payroll1"), "2026-10") == []
    assert sorted(item["status"] for item in payments_of(client, headers)) == \
        ["PLANNED", "REISSUED"]
    clock.shift(73 * 3600)
    headers = bearer(login_as(person)["access_token"])
    requests = build_requests(client, staff_login("payroll1"), "2026-10")
    approve_and_dispatch(app, client, staff_login("treasury1"),
                         [request["id"] for request in requests])
    items = payments_of(client, headers)
    assert sorted(item["status"] for item in items) == ["PAID", "REISSUED"]
    paid = next(item for item in items if item["status"] == "PAID")
    assert paid["destination"]["kind"] == "bank"


def test_duplicate_and_early_callbacks_are_harmless(app, client, staff_login,
                                                    linked_citizen):
    person, headers = linked_citizen
    request = one_request(client, staff_login, [person])
    treasurer = staff_login("treasury1")
    client.post(f"{REQUESTS}/{request['id']}/approve", headers=treasurer)
    client.post(f"{REQUESTS}/{request['id']}/dispatch", headers=treasurer)
    first = deliver_callbacks(app, client)
    again = deliver_callbacks(app, client)
    assert first == ["applied"] and again == ["duplicate"]
    items = payments_of(client, headers)
    assert items[0]["status"] == "PAID"
    detail = client.get(f"{PAYMENTS}/{items[0]['id']}", headers=headers).json
    assert [step["status"] for step in detail["history"]].count("PAID") == 1


def test_a_callback_before_the_file_is_recorded_as_sent_waits(app, client, staff_login,
                                                              linked_citizen, monkeypatch):
    person, headers = linked_citizen
    request = one_request(client, staff_login, [person])
    treasurer = staff_login("treasury1")
    client.post(f"{REQUESTS}/{request['id']}/approve", headers=treasurer)
    gateway = app.extensions["integrations"].bank_gateway
    real_submit = gateway.submit
    early = []

    def submit_then_call_back(msg_id, institution, path):
        report = real_submit(msg_id, institution, path)
        # The callback arrives while our dispatch has not yet marked the payment SENT.
        gateway.deliver_callbacks(msg_id, lambda body, signature: early.append(
            client.post("/api/v1/bank-gateway/callbacks", data=body,
                        content_type="application/json",
                        headers={"X-Gateway-Signature": signature}).json["outcome"]))
        return report

    monkeypatch.setattr(gateway, "submit", submit_then_call_back)
    client.post(f"{REQUESTS}/{request['id']}/dispatch", headers=treasurer)
    assert early == ["waiting"]
    assert payments_of(client, headers)[0]["status"] == "PAID"  # applied once it was SENT


def test_a_forged_callback_is_refused_and_changes_nothing(app, client, staff_login,
                                                          linked_citizen):
    person, headers = linked_citizen
    request = one_request(client, staff_login, [person])
    approve_and_dispatch(app, client, staff_login("treasury1"), [request["id"]],
                         deliver=False)
    payment = payments_of(client, headers)[0]
    assert payment["status"] == "SENT"
    body = json.dumps({"transaction_id": "forged-1", "end_to_end_id": f"SSA-{payment['id']}",
                       "status": "REJECTED", "reason_code": "AC04",
                       "amount_vnd": payment["amount_vnd"]}).encode()
    for signature in (None, "sha256=" + "0" * 64, sign("not-the-secret", body)):
        answer = client.post("/api/v1/bank-gateway/callbacks", data=body,
                             content_type="application/json",
                             headers={"X-Gateway-Signature": signature} if signature else {})
        assert answer.status_code == 401 and answer.json["code"] == "SIGNATURE_INVALID"
    assert payments_of(client, headers)[0]["status"] == "SENT"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BankCallback)) == 0


def test_reconciliation_lists_a_deliberate_difference(app, client, staff_login,
                                                      linked_citizen):
    person, headers = linked_citizen
    request = one_request(client, staff_login, [person])
    approve_and_dispatch(app, client, staff_login("treasury1"), [request["id"]])
    treasurer = staff_login("treasury1")
    path = f"{REQUESTS}/{request['id']}/reconciliation"
    reconciled = client.get(path, headers=treasurer).json
    assert reconciled["differences"] == []
    assert reconciled["accounted"] == reconciled["planned"] == reconciled["outcomes"]["paid"]
    paid = payments_of(client, headers)[0]
    # A second report from the bank for the same payment, with another amount:
    # the stored reconciliation was made before it and must not be served as is.
    body = json.dumps({"transaction_id": "second-report", "end_to_end_id": f"SSA-{paid['id']}",
                       "status": "SETTLED", "amount_vnd": paid["amount_vnd"] - 1000}).encode()
    answer = client.post("/api/v1/bank-gateway/callbacks", data=body,
                         content_type="application/json",
                         headers={"X-Gateway-Signature": sign(app.config["BANK_GATEWAY_SECRET"],
                                                              body)})
    assert answer.status_code == 200
    assert payments_of(client, headers)[0]["status"] == "PAID"  # paid once, not again
    differences = client.get(path, headers=treasurer).json["differences"]
    assert [difference["kind"] for difference in differences] == ["AMOUNT_DIFFERS"]
    assert differences[0]["reported_amount_vnd"] == differences[0]["amount_vnd"] - 1000
    printed = app.test_cli_runner().invoke(args=["reconcile", str(request["id"])])
    assert "DIFFERENCE" in printed.output and "AMOUNT_DIFFERS" in printed.output


def test_polling_with_etags(app, client, staff_login, citizen, login_as):
    person = citizen("plain")
    headers = bearer(login_as(person)["access_token"])
    first = client.get(PAYMENTS, headers=headers)
    tag = first.headers["ETag"]
    unchanged = client.get(PAYMENTS, headers={**headers, "If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    one_request(client, staff_login, [person])  # a payment appears
    changed = client.get(PAYMENTS, headers={**headers, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    payment_id = changed.json["items"][0]["id"]
    detail = client.get(f"{PAYMENTS}/{payment_id}", headers=headers)
    assert client.get(f"{PAYMENTS}/{payment_id}", headers={
        **headers, "If-None-Match": detail.headers["ETag"]}).status_code == 304


def test_a_citizen_sees_only_their_own_payments(client, citizen, login_as, staff_login):
    owner, other = citizen("plain", 0), citizen("plain", 1)
    one_request(client, staff_login, [owner])
    owner_headers = bearer(login_as(owner)["access_token"])
    payment_id = payments_of(client, owner_headers)[0]["id"]
    other_headers = bearer(login_as(other)["access_token"])
    assert payments_of(client, other_headers) == []
    stolen = client.get(f"{PAYMENTS}/{payment_id}", headers=other_headers)
    assert stolen.status_code == 404 and stolen.json["code"] == "NOT_FOUND"


def test_a_crash_in_the_middle_of_dispatch_pays_nobody_twice(app, client, citizen, login_as,
                                                             staff_login, monkeypatch,
                                                             linked_citizen):
    person, headers = linked_citizen
    wallet_owner = citizen("clean_wallet_link")
    tokens = login_as(wallet_owner)
    settled(client, tokens, request_link(client, wallet_owner, tokens).json["id"])
    request = one_request(client, staff_login, [person, wallet_owner])
    treasurer = staff_login("treasury1")
    client.post(f"{REQUESTS}/{request['id']}/approve", headers=treasurer)
    gateway = app.extensions["integrations"].bank_gateway
    real_submit = gateway.submit
    calls = []

    def bank_executes_then_we_crash(msg_id, institution, path):
        calls.append(msg_id)
        report = real_submit(msg_id, institution, path)
        if len(calls) == 1:
            raise RuntimeError("power cut after the bank took the first file")
        return report

    monkeypatch.setattr(gateway, "submit", bank_executes_then_we_crash)
    crashed = client.post(f"{REQUESTS}/{request['id']}/dispatch", headers=treasurer)
    assert crashed.status_code == 500
    rerun = client.post(f"{REQUESTS}/{request['id']}/dispatch", headers=treasurer)
    assert rerun.status_code == 200
    deliver_callbacks(app, client)
    with app.app_context():
        transfers = db.session.execute(select(SimTransfer.end_to_end_id, func.count())
                                       .group_by(SimTransfer.end_to_end_id)).all()
        statuses = db.session.scalars(select(Payment.status)).all()
    assert len(transfers) == 2 and all(n == 1 for _, n in transfers)  # nobody paid twice
    assert statuses == ["PAID", "PAID"]  # nobody left unpaid


def test_an_etag_holds_for_one_language_only(client, citizen, login_as):
    headers = bearer(login_as(citizen("plain"))["access_token"])
    vietnamese = client.get(PAYMENTS, headers=headers)
    assert vietnamese.headers["Vary"] == "Accept-Language"
    english = client.get(PAYMENTS, headers={**headers, "Accept-Language": "en",
                                            "If-None-Match": vietnamese.headers["ETag"]})
    assert english.status_code == 200  # names in the body differ, so not "unchanged"


def test_a_period_is_approved_together_but_a_request_that_changed_is_left(app, client,
                                                                          citizen,
                                                                          staff_login):
    officer = staff_login("payroll1")
    # Two provinces: two requests of one period.
    upload(client, officer, payroll_csv([claim(citizen("plain"), province="079"),
                                         claim(citizen("deceased"), province="001")]))
    by_province = {request["province_code"]: request
                   for request in build_requests(client, officer)}
    sound, changed = by_province["001"]["id"], by_province["079"]["id"]
    with app.app_context():  # a payment of one request changed after it was built
        db.session.execute(update(Payment).where(Payment.request_id == changed)
                           .values(amount_vnd=Payment.amount_vnd + 1))
        db.session.commit()
    printed = app.test_cli_runner().invoke(args=["payments", "approve", "--period", "2026-10"])
    assert printed.exit_code == 0, printed.output
    assert "1 requests APPROVED" in printed.output
    assert f"request {changed} left for a person to decide: its totals or checksum do " \
        "not match" in printed.output
    treasurer = staff_login("treasury1")
    statuses = {request["id"]: request["status"] for request in client.get(
        f"{REQUESTS}?period=2026-10", headers=treasurer).json["items"]}
    assert statuses == {sound: "APPROVED", changed: "SUBMITTED"}
    approved = client.get(f"{REQUESTS}/{sound}", headers=treasurer).json
    assert approved["findings"]["totals_match"] and approved["findings"]["deceased"] == 1
    with app.app_context():  # control still catches the deceased beneficiary
        payments = dict(db.session.execute(select(Payment.request_id, Payment.status)).all())
    assert payments == {sound: "REJECTED", changed: "REQUESTED"}
    again = app.test_cli_runner().invoke(args=["payments", "approve", "--period", "2026-10"])
    assert "0 requests APPROVED" in again.output  # decided once


def test_postgresql_hashes_a_request_as_the_streamed_checksum_does(app, client, citizen,
                                                                   staff_login, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the checksum is hashed in the database on PostgreSQL only")
    people = [citizen("plain"), citizen("clean_bank_link"), citizen("deceased")]
    request = one_request(client, staff_login, people)
    with app.app_context():
        from backend.services.payments import payment_requests
        in_database = payment_requests.checksums([request["id"], 999_999])
        streamed = payment_requests._checksums_streamed([request["id"], 999_999])
    assert in_database == streamed
    assert in_database[request["id"]] == request["checksum"]
