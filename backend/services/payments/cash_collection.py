"""Where and until when a citizen collects a payment in cash: the paying points
serving the province they live in, their hours, and the last day."""
from __future__ import annotations

from backend import integrations
from backend.errors import NotFound
from backend.models import CASH_DESTINATION, EidAccount
from backend.services.payments import history


def where_to_collect(citizen: EidAccount, payment_id: int) -> dict:
    """404 for another citizen's payment, and for one paid into an account."""
    payment = history.get_for_citizen(citizen, payment_id)
    if payment.destination_kind not in (None, CASH_DESTINATION):
        raise NotFound()
    world = integrations.current()
    person = world.population_register.find_person(citizen.personal_id)
    # The register's province is where they live; the ID's first digits, where
    # they were registered at birth: only a fallback.
    province_code = person.province_code if person else citizen.personal_id[:3]
    return {"payment_id": payment.id, "status": payment.status,
            "collect_by": payment.cash_deadline,
            "paying_points": [{"agent_id": agent.agent_id, "name": agent.name,
                               "kind": agent.kind, "address": agent.place,
                               "hours": agent.hours}
                              for agent in world.paying_agents.serving(province_code)]}
