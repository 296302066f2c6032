"""How long cash waits at a paying agent, in Vietnam's calendar."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app

from backend.vietnam_time import VIETNAM_TIME


def deadline_from(now: datetime) -> date:
    """The last day cash made ready `now` can be collected."""
    return now.astimezone(VIETNAM_TIME).date() + timedelta(
        days=current_app.config["CASH_COLLECTION_DAYS"])


def today(now: datetime) -> date:
    return now.astimezone(VIETNAM_TIME).date()
