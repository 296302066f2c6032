"""`ssa` commands for the citizen's channel and cash: thin wrappers over services."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from backend.errors import NotFound
from backend.services.demo import outbox


@click.command("outbox")
@click.argument("phone")
@with_appcontext
def outbox_command(phone: str) -> None:
    """Show what the simulated SMS gateway delivered to PHONE, newest first (demo mode)."""
    try:
        delivered = outbox.messages_to(phone)
    except NotFound:
        raise click.ClickException("the outbox is only shown in demo mode") from None
    for message in delivered:
        click.echo(f"{message['delivered_at'].isoformat()} [{message['channel']}] "
                   f"{message['body']}")


def register(app: Flask) -> None:
    for command in (outbox_command,):
        app.cli.add_command(command)
