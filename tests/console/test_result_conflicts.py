"""Contradicting bank results open a staff case (issue 14): in the console and /metrics."""
from __future__ import annotations

import json
import re

from backend import db
from backend.integrations.signatures import sign
from backend.models import Payment
from tests.console.conftest import request_of
from tests.payment_helpers import approve_and_dispatch

CALLBACKS = "/api/v1/bank-gateway/callbacks"


def conflicting_results_counted(client) -> float:
    text = client.get("/metrics").get_data(as_text=True)
    return float(re.search(r"^ssa_conflicting_results_total (\S+)$", text, re.M).group(1))


def signed_callback(app, client, body: dict):
    raw = json.dumps(body).encode()
    return client.post(CALLBACKS, data=raw, content_type="application/json",
                       headers={"X-Gateway-Signature": sign(app.config["BANK_GATEWAY_SECRET"],
                                                            raw)})


def test_a_rejection_after_a_settlement_opens_one_case_for_staff(
        app, client, console_sign_in, payroll_built, staff_login):
    requests, people = payroll_built()
    request_id = request_of(requests, people["bank"])["id"]
    approve_and_dispatch(app, client, staff_login("treasury1"), [request_id])
    before = conflicting_results_counted(client)
    console_sign_in(client, "treasury1")
    assert "Không có kết quả mâu thuẫn nào." in client.get(
        "/console/result-conflicts").get_data(as_text=True)
    payment = client.get(f"/api/v1/staff/payment-requests/{request_id}/reconciliation",
                         headers=staff_login("treasury1")).json
    assert payment["outcomes"]["paid"]["count"] == 1
    with app.app_context():
        paid = db.session.query(Payment).filter_by(request_id=request_id).one()
        e2e, amount = paid.end_to_end_id, paid.amount_vnd

    for transaction in ("late-rejection", "late-rejection", "another-rejection"):
        answer = signed_callback(app, client, {
            "transaction_id": transaction, "end_to_end_id": e2e, "status": "REJECTED",
            "reason_code": "AC04", "amount_vnd": amount})
        assert answer.status_code == 200

    # One case for the payment however many contradicting results came, counted once.
    assert conflicting_results_counted(client) == before + 1
    listed = client.get("/console/result-conflicts").get_data(as_text=True)
    assert listed.count(f"<code>{e2e}</code>") == 1
    assert "Kết quả ngân hàng mâu thuẫn" in listed and "AC04" in listed
    assert f"/console/payment-requests/{request_id}" in listed
    request_page = client.get(f"/console/payment-requests/{request_id}").get_data(as_text=True)
    assert 'id="result-conflicts"' in request_page and e2e in request_page
    # Still paid once.
    with app.app_context():
        assert db.session.get(Payment, paid.id).status == "PAID"


def test_only_treasury_and_supervisors_see_the_cases(app, clean_db, console_sign_in):
    for username, status in (("supervisor1", 200), ("reviewer1", 403), ("payroll1", 403)):
        browser = app.test_client()
        console_sign_in(browser, username)
        assert browser.get("/console/result-conflicts").status_code == status, username
