"""On PostgreSQL a move of whole requests or a whole payroll is recorded once and
named by each payment it moved; each payment's history reads as before."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from backend import db
from backend.models import Payment, PaymentMove, PaymentTransition
from backend.services.payments import history, treasury
from tests.conftest import DATA_EXPORT, bearer
from tests.payment_helpers import build_requests, claim, payroll_csv, upload

STEPS = ["PLANNED", "REQUESTED", "APPROVED", "CASH_READY"]


@pytest.fixture
def on_postgresql(app):
    with app.app_context():
        if not db.on_postgresql():
            pytest.skip("SQLite records every move per payment")


def _approved_in_cash(client, citizen, staff_login, app, people=None) -> list[int]:
    people = people or [citizen("plain", index) for index in range(3)]
    assert upload(client, staff_login("payroll1"),
                  payroll_csv([claim(person, province="001") for person in people])
                  ).status_code == 201
    ids = [request["id"] for request in build_requests(client, staff_login("payroll1"))]
    with app.app_context():
        assert treasury.approve_sound("treasury1", ids, db.utcnow())["approved"] == ids
        return list(db.session.scalars(select(Payment.id).order_by(Payment.id)))


def test_the_stages_of_whole_requests_are_recorded_once_and_read_per_payment(
        app, client, citizen, staff_login, login_as, on_postgresql):
    people = [citizen("plain", index) for index in range(3)]
    payment_ids = _approved_in_cash(client, citizen, staff_login, app, people)
    with app.app_context():
        moves = db.session.execute(select(PaymentMove.id, PaymentMove.from_status,
                                          PaymentMove.to_status, PaymentMove.actor)
                                   .order_by(PaymentMove.id)).all()
        # The payroll's planning, its request, and control's two steps for cash.
        assert [(move.from_status, move.to_status) for move in moves] == [
            (None, "PLANNED"), ("PLANNED", "REQUESTED"), ("REQUESTED", "APPROVED"),
            ("APPROVED", "CASH_READY")]
        assert moves[-1].actor == "treasury1"
        assert db.session.scalar(select(func.count()).select_from(PaymentTransition)) == 0
        for payment in db.session.scalars(select(Payment).where(Payment.id.in_(payment_ids))):
            assert payment.moves == [move.id for move in moves]
            steps = history.timeline(payment)
            assert [(step.to_status, step.actor) for step in steps] == [
                ("PLANNED", "staff:payroll1"), ("REQUESTED", "staff:payroll1"),
                ("APPROVED", "treasury1"), ("CASH_READY", "treasury1")]
    # As the citizen reads it, in the app and in their data export.
    headers = bearer(login_as(people[0])["access_token"])
    [payment] = client.get("/api/v1/me/payments", headers=headers).json["items"]
    detail = client.get(f"/api/v1/me/payments/{payment['id']}", headers=headers).json
    assert [step["status"] for step in detail["history"]] == STEPS
    [exported] = client.get(DATA_EXPORT, headers=headers).json["payments"]
    assert [step["to_status"] for step in exported["history"]] == STEPS


def test_a_payment_cannot_name_a_move_that_was_not_recorded(
        app, client, citizen, staff_login, on_postgresql):
    payment_id = _approved_in_cash(client, citizen, staff_login, app)[0]
    with app.app_context():
        named = db.session.get(Payment, payment_id).moves
        unrecorded = db.session.scalar(select(func.max(PaymentMove.id))) + 1000
        with pytest.raises(IntegrityError, match="not recorded in payment_moves"):
            db.session.execute(update(Payment).where(Payment.id == payment_id)
                               .values(moves=[*named, unrecorded]))
        db.session.rollback()
        assert db.session.get(Payment, payment_id).moves == named
