"""`ssa` commands for the citizen's channel and cash: thin wrappers over services."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from backend import db
from backend.errors import NotFound
from backend.services.demo import outbox
from backend.services.payments import cash_handover

OPERATOR = "operator:cli"


@click.command("outbox")
@click.argument("phone")
@click.option("--channel", type=click.Choice(["sms", "push"]),
              help="only SMS, or only pushes to the citizen's devices")
@with_appcontext
def outbox_command(phone: str, channel: str | None) -> None:
    """Show what the simulated gateway delivered to PHONE (SMS and pushes),
    newest first (demo mode)."""
    try:
        delivered = outbox.messages_to(phone, channel)
    except NotFound:
        raise click.ClickException("the outbox is only shown in demo mode") from None
    for message in delivered:
        click.echo(f"{message['delivered_at'].isoformat()} [{message['channel']}] "
                   f"{message['body']}")


@click.group("cash")
def cash_group() -> None:
    """Cash at paying agents."""


@cash_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def cash_import_command(csv_file: Path) -> None:
    """Record the hand-overs of an agent's report (payment_id,agent_id,place,handed_at,code)."""
    with csv_file.open("rb") as stream:
        report = cash_handover.import_report(stream, csv_file.name, OPERATOR, db.utcnow())
    click.echo(f"recorded: {report.recorded}, refused: {len(report.refused)}")
    for refused in report.refused:
        click.echo(f"  line {refused['line']} (payment {refused['payment_id']}): "
                   f"{refused['reason']}")


@cash_group.command("expire")
@with_appcontext
def cash_expire_command() -> None:
    """Return cash not collected by its deadline to the Treasury (EXPIRED)."""
    click.echo(f"expired: {cash_handover.expire_uncollected(OPERATOR, db.utcnow())}")


def register(app: Flask) -> None:
    for command in (outbox_command, cash_group):
        app.cli.add_command(command)
