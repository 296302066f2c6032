"""Every record's table of moves, walked through the one compare-and-set.

For each record with a state table, every (from, to) pair is tried on a real
row: an allowed move changes the row and records exactly one transition with
its time, actor and reason; any other move is refused, leaves the row as it
was and records nothing.
"""
from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from backend import db
from backend.errors import Conflict
from backend.models import (
    AccountRecovery,
    BankCallback,
    DispatchBatch,
    InstitutionInquiry,
    Payment,
    PaymentRequest,
    PayoutLink,
    Payroll,
    SocialSecurityAccount,
)
from backend.services.accounts.inquiries import INQUIRIES
from backend.services.accounts.link_states import LINKS
from backend.services.identity.recovery import RECOVERIES
from backend.services.payments.states import DISPATCH_BATCHES, PAYMENT_REQUESTS, PAYMENTS
from backend.services.shared import transitions

CREATED = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
MOVED = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
ACTOR = "test:state-tables"


class Rows:
    """Makes one row of each record in any status; each row stands alone."""

    def __init__(self) -> None:
        self.serial = itertools.count(1)

    def _personal_id(self) -> str:
        return f"999{next(self.serial):09d}"

    def payout_link(self, status: str) -> int:
        # A citizen of its own: at most one pending and one active link each.
        account = SocialSecurityAccount(personal_id=self._personal_id(), created_at=CREATED)
        db.session.add(account)
        db.session.flush()
        link = PayoutLink(account_id=account.id, kind="bank", status=status,
                          created_at=CREATED, updated_at=CREATED)
        db.session.add(link)
        db.session.flush()
        return link.id

    def payment(self, status: str) -> int:
        serial = next(self.serial)
        payroll = Payroll(file_sha256=f"{serial:064d}", filename="states.csv", imported_by=ACTOR,
                          imported_at=CREATED, row_count=1, new_payments=1, total_vnd=1000)
        db.session.add(payroll)
        db.session.flush()
        payment = Payment(payroll_id=payroll.id, personal_id=self._personal_id(),
                          programme="pension", period="2026-10", province_code="001",
                          amount_vnd=1000, status=status, created_at=CREATED, updated_at=CREATED)
        db.session.add(payment)
        db.session.flush()
        return payment.id

    def payment_request(self, status: str) -> int:
        request = PaymentRequest(programme="pension", period="2026-10", province_code="001",
                                 count=0, total_vnd=0, checksum="", status=status, findings={},
                                 created_at=CREATED, updated_at=CREATED)
        db.session.add(request)
        db.session.flush()
        return request.id

    def institution_inquiry(self, status: str) -> int:
        inquiry = InstitutionInquiry(link_id=self.payout_link("VERIFYING"), institution="VCB",
                                     attempt=1, status=status, created_at=CREATED,
                                     updated_at=CREATED)
        db.session.add(inquiry)
        db.session.flush()
        return inquiry.id

    def dispatch_batch(self, status: str) -> int:
        batch = DispatchBatch(request_id=self.payment_request("APPROVED"), institution="VCB",
                              msg_id=f"SSA-TEST-{next(self.serial)}", status=status, count=0,
                              total_vnd=0, created_at=CREATED, updated_at=CREATED)
        db.session.add(batch)
        db.session.flush()
        return batch.id


    def account_recovery(self, status: str) -> int:
        recovery = AccountRecovery(token_hash=f"{next(self.serial):064d}", status=status,
                                   created_at=CREATED, expires_at=MOVED, updated_at=CREATED)
        db.session.add(recovery)
        db.session.flush()
        return recovery.id


LIFECYCLES = {"payout_link": LINKS, "payment": PAYMENTS, "payment_request": PAYMENT_REQUESTS,
              "dispatch_batch": DISPATCH_BATCHES, "account_recovery": RECOVERIES,
              "institution_inquiry": INQUIRIES}


def _row(lifecycle: transitions.Lifecycle, row_id: int) -> tuple[str, datetime]:
    record = lifecycle.record
    return tuple(db.session.execute(select(record.status, record.updated_at)
                                    .where(record.id == row_id)).one())


def _log(lifecycle: transitions.Lifecycle, row_id: int) -> list[tuple]:
    log = lifecycle.log
    return [tuple(row) for row in db.session.execute(
        select(log.from_status, log.to_status, log.at, log.actor, log.reason)
        .where(getattr(log, lifecycle.key) == row_id).order_by(log.id))]


@pytest.mark.parametrize("name", LIFECYCLES)
def test_every_pair_of_statuses_is_allowed_or_refused_by_the_table(app, clean_db, name):
    lifecycle = LIFECYCLES[name]
    statuses = list(type(lifecycle.states.initial))
    make = getattr(Rows(), name)
    allowed = refused = 0
    with app.app_context():
        for from_status, to_status in itertools.product(statuses, statuses):
            pair = f"{name}: {from_status} -> {to_status}"
            row_id = make(from_status)
            where = lifecycle.record.id == row_id
            if lifecycle.states.allows(from_status, to_status):
                moved = transitions.move(lifecycle, where, from_status, to_status, ACTOR, MOVED,
                                         reason="BECAUSE")
                assert moved == 1, pair
                assert _row(lifecycle, row_id) == (to_status, MOVED), pair
                assert _log(lifecycle, row_id) == [
                    (from_status, to_status, MOVED, ACTOR, "BECAUSE")], pair
                allowed += 1
            else:
                with pytest.raises(Conflict):
                    transitions.move(lifecycle, where, from_status, to_status, ACTOR, MOVED,
                                     reason="BECAUSE")
                assert _row(lifecycle, row_id) == (from_status, CREATED), pair
                assert _log(lifecycle, row_id) == [], pair
                refused += 1
        db.session.rollback()
    # The table is neither empty nor everything: both branches ran.
    assert allowed and refused


@pytest.mark.parametrize("name", LIFECYCLES)
def test_a_row_no_longer_in_the_from_status_is_not_moved(app, clean_db, name):
    """The compare half of compare-and-set: a row moved meanwhile is left alone."""
    lifecycle = LIFECYCLES[name]
    rows = Rows()
    with app.app_context():
        for from_status, targets in lifecycle.states.moves.items():
            for to_status in targets:
                # The row is already where the move would take it.
                row_id = getattr(rows, name)(to_status)
                moved = transitions.move(lifecycle, lifecycle.record.id == row_id, from_status,
                                         to_status, ACTOR, MOVED)
                assert moved == 0, f"{name}: {from_status} -> {to_status}"
                assert _row(lifecycle, row_id) == (to_status, CREATED)
                assert _log(lifecycle, row_id) == []
        db.session.rollback()


def test_a_bulk_move_records_only_the_rows_it_moved(app, clean_db):
    """One UPDATE over many payments, one transition for each row it moved."""
    rows = Rows()
    with app.app_context():
        waiting = [rows.payment("SENT") for _ in range(3)]
        paid_before = rows.payment("PAID")
        everyone = Payment.id.in_([*waiting, paid_before])
        assert transitions.move(PAYMENTS, everyone, "SENT", "PAID", ACTOR, MOVED) == 3
        for payment_id in waiting:
            assert _log(PAYMENTS, payment_id) == [("SENT", "PAID", MOVED, ACTOR, None)]
        assert _log(PAYMENTS, paid_before) == []
        # Delivered twice: nothing is left to move, nothing more is recorded.
        assert transitions.move(PAYMENTS, everyone, "SENT", "PAID", ACTOR, MOVED) == 0
        assert db.session.scalar(select(func.count()).select_from(PAYMENTS.log).where(
            PAYMENTS.log.payment_id.in_(waiting))) == 3
        db.session.rollback()


def _account_of_a_link(rows: Rows) -> int:
    return db.session.get(PayoutLink, rows.payout_link("SUBMITTED")).account_id


# Each table with a status column, and a row of it in a status it allows.
A_VALID_ROW = {
    "payout_links": lambda rows: rows.payout_link("SUBMITTED"),
    "payments": lambda rows: rows.payment("PLANNED"),
    "payment_requests": lambda rows: rows.payment_request("SUBMITTED"),
    "dispatch_batches": lambda rows: rows.dispatch_batch("BUILT"),
    "institution_inquiries": lambda rows: rows.institution_inquiry("WAITING"),
    "social_security_accounts": _account_of_a_link,
}


@pytest.mark.parametrize("table", A_VALID_ROW)
def test_the_database_refuses_a_status_its_enum_does_not_name(app, clean_db, table):
    """The CHECK constraints come from the migrations, so this tests those too."""
    with app.app_context():
        row_id = A_VALID_ROW[table](Rows())
        with pytest.raises(IntegrityError):
            db.session.execute(text(f"UPDATE {table} SET status = 'LOST' WHERE id = :id"),
                               {"id": row_id})
        db.session.rollback()


def test_the_database_refuses_a_bank_result_it_does_not_know(app, clean_db):
    with app.app_context():
        callback = BankCallback(transaction_id="T1", end_to_end_id="E1", status="LOST",
                                received_at=CREATED, payload={})
        db.session.add(callback)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
