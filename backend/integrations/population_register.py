"""The national population register: who a personal ID belongs to, alive or not."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol


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
