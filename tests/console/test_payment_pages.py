"""Treasury control, reconciliation and coverage pages, through the test client."""
from __future__ import annotations

import pytest

from tests.console.conftest import csrf_token_of, post_form, request_of
from tests.console.test_review_pages import assert_no_full_account_number
from tests.payment_helpers import REQUESTS, deliver_callbacks
from tests.test_cash_agents import cash_ready

LIST = "/console/payment-requests"


def _pages(request_id: int) -> dict[str, str]:
    return {"list": LIST, "request": f"{LIST}/{request_id}",
            "reconciliation": f"{LIST}/{request_id}/reconciliation",
            "reconciliation_csv": f"{LIST}/{request_id}/reconciliation.csv",
            "coverage": "/console/coverage"}


@pytest.mark.parametrize("username, allowed", [
    ("treasury1", {"list", "request", "reconciliation", "reconciliation_csv", "coverage"}),
    ("supervisor1", {"list", "request", "reconciliation", "reconciliation_csv", "coverage"}),
    ("payroll1", {"list", "request", "coverage"}),
    ("reviewer1", set()),
])
def test_each_role_sees_only_its_payment_pages(client, console_sign_in, payroll_built,
                                               username, allowed):
    requests, _ = payroll_built()
    request_id = requests[0]["id"]
    console_sign_in(client, username)
    home = client.get("/console/").get_data(as_text=True)
    assert ("Yêu cầu chi trả" in home) == ("list" in allowed)
    assert ("Độ phủ không dùng tiền mặt" in home) == ("coverage" in allowed)
    for name, path in _pages(request_id).items():
        page = client.get(path)
        assert page.status_code == (200 if name in allowed else 403), (name, page.status_code)
        assert_no_full_account_number(page.get_data(as_text=True))
    batch = client.get("/console/payment-batches/social_allowance/2026-10")
    assert batch.status_code == (200 if "list" in allowed else 403)
    if username != "treasury1":  # decisions and dispatch are the Treasury's alone
        for action in ("approve", "reject", "dispatch"):
            refused = post_form(client, f"{LIST}/{request_id}/{action}",
                                {"reasons": "OTHER", "note": "not mine to decide"})
            assert refused.status_code == 403, action
        for action in ("approve", "reject", "dispatch"):
            refused = post_form(client, f"/console/payment-batches/social_allowance/2026-10/"
                                f"{action}", {"reasons": "OTHER", "note": "not mine to decide"})
            assert refused.status_code == 403, action


def test_treasury_forms_need_a_csrf_token(client, console_sign_in, payroll_built):
    requests, _ = payroll_built()
    request_id = requests[0]["id"]
    console_sign_in(client, "treasury1")
    for action in ("approve", "reject", "dispatch"):
        path = f"{LIST}/{request_id}/{action}"
        assert client.post(path, data={"reasons": "OTHER", "note": "x" * 5}).status_code == 400
        assert client.post(path, data={"csrf_token": "forged"}).status_code == 400
    assert "Chờ Kho bạc kiểm soát" in client.get(f"{LIST}/{request_id}").get_data(as_text=True)


def test_approve_dispatch_and_reconcile(app, client, console_sign_in, payroll_built):
    requests, people = payroll_built()
    request_id = request_of(requests, people["bank"])["id"]
    base = f"{LIST}/{request_id}"
    console_sign_in(client, "treasury1")
    page = client.get(base).get_data(as_text=True)
    assert "Số khoản và tổng tiền khớp" in page and "Khớp" in page
    assert "Tài khoản ngân hàng" in page  # destinations by kind
    too_early = post_form(client, f"{base}/dispatch")
    assert too_early.status_code == 409
    assert "chỉ gửi yêu cầu đã được phê duyệt" in too_early.get_data(as_text=True)

    approved = post_form(client, f"{base}/approve")
    assert approved.status_code == 302
    assert "Đã phê duyệt yêu cầu chi trả" in client.get(base).get_data(as_text=True)
    again = post_form(client, f"{base}/approve")
    assert again.status_code == 409
    assert "yêu cầu đã ở trạng thái «Đã phê duyệt»" in again.get_data(as_text=True)
    post_form(client, "/console/language", {"lang": "en"})
    again_en = post_form(client, f"{base}/reject", {"reasons": "OTHER", "note": "too late"})
    assert again_en.status_code == 409
    assert "Refused: the request is already “Approved”" in again_en.get_data(as_text=True)
    post_form(client, "/console/language", {"lang": "vi"})

    sent = post_form(client, f"{base}/dispatch")
    assert sent.status_code == 302
    assert "Đã gửi 1 tệp, 1 khoản thanh toán." in client.get(base).get_data(as_text=True)
    before = client.get(f"{base}/reconciliation").get_data(as_text=True)
    assert "Chưa có kết quả từ ngân hàng" in before  # sent, no callback yet
    deliver_callbacks(app, client)
    after = client.get(f"{base}/reconciliation").get_data(as_text=True)
    assert "Không có chênh lệch nào." in after
    assert 'id="outcome-paid"><th scope="row">Đã chi vào tài khoản</th><td class="number">1<' \
        in after
    assert_no_full_account_number(after)
    assert 'id="export-csv"' in after
    exported = client.get(f"{base}/reconciliation.csv")
    assert exported.mimetype == "text/csv"
    lines = exported.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "section,kind,end_to_end_id,count,amount_vnd,reported_amount_vnd,source"
    assert any(line.startswith("outcome,paid,,1,") for line in lines)
    assert any(line.startswith("settled_by,,,1,") and line.endswith(",callback")
               for line in lines)
    assert_no_full_account_number(exported.get_data(as_text=True))


def test_reject_needs_reasons_and_a_note(client, console_sign_in, payroll_built, staff_login):
    requests, _ = payroll_built()
    request_id = requests[0]["id"]
    base = f"{LIST}/{request_id}"
    console_sign_in(client, "treasury1")
    nothing = post_form(client, f"{base}/reject", {"note": "no reason given"})
    assert nothing.status_code == 422
    assert "chọn ít nhất một lý do" in nothing.get_data(as_text=True)
    rejected = client.post(f"{base}/reject", data={
        "csrf_token": csrf_token_of(client, base), "note": "Chưa có dự toán quý IV",
        "reasons": ["BUDGET_NOT_AVAILABLE", "OTHER"]})
    assert rejected.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "quyết định: staff:treasury1" in page and "«Bị từ chối»" in page
    assert "Chưa có dự toán ngân sách" in page
    seen = client.get(f"{REQUESTS}/{request_id}", headers=staff_login("treasury1")).json
    assert seen["status"] == "REJECTED"
    assert seen["decision_reasons"] == ["BUDGET_NOT_AVAILABLE", "OTHER"]


def test_coverage_shows_charts_and_tables(client, console_sign_in, payroll_built):
    payroll_built()
    console_sign_in(client, "supervisor1")
    page = client.get("/console/coverage").get_data(as_text=True)
    assert page.count("<svg") == 1  # nothing paid yet: no cashless chart
    assert "Mục tiêu 30 %" in page and 'id="linked"' in page
    assert "Chưa có số liệu." in page
    assert "<script" not in page and "style=" not in page
    assert_no_full_account_number(page)


def test_a_cash_only_request_offers_no_bank_file(app, client, citizen, login_as, staff_login,
                                                 console_sign_in):
    _ready, [request_id] = cash_ready(app, client, citizen, login_as, staff_login)
    console_sign_in(client, "treasury1")
    page = client.get(f"{LIST}/{request_id}").get_data(as_text=True)
    assert 'id="cash-only"' in page
    assert 'id="dispatch"' not in page  # nothing to send to a bank
