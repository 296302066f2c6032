"""The national population register: who a personal ID belongs to, alive or not."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy import Select


@dataclass(frozen=True)
class RegisteredPerson:
    personal_id: str
    full_name: str
    date_of_birth: date
    sex: str
    province_code: str
    alive: bool
    date_of_death: date | None


class PopulationRegister(Protocol):
    def find_person(self, personal_id: str) -> RegisteredPerson | None: ...

    def deceased_among(self, personal_ids: Select) -> Select:
        """Those of `personal_ids` (a one-column query) the register records as
        deceased: a query itself, so a payroll is checked in one statement. A
        real adapter keeps the register's death notices in a local table."""
        ...

    def alive_on(self, on_date: date) -> Select:
        """The personal IDs (one column) of everyone born by `on_date` and alive
        on it: the population of a one-off payment, as a query."""
        ...
