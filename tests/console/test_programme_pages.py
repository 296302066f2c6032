"""Programmes in the console: the list with totals, the administrator's forms, the
budget at Treasury control, and one-off programmes in coverage."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from backend import db
from backend.models import AuditEntry, Programme
from tests.console.conftest import post_form
from tests.payment_helpers import build_requests

PAGE = "/console/programmes"
GIFT = {"code": "national_day_2025", "name_vi": "Quà Quốc khánh 2025",
        "name_en": "National Day gift 2025", "kind": "one_off", "label": "QK2025",
        "budget_vnd": "150000"}


@pytest.fixture(autouse=True)
def fixture_programmes_only(app):
    """Programmes are reference data the suite keeps between tests: drop those made here."""
    yield
    with app.app_context():
        db.session.execute(delete(Programme).where(Programme.kind == "one_off"))
        db.session.commit()


def test_the_programme_admin_creates_changes_and_closes(app, client, console_sign_in):
    console_sign_in(client, "programmes1")
    home = client.get("/console/").get_data(as_text=True)
    assert "Chương trình" in home
    created = post_form(client, PAGE, GIFT, token_from=PAGE)
    assert created.status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "Đã tạo chương trình national_day_2025." in page
    assert "Quà Quốc khánh 2025" in page and "QK2025" in page and "Một lần" in page
    assert "Lương hưu" in page  # the fixtures' recurring programmes too

    bad = post_form(client, PAGE, {**GIFT, "code": "gift_two", "label": "2025-09"},
                    token_from=PAGE)
    assert bad.status_code == 422 and "label" in bad.get_data(as_text=True)
    changed = post_form(client, f"{PAGE}/national_day_2025/budget", {"budget_vnd": "900000"},
                        token_from=PAGE)
    assert changed.status_code == 302
    closed = post_form(client, f"{PAGE}/national_day_2025/close", token_from=PAGE)
    assert closed.status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "Đã đóng" in page
    with app.app_context():
        programme = db.session.get(Programme, "national_day_2025")
        assert programme.budget_vnd == 900_000 and programme.status == "closed"
        assert list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.target == "programme:national_day_2025").order_by(AuditEntry.id))) == [
            "programme.created", "programme.changed", "programme.closed"]


@pytest.mark.parametrize("username, sees, manages", [
    ("treasury1", True, False), ("payroll1", True, False), ("supervisor1", True, False),
    ("reviewer1", False, False)])
def test_only_the_programme_admin_manages(client, console_sign_in, username, sees, manages):
    console_sign_in(client, username)
    page = client.get(PAGE)
    assert page.status_code == (200 if sees else 403)
    assert ("Tạo chương trình" in page.get_data(as_text=True)) == manages
    refused = post_form(client, PAGE, GIFT)
    assert refused.status_code == 403
    assert post_form(client, f"{PAGE}/pension/close").status_code == 403


def test_control_shows_the_budget_and_refuses_what_it_does_not_cover(
        app, client, console_sign_in, staff_login):
    admin = staff_login("programmes1")
    assert client.post("/api/v1/staff/programmes", json={**GIFT, "budget_vnd": 150_000},
                       headers=admin).status_code == 201
    built = client.post("/api/v1/staff/programmes/national_day_2025/disbursements", json={
        "eligibility": "all_level2", "amount_vnd": 100_000, "date": "2025-09-02"},
        headers=admin)
    assert built.status_code == 201
    requests = build_requests(client, staff_login("payroll1"), period="QK2025")
    big = max(requests, key=lambda request: request["total_vnd"])
    assert big["total_vnd"] > 150_000
    console_sign_in(client, "treasury1")
    address = f"/console/payment-requests/{big['id']}"
    page = client.get(address).get_data(as_text=True)
    assert "Ngân sách chương trình" in page and "Không đủ" in page
    assert "Quà Quốc khánh 2025" in page  # a programme made by staff, by its name
    refused = post_form(client, f"{address}/approve", token_from=address)
    assert refused.status_code == 409
    assert "ngân sách của chương trình không đủ" in refused.get_data(as_text=True)

    supervisor = app.test_client()
    console_sign_in(supervisor, "supervisor1")
    coverage = supervisor.get("/console/coverage?programme=national_day_2025").get_data(
        as_text=True)
    assert 'id="linked"' in coverage and "national_day_2025" in coverage


def test_the_programme_admin_renames_a_programme_and_pages_follow(app, client, console_sign_in,
                                                                  staff_login):
    assert client.post("/api/v1/staff/programmes", json={**GIFT, "budget_vnd": 150_000},
                       headers=staff_login("programmes1")).status_code == 201
    console_sign_in(client, "programmes1")
    renamed = post_form(client, f"{PAGE}/national_day_2025/names", {
        "name_vi": "Quà tặng Quốc khánh 2/9/2025", "name_en": "National Day gift, 2 Sep 2025"},
        token_from=PAGE)
    assert renamed.status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "Quà tặng Quốc khánh 2/9/2025" in page and "Đã đổi tên chế độ" in page
    too_short = post_form(client, f"{PAGE}/national_day_2025/names",
                          {"name_vi": "Q", "name_en": "National Day gift"}, token_from=PAGE)
    assert too_short.status_code == 422
    with app.app_context():
        assert db.session.get(Programme, "national_day_2025").name_vi == \
            "Quà tặng Quốc khánh 2/9/2025"
        audited = db.session.scalars(select(AuditEntry).where(
            AuditEntry.target == "programme:national_day_2025")).all()
        assert any("Quà tặng Quốc khánh 2/9/2025" in str(entry.details) for entry in audited)
