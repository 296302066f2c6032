"""The API client against the live test backend: tokens, refresh, errors, idempotency,
payments polled with ETags."""
from __future__ import annotations

import socket
import threading

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from mobile_app.client import (
    ApiClient,
    ApiError,
    BackendTimeout,
    LinkIntent,
    NoConnection,
    SessionEnded,
)
from tests.conftest import totp_code
from tests.linking_helpers import SIGN_IN_WINDOW
from tests.mobile.paying import pay
from tests.payment_helpers import deliver_callbacks


def signed_in(backend_url: str, person: dict, language: str = "vi") -> ApiClient:
    client = ApiClient(backend_url, language)
    challenge = client.start_sign_in(person["personal_id"], person["password"])
    client.finish_sign_in(challenge["challenge_id"], totp_code(person))
    return client


def test_sign_in_reads_the_citizen_and_their_account(backend_url, citizen):
    person = citizen("has_payment_history")
    client = signed_in(backend_url, person)
    assert client.tokens.ial == 2
    assert client.me()["full_name"] == person["full_name"]
    account = client.social_security_account()
    assert account["active_payout"]["account_masked"].startswith("•")


def test_an_expired_access_token_is_refreshed_transparently(backend_url, citizen, clock):
    client = signed_in(backend_url, citizen("plain"))
    first = client.tokens
    clock.shift(16 * 60)  # past the 15-minute access token
    assert client.me()["personal_id"] == citizen("plain")["personal_id"]
    assert client.tokens.refresh_token != first.refresh_token
    stale = ApiClient(backend_url)
    stale.transport.tokens = first  # the old refresh token died with the rotation
    with pytest.raises(SessionEnded):
        stale.me()


def test_a_session_ended_on_the_backend_is_reported_as_ended(backend_url, citizen):
    client = signed_in(backend_url, citizen("plain"))
    client.raw("POST", "/auth/logout")  # both tokens die; the client still holds them
    with pytest.raises(SessionEnded) as ended:
        client.me()
    assert ended.value.code == "UNAUTHENTICATED"
    assert client.tokens is None


def test_errors_carry_the_api_code_message_and_details(backend_url, citizen):
    client = ApiClient(backend_url, "en")
    with pytest.raises(ApiError) as wrong:
        client.start_sign_in(citizen("plain")["personal_id"], "not the password")
    assert (wrong.value.status, wrong.value.code) == (401, "INVALID_CREDENTIALS")
    assert "password is incorrect" in wrong.value.message
    client.language = "vi"
    with pytest.raises(ApiError) as invalid:
        client.start_sign_in("123", "x")
    assert invalid.value.code == "VALIDATION_ERROR"
    assert "personal_id" in invalid.value.details
    level1 = signed_in(backend_url, citizen("level1"))
    with pytest.raises(ApiError) as refused:
        level1.social_security_account()
    assert (refused.value.status, refused.value.code) == (403, "IAL2_REQUIRED")


def test_a_link_intent_is_idempotent_and_needs_a_fresh_code(backend_url, citizen, clock):
    person = citizen("clean_bank_link")
    client = signed_in(backend_url, person)
    payout = person["payout_account"]
    intent = LinkIntent("bank", payout["institution"], payout["account_number"])
    clock.shift(SIGN_IN_WINDOW)  # the sign-in no longer stands for the step-up
    with pytest.raises(ApiError) as no_code:
        client.link_payout(intent, "")
    assert no_code.value.code == "STEP_UP_REQUIRED"
    clock.shift(30)
    code = totp_code(person)
    first = client.link_payout(intent, code)
    retried = client.link_payout(intent, code)  # a retry after a lost answer
    assert retried["id"] == first["id"]
    assert client.payout_links()["total"] == 1
    polled = client.payout_link(first["id"])
    assert polled.changed and polled.body["id"] == first["id"]
    again = client.payout_link(first["id"])  # with or without ETags, the body is there
    assert again.body["id"] == first["id"]


def test_polling_sends_if_none_match_and_treats_304_as_unchanged():
    seen: list[str | None] = []

    @Request.application
    def etag_backend(request: Request) -> Response:
        seen.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response('{"id": 7, "status": "VERIFYING"}', headers={"ETag": '"v1"'},
                        content_type="application/json")

    server = make_server("127.0.0.1", 0, etag_backend)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = ApiClient(f"http://127.0.0.1:{server.server_port}")
        first, second = client.payout_link(7), client.payout_link(7)
    finally:
        server.shutdown()
    assert seen == [None, '"v1"']
    assert first.changed and not second.changed
    assert second.body == {"id": 7, "status": "VERIFYING"}


def test_a_backend_that_is_down_is_no_connection(closed_port_url):
    with pytest.raises(NoConnection):
        ApiClient(closed_port_url).institutions()


def test_a_backend_that_does_not_answer_is_a_timeout():
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        client = ApiClient(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=(1, 0.3))
        with pytest.raises(BackendTimeout):
            client.institutions()


def test_payments_are_polled_with_an_etag_per_query(app, client, backend_url, citizen,
                                                    staff_login):
    person = citizen("has_payment_history")
    pay(app, client, staff_login, person, [("2025-12", "social_allowance", 500_000),
                                           ("2026-01", "social_allowance", 600_000),
                                           ("2026-02", "poor_household", 700_000)])
    phone = signed_in(backend_url, person)
    everything = phone.payments()
    assert everything.changed
    assert [item["period"] for item in everything.body["items"]] == \
        ["2026-02", "2026-01", "2025-12"]
    assert everything.body["totals_by_year"] == [
        {"year": 2026, "paid_count": 2, "paid_vnd": 1_300_000},
        {"year": 2025, "paid_count": 1, "paid_vnd": 500_000}]
    unchanged = phone.payments()
    assert not unchanged.changed and unchanged.body == everything.body
    in_2026 = phone.payments(year=2026)  # another query: its own ETag, not the list's
    assert in_2026.changed and in_2026.body["total"] == 2
    poor = phone.payments(programme="poor_household")
    assert [item["amount_vnd"] for item in poor.body["items"]] == [700_000]
    assert not phone.payments(year=2026).changed and not phone.payments().changed
    phone.language = "en"  # same ETag on the backend, other words: asked afresh
    in_english = phone.payments(programme="poor_household")
    assert in_english.changed
    assert in_english.body["items"][0]["programme_name"] == "Poor-household support"


def test_a_payment_is_polled_until_it_changes(app, client, backend_url, citizen, staff_login):
    person = citizen("has_payment_history")
    pay(app, client, staff_login, person, [("2026-10", "social_allowance", 1_500_000)],
        deliver=False)
    phone = signed_in(backend_url, person)
    payment_id = phone.payments().body["items"][0]["id"]
    sent = phone.payment(payment_id)
    assert sent.changed and sent.body["status"] == "SENT"
    assert sent.body["destination"] == {
        "kind": "bank", "institution": person["payout_account"]["institution"],
        "account_masked": "•••• " + person["payout_account"]["account_number"][-4:],
        "via_authorised_person": False}
    assert not phone.payment(payment_id).changed
    deliver_callbacks(app, client)
    paid = phone.payment(payment_id)
    assert paid.changed and paid.body["status"] == "PAID"
    assert [step["status"] for step in paid.body["history"]] == \
        ["PLANNED", "REQUESTED", "APPROVED", "SENT", "PAID"]
    assert phone.payments().changed  # the list's ETag moved with it


def test_another_citizens_payment_is_not_found(app, client, backend_url, citizen, staff_login):
    owner = citizen("has_payment_history")
    pay(app, client, staff_login, owner, [("2026-10", "social_allowance", 1_500_000)])
    payment_id = signed_in(backend_url, owner).payments().body["items"][0]["id"]
    with pytest.raises(ApiError) as refused:
        signed_in(backend_url, citizen("plain")).payment(payment_id)
    assert (refused.value.status, refused.value.code) == (404, "NOT_FOUND")
