"""Console pages of issue 17: the officer's ID card check of a lost-phone recovery,
and support answering a citizen's payment problem report."""
from __future__ import annotations

import re

from tests.console.conftest import post_form
from tests.test_payment_reports import PAYMENTS, paid_month


def test_an_officer_checks_the_card_and_approves_a_recovery(app, client, citizen,
                                                           console_sign_in):
    person = citizen("clean_bank_link")
    started = client.post("/api/v1/auth/recovery", json={
        "personal_id": person["personal_id"], "password": person["password"]})
    token = started.json["recovery_token"]
    console_sign_in(client, "officer1")
    page = client.get(f"/console/recoveries?personal_id={person['personal_id']}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and person["full_name"] in text
    recovery_id = int(re.search(r"/console/recoveries/(\d+)/approve", text).group(1))
    wrong = post_form(client, f"/console/recoveries/{recovery_id}/approve",
                      {"card_personal_id": "001099012345", "note": "card seen"})
    assert "không trùng" in client.get(wrong.headers["Location"]).get_data(as_text=True)
    assert client.post("/api/v1/auth/recovery/enrolment",
                       json={"recovery_token": token}).status_code == 409
    done = post_form(client, f"/console/recoveries/{recovery_id}/approve",
                     {"card_personal_id": person["personal_id"], "note": "CCCD checked"})
    assert f"#{recovery_id}" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert client.post("/api/v1/auth/recovery/enrolment",
                       json={"recovery_token": token}).status_code == 200


def test_support_answers_a_report_in_the_console_and_the_citizen_reads_it(
        app, client, citizen, login_as, staff_login, clock, console_sign_in):
    payee, headers, payment, other, other_headers = paid_month(app, client, citizen, login_as,
                                                               staff_login)
    opened = client.post(f"{PAYMENTS}/{payment['id']}/reports", headers=headers,
                         json={"kind": "not_received", "note": "Chưa thấy tiền về"}).json
    console_sign_in(client, "support1")
    queue = client.get("/console/payment-reports").get_data(as_text=True)
    assert f"/console/payment-reports/{opened['id']}" in queue and "Chưa nhận được tiền" in queue
    case = client.get(f"/console/payment-reports/{opened['id']}").get_data(as_text=True)
    assert "Chưa thấy tiền về" in case and "Ngân hàng đã ghi có" in case and "Đã chi" in case
    # Staff words, not the machine's: statuses and actors are labelled.
    assert not re.search(r"\b(SETTLED|PAID|SENT|OPEN|IN_PROGRESS|None)\b", case)
    assert not re.search(r"\b(OPEN|IN_PROGRESS)\b", queue)
    empty = post_form(client, f"/console/payment-reports/{opened['id']}/answer", {"answer": ""})
    assert "ít nhất 3" in client.get(empty.headers["Location"]).get_data(as_text=True)
    post_form(client, f"/console/payment-reports/{opened['id']}/take", {})
    answered = post_form(client, f"/console/payment-reports/{opened['id']}/answer",
                         {"answer": "Ngân hàng đã ghi có ngày 05."})
    assert "Đã gửi trả lời" in client.get(answered.headers["Location"]).get_data(as_text=True)
    shown = client.get(f"{PAYMENTS}/{payment['id']}", headers=headers).json["reports"]
    assert shown[0]["answer"] == "Ngân hàng đã ghi có ngày 05."

    # Supervisors see what is overdue, flagged.
    late = client.post(f"{PAYMENTS}/{payment['id']}/reports", headers=headers,
                       json={"kind": "wrong_amount", "note": "thiếu tiền"}).json
    clock.shift(app.config["PAYMENT_REPORT_TIME_LIMIT"].total_seconds() + 3600)
    console_sign_in(client, "supervisor1")
    overdue = client.get("/console/payment-reports?overdue=1").get_data(as_text=True)
    assert f"#{late['id']}" in overdue and "Quá hạn" in overdue
    assert post_form(client, f"/console/payment-reports/{late['id']}/take", {}).status_code == 403
