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
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import and_, delete, exists, func, insert, literal, select, update
from sqlalchemy.orm import aliased

from backend import db
from backend.db import UTCDateTime
from backend.errors import ValidationFailed
from backend.models import Payment, Payroll, PayrollRow, Programme
from backend.models.statuses import PAYMENT_STATES, PaymentStatus
from backend.services.identity.personal_id import PROVINCES, InvalidPersonalId, parse
from backend.services.payments import states
from backend.services.shared import digests

COLUMNS = ("personal_id", "programme", "period", "amount_vnd", "province")
BATCH_ROWS = 5000
MAX_REPORTED_ERRORS = 1000
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_AMOUNT = re.compile(r"^[1-9]\d{0,12}$")


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


def _row_errors(row: dict, programmes: set[str]) -> list[str]:
    errors = []
    try:
        parse(row["personal_id"] or "")
    except InvalidPersonalId as invalid:
        errors.append(f"personal_id: {invalid.message_en}")
    if row["programme"] not in programmes:
        errors.append(f"programme: unknown programme {row['programme']!r}")
    if not _PERIOD.match(row["period"] or ""):
        errors.append("period: must be YYYY-MM")
    if not _AMOUNT.match(row["amount_vnd"] or ""):
        errors.append("amount_vnd: a whole positive number of VND, digits only")
    if row["province"] not in PROVINCES:
        errors.append(f"province: unknown province code {row['province']!r}")
    return errors


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
    errors, rows = _stage(stream, payroll.id, progress)
    errors.update(_duplicate_lines(payroll.id))
    if errors:
        db.session.rollback()
        shown = dict(sorted(errors.items(), key=lambda item: item[0])[:MAX_REPORTED_ERRORS])
        raise ValidationFailed({f"line {line}": reasons for line, reasons in shown.items()}
                               | {"error_count": [str(len(errors))]})
    new_payments, total = _plan(payroll.id, actor, now)
    held = _hold_duplicate_claims(now)
    payroll.row_count, payroll.new_payments, payroll.total_vnd = rows, new_payments, total
    db.session.execute(delete(PayrollRow).where(PayrollRow.payroll_id == payroll.id))
    db.session.commit()
    return ImportReport(payroll.id, rows, new_payments, held, total)


def _stage(stream: BinaryIO, payroll_id: int, progress) -> tuple[dict[int, list[str]], int]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    if tuple(reader.fieldnames or ()) != COLUMNS:
        return {1: [f"header must be {','.join(COLUMNS)}"]}, 0
    programmes = set(db.session.scalars(select(Programme.code)))
    errors: dict[int, list[str]] = {}
    batch: list[dict] = []
    rows = 0
    for line_no, row in enumerate(reader, start=2):
        rows += 1
        if None in row or any(value is None for value in row.values()):
            errors[line_no] = ["wrong number of columns"]
            continue
        row = {key: value.strip() for key, value in row.items()}
        row_errors = _row_errors(row, programmes)
        if row_errors:
            errors[line_no] = row_errors
            continue
        # Good rows are staged even in a file already found bad, so that the
        # report also names repeated claims; the rejection rolls them back.
        batch.append({"payroll_id": payroll_id, "line_no": line_no,
                      "personal_id": row["personal_id"], "programme": row["programme"],
                      "period": row["period"], "amount_vnd": int(row["amount_vnd"]),
                      "province_code": row["province"]})
        if len(batch) >= BATCH_ROWS:
            db.session.execute(insert(PayrollRow), batch)
            batch.clear()
            if progress:
                progress(rows)
    if batch:
        db.session.execute(insert(PayrollRow), batch)
    if progress:
        progress(rows)
    text.detach()
    return errors, rows


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
    staged = select(PayrollRow).where(PayrollRow.payroll_id == payroll_id).subquery()
    claimed = exists().where(Payment.personal_id == staged.c.personal_id,
                             Payment.programme == staged.c.programme,
                             Payment.period == staged.c.period,
                             Payment.province_code == staged.c.province_code,
                             Payment.reissue_of.is_(None))
    db.session.execute(insert(Payment).from_select(
        ["payroll_id", "personal_id", "programme", "period", "province_code", "amount_vnd",
         "status", "created_at", "updated_at"],
        select(staged.c.payroll_id, staged.c.personal_id, staged.c.programme, staged.c.period,
               staged.c.province_code, staged.c.amount_vnd,
               literal(PAYMENT_STATES.initial, Payment.status.type),
               literal(now, UTCDateTime()), literal(now, UTCDateTime())).where(~claimed)))
    states.record_planned(Payment.payroll_id == payroll_id, actor, now)
    count, total = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Payment.amount_vnd), 0))
        .where(Payment.payroll_id == payroll_id)).one()
    return count, int(total)


def _hold_duplicate_claims(now: datetime) -> int:
    other = aliased(Payment)
    in_another_province = exists().where(
        other.personal_id == Payment.personal_id, other.programme == Payment.programme,
        other.period == Payment.period, other.province_code != Payment.province_code,
        other.reissue_of.is_(None))
    return db.execute_counted(
        update(Payment)
        .where(and_(Payment.status == PaymentStatus.PLANNED, Payment.hold_reason.is_(None),
                    in_another_province))
        .values(hold_reason="DUPLICATE_CLAIM", updated_at=now)
        .execution_options(synchronize_session=False))
