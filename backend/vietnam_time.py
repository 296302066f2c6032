"""Viet Nam's time: the day a bank books, a cash deadline, a time shown to staff."""
from __future__ import annotations

from datetime import timedelta, timezone

# Viet Nam keeps no daylight saving time: a fixed offset is its whole rule.
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")
