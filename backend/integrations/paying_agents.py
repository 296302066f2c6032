"""Paying agents (post offices, mobile-money agents) who hand cash to citizens."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Protocol


@dataclass(frozen=True)
class PayingAgent:
    agent_id: str
    name: str
    kind: str  # "post_office" or "mobile_money_agent"
    place: str
    province_code: str
    hours: str  # opening hours as the agent publishes them


@dataclass(frozen=True)
class ReportedHandover:
    """One line of an agent's report: which payment it handed over, where, when,
    and the one-time code the receiver showed."""

    line: int
    payment_id: str
    agent_id: str
    place: str
    handed_at: datetime | None
    code: str


class PayingAgents(Protocol):
    def find(self, agent_id: str) -> PayingAgent | None:
        """The agent with this id, or None for an id no network knows."""
        ...

    def serving(self, province_code: str) -> list[PayingAgent]:
        """The agents where citizens living in this province collect cash."""
        ...

    def read_report(self, stream: BinaryIO) -> Iterator[ReportedHandover]:
        """The hand-overs of an agent's bulk report, line by line; a line that cannot
        be read comes with `handed_at` None."""
        ...
