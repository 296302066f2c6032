"""Records of money are never lost, and nothing names one that does not exist.

On PostgreSQL the references from the tables written a million rows at a
time are checked once a statement (backend.models.references); on SQLite by
foreign keys. Either way a statement that names a missing record changes
nothing at all.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from backend import db
from backend.models import (
    BankCallback,
    BankResultFile,
    CashHandover,
    DispatchBatch,
    Notification,
    Payment,
    SocialSecurityAccount,
)
from tests.payment_helpers import approve_and_dispatch, build_requests, claim, payroll_csv, upload
from tests.test_payment_results import linked_citizen  # noqa: F401 - a fixture, asked for by name

MISSING = 987_654


@pytest.fixture
def sent_payroll(app, client, citizen, staff_login, linked_citizen):  # noqa: F811
    """Two citizens' payments of one payroll, requested, approved and sent: one into
    a bank account (in a dispatch batch), one in cash."""
    officer = staff_login("payroll1")
    people = [linked_citizen[0], citizen("plain")]
    assert upload(client, officer, payroll_csv([claim(person) for person in people])) \
        .status_code == 201
    requests = build_requests(client, officer)
    approve_and_dispatch(app, client, staff_login("treasury1"),
                         [each["id"] for each in requests], deliver=False)
    with app.app_context():
        # What a bank's credit notification leaves: the file taken in.
        result_file = BankResultFile(kind="camt.054", msg_id="NTF-RECORDS", file_sha256="0" * 64,
                                     filename="camt054-records.xml", received_by="test",
                                     received_at=db.utcnow(), transactions=0, unknown=0)
        db.session.add(result_file)
        db.session.commit()
        return {"result_file_id": result_file.id,
                "account_id": db.session.scalar(select(SocialSecurityAccount.id).where(
                    SocialSecurityAccount.personal_id == people[0]["personal_id"])),
                "payroll_id": db.session.scalar(select(func.max(Payment.payroll_id))),
                "request_id": requests[0]["id"],
                "batch_id": db.session.scalar(select(func.max(DispatchBatch.id))),
                "payment_ids": db.session.scalars(select(Payment.id).order_by(Payment.id)).all()}


def _refused(statement: str, parameters: dict | None = None) -> None:
    with pytest.raises(IntegrityError):
        db.session.execute(text(statement), parameters or {})
    db.session.rollback()


def test_no_record_of_money_is_ever_deleted_nor_renumbered(
        app, sent_payroll):
    records = {"payrolls": sent_payroll["payroll_id"],
               "payment_requests": sent_payroll["request_id"],
               "dispatch_batches": sent_payroll["batch_id"],
               "payments": sent_payroll["payment_ids"][0],
               "social_security_accounts": sent_payroll["account_id"],
               "bank_result_files": sent_payroll["result_file_id"]}
    with app.app_context():
        for table, record_id in records.items():
            _refused(f"DELETE FROM {table} WHERE id = :id", {"id": record_id})
            _refused(f"UPDATE {table} SET id = :new WHERE id = :id",
                     {"id": record_id, "new": MISSING})
            assert db.session.scalar(text(f"SELECT count(*) FROM {table} WHERE id = :id"),
                                     {"id": record_id}) == 1, table


def test_a_payment_never_changes_person(app, sent_payroll):
    """The citizen's list version is a sum over their payments: it must only rise."""
    payment_id = sent_payroll["payment_ids"][0]
    with app.app_context():
        owner = db.session.get(Payment, payment_id).personal_id
        _refused("UPDATE payments SET personal_id = '001000000099' WHERE id = :id",
                 {"id": payment_id})
        assert db.session.get(Payment, payment_id).personal_id == owner


def test_a_statement_naming_a_missing_record_changes_nothing(app, sent_payroll):
    first, second = sent_payroll["payment_ids"]
    with app.app_context():
        before = db.session.execute(select(Payment.id, Payment.request_id, Payment.revision)
                                    .order_by(Payment.id)).all()
        # One row of two names a request that does not exist: neither moves.
        _refused("UPDATE payments SET request_id = CASE WHEN id = :first THEN :missing"
                 " ELSE request_id END", {"first": first, "missing": MISSING})
        for column in ("dispatch_batch_id", "reissue_of", "payroll_id"):
            _refused(f"UPDATE payments SET {column} = :missing WHERE id = :id",
                     {"missing": MISSING, "id": second})
        _refused("INSERT INTO cash_handovers (payment_id, agent_id, place, handed_at,"
                 " receiver, source, recorded_by, recorded_at) VALUES (:missing,"
                 " 'VNPOST-079-Q1', 'Q1', '2026-11-23 08:00:00', 'citizen', 'api', 'test',"
                 " '2026-11-23 08:00:00')", {"missing": MISSING})
        notices = db.session.scalar(select(func.count()).select_from(Notification))
        _refused("INSERT INTO notifications (account_id, kind, params, created_at)"
                 " SELECT CASE WHEN id = :account THEN :missing ELSE id END, 'PAYMENT_PAID',"
                 " '{}', '2026-11-23 08:00:00' FROM social_security_accounts",
                 {"account": sent_payroll["account_id"], "missing": MISSING})
        # Two lines of a result file: one names a file that was never taken in.
        _refused("INSERT INTO bank_callbacks (transaction_id, end_to_end_id, status, received_at,"
                 " source, result_file_id) SELECT 'camt.054:SETTLED:' || n, 'SSA-' || n,"
                 " 'SETTLED', '2026-11-23 08:00:00', 'camt054-records.xml',"
                 " CASE WHEN n = 1 THEN :missing ELSE :file END"
                 " FROM (SELECT 1 AS n UNION ALL SELECT 2) lines",
                 {"missing": MISSING, "file": sent_payroll["result_file_id"]})
        assert db.session.execute(select(Payment.id, Payment.request_id, Payment.revision)
                                  .order_by(Payment.id)).all() == before
        assert db.session.scalar(select(func.count()).select_from(BankCallback)) == 0
        assert db.session.scalar(select(func.count()).select_from(CashHandover)) == 0
        assert db.session.scalar(select(func.count()).select_from(Notification)) == notices
        # What names records that exist goes in.
        db.session.execute(text("UPDATE payments SET reissue_of = :first, request_id = :request"
                                " WHERE id = :second"),
                           {"first": first, "second": second,
                            "request": sent_payroll["request_id"]})
        assert db.session.get(Payment, second).reissue_of == first
        db.session.rollback()


def test_a_payment_names_only_moves_that_are_recorded(app, sent_payroll, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite records every move per payment")
    first, second = sent_payroll["payment_ids"]
    with app.app_context():
        before = db.session.execute(select(Payment.id, Payment.moves).order_by(Payment.id)).all()
        assert all(moves for _, moves in before)
        # Both payments move; one of them would name a move never recorded.
        _refused("UPDATE payments SET moves = CASE WHEN id = :first"
                 " THEN array_append(moves, :missing) ELSE moves || moves[1] END",
                 {"first": first, "missing": MISSING})
        assert db.session.execute(select(Payment.id, Payment.moves)
                                  .order_by(Payment.id)).all() == before
        db.session.execute(text("UPDATE payments SET moves = moves || moves[1] WHERE id = :id"),
                           {"id": second})
        db.session.rollback()
