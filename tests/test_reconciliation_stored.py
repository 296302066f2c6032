"""The stored reconciliation of a request, the bank's camt.053 statement
matched against it, and its CSV export (API and CLI; the console's is in
tests/console/test_payment_pages.py)."""
from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from backend import db
from backend.errors import ValidationFailed
from backend.integrations import simulated_statement
from backend.integrations.iso20022 import camt053
from backend.models import BankStatement, Payment, StatementEntry
from backend.services.payments import result_files, result_pickup, statements
from tests.conftest import bearer
from tests.linking_helpers import request_link, settled
from tests.payment_helpers import (
    REQUESTS,
    approve_and_dispatch,
    build_requests,
    claim,
    payroll_csv,
    upload,
)


def dispatched_request(app, client, citizen, login_as, staff_login, deliver: bool) -> dict:
    """One request of two bank-linked citizens, dispatched (and paid by callbacks
    if `deliver`)."""
    people = [citizen("clean_bank_link", index) for index in (0, 1)]
    for person in people:
        tokens = login_as(person)
        link = request_link(client, person, tokens).json["id"]
        assert settled(client, tokens, link)["status"] == "ACTIVE"
    officer = staff_login("payroll1")
    upload(client, officer, payroll_csv([claim(person, province="079") for person in people]))
    [request] = build_requests(client, officer)
    approve_and_dispatch(app, client, staff_login("treasury1"), [request["id"]], deliver)
    return request


@pytest.fixture
def paid_request(app, client, citizen, login_as, staff_login) -> dict:
    """One request of two bank-linked citizens, dispatched and paid."""
    return dispatched_request(app, client, citizen, login_as, staff_login, deliver=True)


def reconciliation_of(client, staff_login, request_id: int) -> dict:
    answer = client.get(f"{REQUESTS}/{request_id}/reconciliation",
                        headers=staff_login("treasury1"))
    assert answer.status_code == 200, answer.json
    return answer.json


def paid_e2e(app, request_id: int) -> dict[str, int]:
    with app.app_context():
        return {e2e: amount for e2e, amount in db.session.execute(
            select(Payment.end_to_end_id, Payment.amount_vnd)
            .where(Payment.request_id == request_id, Payment.status == "PAID"))}


def statement_file(entries, msg_id: str = "STMT-TEST-1", day: date | None = None) -> io.BytesIO:
    target = io.BytesIO()
    camt053.write(target, msg_id, simulated_statement.TREASURY_ACCOUNT,
                  day or simulated_statement.today(), datetime.now(UTC), entries)
    target.seek(0)
    return target


def ingest(app, stream, name="statement.xml") -> dict:
    with app.app_context():
        return statements.ingest(stream, name, db.utcnow())


def test_the_reconciliation_is_stored_and_served_until_results_change(
        app, client, staff_login, paid_request):
    first = reconciliation_of(client, staff_login, paid_request["id"])
    assert first["outcomes"]["paid"]["count"] == 2 and first["differences"] == []
    assert first["settled_by"] == [{"source": "callback", "count": 2,
                                    "amount_vnd": first["planned"]["amount_vnd"]}]
    assert first["trigger"] == "first_reading"
    again = reconciliation_of(client, staff_login, paid_request["id"])
    assert again["computed_at"] == first["computed_at"]  # read, not computed again


def test_a_statement_that_agrees_leaves_no_difference(app, client, staff_login, paid_request):
    paid = paid_e2e(app, paid_request["id"])
    answer = ingest(app, statement_file(sorted(paid.items())))
    assert answer["entries"] == 2 and answer["unknown_end_to_end_ids"] == []
    reconciled = reconciliation_of(client, staff_login, paid_request["id"])
    assert reconciled["trigger"] == "statement:STMT-TEST-1"
    assert reconciled["differences"] == []


def test_a_statement_that_disagrees_lists_each_difference_by_end_to_end_id(
        app, client, staff_login, paid_request):
    (missing, amount), (changed, changed_amount) = sorted(paid_e2e(app, paid_request["id"]).items())
    answer = ingest(app, statement_file([(changed, changed_amount - 5000),
                                         ("SSA-NOT-OURS-1", 100_000)]))
    assert answer["unknown_end_to_end_ids"] == ["SSA-NOT-OURS-1"]  # reported, not dropped
    differences = reconciliation_of(client, staff_login, paid_request["id"])["differences"]
    assert {(item["kind"], item["end_to_end_id"], item["amount_vnd"],
             item["reported_amount_vnd"]) for item in differences} == {
        ("MISSING_FROM_STATEMENT", missing, amount, None),
        ("STATEMENT_AMOUNT_DIFFERS", changed, changed_amount, changed_amount - 5000)}


def test_a_statement_that_books_none_of_a_request_still_finds_its_transfers_paid_that_day(
        app, client, staff_login, paid_request):
    paid = sorted(paid_e2e(app, paid_request["id"]))
    yesterday = simulated_statement.today() - timedelta(days=1)
    before = ingest(app, statement_file([("SSA-NOT-OURS-2", 50_000)], msg_id="STMT-BEFORE",
                                        day=yesterday))
    assert before["request_ids"] == []  # nothing of ours was paid that day
    answer = ingest(app, statement_file([("SSA-NOT-OURS-3", 50_000)], msg_id="STMT-TODAY"))
    assert answer["request_ids"] == [paid_request["id"]]
    reconciled = reconciliation_of(client, staff_login, paid_request["id"])
    assert reconciled["trigger"] == "statement:STMT-TODAY"
    assert sorted((item["kind"], item["end_to_end_id"]) for item in reconciled["differences"]) \
        == [("MISSING_FROM_STATEMENT", e2e) for e2e in paid]


def test_transfers_a_large_result_file_paid_are_found_by_the_statement_of_their_day(
        app, client, citizen, login_as, staff_login, monkeypatch):
    # Taken as large, a file's credits are recorded once, not per payment.
    monkeypatch.setattr(result_files, "BULK_LINES", 1)
    request = dispatched_request(app, client, citizen, login_as, staff_login, deliver=False)
    with app.app_context():
        picked = result_pickup.pick_up(Path(app.config["BANK_RESULTS_DIR"]), "test", db.utcnow)
        assert picked.refused == {} and sum(report.paid for report in picked.reports) == 2
    paid = sorted(paid_e2e(app, request["id"]))
    assert len(paid) == 2
    answer = ingest(app, statement_file([("SSA-NOT-OURS-3", 50_000)], msg_id="STMT-TODAY"))
    assert answer["request_ids"] == [request["id"]]
    reconciled = reconciliation_of(client, staff_login, request["id"])
    assert sorted((item["kind"], item["end_to_end_id"]) for item in reconciled["differences"]) \
        == [("MISSING_FROM_STATEMENT", e2e) for e2e in paid]


def test_the_same_statement_twice_changes_nothing(app, paid_request):
    paid = sorted(paid_e2e(app, paid_request["id"]).items())
    content = statement_file(paid).getvalue()
    assert ingest(app, io.BytesIO(content))["duplicate"] is False
    assert ingest(app, io.BytesIO(content))["duplicate"] is True
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StatementEntry)) == 2


@pytest.mark.parametrize("spoil, refused_element, line", [
    # The second entry's debit/credit mark is not one the XSD allows.
    (lambda xml: xml.replace(b"<CdtDbtInd>DBIT", b"<CdtDbtInd>MAYBE", 2)
     .replace(b"<CdtDbtInd>MAYBE", b"<CdtDbtInd>DBIT", 1), "CdtDbtInd", None),
    # An entry with no amount.
    (lambda xml: re.sub(rb'<Ntry><Amt Ccy="VND">(\d+)</Amt>', rb"<Ntry><Ignored>\1</Ignored>",
                        xml, count=1), "Ignored", None),
    # Not well-formed: its line is given.
    (lambda xml: xml.replace(b"</Ntry>\n<Ntry>", b"</Ntry>\n</Ntry><Ntry>", 1), None, 2),
    # Cut off in the middle of the file: not well-formed, found at its last line.
    (lambda xml: xml[: xml.index(b"</Ntry>\n") + 8], None, 2),
])
def test_an_invalid_statement_is_refused_whole_and_changes_nothing(app, paid_request,
                                                                   spoil, refused_element,
                                                                   line):
    paid = sorted(paid_e2e(app, paid_request["id"]).items())
    spoiled = spoil(statement_file(paid).getvalue())
    with pytest.raises(ValidationFailed) as refused:
        ingest(app, io.BytesIO(spoiled))
    details = refused.value.details
    assert details.get("line") == ([str(line)] if line else None)
    if refused_element:  # a schema error names the element (and the value) it refuses
        assert f"{refused_element}'" in details["file"][0]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BankStatement)) == 0
        assert db.session.scalar(select(func.count()).select_from(StatementEntry)) == 0


def test_csv_export_from_the_api_and_the_cli(app, client, staff_login, paid_request):
    (missing, amount), _ = sorted(paid_e2e(app, paid_request["id"]).items())
    ingest(app, statement_file([_]))
    path = f"{REQUESTS}/{paid_request['id']}/reconciliation"
    treasurer = staff_login("treasury1")
    by_query = client.get(path + "?format=csv", headers=treasurer)
    by_accept = client.get(path, headers={**treasurer, "Accept": "text/csv"})
    assert by_query.mimetype == by_accept.mimetype == "text/csv"
    assert by_query.data == by_accept.data
    rows = list(csv.DictReader(io.StringIO(by_query.data.decode("utf-8-sig"))))
    assert any(row["section"] == "outcome" and row["kind"] == "paid" and row["count"] == "2"
               for row in rows)
    [difference] = [row for row in rows if row["section"] == "difference"]
    assert (difference["kind"], difference["end_to_end_id"], difference["amount_vnd"]) == \
        ("MISSING_FROM_STATEMENT", missing, str(amount))

    printed = app.test_cli_runner().invoke(args=["reconcile", str(paid_request["id"]), "--csv"])
    assert printed.exit_code == 0, printed.output
    assert list(csv.DictReader(io.StringIO(printed.output))) == rows



def test_a_citizen_cannot_read_or_export_a_reconciliation(client, citizen, login_as,
                                                          paid_request):
    headers = bearer(login_as(citizen("plain"))["access_token"])
    answer = client.get(f"{REQUESTS}/{paid_request['id']}/reconciliation?format=csv",
                        headers=headers)
    assert answer.status_code in (401, 403) and answer.json["code"]


def test_a_statement_goes_in_like_any_bank_file_by_cli_and_api(app, client, staff_login,
                                                               paid_request, tmp_path):
    (missing, _), (booked, amount) = sorted(paid_e2e(app, paid_request["id"]).items())
    path = tmp_path / "statement.xml"
    path.write_bytes(statement_file([(booked, amount)], msg_id="STMT-CLI").getvalue())
    printed = app.test_cli_runner().invoke(args=["bank-results", "import", str(path)])
    assert printed.exit_code == 0, printed.output
    assert "camt.053 STMT-CLI: 1 entries matched against 1 requests, 0 unknown" \
        in printed.output
    found = [(item["kind"], item["end_to_end_id"]) for item in
             reconciliation_of(client, staff_login, paid_request["id"])["differences"]]
    assert found == [("MISSING_FROM_STATEMENT", missing)]

    # The bank sends the day's statement again, now complete: it replaces the first.
    treasurer = staff_login("treasury1")
    complete = statement_file(sorted(paid_e2e(app, paid_request["id"]).items()),
                              msg_id="STMT-API").getvalue()
    answer = client.post("/api/v1/staff/bank-results", headers=treasurer,
                         data={"file": (io.BytesIO(complete), "statement.xml")},
                         content_type="multipart/form-data")
    assert answer.status_code == 200, answer.json
    assert (answer.json["kind"], answer.json["msg_id"], answer.json["transactions"],
            answer.json["request_ids"]) == ("camt.053", "STMT-API", 2, [paid_request["id"]])
    assert reconciliation_of(client, staff_login, paid_request["id"])["differences"] == []
    again = client.post("/api/v1/staff/bank-results", headers=treasurer,
                        data={"file": (io.BytesIO(complete), "statement.xml")},
                        content_type="multipart/form-data")
    assert again.json["outcome"] == "duplicate"
