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
