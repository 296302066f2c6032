"""What /metrics reports about the records: how many link requests and payments are
in each status, how many cases contradicting bank results opened, and each
institution's line of inquiries (how many wait, how long its answers took),
counted at scrape time.

One GROUP BY per table per scrape (every 15-60 s, on one worker) costs less than
keeping gauges right across processes and hosts. A statement time-out keeps a slow
count from piling up behind the scrapes; that figure is then left out of the scrape.
"""
from __future__ import annotations

import logging
from enum import StrEnum

from sqlalchemy import case, func, literal, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import InstrumentedAttribute

from backend import db
from backend.models import InstitutionInquiry, Payment, PayoutLink, ResultConflict
from backend.models.statuses import InquiryStatus, LinkStatus, PaymentStatus

log = logging.getLogger(__name__)
COUNT_TIMEOUT_MS = 2000


def links_by_status() -> dict[str, int] | None:
    return _by_status(PayoutLink.status, LinkStatus)


def payments_by_status() -> dict[str, int] | None:
    return _by_status(Payment.status, PaymentStatus)


def conflicting_results() -> dict[str, int] | None:
    """Staff cases opened for contradicting bank results: cases are never
    deleted, so the count only grows and is reported as a counter."""
    return _counted(select(literal("opened"), func.count()).select_from(ResultConflict))


# Upper bounds (seconds) of the answer-time histogram: banks answer in 20 s to a minute.
ANSWER_BUCKETS = (1, 5, 10, 20, 30, 45, 60, 90, 120)


def inquiries_waiting() -> dict[str, int] | None:
    """Inquiries waiting for a slot (or a closed breaker), per institution."""
    return _counted(select(InstitutionInquiry.institution, func.count())
                    .where(InstitutionInquiry.status == InquiryStatus.WAITING)
                    .group_by(InstitutionInquiry.institution))


def answer_times() -> dict[str, tuple[list[int], int, float]] | None:
    """Per institution: how many answers took at most each of ANSWER_BUCKETS seconds,
    how many in all, and their total seconds (a Prometheus histogram's parts)."""
    took = InstitutionInquiry.answer_ms
    rows = _rows(select(InstitutionInquiry.institution, func.count(took), func.sum(took),
                        *[func.sum(case((took <= bound * 1000, 1), else_=0))
                          for bound in ANSWER_BUCKETS])
                 .where(took.isnot(None)).group_by(InstitutionInquiry.institution))
    if rows is None:
        return None
    return {row[0]: ([int(n or 0) for n in row[3:]], row[1], (row[2] or 0) / 1000)
            for row in rows}


def _counted(statement) -> dict[str, int] | None:
    rows = _rows(statement)
    return None if rows is None else {key: number for key, number in rows}


def _rows(statement) -> list | None:
    try:
        if db.on_postgresql():
            db.session.execute(text(f"SET LOCAL statement_timeout = {COUNT_TIMEOUT_MS}"))
        return list(db.session.execute(statement).all())
    except DBAPIError as error:
        log.warning("metrics: a count failed: %s", error.orig)
        return None
    finally:
        db.session.rollback()


def _by_status(column: InstrumentedAttribute[str],
               statuses: type[StrEnum]) -> dict[str, int] | None:
    """Every status with its count, zero included (a series that vanishes reads as
    "no data"); None when the count took too long."""
    found = _counted(select(column, func.count()).group_by(column))
    if found is None:
        return None
    return {status.value: found.get(status.value, 0) for status in statuses}
