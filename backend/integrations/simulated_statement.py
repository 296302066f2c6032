"""The simulated bank's end-of-day camt.053 statement of the Treasury's account.

It books a debit for every credit transfer the simulated banks executed
during the day (in Vietnam's time), by end-to-end id.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import IO

from sqlalchemy import select

from backend import db
from backend.integrations.iso20022 import camt053
from backend.models import SimTransfer
from backend.models.statuses import BankResult
from backend.vietnam_time import VIETNAM_TIME

TREASURY_ACCOUNT = "KBNN-0011-0000-0001"


def write_statement(day: date, target: IO[bytes]) -> int:
    """Write the day's statement; returns how many entries it books."""
    start = datetime.combine(day, time(), VIETNAM_TIME)
    booked = (select(SimTransfer.end_to_end_id, SimTransfer.amount_vnd)
              .where(SimTransfer.status == BankResult.SETTLED,
                     SimTransfer.executed_at >= start,
                     SimTransfer.executed_at < start + timedelta(days=1))
              .order_by(SimTransfer.end_to_end_id).execution_options(yield_per=10_000))
    # A statement written again for the same day books the whole day again
    # and replaces the earlier one; its own MsgId tells them apart.
    created = datetime.now(UTC)
    return camt053.write(target, f"STMT-{day:%Y%m%d}-{created:%H%M%S%f}", TREASURY_ACCOUNT,
                         day, created, db.session.execute(booked))


def today() -> date:
    return datetime.now(VIETNAM_TIME).date()
