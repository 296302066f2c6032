"""pain.001 files at rest (issue 14): owner-only, sealed, hashed in the audit log, removed."""
from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from backend import db
from backend.errors import Conflict
from backend.integrations import pain001
from backend.models import DispatchBatch
from backend.services.payments import bank_files, dispatch
from backend.services.shared import secret_box
from tests.conftest import bearer
from tests.linking_helpers import request_link, settled
from tests.payment_helpers import REQUESTS, build_requests, claim, payroll_csv, upload

AUDIT = "/api/v1/staff/audit-log"


def approved_request(client, citizen, login_as, staff_login) -> tuple[dict, int]:
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    assert settled(client, tokens, request_link(client, person, tokens).json["id"])[
        "status"] == "ACTIVE"
    officer = staff_login("payroll1")
    upload(client, officer, payroll_csv([claim(person)]))
    [request] = build_requests(client, officer)
    approved = client.post(f"{REQUESTS}/{request['id']}/approve",
                           headers=staff_login("treasury1"))
    assert approved.status_code == 200, approved.json
    return person, request["id"]


def audited(client, staff_login, action: str) -> list[dict]:
    entries = client.get(AUDIT, query_string={"action": action, "page_size": 100},
                         headers=staff_login("supervisor1")).json["items"]
    return [entry["details"] for entry in entries]


def test_a_bank_file_is_sealed_owner_only_and_removed_once_the_gateway_takes_it(
        app, client, citizen, login_as, staff_login, monkeypatch):
    person, request_id = approved_request(client, citizen, login_as, staff_login)
    account_number = person["payout_account"]["account_number"]
    gateway = app.extensions["integrations"].bank_gateway
    real_submit = gateway.submit
    on_disk: dict = {}

    def bank_takes_the_file(msg_id, institution, plaintext):
        path = bank_files.path_of(msg_id)
        on_disk.update(mode=stat.S_IMODE(path.stat().st_mode), raw=path.read_bytes())
        with secret_box.open_sealed(path) as opened:
            on_disk["plain"] = opened.read()
        return real_submit(msg_id, institution, plaintext)

    monkeypatch.setattr(gateway, "submit", bank_takes_the_file)
    treasurer = staff_login("treasury1")
    sent = client.post(f"{REQUESTS}/{request_id}/dispatch", headers=treasurer)
    assert sent.status_code == 200, sent.json
    # While it waited for the gateway: readable by the service's user only, and sealed.
    assert on_disk["mode"] == 0o600
    assert account_number.encode() not in on_disk["raw"] and b"<?xml" not in on_disk["raw"]
    assert account_number.encode() in on_disk["plain"]
    # The bank (the simulated gateway, which decrypts with the key) paid from it.
    payments = client.get("/api/v1/me/payments",
                          headers=bearer(login_as(person)["access_token"])).json["items"]
    assert [payment["status"] for payment in payments] == ["SENT"]
    # Taken: removed; its hash stays in the audit log.
    assert list(Path(app.config["DISPATCH_DIR"]).iterdir()) == []
    digest = hashlib.sha256(on_disk["plain"]).hexdigest()
    assert [details["sha256"] for details in
            audited(client, staff_login, "payments.bank_file_written")] == [digest]
    removed = audited(client, staff_login, "payments.bank_file_removed")
    assert [(details["sha256"], details["reason"]) for details in removed] == \
        [(digest, "acknowledged")]


def test_a_file_the_gateway_never_took_is_removed_after_the_retention(
        app, client, citizen, login_as, staff_login, monkeypatch):
    person, request_id = approved_request(client, citizen, login_as, staff_login)
    gateway = app.extensions["integrations"].bank_gateway

    def gateway_down(*_args):
        raise ConnectionError("the gateway does not answer")

    monkeypatch.setattr(gateway, "submit", gateway_down)
    failed = client.post(f"{REQUESTS}/{request_id}/dispatch", headers=staff_login("treasury1"))
    assert failed.status_code == 500
    [kept] = Path(app.config["DISPATCH_DIR"]).iterdir()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    with app.app_context(), secret_box.open_sealed(kept) as plaintext:
        document = etree.parse(plaintext).getroot()
    amounts = document.findall(f".//{{{pain001.NAMESPACE}}}InstdAmt")
    assert [(amount.get("Ccy"), amount.text) for amount in amounts] == [("VND", "1500000")]

    runner = app.test_cli_runner()
    assert runner.invoke(args=["bank-files", "sweep"]).output == "0 bank files removed\n"
    assert kept.exists()  # within SSA_BANK_FILE_RETENTION_DAYS
    days = app.config["BANK_FILE_RETENTION_DAYS"] + 1
    long_ago = time.time() - days * 86400
    os.utime(kept, (long_ago, long_ago))
    assert runner.invoke(args=["bank-files", "sweep"]).output == "1 bank files removed\n"
    assert not kept.exists()
    [removed] = audited(client, staff_login, "payments.bank_file_removed")
    [written] = audited(client, staff_login, "payments.bank_file_written")
    assert removed["reason"] == "retention" and removed["sha256"] == written["sha256"]


def test_a_sealed_file_cut_short_or_under_another_key_is_refused(app, tmp_path):
    path = tmp_path / "file.sealed"
    with app.app_context():
        with secret_box.SealedWriter(path) as sealed:
            sealed.write(b"x" * (3 << 20))  # several chunks
        with secret_box.open_sealed(path) as opened:
            assert opened.read() == b"x" * (3 << 20)
        lines = path.read_bytes().splitlines(keepends=True)
        for damaged in (lines[:-1], lines[1:], [lines[1], lines[0], *lines[2:]]):
            path.write_bytes(b"".join(damaged))
            with secret_box.open_sealed(path) as opened:
                try:
                    opened.read()
                except secret_box.SealedFileInvalid:
                    continue
                raise AssertionError("a damaged sealed file was read")


def test_a_periods_requests_are_dispatched_together_or_not_at_all(
        app, client, citizen, login_as, staff_login):
    bank, wallet = citizen("clean_bank_link"), citizen("clean_wallet_link")
    for person in (bank, wallet):
        tokens = login_as(person)
        assert settled(client, tokens, request_link(client, person, tokens).json["id"])[
            "status"] == "ACTIVE"
    officer, treasurer = staff_login("payroll1"), staff_login("treasury1")
    upload(client, officer, payroll_csv([claim(bank), claim(wallet, programme="pension")]))
    first, second = (request["id"] for request in build_requests(client, officer))
    assert client.post(f"{REQUESTS}/{first}/approve", headers=treasurer).status_code == 200

    def state(request_id):
        detail = client.get(f"{REQUESTS}/{request_id}", headers=treasurer).json
        return detail["status"]

    with app.app_context():
        with pytest.raises(Conflict) as refused:
            dispatch.dispatch_many([first, second], db.utcnow())
        assert refused.value.reason == "NOT_APPROVED"
        assert db.session.scalar(select(func.count()).select_from(DispatchBatch)) == 0
    assert (state(first), state(second)) == ("APPROVED", "SUBMITTED")

    assert client.post(f"{REQUESTS}/{second}/approve", headers=treasurer).status_code == 200
    printed = app.test_cli_runner().invoke(args=["payments", "dispatch", "--period", "2026-10"])
    assert printed.exit_code == 0, printed.output
    assert f"request {first}: 1 bank files, 1 payments sent" in printed.output
    assert f"request {second}: 1 bank files, 1 payments sent" in printed.output
    with app.app_context():
        # Again: every file was sent once, nothing more goes out.
        again = dispatch.dispatch_many([first, second], db.utcnow())
        assert [(report.files, report.sent) for report in again] == [(1, 0), (1, 0)]
    assert (state(first), state(second)) == ("DISPATCHED", "DISPATCHED")
