"""The `ssa` commands, thin wrappers over services; create_app registers them and
`backend.__main__` is the console script that runs them."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import cast

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.local import LocalProxy
from werkzeug.serving import run_simple

from backend import cli_money, cli_payments, cli_programmes, db, integrations, logs, schema, tasks
from backend.config import REPO_ROOT
from backend.integrations.simulated import SimulatedInstitutions
from backend.services.audit import checkpoints, verification
from backend.services.demo import seed, simulation
from backend.services.identity import one_time_codes

GUNICORN_CONFIG = REPO_ROOT / "deploy" / "gunicorn.conf.py"


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
@click.option("--institution-latency", default=3.0, show_default=True, type=float,
              help="seconds the simulated banks take to answer a holder look-up")
@click.option("--history-months", default=2, show_default=True, type=int,
              help="months of payments simulated when the database is new")
@click.option("--app/--no-app", "open_app", default=None,
              help="open the phone simulator too [default: when a display exists]")
@with_appcontext
def demo_command(host: str, port: int, institution_latency: float,
                 history_months: int, open_app: bool | None) -> None:
    """Migrate, load the fixtures if the database is empty, and serve the API."""
    # The app itself, not the proxy: run_simple serves it from other threads.
    # (Flask types current_app as Flask; it is a LocalProxy of one.)
    app = cast("LocalProxy[Flask]", current_app)._get_current_object()
    logs.configure(app.config["LOG_LEVEL"])
    schema.upgrade(app.config["DATABASE_URL"])
    if seed.is_empty():
        click.echo(f"seeded: {seed.load(app.config['FIXTURES_DIR'], db.utcnow())}")
        with tasks.queue().held():  # its notices' SMS go once the consumer starts below
            periods = simulation.past_periods(db.utcnow(), history_months)
            waiting = seed.cash_waiting(app.config["FIXTURES_DIR"])  # in the last month only
            for period in periods:
                with tempfile.TemporaryDirectory() as workdir:
                    simulation.run_month(period, Path(workdir), db.utcnow, cash_not_collected=(
                        waiting if period == periods[-1] else ()))
                click.echo(f"simulated payments of {period}")
    app.config["DEMO_MODE"] = True
    institutions = integrations.current().institutions
    assert isinstance(institutions, SimulatedInstitutions)  # the demo serves the simulators
    institutions.latency_seconds = institution_latency
    if tasks.queue().in_process:
        tasks.queue().start_consumer()  # also resumes requests left pending at the last stop
    click.echo(f"database: {app.config['DATABASE_URL']}")
    click.echo(f"API docs: http://{host}:{port}/api/v1/docs")
    click.echo("demo citizens: fixtures/eid_accounts.json; current code: ssa otp PERSONAL_ID")
    if open_app is None:
        open_app = app.config["HAS_DISPLAY"]
    if open_app:
        # The app's first call waits for the person to type; by then we serve.
        subprocess.Popen([sys.executable, "-m", "mobile_app", "--backend",
                          f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"])
    # app.run() is a no-op inside a flask CLI command; serve directly.
    run_simple(host, port, app, threaded=True)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=int, default=None,
              help="gunicorn worker processes [default: SSA_WEB_WORKERS, else 2 per CPU + 1]")
def serve_command(host: str, port: int, workers: int | None) -> None:
    """Serve the API under gunicorn, configured by deploy/gunicorn.conf.py (production)."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    argv = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG), "--bind", bind]
    if workers is not None:
        argv += ["--workers", str(workers)]
    argv.append("backend.app:create_app()")
    # gunicorn takes this process's place (same PID for systemd, signals go straight to
    # its master), and starts from a fresh interpreter: its configuration must set up
    # metrics and logging before the app is imported.
    os.execv(sys.executable, argv)


@click.command("worker")
@click.option("--workers", default=4, show_default=True, type=int)
@with_appcontext
def worker_command(workers: int) -> None:
    """Consume the task queue (SSA_TASK_QUEUE_URL); run one or more per host."""
    task_queue = tasks.queue()
    if task_queue.in_process:
        raise click.ClickException("SSA_TASK_QUEUE_URL is not a redis:// URL; the embedded "
                                   "default consumes its queue inside the service")
    logs.configure(current_app.config["LOG_LEVEL"])
    task_queue.huey.create_consumer(workers=workers, worker_type="thread").run()


@click.group("audit")
def audit_group() -> None:
    """The audit log."""


@audit_group.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Say whether the audit chain is intact and where it breaks (exit 1 if broken)."""
    report = verification.verify()
    click.echo(str(report))
    if not report.intact:
        raise SystemExit(1)


@audit_group.command("checkpoint")
@with_appcontext
def audit_checkpoint() -> None:
    """Write a signed checkpoint of the chain's head now (also done every
    SSA_AUDIT_CHECKPOINT_EVERY entries and every hour)."""
    written = checkpoints.write(db.utcnow())
    click.echo("nothing new to checkpoint" if written is None
               else f"checkpoint of {written.entries} entries, up to entry {written.last_id}")


def register_commands(app: Flask) -> None:
    for command in (db_group, seed_command, otp_command, demo_command, serve_command,
                    worker_command, audit_group):
        app.cli.add_command(command)
    cli_payments.register(app)
    cli_programmes.register(app)
    cli_money.register(app)
