"""The `ssa` commands operators run."""
from __future__ import annotations

import io

from backend.cli_progress import rows_progress, steps_progress
from tests.conftest import totp_code


def test_seed_twice_adds_nothing_new(app, clean_db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "eid_accounts: 0 new" in result.output
    assert "population_register: 0 new" in result.output


def test_otp_shows_the_code_the_citizens_authenticator_shows(app, clean_db, citizen):
    person = citizen("plain")
    result = app.test_cli_runner().invoke(args=["otp", person["personal_id"]])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == totp_code(person)
    unknown = app.test_cli_runner().invoke(args=["otp", "079190000001"])
    assert unknown.exit_code != 0 and "no eID account" in unknown.output


def test_db_upgrade_is_idempotent(app):
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "database at head" in result.output


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_long_commands_show_rows_per_second_on_a_terminal_only():
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        with rows_progress("payroll rows", stream) as progress:
            progress(5000)
            progress(12000)
    assert "payroll rows" in terminal.getvalue() and "12.0k rows" in terminal.getvalue()
    assert "rows/s" in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_a_month_shows_each_step_as_it_finishes_on_a_terminal():
    terminal = _Terminal()
    with steps_progress("month 2026-11", 2, terminal) as finished:
        finished("payroll")
        finished("import")
    assert "2/2" in terminal.getvalue() and "import" in terminal.getvalue()
