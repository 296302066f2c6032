"""A person newly in the beneficiary register is paid in the next request, and only once."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from backend import db
from backend.app import create_app
from backend.models import Payment, SimBeneficiary
from tests.conftest import make_config
from tests.payment_helpers import build_requests, claim, payroll_csv, upload

PERIOD = "2026-11"  # the suite's clock: 23 November 2026


@pytest.fixture
def newcomer(app, citizen):
    """A demo citizen the register does not know for social_allowance (a reference table
    the suite keeps between tests: their entry goes again afterwards)."""
    person = citizen("plain", 0)
    yield person
    with app.app_context():
        db.session.execute(delete(SimBeneficiary).where(
            SimBeneficiary.personal_id == person["personal_id"],
            SimBeneficiary.programme == "social_allowance"))
        db.session.commit()


def payments_of(app, person) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(Payment.programme, Payment.period, Payment.status)
            .where(Payment.personal_id == person["personal_id"],
                   Payment.programme == "social_allowance"))]


def test_newly_eligible_is_paid_in_the_next_request_and_not_again(app, client, staff_login,
                                                                  newcomer, citizen):
    added = app.test_cli_runner().invoke(args=[
        "register", "add-beneficiary", newcomer["personal_id"], "social_allowance", "750000"])
    assert added.exit_code == 0, added.output
    assert f"{PERIOD}: 1 newly eligible" in added.output
    assert payments_of(app, newcomer) == [("social_allowance", PERIOD, "PLANNED")]

    officer = staff_login("payroll1")
    requests = build_requests(client, officer, period=PERIOD)
    assert [(request["programme"], request["count"], request["total_vnd"])
            for request in requests] == [("social_allowance", 1, 750_000)]
    assert payments_of(app, newcomer) == [("social_allowance", PERIOD, "REQUESTED")]

    # The month's payroll names them too, with someone else: only the other is new.
    other = citizen("plain", 1)
    imported = upload(client, officer, payroll_csv([
        claim(newcomer, period=PERIOD, amount=750_000),
        claim(other, period=PERIOD, amount=750_000)]))
    assert imported.status_code == 201, imported.json
    assert imported.json["new_payments"] == 1
    assert payments_of(app, newcomer) == [("social_allowance", PERIOD, "REQUESTED")]
    again = build_requests(client, officer, period=PERIOD)
    assert sum(request["count"] for request in again) == 1


def test_the_register_refuses_what_it_cannot_take(app, client, newcomer):
    closed = app.test_cli_runner().invoke(args=[
        "register", "add-beneficiary", newcomer["personal_id"], "no_such", "750000"])
    assert closed.exit_code == 1 and "programme" in closed.output
    assert payments_of(app, newcomer) == []


def test_the_demo_endpoint_adds_in_demo_mode_only(app, client, newcomer, database_url):
    body = {"personal_id": newcomer["personal_id"], "programme": "social_allowance",
            "monthly_amount_vnd": 750_000}
    assert client.post("/api/v1/demo/beneficiaries", json=body).status_code == 404
    demo = create_app(make_config(app.config["INSTANCE_PATH"], database_url,
                                  SSA_DEMO_MODE="true"))
    demo.extensions["integrations"] = app.extensions["integrations"]
    try:
        answer = demo.test_client().post("/api/v1/demo/beneficiaries", json=body)
        assert answer.status_code == 201, answer.json
        assert answer.json == {"period": PERIOD, "new_payments": 1, "total_vnd": 750_000}
    finally:
        demo.extensions["db_engine"].dispose()
    assert payments_of(app, newcomer) == [("social_allowance", PERIOD, "PLANNED")]
