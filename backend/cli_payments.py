"""`ssa` commands for payments: thin wrappers over the payment services."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from backend import db
from backend.cli_progress import rows_progress, steps_progress
from backend.models import PaymentRequest
from backend.models.statuses import PaymentRequestStatus
from backend.services.demo import simulation
from backend.services.payments import (
    bank_files,
    dispatch,
    payment_requests,
    payroll,
    reconciliation,
    result_files,
    result_pickup,
    treasury,
)

OPERATOR = "operator:cli"


@click.group("payroll")
def payroll_group() -> None:
    """The agency's payrolls."""


@payroll_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def payroll_import_command(csv_file: Path) -> None:
    """Import a payroll CSV (personal_id,programme,period,amount_vnd,province)."""
    from backend.errors import ValidationFailed
    with csv_file.open("rb") as stream, rows_progress("payroll rows") as progress:
        try:
            report = payroll.import_payroll(stream, csv_file.name, OPERATOR, db.utcnow(),
                                            progress=progress)
        except ValidationFailed as rejected:
            click.echo("\nfile rejected, nothing imported:", err=True)
            for line, reasons in rejected.details.items():
                click.echo(f"  {line}: {'; '.join(reasons)}", err=True)
            raise SystemExit(1) from None
    click.echo(str(report))


@click.group("payments")
def payments_group() -> None:
    """Payment requests to the Treasury and their dispatch."""


@payments_group.command("request")
@click.option("--period", required=True, help="YYYY-MM")
@with_appcontext
def request_command(period: str) -> None:
    """Put the period's planned payments to the Treasury."""
    with rows_progress("payments requested") as progress:
        requests = payment_requests.build(period, OPERATOR, db.utcnow(), progress=progress)
    for request in requests:
        click.echo(f"request {request.id}: {request.programme} {request.period} "
                   f"{request.province_code}: {request.count} payments, "
                   f"{request.total_vnd:,} VND, checksum {request.checksum[:12]}…")


LEFT_BECAUSE = {"TOTALS_MISMATCH": "its totals or checksum do not match",
                "BUDGET_NOT_AVAILABLE": "the programme's budget does not cover it",
                "ALREADY_DECIDED": "it is no longer waiting for control"}


@payments_group.command("approve")
@click.argument("request_id", type=int, required=False)
@click.option("--period", help="every submitted request of this period that control finds sound")
@with_appcontext
def approve_command(request_id: int | None, period: str | None) -> None:
    """Approve a request, or a period's sound requests, as the Treasury controller."""
    if (request_id is None) == (period is None):
        raise click.UsageError("give a REQUEST_ID or --period")
    if request_id is not None:
        request = treasury.approve("treasury:cli", request_id, db.utcnow())
        click.echo(f"request {request.id} {request.status}")
        return
    decided = treasury.approve_sound(
        "treasury:cli", treasury.requests_in(str(period), PaymentRequestStatus.SUBMITTED),
        db.utcnow())
    click.echo(f"{len(decided['approved'])} requests APPROVED")
    for left, why in decided["why_left"].items():
        click.echo(f"request {left} left for a person to decide: {LEFT_BECAUSE[why]}")


@payments_group.command("dispatch")
@click.argument("request_id", type=int, required=False)
@click.option("--period", help="every approved request of this period, together")
@with_appcontext
def dispatch_command(request_id: int | None, period: str | None) -> None:
    """Send an approved request's bank files, or a period's (safe to run again)."""
    if (request_id is None) == (period is None):
        raise click.UsageError("give a REQUEST_ID or --period")
    ids = [request_id] if request_id is not None else treasury.requests_in(
        str(period), PaymentRequestStatus.APPROVED)
    with rows_progress("payments sent") as progress:
        reports = dispatch.dispatch_many(ids, db.utcnow(), actor=OPERATOR, progress=progress)
    for report in reports:
        click.echo(str(report))


@click.command("reconcile")
@click.argument("request_id", type=int, required=False)
@click.option("--period", help="every request of this period")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@click.option("--csv", "as_csv", is_flag=True, help="export as CSV (one request)")
@with_appcontext
def reconcile_command(request_id: int | None, period: str | None, as_json: bool,
                      as_csv: bool) -> None:
    """The stored reconciliation: planned against paid, failed and cash; every difference."""
    if request_id is None and not period:
        raise click.UsageError("give a REQUEST_ID or --period")
    if as_csv and request_id is None:
        raise click.UsageError("--csv exports one request: give its REQUEST_ID")
    ids = [request_id] if request_id is not None else list(db.session.scalars(
        select(PaymentRequest.id).where(PaymentRequest.period == period)
        .order_by(PaymentRequest.id)))
    results = [reconciliation.stored(each, db.utcnow()) for each in ids]
    if as_csv:
        click.echo("".join(reconciliation.as_csv(results[0])), nl=False)
        return
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=1, default=str))
        return
    for result in results:
        click.echo(f"request {result['request_id']} {result['programme']} {result['period']} "
                   f"{result['province_code']} ({result['status']}): planned "
                   f"{result['planned']['count']} / {result['planned']['amount_vnd']:,} VND")
        for bucket, value in sorted(result["outcomes"].items()):
            click.echo(f"  {bucket:12} {value['count']:>8} {value['amount_vnd']:>18,} VND")
        for difference in result["differences"]:
            click.echo(f"  DIFFERENCE {json.dumps(difference, default=str)}")


@click.group("bank-results")
def bank_results_group() -> None:
    """The banks' result files: pain.002 status reports, camt.054 credit notifications."""


def _echo_refusal(name: str, details: dict) -> None:
    click.echo(f"{name} refused, nothing changed:", err=True)
    for key, reasons in details.items():
        click.echo(f"  {key}: {'; '.join(str(reason) for reason in reasons)}", err=True)


@bank_results_group.command("import")
@click.argument("xml_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def bank_results_import_command(xml_file: Path) -> None:
    """Take in one result file; the same file twice changes nothing."""
    from backend.errors import Conflict, ValidationFailed
    with rows_progress("results") as progress:
        try:
            report = result_files.ingest(xml_file, OPERATOR, db.utcnow(), progress=progress)
        except (ValidationFailed, Conflict) as refused:
            _echo_refusal(xml_file.name, refused.details)
            raise SystemExit(1) from None
    click.echo(str(report))


@bank_results_group.command("pick-up")
@with_appcontext
def bank_results_pick_up_command() -> None:
    """Take in every file the gateway dropped in the results folder (BANK_RESULTS_DIR)."""
    with rows_progress("results") as progress:
        picked = result_pickup.pick_up(current_app.config["BANK_RESULTS_DIR"], OPERATOR,
                                      db.utcnow, progress=progress)
    for report in picked.reports:
        click.echo(str(report))
    for name, details in picked.refused.items():
        _echo_refusal(name, details)
    if not picked.reports and not picked.refused:
        click.echo("no result files waiting")
    if picked.refused:
        raise SystemExit(1)


@click.group("bank-files")
def bank_files_group() -> None:
    """The sealed pain.001 files kept until the gateway takes them."""


@bank_files_group.command("sweep")
@with_appcontext
def bank_files_sweep_command() -> None:
    """Remove the files older than SSA_BANK_FILE_RETENTION_DAYS (audited, with their hash)."""
    removed = bank_files.sweep(db.utcnow(), OPERATOR)
    click.echo(f"{removed} bank files removed")


@click.group("simulate")
def simulate_group() -> None:
    """Run the simulated outside world."""


@simulate_group.command("month")
@click.argument("period")
@click.option("--cash-not-collected", "not_collected", multiple=True, metavar="PERSONAL_ID",
              help="a citizen whose cash still waits at the paying point (repeatable)")
@with_appcontext
def simulate_month_command(period: str, not_collected: tuple[str, ...]) -> None:
    """A whole month end to end: payroll, requests, control, dispatch, results."""
    stages = ["payroll", "import", "requests", "control", "dispatch", "results", "statement",
              "reconcile"]
    with tempfile.TemporaryDirectory() as workdir, \
            steps_progress(f"month {period}", len(stages)) as finished:
        report = simulation.run_month(period, Path(workdir), db.utcnow, step=finished,
                                      cash_not_collected=not_collected)
    for line in report.lines():
        click.echo(line)


def register(app: Flask) -> None:
    for command in (payroll_group, payments_group, reconcile_command, bank_results_group,
                    bank_files_group, simulate_group):
        app.cli.add_command(command)
