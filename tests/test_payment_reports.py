""""I was not paid": a citizen reports a problem on a payment, support works the
case beside the payment's timeline and bank results, and the answer comes back."""
from __future__ import annotations

from tests.conftest import bearer
from tests.message_helpers import outbox
from tests.payment_helpers import approve_and_dispatch, build_requests, claim, payroll_csv, upload
from tests.test_account_guard import link_now

PAYMENTS = "/api/v1/me/payments"
QUEUE = "/api/v1/staff/payment-reports"
DAY = 24 * 3600


def paid_month(app, client, citizen, login_as, staff_login):
    """A paid bank payment for one citizen and a cash one for another."""
    payee, other = citizen("clean_bank_link"), citizen("plain")
    payee_tokens = link_now(client, payee, login_as)[1]
    other_tokens = login_as(other)
    officer = staff_login("payroll1")
    assert upload(client, officer, payroll_csv([claim(payee), claim(other)])).status_code == 201
    requests = build_requests(client, officer)
    approve_and_dispatch(app, client, staff_login("treasury1"),
                         [request["id"] for request in requests])
    mine = client.get(PAYMENTS, headers=bearer(payee_tokens["access_token"])).json["items"][0]
    assert mine["status"] == "PAID"
    return payee, bearer(payee_tokens["access_token"]), mine, other, \
        bearer(other_tokens["access_token"])


def test_a_report_reaches_support_and_the_answer_reaches_the_citizen(
        app, client, citizen, login_as, staff_login, clock):
    payee, headers, payment, other, other_headers = paid_month(app, client, citizen, login_as,
                                                               staff_login)
    reports = f"{PAYMENTS}/{payment['id']}/reports"
    bad_kind = client.post(reports, json={"kind": "lottery", "note": "where is it"},
                           headers=headers)
    assert bad_kind.status_code == 422 and bad_kind.json["code"] == "VALIDATION_ERROR"
    opened = client.post(reports, json={"kind": "not_received",
                                        "note": "Nothing reached my account"}, headers=headers)
    assert opened.status_code == 201, opened.json
    assert opened.json["status"] == "OPEN" and opened.json["answer"] is None
    again = client.post(reports, json={"kind": "wrong_amount", "note": "and too little"},
                        headers=headers)
    assert again.status_code == 409 and again.json["code"] == "CONFLICT"
    detail = client.get(f"{PAYMENTS}/{payment['id']}", headers=headers)
    etag = detail.headers["ETag"]
    assert [report["status"] for report in detail.json["reports"]] == ["OPEN"]

    # Another citizen can neither report on it nor read it.
    foreign = client.post(reports, json={"kind": "not_mine", "note": "who is this"},
                          headers=other_headers)
    assert foreign.status_code == 404 and foreign.json["code"] == "NOT_FOUND"
    assert client.get(reports, headers=other_headers).status_code == 404
    assert client.get(f"{PAYMENTS}/{payment['id']}", headers=other_headers).status_code == 404

    support = staff_login("support1")
    queue = client.get(QUEUE, headers=support).json
    assert [item["id"] for item in queue["items"]] == [opened.json["id"]]
    assert queue["items"][0]["overdue"] is False
    assert client.get(QUEUE, headers=staff_login("reviewer1")).status_code == 403
    case = client.get(f"{QUEUE}/{opened.json['id']}", headers=support).json
    assert case["payment"]["id"] == payment["id"]
    assert [step["status"] for step in case["timeline"]][-1] == "PAID"
    assert case["bank_results"] and case["bank_results"][0]["status"] == "SETTLED"
    taken = client.post(f"{QUEUE}/{opened.json['id']}/take", headers=support)
    assert taken.status_code == 200 and taken.json["status"] == "IN_PROGRESS"
    assert client.post(f"{QUEUE}/{opened.json['id']}/take", headers=support).status_code == 409
    answered = client.post(f"{QUEUE}/{opened.json['id']}/answer", headers=support, json={
        "answer": "The bank credited it on the 5th; please check the statement."})
    assert answered.status_code == 200 and answered.json["status"] == "ANSWERED"

    # The answer is on the payment (a poller's old version is stale) and notified.
    fresh = client.get(f"{PAYMENTS}/{payment['id']}", headers={**headers,
                                                               "If-None-Match": etag})
    assert fresh.status_code == 200
    assert fresh.json["reports"][0]["answer"].startswith("The bank credited it")
    assert client.get(reports, headers=headers).json[0]["status"] == "ANSWERED"
    kinds = [item["kind"] for item in client.get("/api/v1/me/notifications",
                                                 headers=headers).json["items"]]
    assert "PAYMENT_REPORT_ANSWERED" in kinds
    assert any("phan anh" in body for body in outbox(app, payee["phone"]))
    # Answered, a new report on the same payment may be opened; what happened is
    # enough, the citizen's own words are optional.
    second = client.post(reports, json={"kind": "wrong_amount"}, headers=headers)
    assert second.status_code == 201 and second.json["note"] == ""


def test_reports_past_their_time_limit_are_flagged_for_supervisors(
        app, client, citizen, login_as, staff_login, clock):
    payee, headers, payment, other, other_headers = paid_month(app, client, citizen, login_as,
                                                               staff_login)
    early = client.post(f"{PAYMENTS}/{payment['id']}/reports",
                        json={"kind": "wrong_amount", "note": "too little"}, headers=headers)
    assert early.status_code == 201
    clock.shift(app.config["PAYMENT_REPORT_TIME_LIMIT"].total_seconds() - DAY)
    other_headers = bearer(login_as(other)["access_token"])
    other_payment = client.get(PAYMENTS, headers=other_headers).json["items"][0]
    late = client.post(f"{PAYMENTS}/{other_payment['id']}/reports",
                       json={"kind": "not_received", "note": "no cash"}, headers=other_headers)
    assert late.status_code == 201
    clock.shift(2 * DAY)
    supervisor = staff_login("supervisor1")
    overdue = client.get(f"{QUEUE}?overdue=true", headers=supervisor).json
    assert [(item["id"], item["overdue"]) for item in overdue["items"]] == [
        (early.json["id"], True)]
    everything = client.get(QUEUE, headers=supervisor).json
    assert [item["overdue"] for item in everything["items"]] == [True, False]
    # Supervisors watch; answering is support's.
    assert client.post(f"{QUEUE}/{early.json['id']}/answer", headers=supervisor,
                       json={"answer": "checked"}).status_code == 403
