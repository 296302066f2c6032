"""What /metrics reports about the records: how many link requests and payments are
in each status, and how many cases contradicting bank results opened, counted at
scrape time.

One GROUP BY per table per scrape (every 15-60 s, on one worker) costs less than
keeping gauges right across processes and hosts. A statement time-out keeps a slow
count from piling up behind the scrapes; that figure is then left out of the scrape.
"""
from __future__ import annotations

import logging
from enum import StrEnum

from sqlalchemy import func, literal, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import InstrumentedAttribute

from backend import db
from backend.models import Payment, PayoutLink, ResultConflict
from backend.models.statuses import LinkStatus, PaymentStatus

log = logging.getLogger(__name__)
COUNT_TIMEOUT_MS = 2000


def links_by_status() -> dict[str, int] | None:
    return _by_status(PayoutLink.status, LinkStatus)


def payments_by_status() -> dict[str, int] | None:
    return _by_status(Payment.status, PaymentStatus)


def conflicting_results() -> dict[str, int] | None:
    """Staff cases opened for contradicting bank results: cases are never
    deleted, so the count only grows and is reported as a counter."""
    return _counted(select(literal("opened"), func.count()).select_from(ResultConflict),
                    "result_conflicts")


def _by_status(column: InstrumentedAttribute[str],
               statuses: type[StrEnum]) -> dict[str, int] | None:
    """Every status with its count, zero included (a series that vanishes reads as
    "no data"); None when the count took too long."""
    found = _counted(select(column, func.count()).group_by(column), column)
    if found is None:
        return None
    return {status.value: found.get(status.value, 0) for status in statuses}


def _counted(statement, what) -> dict[str, int] | None:
    try:
        if db.on_postgresql():
            db.session.execute(text(f"SET LOCAL statement_timeout = {COUNT_TIMEOUT_MS}"))
        return {key: count for key, count in db.session.execute(statement)}
    except DBAPIError as error:
        log.warning("metrics: counting %s failed: %s", what, error.orig)
        return None
    finally:
        db.session.rollback()
