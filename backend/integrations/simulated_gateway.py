"""A simulated bank gateway over the fixture accounts (the banks' side).

It reads a pain.001 file as the service hands it over (the plaintext, which
the service decrypts for it: it stands for the bank), executes each credit
transfer of it once (its ledger is keyed
by end-to-end id), remembers the file by MsgId so a resend executes nothing
twice, and answers as a bank does: a pain.002.001.12 status report and a
camt.054.001.08 notification of the credits it booked, both dropped (0600)
in the results folder the service picks up from. It can also sign a
per-payment JSON callback with HMAC-SHA256, for single results.

Why a transfer is refused, with its ISO 20022 reason code: AC01 the bank
holds no such account, AC04 the account is closed, AC06 it is blocked,
BE01 the holder's name is not the one we sent, AM04 the Treasury's account
has not enough funds left for it (when a balance is configured).
"""
from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, insert, select, text

from backend import db, names
from backend.integrations import pain001
from backend.integrations.bank_gateway import CallbackSink
from backend.integrations.iso20022 import camt054, pain002
from backend.integrations.signatures import sign
from backend.models import SimGatewayMessage, SimInstitutionAccount, SimTransfer
from backend.models.statuses import BankResult, InstitutionAccountStatus

UNKNOWN, CLOSED, BLOCKED, NAME_MISMATCH, NO_FUNDS = "AC01", "AC04", "AC06", "BE01", "AM04"
TREASURY_ACCOUNT = pain001.DEBTOR_ACCOUNT
CHUNK = 5000  # transfers looked up and booked together
TREASURY_ACCOUNT_LOCK = 20_261_208  # an advisory lock's key: the Treasury's balance


class SimulatedBankGateway:
    def __init__(self, secret: str, results_dir: Path, treasury_balance_vnd: int | None = None):
        self.secret = secret
        self.results_dir = results_dir
        self.treasury_balance_vnd = treasury_balance_vnd

    def submit(self, msg_id: str, institution: str, pain001_file: BinaryIO) -> list[Path]:
        if db.session.get(SimGatewayMessage, msg_id) is not None:
            return []  # a resend: nothing executes twice, the answer went already
        now = datetime.now(UTC)
        done = set(db.session.scalars(select(SimTransfer.end_to_end_id)
                                      .where(SimTransfer.msg_id == msg_id)))
        funds = self._funds_left()
        transactions = iter(pain001.iter_transactions(pain001_file))
        # The file's accounts are looked up a chunk at a time, not one by one:
        # a national payroll's file holds thousands of transfers.
        while chunk := list(itertools.islice(transactions, CHUNK)):
            held = self._accounts(institution, {account for _, _, _, account in chunk})
            batch = []
            for end_to_end_id, amount, creditor, account in chunk:
                if end_to_end_id in done:
                    continue
                reason = self._refusal(held.get(account), creditor)
                if reason is None and funds is not None:
                    reason = NO_FUNDS if amount > funds else None
                    funds -= 0 if reason else amount
                batch.append({"end_to_end_id": end_to_end_id, "msg_id": msg_id,
                              "transaction_id": f"{institution}-{end_to_end_id}",
                              "institution": institution, "amount_vnd": amount,
                              "status": BankResult.REJECTED if reason else BankResult.SETTLED,
                              "reason_code": reason, "executed_at": now})
            if batch:
                db.session.execute(insert(SimTransfer), batch)
        dropped = self._answer(msg_id, now)
        db.session.add(SimGatewayMessage(msg_id=msg_id, institution=institution,
                                         received_at=now, status_report=dropped[0].name))
        db.session.commit()
        return dropped

    def _funds_left(self) -> int | None:
        if self.treasury_balance_vnd is None:
            return None
        if db.on_postgresql():
            # Files arrive side by side (dispatch's province parts); as a real
            # bank does with one account, take them one at a time from here
            # to this file's commit, or two could spend the same balance.
            db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": TREASURY_ACCOUNT_LOCK})
        spent = db.session.scalar(select(func.coalesce(func.sum(SimTransfer.amount_vnd), 0))
                                  .where(SimTransfer.status == BankResult.SETTLED)) or 0
        return self.treasury_balance_vnd - int(spent)

    @staticmethod
    def _accounts(institution: str, numbers: set[str]) -> dict[str, SimInstitutionAccount]:
        return {row.account_number: row for row in db.session.scalars(
            select(SimInstitutionAccount).where(
                SimInstitutionAccount.institution == institution,
                SimInstitutionAccount.account_number.in_(numbers)))}

    @staticmethod
    def _refusal(row: SimInstitutionAccount | None, creditor: str) -> str | None:
        if row is None:
            return UNKNOWN
        if row.status == InstitutionAccountStatus.BLOCKED:
            return BLOCKED
        if row.status != InstitutionAccountStatus.OPEN:
            return CLOSED
        if names.compare(row.holder_name, creditor) == "different":
            return NAME_MISMATCH
        return None

    def _answer(self, msg_id: str, now: datetime) -> list[Path]:
        """The status report, and the credit notification when anything was credited."""
        of_file = SimTransfer.msg_id == msg_id
        count, rejected, credited, total = db.session.execute(
            select(func.count(),
                   func.count().filter(SimTransfer.status == BankResult.REJECTED),
                   func.count().filter(SimTransfer.status == BankResult.SETTLED),
                   func.coalesce(func.sum(SimTransfer.amount_vnd)
                                 .filter(SimTransfer.status == BankResult.SETTLED), 0))
            .where(of_file)).one()
        self.results_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = now.strftime("%Y%m%d%H%M%S")
        report = self.results_dir / f"pain002-{msg_id}-{stamp}.xml"
        with _dropped(report) as writing:
            pain002.write(writing, f"STS-{msg_id}"[:35], msg_id, now, count, rejected,
                          (pain002.TransactionStatus(
                              e2e, "RJCT" if status == BankResult.REJECTED else "ACSC",
                              reason, reference)
                           for e2e, status, reason, reference in self._ledger(of_file)))
        if not credited:
            return [report]
        notification = self.results_dir / f"camt054-{msg_id}-{stamp}.xml"
        with _dropped(notification) as writing:
            camt054.write(writing, f"NTF-{msg_id}"[:35], now, TREASURY_ACCOUNT,
                          msg_id, credited, int(total),
                          (camt054.Credit(e2e, amount, reference)
                           for e2e, amount, reference in db.session.execute(
                               select(SimTransfer.end_to_end_id, SimTransfer.amount_vnd,
                                      SimTransfer.transaction_id)
                               .where(of_file, SimTransfer.status == BankResult.SETTLED)
                               .order_by(SimTransfer.end_to_end_id)
                               .execution_options(yield_per=10000))))
        return [report, notification]

    def _ledger(self, of_file):
        return db.session.execute(
            select(SimTransfer.end_to_end_id, SimTransfer.status, SimTransfer.reason_code,
                   SimTransfer.transaction_id)
            .where(of_file).order_by(SimTransfer.end_to_end_id)
            .execution_options(yield_per=10000))

    def deliver_callbacks(self, msg_id: str, sink: CallbackSink) -> int:
        # Chunks read whole before the sink runs: the receiver commits, which
        # would close a server-side cursor held across the calls.
        delivered, after = 0, ""
        while True:
            chunk = db.session.scalars(select(SimTransfer)
                                       .where(SimTransfer.msg_id == msg_id,
                                              SimTransfer.end_to_end_id > after)
                                       .order_by(SimTransfer.end_to_end_id).limit(1000)).all()
            if not chunk:
                return delivered
            for transfer in chunk:
                body = callback_body(transfer)
                sink(body, sign(self.secret, body))
                delivered += 1
            after = chunk[-1].end_to_end_id


@contextmanager
def _dropped(path: Path) -> Iterator[Path]:
    """The file to write `path` through: owner-only (0600) before anything is
    written, and under a name a pick-up does not read (`.part`) until it is
    whole. A pick-up in another process would otherwise refuse half a file."""
    writing = path.with_name(path.name + ".part")
    os.close(os.open(writing, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        yield writing
        writing.replace(path)
    finally:
        writing.unlink(missing_ok=True)


def callback_body(transfer: SimTransfer) -> bytes:
    return json.dumps({
        "transaction_id": transfer.transaction_id, "end_to_end_id": transfer.end_to_end_id,
        "msg_id": transfer.msg_id, "institution": transfer.institution,
        "status": transfer.status, "reason_code": transfer.reason_code,
        "amount_vnd": transfer.amount_vnd,
    }, sort_keys=True).encode()
