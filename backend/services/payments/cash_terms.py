"""How long cash waits at a paying agent, in Vietnam's calendar."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from flask import current_app

# Vietnam keeps no daylight saving time: a fixed offset is its whole rule.
VIETNAM = timezone(timedelta(hours=7), "ICT")


def deadline_from(now: datetime) -> date:
    """The last day cash made ready `now` can be collected."""
    return now.astimezone(VIETNAM).date() + timedelta(
        days=current_app.config["CASH_COLLECTION_DAYS"])


def today(now: datetime) -> date:
    return now.astimezone(VIETNAM).date()
