"""schemathesis over the whole OpenAPI document, as each kind of caller (issue 14).

Every operation gets generated requests, valid and not, with a citizen's token
and with a staff token of each role, over HTTP against the session's app. The
run fails on any server error, any answer that breaks its documented schema,
and any status the operation does not document. The seed and the number of
examples are fixed, so a run is repeatable and its length bounded.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import bearer
from tests.linking_helpers import request_link
from tests.payment_helpers import build_requests, claim, payroll_csv, upload

pytestmark = pytest.mark.api_fuzzing
SEED = 14
EXAMPLES = 10
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
# Ending or rotating the session would leave the rest of the run unauthenticated.
SESSION_ENDING = r"auth/(logout|refresh)|/me/sessions"


def fuzz(live_url: str, authorization: dict, workdir: Path) -> subprocess.CompletedProcess:
    # In a scratch folder: schemathesis keeps a cache of crashes where it runs.
    return subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", f"{live_url}/api/v1/openapi.json",
         "--header", f"Authorization: {authorization['Authorization']}",
         "--checks", CHECKS, "--exclude-path-regex", SESSION_ENDING,
         "--max-examples", str(EXAMPLES), "--seed", str(SEED),
         "--phases", "examples,coverage,fuzzing", "--workers", "1",
         "--generation-database", "none", "--no-color"],
        capture_output=True, text=True, timeout=600, check=False, cwd=workdir)


def a_month_under_way(client, citizen, login_as, staff_login) -> None:
    """Rows for the generated ids to meet (the first ids, which schemathesis
    always tries): a link request, a payroll, payments and payment requests."""
    people = [citizen("clean_bank_link"), citizen("plain")]
    request_link(client, people[0], login_as(people[0]))
    officer = staff_login("payroll1")
    imported = upload(client, officer, payroll_csv([claim(person) for person in people]))
    assert imported.status_code == 201, imported.json
    build_requests(client, officer)


@pytest.mark.parametrize("caller", ["citizen", "reviewer1", "supervisor1", "treasury1",
                                    "payroll1"])
def test_no_server_error_no_schema_violation_no_undocumented_status(
        live_url, client, citizen, login_as, staff_login, caller, tmp_path):
    a_month_under_way(client, citizen, login_as, staff_login)
    authorization = (bearer(login_as(citizen("clean_bank_link"))["access_token"])
                     if caller == "citizen" else staff_login(caller))
    run = fuzz(live_url, authorization, tmp_path)
    summary = run.stdout[-6000:]
    assert run.returncode == 0, summary
    assert "Test cases:" in run.stdout, summary  # it did run
