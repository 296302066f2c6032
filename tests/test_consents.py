"""The citizen's consents: seen, and withdrawn with a fresh code; payments then go in cash."""
from __future__ import annotations

from tests.conftest import bearer, totp_code
from tests.linking_helpers import LINKS, request_link, settled
from tests.payment_helpers import build_requests, claim, payroll_csv, upload

CONSENTS = "/api/v1/me/consents"
PAYMENTS = "/api/v1/me/payments"


def test_withdrawing_the_payout_consent_sends_the_next_payment_in_cash(
        client, citizen, login_as, staff_login, clock):
    person = citizen("has_payment_history", 1)
    headers = bearer(login_as(person)["access_token"])
    listed = client.get(CONSENTS, headers=headers)
    assert listed.status_code == 200, listed.json
    [consent] = listed.json
    assert consent["status"] == "GIVEN" and consent["purpose"] == "share_with_institution"
    assert consent["text"] and consent["text_version"]
    # Told before confirming: the list says what withdrawing does.
    assert consent["withdrawal_effect"] == "PAYMENTS_IN_CASH"
    assert "tiền mặt" in consent["withdrawal_effect_text"]
    english = client.get(CONSENTS, headers={**headers, "Accept-Language": "en"}).json[0]
    assert "cash" in english["withdrawal_effect_text"]
    withdraw = f"{CONSENTS}/{consent['id']}/withdraw"

    # Unconfirmed: refused with the effect, and the code is not used up.
    code = totp_code(person)
    unconfirmed = client.post(withdraw, json={}, headers={**headers, "X-OTP": code})
    assert unconfirmed.status_code == 409
    assert unconfirmed.json["details"]["reason"] == ["CONFIRMATION_REQUIRED"]
    assert unconfirmed.json["details"]["effect"] == ["PAYMENTS_IN_CASH"]
    assert "tiền mặt" in unconfirmed.json["message"]
    no_code = client.post(withdraw, json={"confirm": True}, headers=headers)
    assert no_code.status_code == 401 and no_code.json["code"] == "STEP_UP_REQUIRED"
    account = client.get("/api/v1/me/social-security-account", headers=headers).json
    assert account["active_payout"] is not None

    withdrawn = client.post(withdraw, json={"confirm": True}, headers={**headers, "X-OTP": code})
    assert withdrawn.status_code == 200, withdrawn.json
    assert withdrawn.json["status"] == "WITHDRAWN" and withdrawn.json["withdrawn_at"]
    assert withdrawn.json["link_status"] == "UNLINKED"
    assert withdrawn.json["withdrawal_effect"] is None
    account = client.get("/api/v1/me/social-security-account", headers=headers).json
    assert account["active_payout"] is None
    notice = client.get("/api/v1/me/notifications", headers=headers).json["items"][0]
    assert notice["kind"] == "LINK_ENDED" and "tiền mặt" in notice["body"]
    clock.shift(30)
    again = client.post(withdraw, json={"confirm": True},
                        headers={**headers, "X-OTP": totp_code(person)})
    assert again.status_code == 409 and again.json["details"]["reason"] == ["ALREADY_WITHDRAWN"]

    officer = staff_login("payroll1")
    assert upload(client, officer, payroll_csv([claim(person)])).status_code == 201
    build_requests(client, officer)
    [payment] = [item for item in client.get(PAYMENTS, headers=headers).json["items"]
                 if item["period"] == "2026-10"]
    assert payment["destination"]["kind"] == "cash"


def test_another_citizens_consent_is_not_found(client, citizen, login_as, clock):
    owner, stranger = citizen("has_payment_history", 0), citizen("plain")
    consent = client.get(CONSENTS, headers=bearer(login_as(owner)["access_token"])).json[0]
    stranger_headers = bearer(login_as(stranger)["access_token"])
    assert client.get(CONSENTS, headers=stranger_headers).json == []
    stolen = client.post(f"{CONSENTS}/{consent['id']}/withdraw", json={"confirm": True},
                         headers={**stranger_headers, "X-OTP": totp_code(stranger)})
    assert stolen.status_code == 404 and stolen.json["code"] == "NOT_FOUND"


def test_withdrawing_consent_cancels_a_pending_request(client, citizen, login_as, clock):
    person = citizen("holder_name_mismatch")  # its request waits for a reviewer
    tokens = login_as(person)
    headers = bearer(tokens["access_token"])
    link = settled(client, tokens, request_link(client, person, tokens).json["id"])
    assert link["status"] == "NEEDS_REVIEW"
    clock.shift(30)
    [consent] = client.get(CONSENTS, headers=headers).json
    assert consent["withdrawal_effect"] == "REQUEST_CANCELLED"
    withdrawn = client.post(f"{CONSENTS}/{consent['id']}/withdraw", json={"confirm": True},
                            headers={**headers, "X-OTP": totp_code(person)})
    assert withdrawn.status_code == 200, withdrawn.json
    assert client.get(f"{LINKS}/{link['id']}", headers=headers).json["status"] == "CANCELLED"
