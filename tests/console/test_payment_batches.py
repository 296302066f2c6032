"""Treasury batches: a programme's period, its provinces inside, one decision for all."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from backend import db
from backend.models import AuditEntry, Payment
from tests.console.conftest import csrf_token_of, post_form, request_of
from tests.payment_helpers import REQUESTS, build_requests, claim, payroll_csv, upload

LIST = "/console/payment-requests"
BATCH = "/console/payment-batches/social_allowance/2026-10"


def _three_provinces(client, citizen, staff_login) -> dict[str, dict]:
    """One month of one programme in three provinces: three requests, one batch."""
    officer = staff_login("payroll1")
    imported = upload(client, officer, payroll_csv([
        claim(citizen("plain", 0), province="079"),
        claim(citizen("plain", 1), province="001", amount=2_000_000),
        claim(citizen("plain", 2), province="048", amount=500_000)]))
    assert imported.status_code == 201, imported.json
    return {request["province_code"]: request for request in build_requests(client, officer)}


def _statuses(client, staff_login) -> dict[str, str]:
    return {request["province_code"]: request["status"] for request in client.get(
        f"{REQUESTS}?period=2026-10", headers=staff_login("treasury1")).json["items"]}


def _audited(app, action: str) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(AuditEntry.target)
                                      .where(AuditEntry.action == action)))


def test_the_list_shows_one_row_per_batch_with_its_provinces(client, citizen, staff_login,
                                                             console_sign_in):
    by_province = _three_provinces(client, citizen, staff_login)
    console_sign_in(client, "treasury1")
    page = client.get(LIST).get_data(as_text=True)
    [row] = [row.split("</tr>")[0] for row in page.split("<tr>") if BATCH in row]
    assert "Trợ cấp xã hội" in row and "10/2026" in row
    assert '<td class="number">3</td>' in row  # provinces
    assert "4.000.000 ₫" in row
    assert "Chờ Kho bạc kiểm soát: 3" in row and "3/3 yêu cầu đạt" in row
    batch = client.get(BATCH).get_data(as_text=True)
    for province, request in by_province.items():
        assert f'{LIST}/{request["id"]}"' in batch, province
    assert "079 · " in batch and 'id="batch-provinces">3<' in batch
    assert "Không có yêu cầu chi trả nào" in client.get(f"{LIST}?status=APPROVED").get_data(
        as_text=True)
    assert "Bộ lọc không hợp lệ (status)" in client.get(f"{LIST}?status=PAID").get_data(
        as_text=True)
    post_form(client, "/console/language", {"lang": "en"})
    english = client.get(LIST).get_data(as_text=True)
    assert "Monthly social-protection allowance" in english
    assert "3 of 3 requests sound" in english


def test_one_decision_approves_every_sound_request_and_audits_each(app, client, citizen,
                                                                   staff_login,
                                                                   console_sign_in):
    by_province = _three_provinces(client, citizen, staff_login)
    changed = by_province["048"]["id"]
    with app.app_context():  # a payment of one request changed after it was built
        db.session.execute(update(Payment).where(Payment.request_id == changed)
                           .values(amount_vnd=Payment.amount_vnd + 1))
        db.session.commit()
    console_sign_in(client, "treasury1")
    before = client.get(BATCH).get_data(as_text=True)
    assert "2/3 yêu cầu đạt" in before and "1 yêu cầu lệch số khoản hoặc tổng tiền" in before
    assert "Phê duyệt 2 yêu cầu" in before
    [to_look_at] = re.findall(r'<ul id="to-look-at">(.*?)</ul>', before, re.S)
    assert f'{LIST}/{changed}"' in to_look_at and "048 · " in to_look_at
    assert "Số khoản, tổng tiền hoặc mã kiểm tra không còn khớp" in to_look_at

    approved = post_form(client, f"{BATCH}/approve", token_from=BATCH)
    assert approved.status_code == 302
    after = client.get(BATCH).get_data(as_text=True)
    assert "Đã phê duyệt 2 yêu cầu của đợt." in after
    assert f"Số khoản, tổng tiền hoặc mã kiểm tra không còn khớp: #{changed}" in after
    assert _statuses(client, staff_login) == {"079": "APPROVED", "001": "APPROVED",
                                              "048": "SUBMITTED"}
    assert _audited(app, "treasury.approved") == {
        f"payment_request:{by_province[province]['id']}" for province in ("079", "001")}
    # The request left is still decided on its own page.
    assert 'id="approve"' in client.get(f"{LIST}/{changed}").get_data(as_text=True)


@pytest.fixture
def budget_of_1_000_000(client, staff_login):
    """The programme's budget for a test; the programmes outlive a test, so it is lifted after."""
    def set_budget(budget_vnd: int | None) -> None:
        answer = client.patch("/api/v1/staff/programmes/social_allowance",
                              json={"budget_vnd": budget_vnd},
                              headers=staff_login("programmes1"))
        assert answer.status_code == 200, answer.json
    set_budget(1_000_000)
    yield
    set_budget(None)


def test_a_batch_the_budget_does_not_cover_is_refused(app, client, citizen, staff_login,
                                                      console_sign_in, budget_of_1_000_000):
    _three_provinces(client, citizen, staff_login)
    console_sign_in(client, "treasury1")
    page = client.get(BATCH).get_data(as_text=True)
    assert "0/3 yêu cầu đạt" in page and "3 yêu cầu vượt ngân sách" in page
    assert 'id="none-sound"' in page and 'id="approve"' not in page
    assert "ngân sách 1.000.000 ₫, đã duyệt 0 ₫, các yêu cầu đang chờ 4.000.000 ₫" in page
    refused = post_form(client, f"{BATCH}/approve", token_from=BATCH)
    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert "Chưa phê duyệt yêu cầu nào" in text and "Ngân sách của chế độ không đủ" in text
    assert set(_statuses(client, staff_login).values()) == {"SUBMITTED"}
    assert not _audited(app, "treasury.approved")


def test_one_decision_rejects_the_batch_with_a_note(app, client, citizen, staff_login,
                                                    console_sign_in):
    by_province = _three_provinces(client, citizen, staff_login)
    console_sign_in(client, "treasury1")
    no_note = post_form(client, f"{BATCH}/reject", {"reasons": "OTHER"}, token_from=BATCH)
    assert no_note.status_code == 422
    assert 'value="OTHER" checked' in no_note.get_data(as_text=True)  # the ticks are kept
    assert set(_statuses(client, staff_login).values()) == {"SUBMITTED"}
    rejected = client.post(f"{BATCH}/reject", data={
        "csrf_token": csrf_token_of(client, BATCH), "note": "Chưa có dự toán quý IV",
        "reasons": ["BUDGET_NOT_AVAILABLE", "OTHER"]})
    assert rejected.status_code == 302
    page = client.get(BATCH).get_data(as_text=True)
    assert "Đã từ chối 3 yêu cầu của đợt." in page and "Bị từ chối: 3" in page
    assert 'id="approve"' not in page  # nothing left to decide
    assert set(_statuses(client, staff_login).values()) == {"REJECTED"}
    assert _audited(app, "treasury.rejected") == {
        f"payment_request:{request['id']}" for request in by_province.values()}
    again = post_form(client, f"{BATCH}/reject", {"reasons": "OTHER", "note": "again"},
                      token_from=BATCH)
    assert again.status_code == 409


def test_the_batch_sends_its_bank_files_and_none_for_cash(client, console_sign_in,
                                                          payroll_built, staff_login):
    requests, people = payroll_built()  # one province paid into a bank, one in cash
    bank, cash = (request_of(requests, people[kind])["id"] for kind in ("bank", "cash"))
    console_sign_in(client, "treasury1")
    assert 'id="dispatch"' not in client.get(BATCH).get_data(as_text=True)  # not approved
    assert post_form(client, f"{BATCH}/approve", token_from=BATCH).status_code == 302
    page = client.get(BATCH).get_data(as_text=True)
    assert "Gửi tệp của 1 yêu cầu" in page  # the cash-only request has no bank file
    [cash_row] = re.findall(rf'<tr id="request-{cash}">(.*?)</tr>', page, re.S)
    assert "Chỉ tiền mặt, không có tệp ngân hàng" in cash_row

    sent = post_form(client, f"{BATCH}/dispatch", token_from=BATCH)
    assert sent.status_code == 302
    page = client.get(BATCH).get_data(as_text=True)
    assert "Đã gửi 1 tệp, 1 khoản thanh toán của 1 yêu cầu." in page
    assert 'id="dispatch"' not in page
    statuses = {request["id"]: request["status"] for request in client.get(
        f"{REQUESTS}?period=2026-10", headers=staff_login("treasury1")).json["items"]}
    assert statuses == {bank: "DISPATCHED", cash: "APPROVED"}
    assert post_form(client, f"{BATCH}/dispatch", token_from=BATCH).status_code == 409
