"""The case page shows a caller's links, payments and payment reports in staff words."""
from __future__ import annotations

import re

from tests.console.conftest import post_form
from tests.test_payment_reports import PAYMENTS, paid_month


def _case(client, person: dict) -> str:
    return post_form(client, "/console/cases", {"personal_id": person["personal_id"]},
                     token_from="/console/cases").get_data(as_text=True)


def test_the_case_lists_links_payments_and_reports(app, client, citizen, login_as,
                                                   staff_login, console_sign_in):
    payee, headers, payment, _other, _ = paid_month(app, client, citizen, login_as,
                                                    staff_login)
    opened = client.post(f"{PAYMENTS}/{payment['id']}/reports",
                         json={"kind": "not_received", "note": "Nothing reached my account"},
                         headers=headers)
    assert opened.status_code == 201, opened.json

    staff = app.test_client()
    console_sign_in(staff, "supervisor1")
    case = _case(staff, payee)
    [row] = re.findall(rf'<tr id="payment-{payment["id"]}">(.*?)</tr>', case, re.S)
    assert "Trợ cấp xã hội hằng tháng" in row and "10/2026" in row
    assert "1.500.000 ₫" in row and "Đã chi" in row and "Tài khoản ngân hàng" in row
    assert "Khoản chi trả gần đây (1/1)" in case
    [report] = re.findall(rf'<tr id="report-{opened.json["id"]}">(.*?)</tr>', case, re.S)
    assert "Chưa nhận được tiền" in report
    assert "Mới, chưa ai nhận" in report and "1.500.000 ₫" in report
    assert f'/console/payment-reports/{opened.json["id"]}"' in report
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", report)  # dates as staff write them
    assert '<span class="badge badge-active">Đang hoạt động</span>' in case  # the link
    for machine_word in ("PAID", "OPEN", "not_received", "2026-10<", "ACTIVE<"):
        assert machine_word not in case, machine_word

    post_form(staff, "/console/language", {"lang": "en"})
    english = _case(staff, payee)
    assert "Recent payments (1 of 1)" in english and "New, not taken" in english
    assert "Paid" in english


def test_a_caller_with_nothing_yet_is_told_so(app, clean_db, citizen, console_sign_in):
    staff = app.test_client()
    console_sign_in(staff, "reviewer1")
    case = _case(staff, citizen("plain"))
    assert "Chưa có khoản chi trả nào." in case and "Chưa có phản ánh nào." in case
