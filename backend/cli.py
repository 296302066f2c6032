"""The `ssa` command: thin wrappers over services."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select
from werkzeug.serving import run_simple

from backend import db, schema
from backend.services import one_time_codes, seed


def _create_app() -> Flask:
    from backend.app import create_app
    return create_app()


@click.group("db")
def db_group() -> None:
    """Database schema (Alembic)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database DATABASE_URL names."""
    schema.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load fixtures/ (registers, institutions, demo accounts); safe to repeat."""
    report = seed.load(current_app.config["FIXTURES_DIR"], db.utcnow())
    click.echo(f"seeded: {report}")


@click.command("otp")
@click.argument("personal_id")
@with_appcontext
def otp_command(personal_id: str) -> None:
    """Show a demo citizen's current one-time code (a simulated authenticator)."""
    from backend.models import EidAccount
    if current_app.config["ENV"] == "production":
        raise click.ClickException("not available in production")
    account = db.session.scalar(select(EidAccount).where(EidAccount.personal_id == personal_id))
    if account is None:
        raise click.ClickException(f"no eID account {personal_id}")
    click.echo(one_time_codes.current_code(account, db.utcnow()))


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def demo_command(host: str, port: int) -> None:
    """Migrate, load the fixtures if the database is empty, and serve the API."""
    app = current_app._get_current_object()
    schema.upgrade(app.config["DATABASE_URL"])
    if seed.is_empty():
        click.echo(f"seeded: {seed.load(app.config['FIXTURES_DIR'], db.utcnow())}")
    app.config["DEMO_MODE"] = True
    click.echo(f"database: {app.config['DATABASE_URL']}")
    click.echo(f"API docs: http://{host}:{port}/api/v1/docs")
    click.echo("demo citizens: fixtures/eid_accounts.json; current code: ssa otp PERSONAL_ID")
    # app.run() is a no-op inside a flask CLI command; serve directly.
    run_simple(host, port, app, threaded=True)


def register_commands(app: Flask) -> None:
    for command in (db_group, seed_command, otp_command, demo_command):
        app.cli.add_command(command)


main = FlaskGroup(name="ssa", create_app=_create_app, add_default_commands=False,
                  add_version_option=False, load_dotenv=False,
                  help="Social security account service.")
