"""The simulated beneficiary register, written by QA and the demo (demo mode only,
like the simulated authenticator: NOT_FOUND anywhere else)."""
from __future__ import annotations

from datetime import datetime

from flask import current_app

from backend.errors import NotFound
from backend.services.payments import eligibility

AGENCY = "agency:simulated"


def add_beneficiary(values: dict, now: datetime) -> eligibility.EligibilityReport:
    """Register a beneficiary from today: their payment for this month is planned at once."""
    if not current_app.config["DEMO_MODE"] or current_app.config["ENV"] == "production":
        raise NotFound()
    return eligibility.register_and_plan(
        values["personal_id"], values["programme"], values["monthly_amount_vnd"],
        values.get("province_code"), values.get("full_name") or "Người thụ hưởng mới",
        AGENCY, now)
