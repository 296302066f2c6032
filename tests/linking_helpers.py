"""Helpers for tests that link accounts through the API."""
from __future__ import annotations

from tests.conftest import bearer, totp_code, wait_for

LINKS = "/api/v1/me/payout-links"
AUTHORISATIONS = "/api/v1/me/authorisations"
PENDING = ("SUBMITTED", "VERIFYING")
# Seconds after which a sign-in no longer stands for a first link's step-up
# (SIGN_IN_STEP_UP_WINDOW, 5 minutes) and a little more.
SIGN_IN_WINDOW = 5 * 60 + 1


def link_body(person: dict, **overrides) -> dict:
    payout = person["payout_account"]
    return {"kind": payout["kind"], "institution": payout["institution"],
            "account_number": payout["account_number"], "consent": True, **overrides}


def request_link(client, person: dict, tokens: dict, body: dict | None = None,
                 key: str | None = None, code: str | None = None):
    headers = {**bearer(tokens["access_token"]), "X-OTP": code or totp_code(person)}
    if key:
        headers["Idempotency-Key"] = key
    return client.post(LINKS, json=body or link_body(person), headers=headers)


def settled(client, tokens: dict, link_id: int) -> dict:
    """The request once the worker has decided it."""
    return wait_for(lambda: client.get(f"{LINKS}/{link_id}",
                                       headers=bearer(tokens["access_token"])).json,
                    lambda link: link["status"] not in PENDING)


def offered(client, link_id: int, receiver_tokens) -> None:
    """Wait until the worker has found the person named and offered them the request."""
    wait_for(lambda: [offer["id"] for offer in client.get(
        AUTHORISATIONS, headers=bearer(receiver_tokens["access_token"])).json["items"]],
        lambda ids: link_id in ids)
