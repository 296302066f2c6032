"""Reviewer and supervisor pages, driven through the test client."""
from __future__ import annotations

import json

from backend import db
from backend.config import REPO_ROOT
from backend.models import AuditEntry
from tests.conftest import bearer
from tests.console.conftest import post_form
from tests.linking_helpers import LINKS
from tests.test_review import needs_review

ACCOUNT_NUMBERS = {account["account_number"] for account in json.loads(
    (REPO_ROOT / "fixtures" / "institution_accounts.json").read_text(encoding="utf-8"))}


def assert_no_full_account_number(page: str) -> None:
    assert not [number for number in ACCOUNT_NUMBERS if number in page]


def test_the_queue_shows_counts_and_filters(client, citizen, login_as, console_sign_in):
    _, _, link = needs_review(client, citizen, login_as)
    console_sign_in(client, "reviewer1")
    page = client.get("/console/queue").get_data(as_text=True)
    assert f"/console/requests/{link['id']}" in page
    assert "Cần cán bộ duyệt" in page and 'class="count">1<' in page
    assert_no_full_account_number(page)
    other_reason = client.get("/console/queue?reason=REGISTERS_DISAGREE").get_data(as_text=True)
    assert f"/console/requests/{link['id']}" not in other_reason
    bad = client.get("/console/queue?province=12345").get_data(as_text=True)
    assert "Bộ lọc không hợp lệ (province)" in bad


def test_request_page_shows_evidence_side_by_side(client, citizen, login_as, console_sign_in):
    person, _, link = needs_review(client, citizen, login_as)
    console_sign_in(client, "reviewer1")
    page = client.get(f"/console/requests/{link['id']}").get_data(as_text=True)
    assert person["full_name"] in page and "VO THI HANG" in page
    # The reason and the evidence in the staff's words, not machine codes.
    assert "Tên chủ tài khoản gần giống tên công dân" in page and "Cần xem xét" in page
    assert "Gần giống (khác chút ít)" in page and "Họ tên bỏ dấu để so sánh" in page
    for machine_word in ("HOLDER_NAME_MISMATCH", "register_name_folded", "comparison",
                         ">near<", ">citizen<", ">system<"):
        assert machine_word not in page
    assert "Chưa ai nhận yêu cầu này" in page
    assert_no_full_account_number(page)


def test_claim_approve_and_the_citizen_sees_it_active(client, citizen, login_as,
                                                      console_sign_in):
    _, tokens, link = needs_review(client, citizen, login_as)
    console_sign_in(client, "reviewer1")
    base = f"/console/requests/{link['id']}"
    unclaimed = post_form(client, f"{base}/approve", {"note": "Đã gọi xác nhận"})
    assert unclaimed.status_code == 409
    assert "hãy nhận yêu cầu trước khi quyết định" in unclaimed.get_data(as_text=True)
    assert post_form(client, f"{base}/claim").status_code == 302
    too_short = post_form(client, f"{base}/approve", {"note": "ok"})
    assert too_short.status_code == 422
    approved = post_form(client, f"{base}/approve", {"note": "Đã gọi xác nhận"})
    assert approved.status_code == 302
    assert "Đã phê duyệt" in client.get(approved.headers["Location"]).get_data(as_text=True)
    seen = client.get(f"{LINKS}/{link['id']}", headers=bearer(tokens["access_token"])).json
    assert seen["status"] == "ACTIVE"


def test_a_decision_on_someone_elses_request_is_refused_on_the_page(
        app, client, citizen, login_as, console_sign_in):
    _, _, link = needs_review(client, citizen, login_as, "registers_disagree")
    base = f"/console/requests/{link['id']}"
    console_sign_in(client, "reviewer1")
    post_form(client, f"{base}/claim")
    other = app.test_client()
    console_sign_in(other, "reviewer2")
    page = other.get(base).get_data(as_text=True)
    assert "Cán bộ reviewer1 đang giữ yêu cầu này" in page
    refused = post_form(other, f"{base}/reject",
                        {"reason": "REGISTER_DATA_UNRESOLVED", "note": "Ngày sinh lệch"})
    assert refused.status_code == 409
    assert "Không thực hiện được: cán bộ reviewer1 đang giữ yêu cầu này" in \
        refused.get_data(as_text=True)
    post_form(other, "/console/language", {"lang": "en"})
    refused_en = post_form(other, f"{base}/claim")
    assert "Refused: reviewer1 holds this request" in refused_en.get_data(as_text=True)
    # The holder rejects with a reason from the fixed list.
    rejected = post_form(client, f"{base}/reject",
                         {"reason": "REGISTER_DATA_UNRESOLVED", "note": "Ngày sinh lệch"})
    assert rejected.status_code == 302
    again = post_form(client, f"{base}/approve", {"note": "changed my mind"})
    assert again.status_code == 409 and "«Bị từ chối»" in again.get_data(as_text=True)


def test_case_look_up_is_masked_and_audited(app, client, citizen, login_as, console_sign_in):
    person, _, _ = needs_review(client, citizen, login_as)
    console_sign_in(client, "reviewer1")
    page = post_form(client, "/console/cases", {"personal_id": person["personal_id"]},
                     token_from="/console/cases")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and person["full_name"] in text
    assert "Lượt tra cứu này đã được ghi vào nhật ký kiểm toán." in text
    assert "•••• " + person["payout_account"]["account_number"][-4:] in text
    assert_no_full_account_number(text)
    with app.app_context():
        assert db.session.query(AuditEntry).filter_by(
            action="case.viewed", subject_personal_id=person["personal_id"],
            actor="staff:reviewer1").count() == 1
    mistyped = post_form(client, "/console/cases", {"personal_id": "12345"})
    assert mistyped.status_code == 422
    assert "phải gồm đúng 12 chữ số" in mistyped.get_data(as_text=True)


def test_supervisor_reads_the_audit_log_and_reassigns(app, client, citizen, login_as,
                                                      console_sign_in):
    _, _, link = needs_review(client, citizen, login_as)
    reviewer = app.test_client()
    console_sign_in(reviewer, "reviewer1")
    post_form(reviewer, f"/console/requests/{link['id']}/claim")
    console_sign_in(client, "supervisor1")
    log = client.get("/console/audit?actor=staff:reviewer1").get_data(as_text=True)
    claimed_row = '<code class="muted">review.claimed</code>'
    assert "Chuỗi nhật ký toàn vẹn" in log and claimed_row in log
    assert "Nhận yêu cầu" in log
    claims = client.get("/console/claims").get_data(as_text=True)
    assert "reviewer1" in claims
    unknown = post_form(client, f"/console/requests/{link['id']}/reassign", {"to": "nobody"})
    assert "không có cán bộ duyệt" in client.get(unknown.headers["Location"]).get_data(
        as_text=True)
    moved = post_form(client, f"/console/requests/{link['id']}/reassign", {"to": "reviewer2"})
    assert "Đã giao yêu cầu" in client.get(moved.headers["Location"]).get_data(as_text=True)
    assert '<code class="muted">review.reassigned</code>' in client.get(
        "/console/audit?action=review.reassigned").get_data(as_text=True)
    today = client.get("/console/audit?since=2026-11-23&until=2026-11-23").get_data(as_text=True)
    assert claimed_row in today
    before = client.get("/console/audit?until=2026-11-22").get_data(as_text=True)
    assert claimed_row not in before
