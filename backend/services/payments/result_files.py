"""Bank results as ISO 20022 files (pain.002, camt.054): taken in once, applied in bulk.

A file is checked against its official XSD while it streams into a staging
table; any error refuses it whole and the transaction is rolled back, so a
refused file changes nothing. Its lines are then kept with the signed
callbacks (bank_callbacks, one row per bank reference and outcome) and
applied by `results.apply_waiting`, the same set-based code a callback goes
through: a payment moves SENT -> PAID or FAILED once, whichever channel
reports it first, and a result for a payment not yet SENT waits for it.

What pays: a booked credit in a camt.054, a pain.002 ACCC, or a SETTLED
callback, each with the payment's amount. A pain.002 ACSC says only that
the debtor's side (the Treasury's account) has settled; it pays nobody
until the credit is confirmed, and is counted in the answer but not kept
(half the rows of a national payroll's results, and they decide nothing),
unless it names an end-to-end id we never issued. A pain.002 RJCT
fails the payment with its ISO reason code.

The same file twice (same digest) changes nothing and says so. Lines for
end-to-end ids we never issued are kept and reported, never dropped.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import ColumnElement, and_, exists, func, literal, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError, PendingRollbackError

from backend import db
from backend.errors import Conflict, ValidationFailed
from backend.integrations.iso20022 import xsd
from backend.models import BankCallback, BankResultFile, Payment
from backend.models.statuses import BankResult, PaymentStatus, ResultFileKind
from backend.services.payments import reconciliation, result_staging, results, statements
from backend.services.payments.result_staging import KINDS, STAGE
from backend.services.shared import digests

_SQLITE_TRIES = 5
_SQLITE_BACKOFF_SECONDS = 0.05
# A file this big is applied with hash joins only (see _analyze).
BULK_LINES = 10_000
MAX_LISTED = 100
STATEMENT = "camt.053.001.08"


@dataclass
class IngestReport:
    outcome: str  # "imported" or "duplicate" (this very file was taken in before)
    file_id: int
    kind: str
    msg_id: str
    transactions: int
    accepted: int = 0  # pain.002 ACSC lines: debtor side settled, not credited yet
    paid: int = 0
    failed: int = 0
    waiting: int = 0
    duplicates: int = 0
    unknown: int = 0
    unknown_end_to_end_ids: list[str] = field(default_factory=list)
    # The payment requests whose payments this file moved: reconcile these.
    request_ids: list[int] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return self.paid + self.failed

    def __str__(self) -> str:
        if self.outcome == "duplicate":
            return (f"{self.kind} {self.msg_id}: already taken in (file {self.file_id}), "
                    "nothing changed")
        listed = ", ".join(self.unknown_end_to_end_ids)
        if self.kind == ResultFileKind.STATEMENT:
            return (f"{self.kind} {self.msg_id}: {self.transactions} entries matched against "
                    f"{len(self.request_ids)} requests, {self.unknown} unknown"
                    + (f" ({listed})" if self.unknown else ""))
        return (f"{self.kind} {self.msg_id}: {self.transactions} transactions, "
                + (f"{self.accepted} accepted (ACSC), " if self.accepted else "")
                + f"{self.paid} paid, {self.failed} failed, {self.waiting} waiting, "
                f"{self.duplicates} already known, {self.unknown} unknown"
                + (f" ({listed}{'…' if self.unknown > len(self.unknown_end_to_end_ids) else ''})"
                   if self.unknown else ""))


def ingest(path: Path, actor: str, now: datetime, filename: str | None = None,
           progress: Callable[[int], None] | None = None,
           reconcile: bool = True) -> IngestReport:
    """Take in one result file (see `_ingest`); the reconciliation of each
    request it moved is stored with it, or, with `reconcile` False, marked
    stale for the caller to store (`result_pickup`, once for all its files).

    On SQLite (WAL), a transaction that read before it writes fails at once
    with "database is locked" when another thread (a request, the task
    queue's SMS sender) wrote in between: it cannot wait for the lock. The
    whole file is then taken in again from the start; nothing of the failed
    try was kept.
    """
    for attempt in range(_SQLITE_TRIES):
        try:
            return _ingest(path, actor, now, filename, progress, reconcile)
        # Dropping the staging table after the failure reports it as pending.
        except (OperationalError, PendingRollbackError) as error:
            db.session.rollback()
            if db.on_postgresql() or "locked" not in str(error) or \
                    attempt == _SQLITE_TRIES - 1:
                raise
            # The SMS sender commits message by message: trying again at once
            # can lose to the same burst of commits every time.
            time.sleep(_SQLITE_BACKOFF_SECONDS * 2 ** attempt)
    raise AssertionError("unreachable")


def _ingest(path: Path, actor: str, now: datetime, filename: str | None,
            progress: Callable[[int], None] | None, reconcile: bool) -> IngestReport:
    """Take in one result file: refused whole (ValidationFailed), a duplicate, or applied.
    A camt.053 statement goes the same way, to be matched (`statements`)."""
    try:
        if xsd.message_of(path) == STATEMENT:
            return _statement(path, filename or path.name, now, progress)
    except xsd.Refusal as refusal:
        raise _refused(refusal) from None
    with path.open("rb") as stream:
        digest = digests.sha256_of(stream)
    known = db.session.scalar(select(BankResultFile).where(BankResultFile.file_sha256 == digest))
    if known is not None:
        return IngestReport("duplicate", known.id, known.kind, known.msg_id, known.transactions,
                            unknown=known.unknown)
    try:
        message = xsd.message_of(path)
        if message not in KINDS:
            raise xsd.Refusal(f"{message} is not a result file: send pain.002 or camt.054")
        header, rows, accepted = result_staging.stage(path, message, progress)
    except xsd.Refusal as refusal:
        db.session.rollback()
        raise _refused(refusal) from None
    try:
        report = _keep_and_apply(KINDS[message], header, rows, accepted, digest,
                                 filename or path.name, actor, now)
    finally:
        result_staging.drop()
    if reconcile:
        reconciliation.store(report.request_ids, trigger(filename or path.name), now)
    else:
        reconciliation.mark_requests_stale(report.request_ids)
    db.session.commit()
    return report


def _statement(path: Path, filename: str, now: datetime,
               progress: Callable[[int], None] | None) -> IngestReport:
    with path.open("rb") as stream:
        answer = statements.ingest(stream, filename, now, progress)
    return IngestReport("duplicate" if answer["duplicate"] else "imported",
                        answer["statement_id"], ResultFileKind.STATEMENT, answer["msg_id"],
                        answer["entries"], unknown=answer["unknown"],
                        unknown_end_to_end_ids=answer["unknown_end_to_end_ids"],
                        request_ids=answer["request_ids"])


def _refused(refusal: xsd.Refusal) -> ValidationFailed:
    details: dict[str, list[str]] = {"file": [str(refusal)]}
    if refusal.line:
        details["line"] = [str(refusal.line)]
    if refusal.element:
        details["element"] = [refusal.element]
    return ValidationFailed(details)


def _keep_and_apply(kind: ResultFileKind, header: dict[str, str], rows: int, accepted: int,
                    digest: str, filename: str, actor: str, now: datetime) -> IngestReport:
    msg_id = header.get("msg_id") or ""
    if db.session.scalar(select(BankResultFile.id).where(BankResultFile.kind == kind,
                                                         BankResultFile.msg_id == msg_id)):
        db.session.rollback()
        raise Conflict({"reason": ["MSG_ID_REUSED"],
                        "msg_id": [f"another {kind} file with MsgId {msg_id} was taken in"]})
    result_file = BankResultFile(kind=kind, msg_id=msg_id,
                                 original_msg_id=header.get("original_msg_id"),
                                 file_sha256=digest, filename=filename[:255], received_by=actor,
                                 received_at=now, transactions=rows, unknown=0)
    db.session.add(result_file)
    db.session.flush()
    _analyze(rows)
    decisive = STAGE.c.status != BankResult.ACCEPTED
    kept = _keep(result_file, now, decisive)
    _keep(result_file, now, and_(~decisive, ~exists().where(
        Payment.end_to_end_id == STAGE.c.end_to_end_id)))
    unknown, listed = _unknown()
    in_file = Payment.end_to_end_id.in_(select(STAGE.c.end_to_end_id))
    # A large file's moves are planned with hash joins (_analyze), and write
    # their transitions from what they moved; a small one's stay two
    # statements, each probing the end-to-end ids it names.
    moved = results.apply_waiting(in_file, now, mark_applied=False, bulk=rows >= BULK_LINES)
    waiting, request_ids = 0, set()
    # One pass over the file's payments: which still wait, which requests moved.
    just_now = (Payment.updated_at == now).label("just_now")  # grouped by its name: one
    # bind parameter, which PostgreSQL can tell is the selected expression
    for request_id, status, just_moved, count in db.session.execute(
            select(Payment.request_id, Payment.status, just_now, func.count())
            .where(in_file).group_by(Payment.request_id, Payment.status, just_now)):
        if status in (PaymentStatus.APPROVED, PaymentStatus.SENT):
            waiting += count
        elif just_moved and status in (PaymentStatus.PAID, PaymentStatus.FAILED) \
                and request_id is not None:
            request_ids.add(request_id)
    result_file.unknown = unknown
    return IngestReport("imported", result_file.id, kind, msg_id, rows, accepted=accepted,
                        paid=moved.paid, failed=moved.failed, waiting=waiting,
                        duplicates=rows - accepted - kept,
                        unknown=unknown, unknown_end_to_end_ids=listed,
                        request_ids=sorted(request_ids))


def _unknown() -> tuple[int, list[str]]:
    """How many end-to-end ids of the file we never issued, and the first of them."""
    unknown = (select(STAGE.c.end_to_end_id)
               .where(~exists().where(Payment.end_to_end_id == STAGE.c.end_to_end_id))
               .distinct().subquery())
    rows = db.session.execute(select(unknown.c.end_to_end_id, func.count().over())
                              .order_by(unknown.c.end_to_end_id).limit(MAX_LISTED)).all()
    return (rows[0][1] if rows else 0), [e2e for e2e, _ in rows]


def _analyze(lines: int) -> None:
    """An index and statistics for the staged lines, before the moves.

    Every move names the payments of the file by their end-to-end ids in
    the staging table. Right after a move the payments' statistics call
    the new status rare, and the planner loops over "few" payments probing
    the staged lines: without an index that was a scan per payment (90 s
    for 20,000 lines); with it each probe costs a lookup, whatever the
    statistics say. A temporary table is never analysed by autovacuum, and
    the kept results may have just grown from nothing; both are sampled,
    so this costs well under a second. The kept results apart
    (`db.analyze_apart`): files taken in side by side (`result_pickup`)
    would otherwise each wait for the other's commit.
    """
    db.session.execute(text("CREATE INDEX ix_bank_result_stage ON bank_result_stage"
                            " (end_to_end_id)"))
    db.analyze("bank_result_stage")
    db.analyze_apart("bank_callbacks")
    if db.on_postgresql() and lines >= BULK_LINES:
        # Every statement that follows touches each of the file's payments:
        # hash joins do that in one pass, where index loops planned on the
        # statistics of a moment ago (the new status "rare") cost a random
        # probe per row: 1.1 s instead of 3.7 s to record 196,000 moves.
        db.session.execute(text("SET LOCAL enable_nestloop = off"))
        # And in memory: with the default 4 MB each hash of 196,000 payments
        # went to disk in batches.
        db.session.execute(text("SET LOCAL work_mem = '64MB'"))


def _keep(result_file: BankResultFile, now: datetime, which: ColumnElement[bool]) -> int:
    """Keep `which` staged lines as results of `result_file`, marked applied
    (the moves follow in this transaction); a line already kept (same bank
    reference and outcome, from any earlier file) is skipped. Returns how
    many were new."""
    columns = ["transaction_id", "end_to_end_id", "status", "reason_code", "amount_vnd",
               "received_at", "applied_at", "source", "result_file_id"]
    stamp = literal(now, db.UTCDateTime())
    rows = select(STAGE.c.transaction_id, STAGE.c.end_to_end_id, STAGE.c.status,
                  STAGE.c.reason_code, STAGE.c.amount_vnd, stamp, stamp,
                  literal(result_file.filename[:120]), literal(result_file.id))
    # Always a WHERE: SQLite reads ON CONFLICT after a bare FROM as a join's ON.
    rows = rows.where(which)
    insert = pg_insert if db.on_postgresql() else sqlite_insert
    statement = insert(BankCallback).from_select(columns, rows).on_conflict_do_nothing(
        index_elements=["transaction_id"])
    # SQLAlchemy keeps an INSERT's row count only when asked to.
    return db.execute_counted(statement.execution_options(preserve_rowcount=True))


def trigger(filename: str) -> str:
    """How a stored reconciliation names the result file that moved its request last."""
    return reconciliation.trigger(reconciliation.RESULT_FILE, filename[:100])
