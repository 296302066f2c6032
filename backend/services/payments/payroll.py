"""Importing the social-affairs agency's monthly payroll (CSV).

A file is all or nothing: every bad row is reported with its line number and
reason, and a file with any bad row changes nothing. Rows are streamed and
staged in batches, then planned with set-based SQL, so a payroll of a
million rows imports in constant memory. The same file twice, or the same
claim in a later file, creates nothing new. The same person claimed in two
provinces for one programme and period is held as a duplicate claim.
"""
from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, NoReturn

from sqlalchemy import and_, delete, exists, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from backend import db
from backend.db import UTCDateTime
from backend.errors import ValidationFailed
from backend.models import Payment, Payroll, PayrollRow
from backend.models.statuses import PAYMENT_STATES, PaymentStatus
from backend.services.audit import trail
from backend.services.payments import notices, payroll_copy, programmes, states
from backend.services.payments.payroll_lines import COLUMNS, WHITESPACE, StagedFile, line_errors
from backend.services.shared import digests

BATCH_ROWS = 5000
MAX_REPORTED_ERRORS = 1000


@dataclass(frozen=True)
class ImportReport:
    payroll_id: int
    rows: int
    new_payments: int
    held_duplicates: int
    total_vnd: int
    already_imported: bool = False

    def __str__(self) -> str:
        if self.already_imported:
            return f"payroll {self.payroll_id} was already imported: nothing new"
        return (f"payroll {self.payroll_id}: {self.rows} rows, {self.new_payments} new payments"
                f" ({self.total_vnd:,} VND), {self.held_duplicates} held as duplicate claims")


def import_payroll(stream: BinaryIO, filename: str, actor: str, now: datetime,
                   progress: Callable[[int], None] | None = None) -> ImportReport:
    file_sha256 = digests.sha256_of(stream)
    existing = db.session.scalar(select(Payroll).where(Payroll.file_sha256 == file_sha256))
    if existing is not None:
        return ImportReport(existing.id, existing.row_count, 0, 0, 0, already_imported=True)
    payroll = Payroll(file_sha256=file_sha256, filename=filename[:255], imported_by=actor,
                      imported_at=now, row_count=0, new_payments=0, total_vnd=0)
    db.session.add(payroll)
    db.session.flush()
    staged = _stage(stream, payroll.id, progress)
    if staged.bad_lines:
        _refuse(staged, _duplicate_lines(payroll.id))
    new_payments, total = _plan(payroll.id, actor, now)
    # A claim repeated in the file went in once (its unique index), so a file
    # without one planned every line: only a shortfall is looked into (a
    # claim already planned by an earlier payroll is one too, and is fine).
    if new_payments < staged.lines and (duplicates := _duplicate_lines(payroll.id)):
        _refuse(staged, duplicates)
    held = _hold_duplicate_claims(payroll.id, now)
    payroll.row_count, payroll.new_payments, payroll.total_vnd = (staged.lines, new_payments,
                                                                   total)
    db.session.execute(delete(PayrollRow).where(PayrollRow.payroll_id == payroll.id))
    trail.record(actor, "payroll.imported", now, target=f"payroll:{payroll.id}",
                 details={"filename": payroll.filename, "sha256": file_sha256,
                          "rows": staged.lines, "new_payments": new_payments,
                          "total_vnd": total, "held_duplicates": held})
    db.session.commit()
    return ImportReport(payroll.id, staged.lines, new_payments, held, total)


def _refuse(staged: StagedFile, duplicates: dict[int, list[str]]) -> NoReturn:
    """Nothing of a file with a bad line goes in; the first bad lines are named."""
    db.session.rollback()
    errors = sorted((staged.errors | duplicates).items())[:MAX_REPORTED_ERRORS]
    raise ValidationFailed({f"line {line}": reasons for line, reasons in errors}
                           | {"error_count": [str(staged.bad_lines + len(duplicates))]})


def _stage(stream: BinaryIO, payroll_id: int,
           progress: Callable[[int], None] | None) -> StagedFile:
    staged = None
    if db.on_postgresql():
        staged = payroll_copy.stage(stream, payroll_id, MAX_REPORTED_ERRORS, progress)
    if staged is None:
        staged = _stage_parsed(stream, payroll_id, progress)
    db.analyze("payroll_rows")
    return staged


def _stage_parsed(stream: BinaryIO, payroll_id: int,
                  progress: Callable[[int], None] | None) -> StagedFile:
    """Parse with the csv module and stage in batches: SQLite, and files COPY cannot read."""
    not_utf8: list[int] = []
    reader = csv.reader(_decoded_lines(stream, not_utf8))
    if tuple(next(reader, ())) != COLUMNS:
        return StagedFile(bad_lines=1, errors={1: [f"header must be {','.join(COLUMNS)}"]})
    open_programmes = set(programmes.open_codes())
    staged = StagedFile()
    batch: list[dict] = []
    for fields in reader:
        if not fields:
            continue  # a blank line
        staged.lines += 1
        # The physical line a record ends on, so that the report points into the file.
        line_no = reader.line_num
        errors = line_errors(fields, open_programmes)
        if not_utf8:
            errors = [*errors, "not UTF-8 text"]
            not_utf8.clear()
        if errors:
            staged.bad_lines += 1
            if len(staged.errors) < MAX_REPORTED_ERRORS:
                staged.errors[line_no] = errors
            continue
        personal_id, programme, period, amount, province = (value.strip(WHITESPACE)
                                                            for value in fields)
        # Good rows are staged even in a file already found bad, so that the
        # report also names repeated claims; the rejection rolls them back.
        batch.append({"payroll_id": payroll_id, "line_no": line_no,
                      "personal_id": personal_id, "programme": programme, "period": period,
                      "amount_vnd": int(amount), "province_code": province})
        if len(batch) >= BATCH_ROWS:
            db.session.execute(insert(PayrollRow), batch)
            batch.clear()
            if progress:
                progress(staged.lines)
    if batch:
        db.session.execute(insert(PayrollRow), batch)
    if progress:
        progress(staged.lines)
    return staged


def _decoded_lines(stream: BinaryIO, not_utf8: list[int]) -> Iterator[str]:
    """The file's lines as text, decoded one by one so that a byte that is not
    UTF-8 is reported on its own line (in `not_utf8`) rather than ending the read."""
    for line_no, raw in enumerate(stream, start=1):
        try:
            yield raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
        except UnicodeDecodeError:
            not_utf8.append(line_no)
            yield raw.decode("utf-8", errors="replace")


def _duplicate_lines(payroll_id: int) -> dict[int, list[str]]:
    """The same claim twice in one file is a mistake in the file."""
    key = (PayrollRow.personal_id, PayrollRow.programme, PayrollRow.period,
           PayrollRow.province_code)
    twice = db.session.execute(
        select(func.min(PayrollRow.line_no), func.max(PayrollRow.line_no))
        .where(PayrollRow.payroll_id == payroll_id).group_by(*key)
        .having(func.count() > 1).limit(MAX_REPORTED_ERRORS)).all()
    return {last: [f"repeats the claim of line {first}"] for first, last in twice}


def _plan(payroll_id: int, actor: str, now: datetime) -> tuple[int, int]:
    """Create the payments of claims not yet planned.

    A claim already planned is found by the claim's unique index as each row
    goes in (ON CONFLICT DO NOTHING), so no join plan can go wrong. The rows
    go in in person order: the two indexes that start with the personal ID
    (the claim's and the citizen's) are then written leaf after leaf, not at
    random, here and in every later move that rewrites the rows, which reads
    them in the order they lie.
    """
    dialect_insert = postgresql.insert if db.on_postgresql() else sqlite.insert
    columns = {"payroll_id": PayrollRow.payroll_id, "personal_id": PayrollRow.personal_id,
               "programme": PayrollRow.programme, "period": PayrollRow.period,
               "province_code": PayrollRow.province_code, "amount_vnd": PayrollRow.amount_vnd,
               "status": literal(PAYMENT_STATES.initial, Payment.status.type),
               "created_at": literal(now, UTCDateTime()),
               "updated_at": literal(now, UTCDateTime())}
    move_id = states.planning_move_id()
    if move_id is not None:
        # The planning of the whole payroll is recorded once, named by each payment.
        columns["moves"] = literal([move_id], Payment.moves.type)
    # The SELECT keeps its WHERE: SQLite needs one before ON CONFLICT.
    inserting = dialect_insert(Payment).from_select(
        list(columns),
        select(*columns.values())
        .where(PayrollRow.payroll_id == payroll_id)
        .order_by(PayrollRow.personal_id, PayrollRow.programme, PayrollRow.province_code)
    ).on_conflict_do_nothing(
        index_elements=["personal_id", "programme", "period", "province_code"],
        index_where=Payment.reissue_of.is_(None))
    states.plan(inserting, move_id, Payment.payroll_id == payroll_id, actor, now)
    notices.for_payments(Payment.payroll_id == payroll_id, "PAYMENT_PLANNED", now)
    count, total = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Payment.amount_vnd), 0))
        .where(Payment.payroll_id == payroll_id)).one()
    return count, int(total)


def _hold_duplicate_claims(payroll_id: int, now: datetime) -> int:
    """Hold both sides of a claim made in two provinces, among this payroll's claims only."""
    db.analyze("payments")
    other = aliased(Payment)
    in_this_payroll = exists().where(
        PayrollRow.payroll_id == payroll_id, PayrollRow.personal_id == Payment.personal_id,
        PayrollRow.programme == Payment.programme, PayrollRow.period == Payment.period)
    in_another_province = exists().where(
        other.personal_id == Payment.personal_id, other.programme == Payment.programme,
        other.period == Payment.period, other.province_code != Payment.province_code,
        other.reissue_of.is_(None))
    return db.execute_counted(
        update(Payment)
        .where(and_(Payment.request_id.is_(None), Payment.status == PaymentStatus.PLANNED,
                    Payment.hold_reason.is_(None),
                    in_this_payroll, in_another_province))
        .values(hold_reason="DUPLICATE_CLAIM", updated_at=now)
        .execution_options(synchronize_session=False))
