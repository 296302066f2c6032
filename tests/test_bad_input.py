"""No input answers a server error (issue 14, item 3): each probe's input gets a 4xx
in the one error shape, and changes nothing."""
from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import func, select

from backend import db
from backend.integrations.signatures import sign
from backend.models import BankCallback, Payroll
from tests.conftest import bearer
from tests.payment_helpers import HEADER, claim, payroll_csv, upload
from tests.test_errors import assert_error_shape

LOGIN = "/api/v1/auth/login"
CALLBACKS = "/api/v1/bank-gateway/callbacks"
HUGE = 2 ** 64
TOO_BIG_FOR_AN_ID = 2 ** 31  # INTEGER ids on PostgreSQL end just below


def path_with_ids(rule, value: int) -> str:
    return re.sub(r"<int:[^>]+>", str(value), rule.rule)


@pytest.mark.parametrize("value", [HUGE, TOO_BIG_FOR_AN_ID, 10 ** 30])
def test_path_ids_beyond_the_database_are_not_found(app, client, staff_login, value):
    headers = staff_login("supervisor1")
    rules = [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]
    assert len(rules) >= 20  # the API's and the console's
    for rule in rules:
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            answer = client.open(path_with_ids(rule, value), method=method, headers=headers,
                                 json={} if method == "POST" else None)
            assert answer.status_code == 404, (method, rule.rule, answer.status_code)
            if rule.rule.startswith("/api/"):
                assert_error_shape(answer, 404, "NOT_FOUND")


def test_fullwidth_digits_in_a_path_id_are_not_an_id(client, login_as, citizen):
    tokens = login_as(citizen("plain"))
    answer = client.get("/api/v1/me/payout-links/\uff11", headers=bearer(tokens["access_token"]))
    assert_error_shape(answer, 404, "NOT_FOUND")


@pytest.mark.parametrize("page", [str(HUGE), str(2 ** 63), "9" * 5000])
def test_pages_beyond_the_database_are_validation_errors(client, login_as, citizen,
                                                         staff_login, page):
    citizen_headers = bearer(login_as(citizen("plain"))["access_token"])
    supervisor = staff_login("supervisor1")
    for path, headers in (("/api/v1/me/payout-links", citizen_headers),
                          ("/api/v1/me/notifications", citizen_headers),
                          ("/api/v1/staff/link-requests", supervisor),
                          ("/api/v1/staff/audit-log", supervisor),
                          ("/api/v1/staff/payment-requests", supervisor)):
        answer = client.get(path, query_string={"page": page}, headers=headers)
        assert_error_shape(answer, 422, "VALIDATION_ERROR")
        assert "page" in answer.json["details"], path


def test_deeply_nested_json_on_the_login(client):
    nested = "[" * 100_000 + "]" * 100_000
    answer = client.post(LOGIN, data=nested, content_type="application/json")
    assert_error_shape(answer, 422, "VALIDATION_ERROR")
    mildly = {"personal_id": "079190000001", "password": "x",
              "device_id": json.loads("[" * 30 + "]" * 30)}
    answer = client.post(LOGIN, json=mildly)
    assert_error_shape(answer, 422, "VALIDATION_ERROR")


def test_numbers_no_database_column_holds(client, staff_login):
    payroll = staff_login("payroll1")
    for amount in ("1e999", str(2 ** 70), "NaN"):
        answer = client.post("/api/v1/staff/payment-requests", headers=payroll,
                             data=f'{{"period": "2026-10", "extra": {amount}}}',
                             content_type="application/json")
        assert_error_shape(answer, 422, "VALIDATION_ERROR")


def test_a_payroll_that_is_not_utf8_names_its_line(app, client, staff_login, citizen):
    officer = staff_login("payroll1")
    good = payroll_csv([claim(citizen("plain", 0)), claim(citizen("plain", 1))])
    latin1 = good + "079190000001,social_allowance,2026-10,1500000,Bình\n".encode("latin-1")
    answer = upload(client, officer, latin1)
    assert_error_shape(answer, 422, "VALIDATION_ERROR")
    assert any("UTF-8" in reason for reason in answer.json["details"]["line 4"]), answer.json
    whole_file = upload(client, officer, "\u00ff\u00fe".encode("utf-16") + good)
    assert_error_shape(whole_file, 422, "VALIDATION_ERROR")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Payroll)) == 0


def test_a_payroll_header_in_another_encoding(client, staff_login):
    answer = upload(client, staff_login("payroll1"), HEADER.encode("utf-16"))
    assert_error_shape(answer, 422, "VALIDATION_ERROR")


def test_a_lone_surrogate_in_a_staff_note(client, staff_login):
    reviewer = staff_login("reviewer1")
    body = '{"reason": "HOLDER_NAME_MISMATCH", "note": "bad \\ud800 text"}'
    answer = client.post("/api/v1/staff/link-requests/1/reject", data=body, headers=reviewer,
                         content_type="application/json")
    assert_error_shape(answer, 422, "VALIDATION_ERROR")
    assert "note" in answer.json["details"]


def test_nul_bytes_in_text_fields_headers_and_filters(client, login_as, citizen, staff_login):
    device = client.post(LOGIN, json={"personal_id": "079190000001", "password": "x",
                                      "device_id": "phone\x00"})
    assert_error_shape(device, 422, "VALIDATION_ERROR")
    assert "device_id" in device.json["details"]

    tokens = login_as(citizen("plain"))
    key = client.post("/api/v1/me/payout-links", json={},
                      headers={**bearer(tokens["access_token"]), "Idempotency-Key": "k\x00"})
    assert_error_shape(key, 422, "VALIDATION_ERROR")

    supervisor = staff_login("supervisor1")
    for path, name in (("/api/v1/staff/link-requests", "province"),
                       ("/api/v1/staff/payment-requests", "programme"),
                       ("/api/v1/me/payments", "programme")):
        headers = bearer(tokens["access_token"]) if path.startswith("/api/v1/me") else supervisor
        answer = client.get(path, query_string={name: "a\x00b"}, headers=headers)
        assert_error_shape(answer, 422, "VALIDATION_ERROR")
    console = client.get("/console/queue", query_string={"reason": "\x00"})
    assert console.status_code == 422


def signed_callback(client, body: bytes, app):
    with app.app_context():
        signature = sign(app.config["BANK_GATEWAY_SECRET"], body)
    return client.post(CALLBACKS, data=body, content_type="application/json",
                       headers={"X-Gateway-Signature": signature})


@pytest.mark.parametrize("body", [
    b"[1, 2]", b'"text"', b"42", b"null", b"\xff\xfe",
    b'{"transaction_id": "T1", "end_to_end_id": "E1", "status": "SETTLED", "amount_vnd": "abc"}',
    b'{"transaction_id": 7, "end_to_end_id": "E1", "status": "SETTLED", "amount_vnd": 1}',
    b'{"transaction_id": "T1", "end_to_end_id": ["E1"], "status": "SETTLED", "amount_vnd": 1}',
    b'{"transaction_id": "T1", "end_to_end_id": "E1", "status": "PAID", "amount_vnd": 1}',
    b'{"transaction_id": "T1", "end_to_end_id": "E1", "status": "SETTLED", "amount_vnd": 1.5}',
    b'{"transaction_id": "T1", "end_to_end_id": "E1", "status": "SETTLED", "amount_vnd": -1}',
    b'{"transaction_id": "T1\\u0000", "end_to_end_id": "E1", "status": "SETTLED",'
    b' "amount_vnd": 1}',
    b'{"transaction_id": "T1", "end_to_end_id": "E1", "status": "SETTLED",'
    b' "amount_vnd": 100000000000000000000}',
    b'{"transaction_id": "' + b"T" * 65 + b'", "end_to_end_id": "E1", "status": "SETTLED",'
    b' "amount_vnd": 1}',
])
def test_signed_callbacks_of_the_wrong_shape_are_refused_and_not_kept(app, client, body):
    answer = signed_callback(client, body, app)
    assert_error_shape(answer, 422, "VALIDATION_ERROR")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BankCallback)) == 0


class CountingBody(io.RawIOBase):
    """A request body of `size` bytes that counts what the server reads of it."""

    def __init__(self, size: int):
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:  # the test client measures the body this way
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = offset + (self.size if whence == io.SEEK_END else 0)
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        count = max(0, min(len(buffer), self.size - self.position))
        buffer[:count] = b"{" * count
        self.position += count
        self.read_bytes += count
        return count


@pytest.mark.parametrize(("path", "size"), [
    (LOGIN, 20 * 1024 * 1024), (CALLBACKS, 20 * 1024 * 1024),
    ("/console/sign-in", 20 * 1024 * 1024),
    # Files are allowed more (MAX_UPLOAD_BYTES), not without end.
    ("/api/v1/staff/payrolls", 201 * 1024 * 1024)])
def test_a_body_over_the_limit_is_refused_unread(client, path, size):
    body = CountingBody(size)
    answer = client.post(path, input_stream=body, content_type="application/json",
                         headers={"Content-Length": str(size)})
    assert answer.status_code == 413
    if not path.startswith("/console"):
        assert_error_shape(answer, 413, "PAYLOAD_TOO_LARGE")
    assert body.read_bytes < 1024 * 1024


def test_method_not_allowed_says_what_is(client):
    answer = client.delete("/api/v1/institutions")
    assert_error_shape(answer, 405, "METHOD_NOT_ALLOWED")
    assert set(answer.headers["Allow"].replace(" ", "").split(",")) >= {"GET"}
    assert "DELETE" not in answer.headers["Allow"]
