"""The social-affairs agency's register of who receives which programme."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy import Select


@dataclass(frozen=True)
class Entitlement:
    personal_id: str
    full_name: str
    date_of_birth: date
    province_code: str
    programme: str
    monthly_amount_vnd: int
    since: date


class BeneficiaryRegister(Protocol):
    def entitlements_of(self, personal_id: str) -> list[Entitlement]: ...

    def entitlements_query(self) -> Select:
        """Every entitlement as a query (personal_id, programme, province_code,
        monthly_amount_vnd), for set-based statistics and payroll generation."""
        ...

    def entitled_since(self, first_day: date) -> Select:
        """The entitlements (personal_id, programme, province_code,
        monthly_amount_vnd) that began on or after `first_day`: people newly
        eligible, paid at once rather than at the next payroll."""
        ...
