"""`ssa programmes ...` and `ssa register ...`: thin wrappers over the programme services."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from backend import cli_payments, db
from backend.errors import ApiError
from backend.models.statuses import ProgrammeKind
from backend.services.payments import eligibility, one_off, programmes

# Audited under this name: whoever runs the CLI on the server acts as the operator.
OPERATOR = "operator:cli"


def _refused(error: ApiError) -> SystemExit:
    click.echo(f"refused ({error.code})", err=True)
    for field, reasons in (error.details or {}).items():
        click.echo(f"  {field}: {'; '.join(map(str, reasons))}", err=True)
    return SystemExit(1)


def _show(programme: dict) -> str:
    budget = "no budget" if programme["budget_vnd"] is None else \
        f"budget {programme['budget_vnd']:,} VND"
    label = f" {programme['label']}" if programme["label"] else ""
    return (f"{programme['code']} ({programme['kind']}{label}, {programme['status']}, "
            f"{budget}): {programme['name_vi']} / {programme['name_en']}")


@click.group("programmes")
def programmes_group() -> None:
    """Programmes (recurring or one-off) and one-off disbursements."""


@programmes_group.command("list")
@with_appcontext
def list_command() -> None:
    """Every programme with the count and sum of its payments."""
    items, _ = programmes.with_totals(1, 10_000)
    for programme in items:
        click.echo(f"{_show(programme)}; {programme['payments']} payments "
                   f"{programme['total_vnd']:,} VND, paid {programme['paid']} "
                   f"{programme['paid_vnd']:,} VND")


@programmes_group.command("create")
@click.argument("code")
@click.option("--name-vi", required=True)
@click.option("--name-en", required=True)
@click.option("--kind", type=click.Choice([kind.value for kind in ProgrammeKind]),
              default="recurring")
@click.option("--label", help="a one-off programme's label, such as QK2025")
@click.option("--budget", "budget_vnd", type=int, help="VND per period (a one-off's whole label)")
@with_appcontext
def create_command(code: str, **values) -> None:
    """Create a programme."""
    try:
        programme = programmes.create(OPERATOR, {"code": code, **values}, db.utcnow())
    except ApiError as refused:
        raise _refused(refused) from None
    click.echo(_show(programmes.as_dict(programme)))


@programmes_group.command("edit")
@click.argument("code")
@click.option("--name-vi")
@click.option("--name-en")
@click.option("--budget", "budget_vnd", type=int)
@with_appcontext
def edit_command(code: str, **values) -> None:
    """Change a programme's names or budget."""
    changes = {name: value for name, value in values.items() if value is not None}
    try:
        programme = programmes.update(OPERATOR, code, changes, db.utcnow())
    except ApiError as refused:
        raise _refused(refused) from None
    click.echo(_show(programmes.as_dict(programme)))


@programmes_group.command("close")
@click.argument("code")
@with_appcontext
def close_command(code: str) -> None:
    """Close a programme: nothing new is planned for it."""
    try:
        programme = programmes.close(OPERATOR, code, db.utcnow())
    except ApiError as refused:
        raise _refused(refused) from None
    click.echo(_show(programmes.as_dict(programme)))


@programmes_group.command("disburse")
@click.argument("code")
@click.option("--eligibility", type=click.Choice(one_off.ELIGIBILITY), required=True)
@click.option("--amount", "amount_vnd", type=int, required=True)
@click.option("--date", "on_date", type=click.DateTime(("%Y-%m-%d",)), required=True)
@click.option("--list", "id_list", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="a file of personal IDs, one a line (eligibility list)")
@with_appcontext
def disburse_command(code: str, eligibility: str, amount_vnd: int, on_date,
                     id_list: Path | None) -> None:
    """Build a one-off programme's payments to a population."""
    listed = [line.strip() for line in id_list.read_text().splitlines() if line.strip()] \
        if id_list else []
    try:
        report = one_off.build(OPERATOR, code, eligibility, amount_vnd, on_date.date(),
                               db.utcnow(), listed)
    except ApiError as refused:
        raise _refused(refused) from None
    click.echo(str(report))


@click.group("register")
def register_group() -> None:
    """The simulated beneficiary register."""


@register_group.command("add-beneficiary")
@click.argument("personal_id")
@click.argument("programme")
@click.argument("monthly_amount_vnd", type=int)
@click.option("--province", help="default: the personal ID's province")
@click.option("--name", "full_name", default="Người thụ hưởng mới")
@with_appcontext
def add_beneficiary_command(personal_id: str, programme: str, monthly_amount_vnd: int,
                            province: str | None, full_name: str) -> None:
    """Register a beneficiary from today; their payment for this month is planned at once."""
    try:
        report = eligibility.register_and_plan(personal_id, programme, monthly_amount_vnd,
                                               province, full_name, OPERATOR, db.utcnow())
    except ApiError as refused:
        raise _refused(refused) from None
    click.echo(str(report))


@click.command("plan-eligible")
@with_appcontext
def plan_eligible_command() -> None:
    """Plan this month's payment of everyone newly in the beneficiary register."""
    click.echo(str(eligibility.plan_newly_eligible(OPERATOR, db.utcnow())))


def register(app: Flask) -> None:
    for command in (programmes_group, register_group):
        app.cli.add_command(command)
    cli_payments.payments_group.add_command(plan_eligible_command)
