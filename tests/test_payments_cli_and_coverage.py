"""`ssa simulate month`, the pain.001 files it sends, and coverage statistics."""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from backend import db
from backend.config import REPO_ROOT
from backend.integrations import pain001
from backend.models import (
    AuditEntry,
    BankCallback,
    CashHandover,
    Payment,
    SimTransfer,
)
from backend.provinces import CURRENT_PROVINCES
from backend.services.demo import seed
from backend.services.payments import cash_terms, history


def test_simulate_month_runs_a_month_end_to_end(app, clean_db):
    waiting = seed.cash_waiting(app.config["FIXTURES_DIR"])
    assert len(waiting) == 1  # the citizen of the cash-payment QA flow
    result = app.test_cli_runner().invoke(args=["simulate", "month", "2026-10",
                                                "--cash-not-collected", waiting[0]])
    assert result.exit_code == 0, result.output
    assert "period 2026-10" in result.output and "differences" in result.output
    # The bank answered with result files, and the month took them in.
    assert "pain.002" in result.output and "camt.054" in result.output
    assert "refused" not in result.output
    with app.app_context():
        callbacks = db.session.scalar(select(func.count()).select_from(BankCallback)
                                      .where(BankCallback.result_file_id.is_(None)))
        statuses = dict(db.session.execute(select(Payment.status, func.count())
                                           .group_by(Payment.status)).all())
        transfers = db.session.scalar(select(func.count()).select_from(SimTransfer))
        cash_paid = db.session.scalar(select(func.count()).where(
            Payment.status == "PAID", Payment.destination_kind == "cash"))
        handovers = db.session.scalar(select(func.count()).select_from(CashHandover))
        # Each collected payment's history ends with the hand-over, as its citizen reads it.
        last_steps = Counter((step.to_status, step.reason) for step in (
            history.timeline(payment)[-1] for payment in db.session.scalars(
                select(Payment).where(Payment.status == "PAID",
                                      Payment.destination_kind == "cash"))))
        waits = db.session.execute(select(Payment.personal_id, Payment.cash_deadline)
                                   .where(Payment.status == "CASH_READY")).all()
    assert handovers == cash_paid > 0  # every cash payment has its hand-over proof
    assert last_steps == {("PAID", "CASH_HANDED_OVER"): cash_paid}
    # ... but the cash of the citizen who has not come yet, which waits for them.
    assert [who for who, _ in waits] == waiting
    assert waits[0].cash_deadline > cash_terms.today(db.utcnow())
    assert statuses.get("PAID", 0) > 400  # the fixtures' beneficiaries, paid
    assert statuses.get("REJECTED") == 1  # the deceased beneficiary, caught by control
    assert transfers >= 2  # the citizens with a linked account were paid by the bank
    assert callbacks == 0  # ... through the files, not one callback at a time
    # Every file left (dispatch validates each against the pain.001.001.09 XSD
    # before it goes; tests/test_bank_files.py reads one) and, once the gateway
    # took it, was removed, its hash kept in the audit log.
    assert list(Path(app.config["DISPATCH_DIR"]).iterdir()) == []
    with app.app_context():
        written = db.session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "payments.bank_file_written")).all()
        removed = db.session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "payments.bank_file_removed")).all()
    assert written and sorted(entry["sha256"] for entry in written) == \
        sorted(entry["sha256"] for entry in removed)


def test_an_invalid_file_never_leaves(tmp_path):
    path = tmp_path / "bad.xml"
    pain001.write(path, "M" * 40, datetime(2026, 10, 1), 1, 100, [
        pain001.Transfer("E2E", 100, "NGUYEN VAN A", "0123456789", "970436", "BHXH")])
    try:
        pain001.validate(path)
    except pain001.InvalidPaymentFile as invalid:
        assert "MsgId" in str(invalid) or "length" in str(invalid)
    else:
        raise AssertionError("a 40-character MsgId must not validate")


def test_coverage_against_the_target(client, staff_login, citizen, login_as):
    supervisor = staff_login("supervisor1")
    answer = client.get("/api/v1/staff/coverage", headers=supervisor)
    assert answer.status_code == 200
    rows = answer.json["linked"]
    assert rows and all(row["target"] == 0.3 for row in rows)
    linked = [row for row in rows if row["linked"]]
    # The two citizens seeded with an active link count.
    assert sum(row["linked"] for row in linked) >= 2
    for row in linked:
        assert row["share"] == round(row["linked"] / row["beneficiaries"], 4)
        assert row["meets_target"] == (row["share"] >= 0.3)
    # By the 34 provinces of today: the register's old codes are added into them.
    assert {row["province_code"] for row in rows} <= set(CURRENT_PROVINCES)
    # The whole country first: each person once, whatever their programmes.
    register = json.loads((REPO_ROOT / "fixtures" / "beneficiary_register.json").read_text())
    national = answer.json["national"]
    assert national["beneficiaries"] == len({entry["personal_id"] for entry in register})
    assert 2 <= national["linked"] <= sum(row["linked"] for row in rows)
    assert national["share"] == round(national["linked"] / national["beneficiaries"], 4)
    assert client.get("/api/v1/staff/coverage",
                      headers=staff_login("reviewer1")).status_code == 403
