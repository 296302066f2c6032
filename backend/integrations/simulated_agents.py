"""Simulated paying agents: the agents of fixtures/paying_agents.json, and their
hand-over reports as CSV (payment_id,agent_id,place,handed_at,code)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from backend.integrations.paying_agents import PayingAgent, ReportedHandover

REPORT_COLUMNS = ("payment_id", "agent_id", "place", "handed_at", "code")


class SimulatedPayingAgents:
    def __init__(self, fixtures_dir: Path) -> None:
        path = fixtures_dir / "paying_agents.json"
        rows = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        self.agents = {row["agent_id"]: PayingAgent(**row) for row in rows}

    def find(self, agent_id: str) -> PayingAgent | None:
        return self.agents.get(agent_id)

    def serving(self, province_code: str) -> list[PayingAgent]:
        return [agent for agent in self.agents.values() if agent.province_code == province_code]

    def read_report(self, stream: BinaryIO) -> Iterator[ReportedHandover]:
        reader = csv.DictReader(io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""))
        for line, row in enumerate(reader, start=2):
            yield ReportedHandover(line, (row.get("payment_id") or "").strip(),
                                   (row.get("agent_id") or "").strip(),
                                   (row.get("place") or "").strip(),
                                   _moment(row.get("handed_at")), (row.get("code") or "").strip())


def _moment(text: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
