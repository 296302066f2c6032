"""How amounts and dates read in Viet Nam, whatever the language: 1.500.000 ₫, 23/11/2026."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

VIETNAM_TIME = timezone(timedelta(hours=7))  # no daylight saving in Viet Nam


def format_amount(amount_vnd: int) -> str:
    """Whole dong with dots between thousands: 1500000 -> '1.500.000 ₫'."""
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int):
        raise TypeError("amounts are whole VND as int")
    sign = "-" if amount_vnd < 0 else ""
    return f"{sign}{abs(amount_vnd):,}".replace(",", ".") + " ₫"


def format_date(value: date | datetime | str | None) -> str:
    """dd/mm/yyyy; a moment is shown on its Viet Nam calendar day."""
    if value is None or value == "":
        return ""
    moment = _parse(value)
    if isinstance(moment, datetime):
        moment = _local(moment).date()
    return moment.strftime("%d/%m/%Y")


def format_datetime(value: datetime | str | None, round_up: bool = False) -> str:
    """HH:MM dd/mm/yyyy in Viet Nam time.

    `round_up` for a moment from which something works (a lock's end): cut to
    the minute, 10:03:20 would read 10:03, and a citizen trying at 10:03 would
    be refused at the very minute shown.
    """
    if value is None or value == "":
        return ""
    moment = _parse(value)
    if not isinstance(moment, datetime):
        return moment.strftime("%d/%m/%Y")
    if round_up and (moment.second or moment.microsecond):
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return _local(moment).strftime("%H:%M %d/%m/%Y")


def _parse(value: date | datetime | str) -> date | datetime:
    if not isinstance(value, str):
        return value
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # the API always sends an offset; treat a bare one as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM_TIME)
