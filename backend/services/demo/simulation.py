"""`ssa simulate month`: a whole month on the fixtures, end to end.

The simulated agency writes a payroll from its register, the agency submits
requests, the simulated Treasury approves those its control finds sound,
the bank gateway executes and drops its result files, the service picks
them up, paying agents hand out cash, the bank's end-of-day statement is
matched, and each request is reconciled. It drives the same services as the
API.
"""
from __future__ import annotations

import csv
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import current_app

from backend import db, integrations
from backend.integrations import simulated_statement
from backend.models.statuses import PaymentRequestStatus
from backend.services.payments import (
    cash_handover,
    dispatch,
    payment_requests,
    payroll,
    reconciliation,
    result_pickup,
    statements,
    treasury,
)

AGENCY, TREASURY, AGENT = "agency:simulated", "treasury:simulated", "paying_agent:simulated"
GATEWAY = "bank_gateway:simulated"


@dataclass
class MonthReport:
    period: str
    payroll: str = ""
    requests: list[dict] = field(default_factory=list)
    results: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"period {self.period}", self.payroll, *self.results]
        for item in self.requests:
            outcomes = ", ".join(f"{bucket} {value['count']} ({value['amount_vnd']:,} VND)"
                                 for bucket, value in sorted(item["outcomes"].items()))
            out.append(f"request {item['request_id']} {item['programme']} "
                       f"{item['province_code']} {item['status']}: {outcomes}; "
                       f"{len(item['differences'])} differences")
        return out


def past_periods(now: datetime, months: int) -> list[str]:
    """The `months` periods before the current one, oldest first."""
    periods, year, month = [], now.year, now.month
    for _ in range(months):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        periods.append(f"{year:04d}-{month:02d}")
    return list(reversed(periods))


def write_payroll(period: str, path: Path) -> int:
    """The agency's payroll for `period`, from its register (streamed)."""
    query = integrations.current().beneficiary_register.entitlements_query()
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(payroll.COLUMNS)
        for personal_id, programme, province, amount in db.session.execute(
                query.execution_options(yield_per=10000)):
            writer.writerow([personal_id, programme, period, amount, province])
            written += 1
    return written


def run_month(period: str, workdir: Path, now: Callable[[], datetime],
              step: Callable[[str], None] = lambda _: None,
              cash_not_collected: Collection[str] = ()) -> MonthReport:
    """`cash_not_collected`: personal IDs whose cash still waits at the paying point."""
    report = MonthReport(period)
    payroll_file = workdir / f"payroll-{period}.csv"
    write_payroll(period, payroll_file)
    step("payroll")
    with payroll_file.open("rb") as stream:
        report.payroll = str(payroll.import_payroll(stream, payroll_file.name, AGENCY,
                                                           now()))
    step("import")
    requests = payment_requests.build(period, AGENCY, now())
    step("requests")
    decided = treasury.approve_sound(TREASURY, [request.id for request in requests], now())
    for request_id in decided["left"]:
        treasury.reject(TREASURY, request_id, ["TOTALS_MISMATCH"], "control failed", now())
    step("control")

    approved = [request.id for request in requests
                if treasury.get(request.id).status == PaymentRequestStatus.APPROVED]
    dispatch.dispatch_many(approved, now())
    cash_handover.simulate_collection(approved, AGENT, now(), cash_not_collected)
    step("dispatch")
    # The banks answered each file with pain.002 and camt.054 files in the
    # results folder; the service takes them in as an operator's pick-up would.
    picked = result_pickup.pick_up(current_app.config["BANK_RESULTS_DIR"], GATEWAY, now)
    report.results = [str(each) for each in picked.reports] + [
        f"refused {name}: {details}" for name, details in picked.refused.items()]
    step("results")
    statement_file = workdir / "statement.xml"
    with statement_file.open("wb") as target:
        simulated_statement.write_statement(simulated_statement.today(), target)
    with statement_file.open("rb") as stream:
        statements.ingest(stream, statement_file.name, now())
    step("statement")
    report.requests = [reconciliation.stored(request.id, now()) for request in requests]
    step("reconcile")
    return report
