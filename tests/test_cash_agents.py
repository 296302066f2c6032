"""Cash through paying agents: handed over with proof, imported in bulk, and
returned to the Treasury when not collected in time."""
from __future__ import annotations

import io
from datetime import UTC, datetime

from backend import db, integrations
from backend.models import Payment, PaymentRequest
from tests.conftest import bearer, totp_code
from tests.message_helpers import outbox
from tests.payment_helpers import (
    REQUESTS,
    approve_and_dispatch,
    build_requests,
    claim,
    payroll_csv,
    upload,
)

AGENT = "VNPOST-001-HK"
DAY = 24 * 3600


def cash_ready(app, client, citizen, login_as, staff_login, people=("plain",)):
    """Payments in cash, CASH_READY; returns [(person, tokens, payment)] and the request ids."""
    chosen = [citizen(case, index) for index, case in enumerate(people)]
    tokens = [login_as(person) for person in chosen]
    for each in tokens:  # each has opened the app once
        client.get("/api/v1/me/social-security-account", headers=bearer(each["access_token"]))
    officer = staff_login("payroll1")
    upload(client, officer, payroll_csv([claim(person) for person in chosen]))
    requests = [request["id"] for request in build_requests(client, officer)]
    approve_and_dispatch(app, client, staff_login("treasury1"), requests, deliver=False)
    found = []
    for person, each in zip(chosen, tokens, strict=True):
        payment = client.get("/api/v1/me/payments",
                             headers=bearer(each["access_token"])).json["items"][0]
        assert payment["status"] == "CASH_READY"
        found.append((person, each, payment))
    return found, requests


def status_of(client, tokens, payment_id) -> str:
    return client.get(f"/api/v1/me/payments/{payment_id}",
                      headers=bearer(tokens["access_token"])).json["status"]


def test_an_agent_hands_cash_over_against_the_citizens_code(app, client, citizen, login_as,
                                                            staff_login, clock):
    [(person, tokens, payment)], requests = cash_ready(app, client, citizen, login_as,
                                                       staff_login)
    agent = staff_login("payroll1")
    path = f"/api/v1/staff/payments/{payment['id']}/cash-paid"
    unknown = client.post(path, json={"agent_id": "NOBODY", "code": totp_code(person)},
                          headers=agent)
    assert unknown.status_code == 422 and "agent_id" in unknown.json["details"]
    wrong = client.post(path, json={"agent_id": AGENT, "code": "000000"}, headers=agent)
    assert (wrong.status_code, wrong.json["code"]) == (401, "OTP_INVALID")
    assert status_of(client, tokens, payment["id"]) == "CASH_READY"

    paid = client.post(path, json={"agent_id": AGENT, "code": totp_code(person)}, headers=agent)
    assert paid.status_code == 200, paid.json
    assert paid.json["status"] == "PAID"
    clock.shift(30)
    again = client.post(path, json={"agent_id": AGENT, "code": totp_code(person)},
                        headers=agent)
    assert again.status_code == 409  # not CASH_READY any more
    assert any("Diem chi tra da giao" in body for body in outbox(app, person["phone"]))
    reconciled = client.get(f"{REQUESTS}/{requests[0]}/reconciliation",
                            headers=staff_login("treasury1")).json
    assert reconciled["outcomes"]["cash_paid"]["count"] == 1


def test_an_agents_report_is_imported_line_by_line(app, client, citizen, login_as,
                                                   staff_login):
    ready, _ = cash_ready(app, client, citizen, login_as, staff_login, ("plain", "plain"))
    (first, first_tokens, first_payment), (second, second_tokens, second_payment) = ready
    now = datetime.now(UTC)
    report = (
        "payment_id,agent_id,place,handed_at,code\n"
        f"{first_payment['id']},{AGENT},Quầy 3,{now.isoformat()},{totp_code(first, now)}\n"
        f"{second_payment['id']},{AGENT},Quầy 3,{now.isoformat()},000000\n"
        f"{second_payment['id']},NOBODY,Quầy 3,{now.isoformat()},{totp_code(second, now)}\n"
        f"999999,{AGENT},Quầy 3,{now.isoformat()},123456\n")
    answer = client.post("/api/v1/staff/cash-handovers", headers=staff_login("payroll1"),
                         data={"file": (io.BytesIO(report.encode()), "vnpost-1123.csv")},
                         content_type="multipart/form-data")
    assert answer.status_code == 201, answer.json
    assert answer.json["recorded"] == 1
    assert [line["reason"] for line in answer.json["refused"]] == [
        "CODE_INVALID", "UNKNOWN_AGENT", "UNKNOWN_PAYMENT"]
    assert status_of(client, first_tokens, first_payment["id"]) == "PAID"
    assert status_of(client, second_tokens, second_payment["id"]) == "CASH_READY"


def test_cash_not_collected_in_time_expires_and_shows_in_reconciliation(
        app, client, citizen, login_as, staff_login, clock):
    [(person, _, payment)], requests = cash_ready(app, client, citizen, login_as, staff_login)
    runner = app.test_cli_runner()
    assert "expired: 0" in runner.invoke(args=["cash", "expire"]).output
    clock.shift(31 * DAY)
    assert "expired: 1" in runner.invoke(args=["cash", "expire"]).output
    tokens = login_as(person)
    assert status_of(client, tokens, payment["id"]) == "EXPIRED"
    notices = client.get("/api/v1/me/notifications",
                         headers=bearer(tokens["access_token"])).json["items"]
    assert notices[0]["kind"] == "PAYMENT_EXPIRED"
    late = client.post(f"/api/v1/staff/payments/{payment['id']}/cash-paid",
                       json={"agent_id": AGENT, "code": totp_code(person)},
                       headers=staff_login("payroll1"))
    assert late.status_code == 409
    reconciled = client.get(f"{REQUESTS}/{requests[0]}/reconciliation",
                            headers=staff_login("treasury1")).json
    assert reconciled["outcomes"]["expired"]["count"] == 1


def test_the_expiry_reads_a_request_until_its_uncollected_cash_has_returned(
        app, client, citizen, login_as, staff_login, clock):
    """Approval gives the request its cash's deadline; the hourly expiry reads
    the payments of requests past it, and once their cash has expired, not again."""
    [(person, _, payment)], [request_id] = cash_ready(app, client, citizen, login_as,
                                                      staff_login)
    with app.app_context():
        deadline = db.session.get(Payment, payment["id"]).cash_deadline
        assert deadline is not None
        assert db.session.get(PaymentRequest, request_id).cash_deadline == deadline
    runner = app.test_cli_runner()
    clock.shift(31 * DAY)
    assert "expired: 1" in runner.invoke(args=["cash", "expire"]).output
    assert status_of(client, login_as(person), payment["id"]) == "EXPIRED"
    with app.app_context():
        assert db.session.get(PaymentRequest, request_id).cash_deadline is None
    assert "expired: 0" in runner.invoke(args=["cash", "expire"]).output


def test_a_cash_payment_says_where_when_and_until_when_to_collect(app, client, citizen,
                                                                  login_as, staff_login):
    [(person, tokens, payment), (_other, other_tokens, _)], _requests = cash_ready(
        app, client, citizen, login_as, staff_login, people=("plain", "plain"))
    path = f"/api/v1/me/payments/{payment['id']}/cash-collection"
    answer = client.get(path, headers=bearer(tokens["access_token"]))
    assert answer.status_code == 200, answer.json
    with app.app_context():
        deadline = db.session.get(Payment, payment["id"]).cash_deadline
        lives_in = integrations.current().population_register.find_person(
            person["personal_id"]).province_code
        serving = integrations.current().paying_agents.serving(lives_in)
    assert answer.json["status"] == "CASH_READY"
    assert answer.json["collect_by"] == deadline.isoformat()
    points = answer.json["paying_points"]
    assert [point["agent_id"] for point in points] == [agent.agent_id for agent in serving]
    assert points and all(point["name"] and point["address"] and point["hours"]
                          for point in points)
    # Nobody else's payment.
    assert client.get(path, headers=bearer(other_tokens["access_token"])).status_code == 404
