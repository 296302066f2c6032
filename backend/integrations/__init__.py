"""Outside parties, each behind an interface with a simulator behind it.

`registry(app)` holds the implementation in use; create_app installs the
simulators. A real adapter implements the same Protocol and is installed in
their place, without touching services or routes.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from backend.integrations.accounts_register import AccountsRegister
from backend.integrations.bank_gateway import BankGateway
from backend.integrations.beneficiary_register import BeneficiaryRegister
from backend.integrations.id_card_chip import IdCardChip
from backend.integrations.institutions import InstitutionGateway
from backend.integrations.notification_gateway import NotificationGateway
from backend.integrations.paying_agents import PayingAgents
from backend.integrations.population_register import PopulationRegister


@dataclass
class Integrations:
    population_register: PopulationRegister
    beneficiary_register: BeneficiaryRegister
    institutions: InstitutionGateway
    bank_gateway: BankGateway
    notifications: NotificationGateway
    paying_agents: PayingAgents
    id_card_chip: IdCardChip
    accounts_register: AccountsRegister


def install_simulators(app: Flask) -> None:
    from backend.integrations.simulated import (
        SimulatedAccountsRegister,
        SimulatedBeneficiaryRegister,
        SimulatedInstitutions,
        SimulatedPopulationRegister,
    )
    from backend.integrations.simulated_agents import SimulatedPayingAgents
    from backend.integrations.simulated_gateway import SimulatedBankGateway
    from backend.integrations.simulated_id_card import SimulatedIdCardChip
    from backend.integrations.simulated_notifications import SimulatedNotificationGateway
    app.extensions["integrations"] = Integrations(
        population_register=SimulatedPopulationRegister(),
        beneficiary_register=SimulatedBeneficiaryRegister(),
        institutions=SimulatedInstitutions(app.config["SIM_INSTITUTION_LATENCY"],
                                           app.config["SIM_INSTITUTION_FAILURE_RATE"]),
        bank_gateway=SimulatedBankGateway(app.config["BANK_GATEWAY_SECRET"],
                                          app.config["BANK_RESULTS_DIR"],
                                          app.config["SIM_TREASURY_BALANCE_VND"]),
        notifications=SimulatedNotificationGateway(),
        paying_agents=SimulatedPayingAgents(app.config["FIXTURES_DIR"]),
        id_card_chip=SimulatedIdCardChip(),
        accounts_register=SimulatedAccountsRegister())


def current() -> Integrations:
    return current_app.extensions["integrations"]
