"""Institutions' signed inquiry reports (acmt.024), posted to us over HTTP.

Each institution signs the raw body with its own secret
(`SSA_INSTITUTION_CALLBACK_SECRETS`), the scheme the bank gateway uses. The
report then goes to `verification.receive_report`, the simulator's answers'
entry point too: a report delivered twice is applied once. Anything refused
(signature, shape, an inquiry not theirs or not awaiting an answer) changes
nothing.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app

from backend.errors import Conflict, NotFound
from backend.integrations import institution_callback, signatures
from backend.services.accounts import verification
from backend.services.accounts.verification import ReportOutcome


def receive(institution: str, raw_body: bytes, signature: str | None,
            now: datetime) -> ReportOutcome:
    """Verify, check and apply one report: APPLIED or DUPLICATE."""
    secret = current_app.config["INSTITUTION_CALLBACK_SECRETS"].get(institution)
    signatures.verify(raw_body, signature, secret)
    report = institution_callback.parse(institution, raw_body)
    outcome = verification.receive_report(report, now)
    if outcome == ReportOutcome.UNKNOWN:
        raise NotFound({"inquiry_id": [f"no inquiry {report.inquiry_id} to {institution}"]})
    if outcome == ReportOutcome.NOT_AWAITED:
        raise Conflict({"inquiry_id": [f"inquiry {report.inquiry_id} is not awaiting an "
                                       "answer"]})
    return outcome
