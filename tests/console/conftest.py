"""Console fixtures: sign a staff member in through the console's own form."""
from __future__ import annotations

import re

import pytest

from tests.conftest import totp_code

_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token_of(client, path: str = "/console/sign-in") -> str:
    """The token a page's forms carry, as a browser would read it."""
    page = client.get(path).get_data(as_text=True)
    return _CSRF_FIELD.search(page).group(1)


def post_form(client, path: str, data: dict | None = None, token_from: str = "/console/"):
    return client.post(path, data={"csrf_token": csrf_token_of(client, token_from),
                                   **(data or {})})


@pytest.fixture
def console_sign_in(demo_staff, clock):
    """Sign `username` in on `client`; moves the clock on, since a code works once."""
    def sign_in(client, username: str):
        member = demo_staff[username]
        answer = client.post("/console/sign-in", data={
            "csrf_token": csrf_token_of(client), "username": username,
            "password": member["password"], "otp": totp_code(member)})
        assert answer.status_code == 302, answer.get_data(as_text=True)
        clock.shift(30)
        return answer
    return sign_in


@pytest.fixture
def payroll_built(client, citizen, login_as, staff_login):
    """A small month through the API: one citizen linked to a bank, one paid in
    cash; payroll imported and payment requests built. Returns (requests, people)."""
    from tests.payment_helpers import build_requests, claim, payroll_csv, upload
    from tests.test_payments_flow import linked

    def build() -> tuple[list[dict], dict]:
        people = {"bank": citizen("clean_bank_link"), "cash": citizen("plain")}
        linked(client, people["bank"], login_as(people["bank"]))
        officer = staff_login("payroll1")
        imported = upload(client, officer, payroll_csv([claim(person)
                                                        for person in people.values()]))
        assert imported.status_code == 201, imported.json
        return build_requests(client, officer), people
    return build


def request_of(requests: list[dict], person: dict) -> dict:
    """The payment request that holds `person`'s payment (one per province)."""
    return next(item for item in requests if item["province_code"] == person["personal_id"][:3])
