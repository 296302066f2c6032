"""`ssa` commands for payments: thin wrappers over the payment services."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from backend import db
from backend.cli_progress import rows_progress, steps_progress
from backend.models import PaymentRequest
from backend.services.demo import simulation
from backend.services.payments import dispatch, payment_requests, payroll, reconciliation, treasury

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
    decided = treasury.approve_sound("treasury:cli", treasury.submitted_in(str(period)),
                                     db.utcnow())
    click.echo(f"{len(decided['approved'])} requests APPROVED")
    for left in decided["left"]:
        click.echo(f"request {left} left SUBMITTED: its totals or checksum do not match")


@payments_group.command("dispatch")
@click.argument("request_id", type=int)
@with_appcontext
def dispatch_command(request_id: int) -> None:
    """Send an approved request's bank files (safe to run again)."""
    with rows_progress("payments sent") as progress:
        report = dispatch.dispatch(request_id, db.utcnow(), actor=OPERATOR, progress=progress)
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


@click.group("simulate")
def simulate_group() -> None:
    """Run the simulated outside world."""


@simulate_group.command("month")
@click.argument("period")
@with_appcontext
def simulate_month_command(period: str) -> None:
    """A whole month end to end: payroll, requests, control, dispatch, results."""
    stages = ["payroll", "import", "requests", "control", "dispatch", "statement",
              "reconcile"]
    with tempfile.TemporaryDirectory() as workdir, \
            steps_progress(f"month {period}", len(stages)) as finished:
        report = simulation.run_month(period, Path(workdir), db.utcnow, step=finished)
    for line in report.lines():
        click.echo(line)


def register(app: Flask) -> None:
    for command in (payroll_group, payments_group, reconcile_command, simulate_group):
        app.cli.add_command(command)
