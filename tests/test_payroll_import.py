"""Payroll files: bad rows, double imports, duplicate claims."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend import db
from backend.models import Payment, Payroll, PayrollRow
from backend.services.payments import payroll, payroll_copy
from tests.payment_helpers import HEADER, REQUESTS, build_requests, claim, payroll_csv, upload


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


@pytest.mark.parametrize("planned_before", [False, True], ids=["new claim", "planned claim"])
def test_a_claim_twice_in_an_otherwise_good_file_is_refused_whole(app, client, citizen,
                                                                 staff_login, planned_before):
    """Every line reads well; the same claim on two lines is still a mistake in
    the file, even when an earlier payroll has planned that claim already."""
    officer = staff_login("payroll1")
    twice, other = citizen("plain", 0), citizen("plain", 1)
    if planned_before:
        assert upload(client, officer, payroll_csv([claim(twice)]),
                      name="earlier.csv").status_code == 201
    before = count(app, Payment), count(app, Payroll)
    answer = upload(client, officer, payroll_csv([claim(twice), claim(other),
                                                  claim(twice, amount=2_000_000)]))
    assert answer.status_code == 422, answer.json
    assert answer.json["details"] == {"line 4": ["repeats the claim of line 2"],
                                      "error_count": ["1"]}
    assert (count(app, Payment), count(app, Payroll)) == before


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
    # Held claims are not requested, but their groups still reach control, once.
    seen = build_requests(client, officer)
    assert sorted((request["province_code"], request["count"]) for request in seen) == \
        [("001", 0), ("079", 0)]
    assert build_requests(client, officer) == []
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


def test_digits_of_other_scripts_are_bad_lines(app, client, citizen, staff_login):
    # Python's \d matches fullwidth digits: "２０２６-10" was once imported as a
    # new month and paid twice.
    content = payroll_csv([claim(citizen("plain", 0), period="２０２６-10"),
                           claim(citizen("plain", 1), amount="１５００০০০")])
    answer = upload(client, staff_login("payroll1"), content)
    assert answer.status_code == 422
    assert answer.json["details"]["line 2"] == ["period: must be YYYY-MM"]
    assert answer.json["details"]["line 3"] == [
        "amount_vnd: a whole positive number of VND, digits only"]
    assert count(app, Payment) == 0
    # Requests are built for a period in the same ASCII form.
    refused = client.post(REQUESTS, json={"period": "２０２６-10"},
                          headers=staff_login("payroll1"))
    assert refused.status_code == 422 and "period" in refused.json["details"]


def test_quoted_fields_are_read_as_csv(app, client, citizen, staff_login):
    person = citizen("plain")
    content = (HEADER + f'"{person["personal_id"]}","social_allowance","2026-10",'
               f'"1500000","{person["personal_id"][:3]}"\n').encode()
    answer = upload(client, staff_login("payroll1"), content)
    assert answer.status_code == 201, answer.json
    assert answer.json["new_payments"] == 1 and answer.json["total_vnd"] == 1_500_000


def every_kind_of_bad_line(citizen) -> bytes:
    first, second = citizen("plain", 0), citizen("plain", 1)
    padded = claim(second)
    lines = [
        claim(first),                                               # 2: fine
        ("079152123456", "pension"),                                # 3: too few columns
        (*claim(second), "extra"),                                  # 4: too many
        ("12345", "pension", "2026-10", 1000, "079"),               # 5: not 12 digits
        ("079299123456", "pension", "2026-10", 1000, "079"),        # 6: born in 2099
        claim(second, programme="lottery"),                         # 7
        claim(second, period="2026-13"),                            # 8
        claim(second, amount="0100"),                               # 9: leading zero
        claim(second, amount="0"),                                  # 10
        claim(second, province="003"),                              # 11
        (),                                                         # 12: blank, skipped
        tuple(f" {value}\t" for value in padded),                   # 13: fine once stripped
        claim(first),                                               # 14: repeats line 2
        ("003299１２３４5", "lottery", "26-10", "-5", "999"),        # 15: all wrong
    ]
    return (HEADER + "".join(",".join(str(value) for value in line) + "\n"
                             for line in lines)).encode()


def test_postgresql_checks_plain_files_in_sql_as_python_does(app, client, citizen, staff_login,
                                                             database_url, monkeypatch):
    if not database_url.startswith("postgresql"):
        pytest.skip("the COPY path is PostgreSQL's")
    officer = staff_login("payroll1")
    content = every_kind_of_bad_line(citizen)

    def csv_parser_not_wanted(*_args):
        raise AssertionError("a plain file should not need the csv parser")

    monkeypatch.setattr(payroll, "_stage_parsed", csv_parser_not_wanted)
    by_copy = upload(client, officer, content)
    monkeypatch.undo()
    monkeypatch.setattr(payroll_copy, "stage", lambda *_args: None)
    by_csv_parser = upload(client, officer, content)
    assert by_copy.status_code == by_csv_parser.status_code == 422
    assert by_copy.json["details"] == by_csv_parser.json["details"]
    details = by_copy.json["details"]
    assert sorted(details, key=lambda key: (len(key), key)) == [
        *(f"line {number}" for number in (3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15)), "error_count"]
    assert details["line 3"] == details["line 4"] == ["wrong number of columns"]
    assert details["line 6"] == ["personal_id: Digits 4 to 6 give a birth year in the future;"
                                 " please check the number."]
    assert details["line 14"] == ["repeats the claim of line 2"]
    assert len(details["line 15"]) == 5
    assert details["error_count"] == ["11"]
    assert count(app, Payment) == 0 and count(app, Payroll) == 0


def test_postgresql_imports_a_plain_file_by_copy(app, client, citizen, staff_login,
                                                 database_url, monkeypatch):
    if not database_url.startswith("postgresql"):
        pytest.skip("the COPY path is PostgreSQL's")
    monkeypatch.setattr(payroll, "_stage_parsed", lambda *_args: pytest.fail("csv parser used"))
    people = [citizen("plain", index) for index in range(3)]
    content = payroll_csv([claim(person, amount=1_000_000 * (index + 1))
                           for index, person in enumerate(people)]).replace(b"\n", b"\r\n")
    answer = upload(client, staff_login("payroll1"), b"\xef\xbb\xbf" + content)
    assert answer.status_code == 201, answer.json
    assert answer.json["new_payments"] == 3 and answer.json["total_vnd"] == 6_000_000
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PayrollRow)) == 0
