"""The bank's camt.053 end-of-day statements, kept and matched against our payments.

A statement is kept once (by its content and its MsgId); its entries are
loaded in bulk in the same transaction that validates the file, so an
invalid file changes nothing. Then the reconciliation of every request it
touches is stored again, statement differences included.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import BinaryIO

from sqlalchemy import func, insert, select

from backend import db
from backend.errors import ValidationFailed
from backend.integrations.iso20022 import camt053
from backend.models import Payment
from backend.models.reconciliation import BankStatement, StatementEntry
from backend.services.payments import history, reconciliation
from backend.services.shared import digests
from backend.vietnam_time import VIETNAM_TIME

_CHUNK = 10_000


def ingest(stream: BinaryIO, filename: str, now: datetime, progress=None) -> dict:
    """Keep a statement and reconcile what it touches; the same file again changes nothing."""
    file_sha256 = digests.sha256_of(stream)
    known = db.session.scalar(select(BankStatement).where(BankStatement.file_sha256 == file_sha256))
    if known is not None:
        return _answer(known, duplicate=True, unknown=(0, []))
    # Kept first with placeholders so entries can name it; the header fills them in.
    statement = BankStatement(msg_id=f"pending {file_sha256[:24]}", file_sha256=file_sha256,
                              account="", statement_date=date.min, entry_count=0,
                              received_at=now)
    db.session.add(statement)
    header = camt053.Statement()
    try:
        db.session.flush()
        count = _load(stream, statement.id, header, progress)
    except camt053.StatementInvalid as error:
        db.session.rollback()
        # The shape of every refused bank file (result_files): lists of texts.
        raise ValidationFailed({"file": [f"{filename}: {error.reason}"]}
                               | ({"line": [str(error.line)]} if error.line else {})) from None
    if db.session.scalar(select(BankStatement.id).where(BankStatement.msg_id == header.msg_id)):
        db.session.rollback()
        raise ValidationFailed({"file": [f"{filename}: statement {header.msg_id} was already "
                                         "received with other content"]})
    assert header.statement_date is not None
    statement.msg_id, statement.account = header.msg_id, header.account[:34]
    statement.statement_date, statement.entry_count = header.statement_date, count
    db.session.flush()
    touched = sorted(_touched_requests(statement))
    reconciliation.store(touched,
                         reconciliation.trigger(reconciliation.STATEMENT, header.msg_id), now)
    unknown = _unknown_entries(statement.id)
    db.session.commit()
    return _answer(statement, duplicate=False, unknown=unknown, request_ids=touched)


def _load(stream: BinaryIO, statement_id: int, header: camt053.Statement, progress) -> int:
    batch: list[dict] = []
    count = 0
    for entry in camt053.read(stream, header):
        batch.append({"statement_id": statement_id, "end_to_end_id": entry.end_to_end_id[:35],
                      "amount_vnd": entry.amount_vnd, "booked_on": entry.booked_on})
        if len(batch) >= _CHUNK:
            count += _flush(batch, progress)
    return count + _flush(batch, progress)


def _flush(batch: list[dict], progress) -> int:
    if batch:
        db.session.execute(insert(StatementEntry), batch)
        if progress is not None:
            progress(len(batch))
    done = len(batch)
    batch.clear()
    return done


def _touched_requests(statement: BankStatement) -> set[int]:
    """Requests with an entry in the statement, and those with a transfer paid that
    day (the statement should book it). The day's transfers are found by the logs
    of their moves to PAID, not by reading every payment ever made."""
    in_statement = select(Payment.request_id).join(
        StatementEntry, StatementEntry.end_to_end_id == Payment.end_to_end_id).where(
        StatementEntry.statement_id == statement.id)
    day_start = datetime.combine(statement.statement_date, time(), VIETNAM_TIME)
    booked = {request_id for request_id in db.session.scalars(in_statement)
              if request_id is not None}
    return booked | history.requests_paid_between(day_start, day_start + timedelta(days=1))


def _unknown_entries(statement_id: int) -> tuple[int, list[str]]:
    """Entries for end-to-end ids that are none of our payments: reported, never dropped."""
    unknown = (select(StatementEntry.end_to_end_id)
               .outerjoin(Payment, Payment.end_to_end_id == StatementEntry.end_to_end_id)
               .where(StatementEntry.statement_id == statement_id, Payment.id.is_(None)))
    count = db.session.scalar(select(func.count()).select_from(unknown.subquery())) or 0
    return count, list(db.session.scalars(
        unknown.order_by(StatementEntry.end_to_end_id).limit(reconciliation.MAX_LISTED)))


def _answer(statement: BankStatement, duplicate: bool, unknown: tuple[int, list[str]],
            request_ids: list[int] | None = None) -> dict:
    return {"kind": "camt.053", "statement_id": statement.id, "msg_id": statement.msg_id,
            "statement_date": statement.statement_date, "entries": statement.entry_count,
            "duplicate": duplicate, "unknown": unknown[0], "unknown_end_to_end_ids": unknown[1],
            "request_ids": request_ids or []}
