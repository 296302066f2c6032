"""Bank results as ISO 20022 files: pain.002 status reports and camt.054 credits."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from backend import db
from backend.integrations.iso20022 import camt054, pain002, xsd
from backend.integrations.signatures import sign
from backend.models import (
    BankCallback,
    BankResultFile,
    Notification,
    Payment,
    PaymentTransition,
)
from backend.models.reconciliation import Reconciliation
from backend.services.payments import history, result_files, result_pickup
from tests.conftest import bearer
from tests.linking_helpers import request_link, settled
from tests.payment_helpers import (
    REQUESTS,
    build_requests,
    claim,
    deliver_callbacks,
    payroll_csv,
    set_account_status,
    upload,
)

RESULTS = "/api/v1/staff/bank-results"


@pytest.fixture
def two_linked(app, client, citizen, login_as):
    """Two citizens with an active bank link; the bank closes the second's account."""
    people = [citizen("clean_bank_link", 0), citizen("clean_bank_link", 1)]
    for person in people:
        tokens = login_as(person)
        link = request_link(client, person, tokens)
        assert settled(client, tokens, link.json["id"])["status"] == "ACTIVE"
    closed = people[1]["payout_account"]["account_number"]
    set_account_status(app, closed, "closed")
    yield people
    set_account_status(app, closed, "open")


def dispatch_request(client, staff_login, people, period="2026-10") -> int:
    officer = staff_login("payroll1")
    upload(client, officer, payroll_csv([claim(person, period, province="079")
                                         for person in people]), name=f"{period}.csv")
    [request] = build_requests(client, officer, period)
    treasurer = staff_login("treasury1")
    assert client.post(f"{REQUESTS}/{request['id']}/approve", headers=treasurer).status_code \
        == 200
    assert client.post(f"{REQUESTS}/{request['id']}/dispatch", headers=treasurer).status_code \
        == 200
    return request["id"]


def dropped(app, prefix: str) -> list[Path]:
    """The result files the simulated bank dropped, oldest first."""
    return sorted(Path(app.config["BANK_RESULTS_DIR"]).glob(f"{prefix}-*.xml"))


def send(client, headers, path: Path):
    return client.post(RESULTS, headers=headers,
                       data={"file": (io.BytesIO(path.read_bytes()), path.name)},
                       content_type="multipart/form-data")


def outcomes(app) -> dict[str, tuple[str, str | None]]:
    """end-to-end id -> (status, failure reason) of every bank payment."""
    with app.app_context():
        return {e2e: (status, reason) for e2e, status, reason in db.session.execute(
            select(Payment.end_to_end_id, Payment.status, Payment.failure_reason)
            .where(Payment.end_to_end_id.is_not(None)))}


def counted(app) -> dict[str, int]:
    """What a duplicate would show twice: transitions, notices, kept results, files."""
    with app.app_context():
        def count(query):
            return db.session.scalar(query) or 0
        return {
            # Each PAID step of each payment's history (a large file's
            # credits are recorded once, named by each payment).
            "paid": sum(step.to_status == "PAID" for payment in db.session.scalars(select(Payment))
                        for step in history.timeline(payment)),
            "failed": count(select(func.count()).select_from(PaymentTransition)
                            .where(PaymentTransition.to_status == "FAILED")),
            "paid_notices": count(select(func.count()).select_from(Notification)
                                  .where(Notification.kind == "PAYMENT_PAID")),
            "failed_notices": count(select(func.count()).select_from(Notification)
                                    .where(Notification.kind == "PAYMENT_FAILED")),
            "kept": count(select(func.count()).select_from(BankCallback)),
            "files": count(select(func.count()).select_from(BankResultFile)),
        }


def test_the_bank_answers_with_files_valid_against_the_official_xsds(app, client,
                                                                    staff_login, two_linked):
    dispatch_request(client, staff_login, two_linked)
    # One pain.001 per bank, so one status report per bank; one bank credited.
    reports, [notification] = dropped(app, "pain002"), dropped(app, "camt054")
    assert len(reports) == 2
    for path, message in [(report, "pain.002.001.12") for report in reports] + [
            (notification, "camt.054.001.08")]:
        schema = xsd.schema(message)
        assert schema.validate(etree.parse(str(path))), schema.error_log
        assert path.stat().st_mode & 0o777 == 0o600
    texts = sorted(report.read_text() for report in reports)
    assert any("<GrpSts>RJCT</GrpSts>" in text and "<Cd>AC04</Cd>" in text for text in texts)
    assert any("<GrpSts>ACCP</GrpSts>" in text for text in texts)


def test_a_pick_up_never_sees_a_result_file_the_bank_is_still_writing(
        app, client, staff_login, two_linked, monkeypatch):
    """The bank writes under a name the pick-up skips and renames the file
    whole: a pick-up in another process, at that moment, finds nothing half."""
    from backend.integrations import simulated_gateway

    folder = Path(app.config["BANK_RESULTS_DIR"])
    half_written_seen: list[str] = []
    writes = 0

    def as_a_pick_up_lists_them():
        for each in folder.glob("*.xml"):
            try:
                etree.parse(str(each))
            except etree.XMLSyntaxError:
                half_written_seen.append(each.name)

    def watching(writer):
        def write(path, *args, **kwargs):
            nonlocal writes
            writes += 1
            as_a_pick_up_lists_them()  # the bank has begun its file
            writer(path, *args, **kwargs)
            as_a_pick_up_lists_them()  # written to the last byte, not yet handed over
        return write

    monkeypatch.setattr(simulated_gateway.pain002, "write", watching(pain002.write))
    monkeypatch.setattr(simulated_gateway.camt054, "write", watching(camt054.write))
    dispatch_request(client, staff_login, two_linked)
    assert writes == 3  # two status reports, one notification
    assert half_written_seen == []
    dropped_files = dropped(app, "pain002") + dropped(app, "camt054")
    assert len(dropped_files) == 3
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in dropped_files)
    assert sorted(each.name for each in folder.iterdir() if each.is_file()) == sorted(
        path.name for path in dropped_files)  # nothing else left behind


@pytest.mark.parametrize("bulk_from", [result_files.BULK_LINES, 1],
                         ids=["as-a-small-file", "as-a-large-file"])
def test_files_pay_and_fail_each_payment_once_whatever_is_sent_twice(app, client, staff_login,
                                                                     two_linked, monkeypatch,
                                                                     bulk_from):
    # A large file's moves take another path on PostgreSQL (one statement with
    # their transitions); the same files, taken as large, must end the same.
    monkeypatch.setattr(result_files, "BULK_LINES", bulk_from)
    dispatch_request(client, staff_login, two_linked)
    treasurer = staff_login("treasury1")
    reports, [notification] = dropped(app, "pain002"), dropped(app, "camt054")
    answers = [send(client, treasurer, report) for report in reports]
    assert [answer.status_code for answer in answers] == [200, 200], answers[0].json
    summary = sorted((answer.json["kind"], answer.json["transactions"], answer.json["accepted"],
                      answer.json["paid"], answer.json["failed"], answer.json["waiting"],
                      answer.json["unknown"]) for answer in answers)
    assert summary == [("pain.002", 1, 0, 0, 1, 0, 0), ("pain.002", 1, 1, 0, 0, 1, 0)]
    # ACSC says the Treasury's side settled; the citizen is paid on the credit.
    assert sorted(outcomes(app).values()) == [("FAILED", "AC04"), ("SENT", None)]
    credits = send(client, treasurer, notification).json
    assert (credits["kind"], credits["paid"], credits["waiting"]) == ("camt.054", 1, 0)
    assert credits["request_ids"] != [] and credits["duplicates"] == 0
    assert sorted(outcomes(app).values()) == [("FAILED", "AC04"), ("PAID", None)]
    before = counted(app)
    for path in (*reports, notification, notification, *reversed(reports)):
        again = send(client, treasurer, path)
        assert (again.status_code, again.json["outcome"]) == (200, "duplicate")
    deliver_callbacks(app, client)  # the same results once more, by callback
    assert counted(app) | {"kept": 0} == before | {"kept": 0}
    assert before | {"paid": 1, "failed": 1, "paid_notices": 1, "failed_notices": 1,
                     "files": 3} == before


def test_credits_before_the_status_report_and_before_sent_pay_once(app, client, staff_login,
                                                                   two_linked, monkeypatch):
    from backend.services.payments import result_files
    gateway = app.extensions["integrations"].bank_gateway
    real_submit = gateway.submit
    early = []

    def submit_and_answer_at_once(msg_id, institution, path):
        # The bank's files are taken in before our dispatch has marked the
        # payments SENT, and the credits come before the status report.
        paths = real_submit(msg_id, institution, path)
        for each in reversed(paths):
            early.append(result_files.ingest(each, "test", db.utcnow()))
        return paths

    monkeypatch.setattr(gateway, "submit", submit_and_answer_at_once)
    dispatch_request(client, staff_login, two_linked)
    assert sorted((each.kind, each.applied, each.waiting) for each in early) == [
        ("camt.054", 0, 1), ("pain.002", 0, 1), ("pain.002", 0, 1)]
    assert sorted(outcomes(app).values()) == [("FAILED", "AC04"), ("PAID", None)]
    deliver_callbacks(app, client)
    assert counted(app) | {"kept": 0, "files": 0} == {
        "paid": 1, "failed": 1, "paid_notices": 1, "failed_notices": 1, "kept": 0, "files": 0}


def test_callbacks_first_then_files_leave_each_payment_paid_once(app, client, staff_login,
                                                                 two_linked):
    dispatch_request(client, staff_login, two_linked)
    assert sorted(deliver_callbacks(app, client)) == ["applied", "applied"]
    treasurer = staff_login("treasury1")
    for path in dropped(app, "camt054") + dropped(app, "pain002"):
        answer = send(client, treasurer, path).json
        assert (answer["outcome"], answer["applied"]) == ("imported", 0)
    assert sorted(outcomes(app).values()) == [("FAILED", "AC04"), ("PAID", None)]
    assert counted(app) | {"kept": 0, "files": 0} == {
        "paid": 1, "failed": 1, "paid_notices": 1, "failed_notices": 1, "kept": 0, "files": 0}


def test_a_blocked_account_is_refused_ac06(app, client, staff_login, citizen, login_as):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    assert settled(client, tokens, request_link(client, person, tokens).json["id"])["status"] \
        == "ACTIVE"
    set_account_status(app, person["payout_account"]["account_number"], "blocked")
    try:
        dispatch_request(client, staff_login, [person])
        assert dropped(app, "camt054") == []  # nothing was credited
        [report] = dropped(app, "pain002")
        answer = send(client, staff_login("treasury1"), report).json
        assert answer["failed"] == 1
        assert list(outcomes(app).values()) == [("FAILED", "AC06")]
    finally:
        set_account_status(app, person["payout_account"]["account_number"], "open")


def corrupted(path: Path, tmp_path: Path, old: str, new: str) -> Path:
    text = path.read_text()
    assert old in text
    target = tmp_path / path.name
    target.write_text(text.replace(old, new, 1))
    return target


@pytest.mark.parametrize(("old", "new", "line", "element"), [
    ("<TxSts>ACSC</TxSts>", "<TxSts>PAID-OK</TxSts>", 3, "TxSts"),  # XSD: at most 4 letters
    ("</OrgnlEndToEndId>", "</OrgnlEndToEnd>", 3, None),  # not well-formed
])
def test_a_bad_file_is_refused_whole_with_its_line_and_changes_nothing(
        app, client, staff_login, two_linked, tmp_path, old, new, line, element):
    dispatch_request(client, staff_login, two_linked)
    before, states = counted(app), outcomes(app)
    accepted = [path for path in dropped(app, "pain002") if "ACSC" in path.read_text()]
    bad = corrupted(accepted[0], tmp_path, old, new)
    answer = send(client, staff_login("treasury1"), bad)
    assert answer.status_code == 422 and answer.json["code"] == "VALIDATION_ERROR"
    details = answer.json["details"]
    assert details["line"] == [str(line)]
    assert details.get("element") == ([element] if element else None)
    assert details["file"][0].startswith(f"line {line}: ")
    assert counted(app) == before and outcomes(app) == states


def test_a_file_of_another_kind_is_refused(client, staff_login, tmp_path):
    path = tmp_path / "payroll.xml"
    path.write_text('<?xml version="1.0"?><Document xmlns="urn:example"><A/></Document>')
    answer = send(client, staff_login("treasury1"), path)
    assert answer.status_code == 422
    assert "not a message we read" in answer.json["details"]["file"][0]


def test_results_for_unknown_end_to_end_ids_are_reported_and_kept(app, client, staff_login,
                                                                  two_linked, tmp_path):
    dispatch_request(client, staff_login, two_linked)
    notification = dropped(app, "camt054")[0]
    e2e = etree.parse(str(notification)).findtext(".//{*}EndToEndId")
    strange = corrupted(notification, tmp_path, f">{e2e}<", ">SSA-999999999<")
    answer = send(client, staff_login("treasury1"), strange).json
    assert (answer["unknown"], answer["unknown_end_to_end_ids"]) == (1, ["SSA-999999999"])
    assert answer["paid"] == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BankCallback).where(
            BankCallback.end_to_end_id == "SSA-999999999")) == 1


def test_the_gateway_may_send_a_file_signed_instead_of_a_staff_token(app, client,
                                                                     staff_login, two_linked,
                                                                     citizen, login_as):
    dispatch_request(client, staff_login, two_linked)
    report = [path for path in dropped(app, "pain002") if "RJCT" in path.read_text()][0]
    body = report.read_bytes()
    secret = app.config["BANK_GATEWAY_SECRET"]
    for headers, status in (
            ({"X-Gateway-Signature": sign("not-the-secret", body)}, 401),
            ({}, 401),
            (bearer(login_as(citizen("plain"))["access_token"]), 403),
            (staff_login("payroll1"), 403)):
        answer = client.post(RESULTS, data=body, content_type="application/xml",
                             headers=headers)
        assert answer.status_code == status, answer.json
    assert counted(app)["files"] == 0
    signed = client.post(RESULTS, data=body, content_type="application/xml",
                         headers={"X-Gateway-Signature": sign(secret, body)})
    assert (signed.status_code, signed.json["failed"]) == (200, 1)


def test_cli_imports_a_file_and_picks_up_the_folder(app, client, staff_login, two_linked):
    dispatch_request(client, staff_login, two_linked)
    runner = app.test_cli_runner()
    report = [path for path in dropped(app, "pain002") if "RJCT" in path.read_text()][0]
    imported = runner.invoke(args=["bank-results", "import", str(report)])
    assert imported.exit_code == 0, imported.output
    assert "pain.002" in imported.output and "1 failed" in imported.output
    picked = runner.invoke(args=["bank-results", "pick-up"])
    assert picked.exit_code == 0, picked.output
    assert "already taken in" in picked.output and "1 paid" in picked.output
    assert sorted(outcomes(app).values()) == [("FAILED", "AC04"), ("PAID", None)]
    assert dropped(app, "pain002") == dropped(app, "camt054") == []  # moved to done/
    again = runner.invoke(args=["bank-results", "pick-up"])
    assert again.exit_code == 0 and "no result files waiting" in again.output


def test_a_pick_up_reconciles_each_request_once_naming_its_last_file(
        app, client, staff_login, two_linked):
    request_id = dispatch_request(client, staff_login, two_linked)
    treasurer = staff_login("treasury1")
    reading = f"{REQUESTS}/{request_id}/reconciliation"
    assert client.get(reading, headers=treasurer).json["outcomes"]["in_progress"]["count"] == 2
    reports, [notification] = dropped(app, "pain002"), dropped(app, "camt054")
    last = max(report.stat().st_mtime for report in reports)
    os.utime(notification, (last + 1, last + 1))  # the credits come last
    with app.app_context():
        picked = result_pickup.pick_up(Path(app.config["BANK_RESULTS_DIR"]), "test", db.utcnow)
        assert picked.refused == {}
        assert [each.kind for each in picked.reports] == ["pain.002"] * len(reports) + [
            "camt.054"]
        stored = db.session.get(Reconciliation, request_id)
        assert stored is not None and not stored.stale
        assert stored.trigger == f"result_file:{notification.name}"
    answer = client.get(reading, headers=treasurer).json
    assert answer["trigger"] == f"result_file:{notification.name}"
    assert answer["outcomes"]["paid"]["count"] == answer["outcomes"]["failed"]["count"] == 1
    assert answer["outcomes"]["in_progress"]["count"] == 0


def test_a_reading_a_file_left_stale_is_computed_again_when_read(
        app, client, staff_login, two_linked):
    """A pick-up stores its requests' readings after its files: should it stop
    in between, each file has marked them stale, and a reader gets them fresh."""
    request_id = dispatch_request(client, staff_login, two_linked)
    treasurer = staff_login("treasury1")
    reading = f"{REQUESTS}/{request_id}/reconciliation"
    assert client.get(reading, headers=treasurer).json["outcomes"]["failed"]["count"] == 0
    report = [path for path in dropped(app, "pain002") if "RJCT" in path.read_text()][0]
    with app.app_context():
        result_files.ingest(report, "test", db.utcnow(), reconcile=False)
        stored = db.session.get(Reconciliation, request_id)
        assert stored is not None and stored.stale
    answer = client.get(reading, headers=treasurer).json
    assert answer["outcomes"]["failed"]["count"] == 1
    assert answer["outcomes"]["in_progress"]["count"] == 1


def test_cli_refuses_a_bad_file_and_says_where(app, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
                   'camt.054.001.08">\n<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>X</MsgId>'
                   '</GrpHdr></BkToCstmrDbtCdtNtfctn></Document>\n')
    result = app.test_cli_runner().invoke(args=["bank-results", "import", str(bad)])
    assert result.exit_code == 1
    assert "refused, nothing changed" in result.output and "line: 3" in result.output


def test_a_transfer_beyond_the_treasury_balance_is_refused_am04(app, client, staff_login,
                                                               citizen, login_as, monkeypatch):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    assert settled(client, tokens, request_link(client, person, tokens).json["id"])["status"] \
        == "ACTIVE"
    gateway = app.extensions["integrations"].bank_gateway
    monkeypatch.setattr(gateway, "treasury_balance_vnd", 1_000_000)  # less than one payment
    dispatch_request(client, staff_login, [person])
    [report] = dropped(app, "pain002")
    assert send(client, staff_login("treasury1"), report).json["failed"] == 1
    assert list(outcomes(app).values()) == [("FAILED", "AM04")]


def test_the_reconciliation_is_stored_with_the_file_that_settled_each_payment(
        app, client, staff_login, two_linked):
    request_id = dispatch_request(client, staff_login, two_linked)
    treasurer = staff_login("treasury1")
    for path in dropped(app, "pain002"):
        send(client, treasurer, path)
    [notification] = dropped(app, "camt054")
    send(client, treasurer, notification)
    stored = client.get(f"{REQUESTS}/{request_id}/reconciliation", headers=treasurer).json
    assert stored["trigger"] == f"result_file:{notification.name}"
    assert [source["source"] for source in stored["settled_by"]] == [notification.name]
    assert stored["outcomes"]["paid"]["count"] == stored["outcomes"]["failed"]["count"] == 1
