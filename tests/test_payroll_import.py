"""Payroll files: bad rows, double imports, duplicate claims."""
from __future__ import annotations

from sqlalchemy import func, select

from backend import db
from backend.models import Payment, Payroll
from tests.payment_helpers import HEADER, build_requests, claim, payroll_csv, upload


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_file_with_bad_rows_is_rejected_whole_with_line_numbers(app, client, citizen,
                                                                   staff_login):
    good, other = citizen("plain", 0), citizen("plain", 1)
    content = payroll_csv([
        claim(good),                                                # line 2: fine
        ("003152123456", "pension", "2026-10", 1_000_000, "079"),  # line 3: no province 003
        claim(other, amount="1.500.000"),                           # line 4: separators
        claim(other, programme="lottery"),                          # line 5: unknown programme
        claim(other, period="2026-13"),                             # line 6: no month 13
        claim(good),                                                # line 7: repeats line 2
    ])
    answer = upload(client, staff_login("payroll1"), content)
    assert answer.status_code == 422 and answer.json["code"] == "VALIDATION_ERROR"
    details = answer.json["details"]
    assert "line 2" not in details
    assert "personal_id" in details["line 3"][0] and "003" in details["line 3"][0]
    assert "amount_vnd" in details["line 4"][0]
    assert "programme" in details["line 5"][0]
    assert "period" in details["line 6"][0]
    assert "line 2" in details["line 7"][0]
    assert details["error_count"] == ["5"]
    assert count(app, Payment) == 0 and count(app, Payroll) == 0  # nothing half-applied


def test_wrong_header_or_missing_columns(app, client, citizen, staff_login):
    officer = staff_login("payroll1")
    wrong_header = upload(client, officer, b"id,amount\n079152123456,100\n")
    assert "header" in wrong_header.json["details"]["line 1"][0]
    short_row = upload(client, officer, (HEADER + "079152123456,pension\n").encode())
    assert short_row.json["details"]["line 2"] == ["wrong number of columns"]
    assert count(app, Payment) == 0


def test_importing_the_same_file_twice_creates_nothing_new(app, client, citizen,
                                                           staff_login):
    officer = staff_login("payroll1")
    content = payroll_csv([claim(citizen("plain", 0)), claim(citizen("plain", 1))])
    first = upload(client, officer, content)
    assert first.json["new_payments"] == 2
    again = upload(client, officer, content, name="renamed.csv")
    assert again.json["already_imported"] is True and again.json["new_payments"] == 0
    # Another file carrying the same claims (plus one new) adds only the new one.
    more = upload(client, officer, payroll_csv([claim(citizen("plain", 0)),
                                                claim(citizen("plain", 2))]))
    assert more.json["new_payments"] == 1
    assert count(app, Payment) == 3


def test_the_same_person_in_two_provinces_is_held_not_paid_twice(app, client, citizen,
                                                                 staff_login):
    person = citizen("plain")
    officer = staff_login("payroll1")
    upload(client, officer, payroll_csv([claim(person, province="079")]), name="hcm.csv")
    upload(client, officer, payroll_csv([claim(person, province="001")]), name="hanoi.csv")
    with app.app_context():
        holds = db.session.scalars(select(Payment.hold_reason)).all()
    assert holds == ["DUPLICATE_CLAIM", "DUPLICATE_CLAIM"]
    assert build_requests(client, officer) == []  # held claims are not requested
    other = citizen("plain", 1)
    upload(client, officer, payroll_csv([claim(other, province="079")]), name="hcm2.csv")
    request = build_requests(client, officer)[0]
    findings = client.get(f"/api/v1/staff/payment-requests/{request['id']}",
                          headers=staff_login("treasury1")).json["findings"]
    assert findings["held"]["DUPLICATE_CLAIM"]["count"] == 1  # shown to Treasury control


def test_only_payroll_officers_import(client, citizen, login_as, staff_login):
    content = payroll_csv([claim(citizen("plain"))])
    assert upload(client, staff_login("reviewer1"), content).status_code == 403
    citizen_headers = {"Authorization": f"Bearer {login_as(citizen('plain'))['access_token']}"}
    assert upload(client, citizen_headers, content).json["code"] == "FORBIDDEN"


def test_cli_import_reports_bad_lines_and_imports_good_files(app, tmp_path, citizen, clean_db):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(payroll_csv([("12345", "pension", "2026-10", 1000, "079")]))
    result = app.test_cli_runner().invoke(args=["payroll", "import", str(bad)])
    assert result.exit_code == 1 and "line 2" in result.output
    good = tmp_path / "good.csv"
    good.write_bytes(payroll_csv([claim(citizen("plain"))]))
    result = app.test_cli_runner().invoke(args=["payroll", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 new payments" in result.output
