"""Simulators of outside parties, answering from tables loaded from fixtures/."""
from __future__ import annotations

import random
import threading

from sqlalchemy import or_, select

from backend import db, tasks
from backend.integrations.beneficiary_register import Entitlement
from backend.integrations.institutions import (
    REASON_OF_STATUS,
    REPORT_TASK,
    InstitutionUnavailable,
    VerificationReport,
    VerificationRequest,
)
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


class SimulatedAccountsRegister:
    def institutions_holding(self, personal_id: str) -> list[str]:
        return list(db.session.scalars(
            select(SimInstitutionAccount.institution).distinct()
            .where(SimInstitutionAccount.holder_personal_id == personal_id,
                   SimInstitutionAccount.status == InstitutionAccountStatus.OPEN)))


class SimulatedInstitutions:
    """Account-holder inquiries answered from the fixture accounts, late and with faults.

    `send_inquiry` returns at once, like a real institution taking an acmt.023;
    the acmt.024 report is computed then and delivered by a task scheduled
    `latency_seconds` (plus up to `latency_jitter`) later, through the same
    service entry point a real callback reaches. `faults` is a queue of what the
    next inquiries do instead ("timeout": never answered; "error": refused at
    sending; "twice": answered twice, as callbacks are), so tests can show a
    request surviving them; `failure_rate` makes a
    share of inquiries go unanswered at random.
    """

    def __init__(self, latency: tuple[float, float] = (0.0, 0.0), failure_rate: float = 0.0):
        self.latency_seconds = latency[0]
        self.latency_jitter = latency[1] - latency[0]
        # Share of inquiries never answered, for demos of a flaky bank.
        self.failure_rate = failure_rate
        self.faults: list[str] = []
        self._lock = threading.Lock()
        self._random = random.Random()

    def fail_next(self, *faults: str) -> None:
        with self._lock:
            self.faults.extend(faults)

    def send_inquiry(self, request: VerificationRequest) -> None:
        with self._lock:
            fault = self.faults.pop(0) if self.faults else None
            if fault is None and self._random.random() < self.failure_rate:
                fault = "timeout"
            delay = self.latency_seconds + (self._random.random() * self.latency_jitter
                                            if self.latency_jitter else 0.0)
        if fault == "error":
            raise InstitutionUnavailable(f"{request.institution} answered with an error")
        if fault == "timeout":
            return  # taken, and never answered
        report = self._report(request)
        for _ in range(2 if fault == "twice" else 1):
            if delay > 0:
                tasks.enqueue_in(delay, REPORT_TASK, report.as_dict())
            else:
                tasks.enqueue(REPORT_TASK, report.as_dict())

    @staticmethod
    def _report(request: VerificationRequest) -> VerificationReport:
        row = db.session.scalar(select(SimInstitutionAccount).where(
            SimInstitutionAccount.institution == request.institution,
            SimInstitutionAccount.account_number == request.account_number))
        if row is None:
            return VerificationReport(request.inquiry_id, request.institution, False,
                                      reason=REASON_OF_STATUS[InstitutionAccountStatus.UNKNOWN])
        if row.status != InstitutionAccountStatus.OPEN:
            return VerificationReport(request.inquiry_id, request.institution, False,
                                      reason=REASON_OF_STATUS[InstitutionAccountStatus.CLOSED])
        # Asked only about a link's institution, a foreign key.
        institution_kind = db.get_existing(Institution, request.institution).kind
        return VerificationReport(
            request.inquiry_id, request.institution, True, holder_name=row.holder_name,
            holder_personal_id=row.holder_personal_id if institution_kind == "mobile_money"
            else None)
