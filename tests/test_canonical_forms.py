"""One spelling for every identifier and amount (issue 14).

A period in fullwidth digits was once imported beside the real one and paid
twice. Every edge (payroll file, linking, callbacks, the API's fields) takes
ASCII digits only, and the database refuses anything else whatever the path.
The property tests feed the edges every other way of writing the same value:
other scripts' digits, confusable letters and dashes, zero-width characters,
exotic spaces and signs; none may be accepted, and nothing is paid twice.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from backend import db
from backend.integrations.signatures import sign
from backend.models import BankCallback, Payment, PaymentRequest, PayoutLink
from tests.conftest import bearer, totp_code
from tests.linking_helpers import link_body, request_link, settled
from tests.payment_helpers import (
    REQUESTS,
    approve_and_dispatch,
    build_requests,
    claim,
    payroll_csv,
    upload,
)

# Bounded and the same on every run: these run in the ordinary suite.
PROPERTY = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

# The zero of each script whose digits Python's \d, isdigit() and int() accept.
DIGIT_ZEROS = {"fullwidth": 0xFF10, "arabic_indic": 0x0660, "extended_arabic_indic": 0x06F0,
               "devanagari": 0x0966, "bengali": 0x09E6, "thai": 0x0E50,
               "mathematical_bold": 0x1D7CE, "mathematical_double_struck": 0x1D7D8,
               "mathematical_monospace": 0x1D7F6}
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
# Spaces other than the ASCII space and tab a CSV field may be padded with.
SPACES = ("\u00a0", "\u2007", "\u2009", "\u200a", "\u202f", "\u205f", "\u3000", "\u1680",
          "\x0b", "\x0c", "\x1c", "\x1f", "\x85")
CONFUSABLE_DIGITS = {"0": ("O", "o", "\u041e", "\u03bf"), "1": ("l", "I", "|", "\u0406"),
                     "5": ("S", "\u0405"), "8": ("B",), "2": ("Z",), "6": ("b",), "9": ("g",)}
DASHES = ("\u2010", "\u2011", "\u2012", "\u2013", "\u2212", "\ufe63", "\uff0d", "_", "/")
SIGNS = ("+", "-", "\uff0b", "\u2212", "\u207a")


@st.composite
def respelt(draw, canonical: str) -> str:
    """`canonical` written another way that a person (or a forger) might send."""
    positions = [index for index, character in enumerate(canonical) if character.isdigit()]
    kind = draw(st.sampled_from(("digit", "zero_width", "space", "confusable", "sign", "dash")))
    if kind == "dash" and "-" not in canonical:
        kind = "digit"
    if kind == "confusable" and not any(canonical[index] in CONFUSABLE_DIGITS
                                        for index in positions):
        kind = "digit"
    if kind == "digit":
        index = draw(st.sampled_from(positions))
        zero = draw(st.sampled_from(sorted(DIGIT_ZEROS.values())))
        every = draw(st.booleans())  # one digit, or the whole value, in that script
        return "".join(chr(zero + int(character)) if character.isdigit()
                       and (every or position == index) else character
                       for position, character in enumerate(canonical))
    if kind == "confusable":
        index = draw(st.sampled_from([index for index in positions
                                      if canonical[index] in CONFUSABLE_DIGITS]))
        lookalike = draw(st.sampled_from(CONFUSABLE_DIGITS[canonical[index]]))
        return canonical[:index] + lookalike + canonical[index + 1:]
    if kind == "dash":
        index = canonical.index("-")
        return canonical[:index] + draw(st.sampled_from(DASHES)) + canonical[index + 1:]
    if kind == "sign":
        return draw(st.sampled_from(SIGNS)) + canonical
    inserted = draw(st.sampled_from(ZERO_WIDTH if kind == "zero_width" else SPACES))
    index = draw(st.integers(min_value=0, max_value=len(canonical)))
    return canonical[:index] + inserted + canonical[index:]


def _payments(app, **where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Payment).filter_by(**where))


# --- payroll files ------------------------------------------------------------------------

FIELDS = ("personal_id", "programme", "period", "amount_vnd", "province")


def test_a_payroll_claim_spelt_another_way_is_refused_with_its_line(app, client, citizen,
                                                                    staff_login):
    person = citizen("plain", 0)
    officer = staff_login("payroll1")
    paid_once = claim(person)
    assert upload(client, officer, payroll_csv([paid_once])).status_code == 201
    other = claim(citizen("plain", 1))

    @PROPERTY
    @given(data=st.data())
    def refused(data):
        column = data.draw(st.sampled_from((0, 2, 3, 4)))  # every column with digits
        variant = data.draw(respelt(str(paid_once[column])))
        line = list(paid_once)
        line[column] = variant
        answer = upload(client, officer, payroll_csv([other, tuple(line)]),
                        name=f"variant-{variant.encode().hex()}.csv")
        assert answer.status_code == 422, (variant, answer.json)
        assert answer.json["code"] == "VALIDATION_ERROR"
        assert list(answer.json["details"]) == ["line 3", "error_count"], answer.json
        assert answer.json["details"]["line 3"][0].startswith(FIELDS[column]), answer.json
        assert _payments(app) == 1  # the file is refused whole; the claim stays paid once

    refused()


def test_the_fullwidth_period_of_the_probe_and_its_variants_are_refused(app, client, citizen,
                                                                        staff_login):
    """Issue 14's double payment: "２０２６-10" beside "2026-10"; and the same for
    the amount, the personal ID and the province in other scripts and spacings."""
    person = citizen("plain", 0)
    officer = staff_login("payroll1")
    assert upload(client, officer, payroll_csv([claim(person)])).status_code == 201
    pid = person["personal_id"]
    arabic = "".join(chr(0x0660 + int(digit)) for digit in pid)
    answer = upload(client, officer, payroll_csv([
        claim(person, period="２０２６-10"),                                 # line 2
        claim(person, amount="１５００০০০"),                                 # line 3
        (arabic, "social_allowance", "2026-10", 1_500_000, pid[:3]),       # line 4
        claim(person, province="०७९"),                                      # line 5
        (pid + "\u200b", "social_allowance", "2026-10", 1_500_000, pid[:3]),  # line 6
        ("\u00a0" + pid, "social_allowance", "2026-10", 1_500_000, pid[:3]),  # line 7
        claim(person, period="2026\u221210"),                               # line 8
        claim(person, amount="+1500000"),                                   # line 9
    ]))
    assert answer.status_code == 422
    details = answer.json["details"]
    assert details["line 2"] == ["period: must be YYYY-MM"]
    assert details["line 3"] == ["amount_vnd: a whole positive number of VND, digits only"]
    for line in (4, 6, 7):
        assert details[f"line {line}"][0].startswith("personal_id:")
    assert details["line 5"][0].startswith("province:")
    assert details["line 8"] == ["period: must be YYYY-MM"]
    assert details["line 9"][0].startswith("amount_vnd:")
    assert details["error_count"] == ["8"]
    # Nothing was added, and the one real claim is paid once.
    assert _payments(app) == 1
    assert len(build_requests(client, officer)) == 1
    assert client.post(REQUESTS, json={"period": "2026-10\n"},
                       headers=officer).status_code == 422


# --- linking ------------------------------------------------------------------------------

def test_an_account_number_spelt_another_way_is_refused(app, client, citizen, login_as, clock):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    number = person["payout_account"]["account_number"]
    with app.app_context():
        links_before = db.session.scalar(select(func.count()).select_from(PayoutLink))

    # Each attempt needs a fresh one-time code (30 s on); 20 stay within the token's life.
    @settings(PROPERTY, max_examples=20)
    @given(variant=respelt(number))
    def refused(variant):
        clock.shift(30)
        answer = request_link(client, person, tokens, link_body(person, account_number=variant))
        assert answer.status_code == 422, (variant, answer.json)
        assert list(answer.json["details"]) == ["account_number"]
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(PayoutLink)) == \
                links_before

    refused()


def test_an_account_number_typed_in_groups_is_the_one_account(app, client, citizen, login_as,
                                                                clock):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    number = person["payout_account"]["account_number"]
    spaced = " ".join(number[index:index + 4] for index in range(0, len(number), 4))
    first = request_link(client, person, tokens, link_body(person, account_number=spaced))
    assert settled(client, tokens, first.json["id"])["status"] == "ACTIVE"
    assert first.json["account_masked"].endswith(number[-4:])
    clock.shift(31)
    fullwidth = "".join(chr(0xFF10 + int(digit)) for digit in number)
    again = request_link(client, person, tokens, link_body(person, account_number=fullwidth))
    assert again.status_code == 422 and again.json["code"] == "VALIDATION_ERROR"


# --- codes and identifiers at the API's edge ----------------------------------------------

@pytest.mark.parametrize("code", ["１２３４５６", "١٢٣٤٥٦", "123456\n", "12345\u200b6", "+12345"])
def test_a_one_time_code_in_other_digits_is_refused_not_a_server_error(client, citizen, code):
    person = citizen("plain")
    challenge = client.post("/api/v1/auth/login", json={
        "personal_id": person["personal_id"], "password": person["password"]}).json
    answer = client.post("/api/v1/auth/otp", json={"challenge_id": challenge["challenge_id"],
                                                   "code": code})
    assert answer.status_code == 422 and "code" in answer.json["details"]
    if "\n" in code:
        return  # no HTTP client sends a newline in a header
    # The X-OTP header of a sensitive action is read the same way: refused, no 500.
    tokens = client.post("/api/v1/auth/otp", json={"challenge_id": challenge["challenge_id"],
                                                   "code": totp_code(person)}).json
    linked = client.post("/api/v1/me/payout-links", json=link_body(citizen("clean_bank_link")),
                         headers={**bearer(tokens["access_token"]), "X-OTP": code})
    assert linked.status_code == 401 and linked.json["code"] == "OTP_INVALID"


@pytest.mark.parametrize("personal_id", ["０７９１５２１２３４５６", "079152123456\n",
                                         "٠٧٩١٥٢١٢٣٤٥٦", "07915212345\u200b6"])
def test_a_personal_id_in_other_digits_is_refused_everywhere(client, staff_login, personal_id):
    login = client.post("/api/v1/auth/login", json={"personal_id": personal_id,
                                                    "password": "Demo@2026"})
    assert login.status_code == 422 and "personal_id" in login.json["details"]
    audit = client.get("/api/v1/staff/audit-log", query_string={"personal_id": personal_id},
                       headers=staff_login("supervisor1"))
    assert audit.status_code == 422 and "personal_id" in audit.json["details"]


# --- gateway callbacks --------------------------------------------------------------------

def test_a_callback_spelt_another_way_is_refused_and_nothing_is_paid_twice(
        app, client, citizen, login_as, staff_login):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    assert settled(client, tokens, request_link(client, person, tokens).json["id"])[
        "status"] == "ACTIVE"
    officer = staff_login("payroll1")
    upload(client, officer, payroll_csv([claim(person)]))
    approve_and_dispatch(app, client, staff_login("treasury1"),
                         [request["id"] for request in build_requests(client, officer)])
    with app.app_context():
        paid = db.session.scalars(select(Payment)).one()
        callbacks = db.session.scalar(select(func.count()).select_from(BankCallback))
    assert paid.status == "PAID"
    genuine = {"transaction_id": f"VCB-{paid.end_to_end_id}",
               "end_to_end_id": paid.end_to_end_id, "status": "SETTLED",
               "amount_vnd": paid.amount_vnd}

    @PROPERTY
    @given(data=st.data())
    def refused(data):
        field = data.draw(st.sampled_from(("transaction_id", "end_to_end_id", "amount_vnd")))
        body = {**genuine, field: data.draw(respelt(str(genuine[field])).filter(
            lambda text: not text.isascii()))}
        raw = json.dumps(body).encode()
        answer = client.post("/api/v1/bank-gateway/callbacks", data=raw,
                             content_type="application/json",
                             headers={"X-Gateway-Signature": sign(
                                 app.config["BANK_GATEWAY_SECRET"], raw)})
        assert answer.status_code == 422 and field in answer.json["details"], (body, answer.json)
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(BankCallback)) == callbacks
        assert _payments(app, status="PAID") == 1 and _payments(app) == 1

    refused()


# --- the database, whatever the path ------------------------------------------------------

@pytest.mark.parametrize("column, value", [
    ("period", "２０２６-10"), ("period", "2026-1\n"), ("period", "2026-13"),
    ("period", "2026\u221210"), ("province_code", "٠٧٩"), ("province_code", "79"),
    ("programme", "pension\u200b"),
])
def test_the_database_refuses_a_non_canonical_value_whatever_the_path(app, clean_db, column,
                                                                      value):
    now = datetime(2026, 11, 1, tzinfo=UTC)
    fields = {"programme": "pension", "period": "2026-10", "province_code": "079",
              column: value}
    with app.app_context():
        with pytest.raises(IntegrityError) as refused:
            if column == "programme":
                db.session.execute(Payment.__table__.insert(), [{
                    "payroll_id": 1, "personal_id": "079152123456", "amount_vnd": 1,
                    "status": "PLANNED", "created_at": now, "updated_at": now, **fields}])
            else:
                db.session.add(PaymentRequest(count=0, total_vnd=0, checksum="",
                                              status="SUBMITTED", findings={}, created_at=now,
                                              updated_at=now, **fields))
                db.session.flush()
        db.session.rollback()
    assert "canonical" in str(refused.value)
