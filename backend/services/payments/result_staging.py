"""A bank result file's lines on their way in: read, checked against the XSD
as they stream, and staged in a temporary table (COPY on PostgreSQL) where
`result_files` keeps and applies them with set-based statements."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
from sqlalchemy import BigInteger, Column, MetaData, String, Table, text

from backend import db
from backend.integrations.iso20022 import camt054, pain002
from backend.models.statuses import BankResult, ResultFileKind

CHUNK_ROWS = 20_000
KINDS = {pain002.MESSAGE: ResultFileKind.STATUS_REPORT,
         camt054.MESSAGE: ResultFileKind.CREDIT_NOTIFICATION}
# pain.002 transaction statuses (ExternalPaymentTransactionStatus1Code).
_PAIN002_RESULT = {"RJCT": BankResult.REJECTED, "ACCC": BankResult.SETTLED}

STAGE = Table("bank_result_stage", MetaData(),
              Column("transaction_id", String(64)), Column("end_to_end_id", String(35)),
              Column("status", String(10)), Column("reason_code", String(10)),
              Column("amount_vnd", BigInteger),
              prefixes=["TEMPORARY"], postgresql_on_commit="DROP")


def stage(path: Path, message: str,
          progress: Callable[[int], None] | None) -> tuple[dict[str, str], int, int]:
    """Stage the file's lines: its header, how many lines, how many ACSC."""
    drop()
    STAGE.create(db.session.connection())
    header: dict[str, str] = {}
    counts: dict[str, int] = {}
    rows = 0
    if db.on_postgresql():
        rows = _copy(_lines(path, message, header, counts), progress)
    else:
        chunk: list[dict] = []
        for row in _lines(path, message, header, counts):
            chunk.append(row)
            if len(chunk) >= CHUNK_ROWS:
                rows += _insert(chunk, progress, rows)
        if chunk:
            rows += _insert(chunk, progress, rows)
    return header, rows, counts.get(BankResult.ACCEPTED, 0)


def _lines(path: Path, message: str, header: dict[str, str],
           counts: dict[str, int]) -> Iterator[dict]:
    """One staging row per transaction; header fields land in `header` as they
    pass, and `counts` counts the lines by result."""
    kind = KINDS[message]
    reader = pain002.read(path) if message == pain002.MESSAGE else camt054.read(path)
    for item in reader:
        if isinstance(item, tuple):
            header[item[0]] = item[1]
            continue
        if isinstance(item, pain002.TransactionStatus):
            status = _PAIN002_RESULT.get(item.status, BankResult.ACCEPTED)
            reason = item.reason_code if status == BankResult.REJECTED else None
            if status == BankResult.REJECTED and not reason:
                reason = "NARR"  # rejected without a coded reason
        else:
            if not item.booked:
                continue  # not a booked credit: nothing to settle
            status, reason = BankResult.SETTLED, None
        reference = item.bank_reference or item.end_to_end_id
        counts[status] = counts.get(status, 0) + 1
        yield {"transaction_id": f"{kind}:{status}:{reference}"[:64],
               "end_to_end_id": item.end_to_end_id[:35], "status": status,
               "reason_code": (reason or "")[:10] or None, "amount_vnd": item.amount_vnd}


def _insert(chunk: list[dict], progress: Callable[[int], None] | None, before: int) -> int:
    db.session.execute(STAGE.insert(), chunk)
    count = len(chunk)
    chunk.clear()
    if progress:
        progress(before + count)
    return count


def _copy(rows: Iterator[dict], progress: Callable[[int], None] | None) -> int:
    connection = db.session.connection().connection.dbapi_connection
    if not isinstance(connection, psycopg.Connection):
        raise TypeError("the COPY path needs a psycopg connection")
    copied = 0
    with connection.cursor() as cursor, cursor.copy(
            "COPY bank_result_stage (transaction_id, end_to_end_id, status, reason_code,"
            " amount_vnd) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((row["transaction_id"], row["end_to_end_id"], row["status"],
                            row["reason_code"], row["amount_vnd"]))
            copied += 1
            if progress and copied % CHUNK_ROWS == 0:
                progress(copied)
    if progress:
        progress(copied)
    return copied


def drop() -> None:
    # On PostgreSQL the table goes with the transaction; SQLite keeps it
    # for the connection's life.
    if not db.on_postgresql():
        db.session.execute(text("DROP TABLE IF EXISTS temp.bank_result_stage"))
