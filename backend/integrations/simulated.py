"""Simulators of the registers, answering from tables loaded from fixtures/."""
from __future__ import annotations

from sqlalchemy import select

from backend import db
from backend.integrations.beneficiary_register import Entitlement
from backend.integrations.population_register import RegisteredPerson
from backend.models import SimBeneficiary, SimPerson


class SimulatedPopulationRegister:
    def find_person(self, personal_id: str) -> RegisteredPerson | None:
        row = db.session.get(SimPerson, personal_id)
        if row is None:
            return None
        return RegisteredPerson(row.personal_id, row.full_name, row.date_of_birth, row.sex,
                                row.province_code, row.alive, row.date_of_death)


class SimulatedBeneficiaryRegister:
    def entitlements_of(self, personal_id: str) -> list[Entitlement]:
        rows = db.session.scalars(select(SimBeneficiary)
                                  .where(SimBeneficiary.personal_id == personal_id)
                                  .order_by(SimBeneficiary.programme))
        return [Entitlement(row.personal_id, row.full_name, row.date_of_birth,
                            row.province_code, row.programme, row.monthly_amount_vnd, row.since)
                for row in rows]
