"""Simulators of outside parties, answering from tables loaded from fixtures/."""
from __future__ import annotations

import random
import threading
import time

from sqlalchemy import or_, select

from backend import db
from backend.integrations.beneficiary_register import Entitlement
from backend.integrations.institutions import HolderAnswer, InstitutionUnavailable
from backend.integrations.population_register import RegisteredPerson
from backend.models import Institution, SimBeneficiary, SimInstitutionAccount, SimPerson
from backend.models.statuses import InstitutionAccountStatus


class SimulatedPopulationRegister:
    def find_person(self, personal_id: str) -> RegisteredPerson | None:
        row = db.session.get(SimPerson, personal_id)
        if row is None:
            return None
        return RegisteredPerson(row.personal_id, row.full_name, row.date_of_birth, row.sex,
                                row.province_code, row.alive, row.date_of_death)


    def deceased_among(self, personal_ids):
        return select(SimPerson.personal_id).where(SimPerson.alive.is_(False),
                                                   SimPerson.personal_id.in_(personal_ids))

    def alive_on(self, on_date):
        return select(SimPerson.personal_id).where(
            SimPerson.date_of_birth <= on_date,
            or_(SimPerson.alive.is_(True), SimPerson.date_of_death > on_date))


class SimulatedBeneficiaryRegister:
    def entitlements_of(self, personal_id: str) -> list[Entitlement]:
        rows = db.session.scalars(select(SimBeneficiary)
                                  .where(SimBeneficiary.personal_id == personal_id)
                                  .order_by(SimBeneficiary.programme))
        return [Entitlement(row.personal_id, row.full_name, row.date_of_birth,
                            row.province_code, row.programme, row.monthly_amount_vnd, row.since)
                for row in rows]

    def entitlements_query(self):
        return select(SimBeneficiary.personal_id, SimBeneficiary.programme,
                      SimBeneficiary.province_code, SimBeneficiary.monthly_amount_vnd)

    def entitled_since(self, first_day):
        return self.entitlements_query().where(SimBeneficiary.since >= first_day)

    def add(self, entitlement: Entitlement) -> bool:
        """The simulated agency registers a beneficiary; False if already registered."""
        if db.session.scalar(select(SimBeneficiary.id).where(
                SimBeneficiary.personal_id == entitlement.personal_id,
                SimBeneficiary.programme == entitlement.programme)):
            return False
        db.session.add(SimBeneficiary(**vars(entitlement)))
        db.session.flush()
        return True


class SimulatedInstitutions:
    """Holder look-ups from the fixture accounts, with latency and faults.

    `latency_seconds` imitates institutions that take 20 s to a minute;
    `faults` is a queue of what the next look-ups do instead of answering
    ("timeout", "error"), so tests can show a request surviving them;
    `failure_rate` makes a share of look-ups time out at random.
    """

    def __init__(self, latency_seconds: float = 0.0, failure_rate: float = 0.0):
        self.latency_seconds = latency_seconds
        # Share of look-ups that time out at random, for demos of a flaky bank.
        self.failure_rate = failure_rate
        self.faults: list[str] = []
        self._lock = threading.Lock()
        self._random = random.Random()

    def fail_next(self, *faults: str) -> None:
        with self._lock:
            self.faults.extend(faults)

    def look_up_holder(self, institution: str, account_number: str) -> HolderAnswer:
        with self._lock:
            fault = self.faults.pop(0) if self.faults else None
            if fault is None and self._random.random() < self.failure_rate:
                fault = "timeout"
        if self.latency_seconds:
            time.sleep(self.latency_seconds)
        if fault == "timeout":
            raise InstitutionUnavailable(f"{institution} did not answer in time")
        if fault == "error":
            raise InstitutionUnavailable(f"{institution} answered with an error")
        row = db.session.scalar(select(SimInstitutionAccount).where(
            SimInstitutionAccount.institution == institution,
            SimInstitutionAccount.account_number == account_number))
        if row is None:
            return HolderAnswer(InstitutionAccountStatus.UNKNOWN)
        if row.status != InstitutionAccountStatus.OPEN:
            return HolderAnswer(InstitutionAccountStatus.CLOSED)
        # Asked only about a link's institution, a foreign key.
        institution_kind = db.get_existing(Institution, institution).kind
        return HolderAnswer(InstitutionAccountStatus.OPEN, row.holder_name,
                            row.holder_personal_id if institution_kind == "mobile_money" else None)
