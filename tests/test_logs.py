"""Logs as an operator reads them: JSON lines with a request id that follows the
work into the task queue, and never a full personal ID or account number."""
from __future__ import annotations

import io
import json
import logging

import pytest

from backend import logs
from tests.conftest import FIXTURES, bearer
from tests.linking_helpers import request_link, settled
from tests.payment_helpers import approve_and_dispatch, build_requests, claim, payroll_csv, upload


@pytest.fixture
def json_lines():
    """What the service's JSON handler writes, as parsed lines, while the test runs."""
    stream = io.StringIO()
    handler = logs.guard(logging.StreamHandler(stream))
    handler.setFormatter(logs.json_formatter())
    root = logging.getLogger()
    root.addHandler(handler)

    def read() -> list[dict]:
        handler.flush()
        return [json.loads(line) for line in stream.getvalue().splitlines()]
    yield read
    root.removeHandler(handler)


def every_full_identifier() -> set[str]:
    """Every personal ID and account number in the simulated world."""
    def load(name):
        return json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    identifiers = {person["personal_id"] for person in load("eid_accounts.json")}
    identifiers |= {person["personal_id"] for person in load("population_register.json")}
    identifiers |= {account["account_number"] for account in load("institution_accounts.json")}
    return identifiers


def test_personal_ids_are_masked_and_account_numbers_withheld(json_lines):
    log = logging.getLogger("backend.test")
    log.warning("citizen %s asked to link %s", "079190000001", "9704000012345",
                extra={"path": "/api/v1/staff/cases/079190000001"})
    try:
        raise ValueError("account 0912345678 of 079190000001 is closed")
    except ValueError:
        log.exception("look-up failed")
    first, second = json_lines()
    assert first["message"] == "citizen *********001 asked to link [number withheld]"
    assert first["path"] == "/api/v1/staff/cases/*********001"
    assert first["level"] == "WARNING" and first["logger"] == "backend.test"
    assert "0912345678" not in second["exc_info"] and "079190000001" not in second["exc_info"]
    assert "*********001" in second["exc_info"]
    # Ids, amounts and hex digests are not identifiers.
    assert logs.redact("link 42 paid 1500000 VND, digest 3f2a9c0123456789ab") == \
        "link 42 paid 1500000 VND, digest 3f2a9c0123456789ab"


def test_every_handler_of_the_service_is_guarded():
    root = logging.getLogger()
    before = list(root.handlers), root.level
    try:
        logs.configure()
        logging.getLogger("some.library").addHandler(logging.NullHandler())
        logs.guard_every_handler()
        for handler in logs.every_handler():
            kinds = {type(found) for found in handler.filters}
            assert {logs.RequestIdFilter, logs.RedactFilter} <= kinds, handler
    finally:
        for handler in list(root.handlers):
            if handler not in before[0]:
                root.removeHandler(handler)
        for handler in before[0]:
            if handler not in root.handlers:
                root.addHandler(handler)
        root.setLevel(before[1])
        logging.getLogger("some.library").handlers.clear()


def test_a_whole_flow_logs_no_full_identifier_and_one_request_id_into_the_worker(
        app, client, citizen, login_as, staff_login, json_lines):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    client.post("/api/v1/auth/login", json={"personal_id": person["personal_id"],
                                            "password": "wrong password"})
    link = request_link(client, person, tokens)
    assert settled(client, tokens, link.json["id"])["status"] == "ACTIVE"
    reviewer = staff_login("reviewer1")
    assert client.get(f"/api/v1/staff/cases/{person['personal_id']}",
                      headers=reviewer).status_code == 200
    officer = staff_login("payroll1")
    assert upload(client, officer, payroll_csv([claim(person)])).status_code == 201
    requests = build_requests(client, officer)
    approve_and_dispatch(app, client, staff_login("treasury1"), [r["id"] for r in requests])
    paid = client.get("/api/v1/me/payments", headers=bearer(tokens["access_token"])).json
    assert paid["items"][0]["status"] == "PAID"

    lines = json_lines()
    written = [json.dumps(line, ensure_ascii=False) for line in lines]
    leaked = {identifier for identifier in every_full_identifier()
              for text in written if identifier in text}
    assert not leaked, f"full identifiers in the logs: {sorted(leaked)}"
    # The case look-up's access line was written, with the ID masked.
    masked = "*" * 9 + person["personal_id"][-3:]
    assert any(line.get("route") == "/api/v1/staff/cases/<personal_id>"
               and line["message"].endswith(f"/staff/cases/{masked} 200") for line in lines)

    link_request_id = link.headers["X-Request-ID"]
    by_id = [line for line in lines if line.get("request_id") == link_request_id]
    assert any(line["logger"] == "backend.access" and line["status"] == 202 for line in by_id)
    assert any(line["logger"] == "backend.tasks" and line.get("task") == "verify_link"
               for line in by_id), "the worker's lines carry the request's id"
