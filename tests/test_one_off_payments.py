"""One-off programmes: staff create them, a disbursement pays a population once."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from backend import db
from backend.models import AuditEntry, Payment, Programme
from tests.conftest import FIXTURES, bearer
from tests.payment_helpers import REQUESTS, approve_and_dispatch, build_requests

PROGRAMMES = "/api/v1/staff/programmes"
GIFT = {"code": "national_day_2025", "name_vi": "Quà Quốc khánh 2025",
        "name_en": "National Day gift 2025", "kind": "one_off", "label": "QK2025",
        "budget_vnd": 10_000_000}
ALL_LEVEL2 = {"eligibility": "all_level2", "amount_vnd": 100_000, "date": "2025-09-02"}


@pytest.fixture(autouse=True)
def fixture_programmes_only(app):
    """Programmes are reference data the suite keeps between tests: drop those made here."""
    yield
    with app.app_context():
        db.session.execute(delete(Programme).where(Programme.kind == "one_off"))
        db.session.commit()


def level2_alive(demo_citizens) -> list[dict]:
    return [person for person in demo_citizens
            if person["level"] == 2 and person["case"] != "deceased"]


def create_gift(client, admin, **changes):
    answer = client.post(PROGRAMMES, json=GIFT | changes, headers=admin)
    assert answer.status_code == 201, answer.json
    return answer.json


def disburse(client, admin, terms=ALL_LEVEL2, code=GIFT["code"]):
    return client.post(f"{PROGRAMMES}/{code}/disbursements", json=terms, headers=admin)


def payments_of(app, personal_id: str) -> list[Payment]:
    with app.app_context():
        return list(db.session.scalars(select(Payment).where(
            Payment.personal_id == personal_id, Payment.programme == GIFT["code"])))


def test_only_a_programme_admin_manages_programmes(client, staff_login, login_as, citizen, app):
    for username in ("reviewer1", "treasury1", "payroll1"):
        refused = client.post(PROGRAMMES, json=GIFT, headers=staff_login(username))
        assert refused.status_code == 403 and refused.json["code"] == "FORBIDDEN"
    tokens = login_as(citizen("plain"))
    assert client.post(PROGRAMMES, json=GIFT, headers=bearer(
        tokens["access_token"])).json["code"] == "FORBIDDEN"
    reviewer = staff_login("reviewer1")
    assert disburse(client, reviewer).json["code"] == "FORBIDDEN"
    assert client.post(f"{PROGRAMMES}/pension/close", headers=reviewer).status_code == 403

    admin = staff_login("programmes1")
    created = create_gift(client, admin)
    assert created["status"] == "open" and created["label"] == "QK2025"
    changed = client.patch(f"{PROGRAMMES}/{GIFT['code']}", json={"budget_vnd": 5_000_000},
                           headers=admin)
    assert changed.status_code == 200 and changed.json["budget_vnd"] == 5_000_000
    assert client.post(f"{PROGRAMMES}/{GIFT['code']}/close",
                       headers=admin).json["status"] == "closed"
    assert disburse(client, admin).status_code == 409
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.target == f"programme:{GIFT['code']}").order_by(AuditEntry.id)))
    assert actions == ["programme.created", "programme.changed", "programme.closed"]


def test_bad_programmes_are_refused(client, staff_login):
    admin = staff_login("programmes1")
    no_label = client.post(PROGRAMMES, json={**GIFT, "label": None}, headers=admin)
    assert no_label.status_code == 422 and "label" in no_label.json["details"]
    a_month = client.post(PROGRAMMES, json={**GIFT, "label": "2025-09"}, headers=admin)
    assert a_month.status_code == 422
    create_gift(client, admin)
    again = client.post(PROGRAMMES, json=GIFT, headers=admin)
    assert again.status_code == 409 and again.json["code"] == "CONFLICT"
    recurring = disburse(client, admin, code="pension")
    assert recurring.status_code == 409


def test_a_one_off_pays_every_eligible_citizen_once(app, client, staff_login, login_as,
                                                    citizen, demo_citizens):
    admin = staff_login("programmes1")
    create_gift(client, admin)
    built = disburse(client, admin)
    assert built.status_code == 201, built.json
    eligible = level2_alive(demo_citizens)
    assert built.json["new_payments"] == len(eligible)
    assert built.json["total_vnd"] == 100_000 * len(eligible)
    assert built.json["period"] == "QK2025"

    # The same build, and another population that includes them, create nothing new for them.
    again = disburse(client, admin)
    assert again.status_code == 201 and again.json["already_built"]
    assert again.json["new_payments"] == 0
    listed = disburse(client, admin, {**ALL_LEVEL2, "eligibility": "list", "personal_ids": [
        person["personal_id"] for person in demo_citizens]})
    assert listed.status_code == 201 and listed.json["new_payments"] == 2  # the two level 1
    deceased = citizen("deceased")
    assert payments_of(app, deceased["personal_id"]) == []
    for person in eligible:
        assert len(payments_of(app, person["personal_id"])) == 1, person["case"]

    officer, treasurer = staff_login("payroll1"), staff_login("treasury1")
    requests = build_requests(client, officer, period="QK2025")
    assert sum(request["count"] for request in requests) == len(eligible) + 2
    approve_and_dispatch(app, client, treasurer, [request["id"] for request in requests])

    linked = citizen("has_payment_history")
    tokens = login_as(linked)
    history = client.get("/api/v1/me/payments", headers={
        **bearer(tokens["access_token"]), "Accept-Language": "en"}).json["items"]
    gift = [item for item in history if item["programme"] == GIFT["code"]]
    assert len(gift) == 1
    assert gift[0]["status"] == "PAID" and gift[0]["period"] == "QK2025"
    assert gift[0]["programme_name"] == "National Day gift 2025"
    assert gift[0]["destination"]["kind"] != "cash"
    of_2025 = client.get("/api/v1/me/payments?year=2025", headers=bearer(
        tokens["access_token"])).json
    assert [item["programme"] for item in of_2025["items"]] == [GIFT["code"]]
    assert {"year": 2025, "paid_count": 1, "paid_vnd": 100_000} in of_2025["totals_by_year"]
    plain = payments_of(app, citizen("plain")["personal_id"])
    assert [(payment.destination_kind, payment.status) for payment in plain] == \
        [("cash", "CASH_READY")]

    totals = client.get(PROGRAMMES, headers=admin).json["items"]
    gift_totals = next(item for item in totals if item["code"] == GIFT["code"])
    assert gift_totals["payments"] == len(eligible) + 2
    assert gift_totals["paid"] == 2  # the two linked accounts; the rest wait in cash


def test_a_budget_too_small_is_refused_at_control(app, client, staff_login, demo_citizens):
    admin = staff_login("programmes1")
    create_gift(client, admin, budget_vnd=300_000)
    assert disburse(client, admin).status_code == 201
    requests = build_requests(client, staff_login("payroll1"), period="QK2025")
    treasurer = staff_login("treasury1")
    refused = [client.post(f"{REQUESTS}/{request['id']}/approve", headers=treasurer)
               for request in requests]
    assert any(answer.status_code == 409 and
               answer.json["details"]["reason"] == ["BUDGET_NOT_AVAILABLE"]
               for answer in refused)
    approved = sum(answer.json["total_vnd"] for answer in refused if answer.status_code == 200)
    assert approved <= 300_000
    first_refused = next(request for request, answer in zip(requests, refused, strict=True)
                         if answer.status_code == 409)
    detail = client.get(f"{REQUESTS}/{first_refused['id']}", headers=treasurer).json
    assert detail["findings"]["budget"]["covered"] is False
    assert detail["findings"]["budget"]["budget_vnd"] == 300_000
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Payment).where(
            Payment.programme == GIFT["code"], Payment.status == "REQUESTED")) > 0
    # Raising the budget lets the same request through.
    client.patch(f"{PROGRAMMES}/{GIFT['code']}", json={"budget_vnd": 10_000_000},
                 headers=admin)
    assert client.post(f"{REQUESTS}/{first_refused['id']}/approve",
                       headers=treasurer).status_code == 200


def test_population_alive_on_a_date(app, client, staff_login, citizen):
    admin = staff_login("programmes1")
    create_gift(client, admin)
    built = disburse(client, admin, {**ALL_LEVEL2, "eligibility": "population_alive_on"})
    assert built.status_code == 201
    population = len((FIXTURES / "population_register.json").read_text().split(
        '"personal_id"')) - 1
    assert 0 < built.json["new_payments"] < population
    assert payments_of(app, citizen("deceased")["personal_id"]) == []
    assert len(payments_of(app, citizen("level1")["personal_id"])) == 1


def test_the_cli_manages_programmes_and_disburses_to_a_list(app, client, tmp_path, citizen):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["programmes", "create", "flood_relief_2026", "--kind",
                                  "one_off", "--label", "LL2026", "--budget", "1000000",
                                  "--name-vi", "Hỗ trợ lũ lụt 2026",
                                  "--name-en", "Flood relief 2026"])
    assert created.exit_code == 0, created.output
    assert "flood_relief_2026 (one_off LL2026, open, budget 1,000,000 VND)" in created.output
    people = [citizen("plain", 2), citizen("plain", 3)]
    listed = tmp_path / "ids.txt"
    listed.write_text("\n".join([person["personal_id"] for person in people] + ["123"]))
    refused = runner.invoke(args=["programmes", "disburse", "flood_relief_2026",
                                  "--eligibility", "list", "--amount", "500000",
                                  "--date", "2026-11-20", "--list", str(listed)])
    assert refused.exit_code == 1 and "personal_ids" in refused.output
    listed.write_text("\n".join(person["personal_id"] for person in people))
    built = runner.invoke(args=["programmes", "disburse", "flood_relief_2026",
                                "--eligibility", "list", "--amount", "500000",
                                "--date", "2026-11-20", "--list", str(listed)])
    assert built.exit_code == 0, built.output
    assert "2 new payments (1,000,000 VND; budget 1,000,000 VND)" in built.output
    shown = runner.invoke(args=["programmes", "list"])
    assert "flood_relief_2026" in shown.output and "2 payments 1,000,000 VND" in shown.output
    closed = runner.invoke(args=["programmes", "close", "flood_relief_2026"])
    assert closed.exit_code == 0 and "closed" in closed.output
    assert runner.invoke(args=["programmes", "close", "flood_relief_2026"]).exit_code == 1
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.target == "programme:flood_relief_2026").order_by(AuditEntry.id)))
    assert actions == ["programme.created", "programme.disbursement_built", "programme.closed"]
