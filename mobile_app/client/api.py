"""The API of API.md as methods: one per thing the app asks the backend."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from mobile_app.client.transport import DEFAULT_TIMEOUT, Polled, Tokens, Transport


@dataclass(frozen=True)
class LinkIntent:
    """One citizen intent to link an account.

    The Idempotency-Key is born with the intent, so a retry after a time-out
    sends the same key and cannot create a second request.
    """
    kind: str  # "bank" or "mobile_money"
    institution: str
    account_number: str
    consent_version: str | None = None
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))

    def body(self) -> dict:
        body = {"kind": self.kind, "institution": self.institution,
                "account_number": self.account_number, "consent": True}
        if self.consent_version:
            body["consent_version"] = self.consent_version
        return body


@dataclass(frozen=True)
class AuthorisationIntent:
    """One intent to name an authorised person; its key makes a retry safe."""
    personal_id: str
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))

    def body(self) -> dict:
        return {"kind": "authorised_person", "authorised_personal_id": self.personal_id,
                "consent": True}


def step_up(one_time_code: str, passcode: str) -> dict[str, str]:
    """The headers of a sensitive action's second factor: the passcode, else a code."""
    if passcode:
        return {"X-Passcode": passcode}
    return {"X-OTP": one_time_code} if one_time_code else {}


class ApiClient:
    def __init__(self, base_url: str, language: str = "vi",
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT):
        self.transport = Transport(base_url, language, timeout)

    @property
    def language(self) -> str:
        return self.transport.language

    @language.setter
    def language(self, language: str) -> None:
        self.transport.language = language

    @property
    def tokens(self) -> Tokens | None:
        return self.transport.tokens

    @property
    def signed_in(self) -> bool:
        return self.transport.tokens is not None

    # Sign-in -------------------------------------------------------------
    def start_sign_in(self, personal_id: str, password: str,
                      device_id: str | None = None) -> dict:
        """Password step: answers `{"challenge_id", "methods", "expires_in"}`."""
        body = {"personal_id": personal_id, "password": password}
        if device_id:
            body["device_id"] = device_id
        return self.transport.request("POST", "/auth/login", json=body, signed_in=False)

    # Lost phone: recovery, all before any session ------------------------
    def start_recovery(self, personal_id: str, password: str) -> dict:
        """Answers `{"recovery_token", "status", "expires_at"}`, the same for any ID."""
        return self.transport.request("POST", "/auth/recovery", signed_in=False,
                                      json={"personal_id": personal_id, "password": password})

    def read_id_card_chip(self, recovery_token: str, chip_data: str) -> dict:
        return self.transport.request("POST", "/auth/recovery/chip-read", signed_in=False,
                                      json={"recovery_token": recovery_token,
                                            "chip_data": chip_data})

    def recovery_enrolment(self, recovery_token: str) -> dict:
        """The new authenticator secret, once an officer (or the chip) proved who it is."""
        return self.transport.request("POST", "/auth/recovery/enrolment", signed_in=False,
                                      json={"recovery_token": recovery_token})

    def confirm_recovery(self, recovery_token: str, code: str) -> dict:
        return self.transport.request("POST", "/auth/recovery/confirmation", signed_in=False,
                                      json={"recovery_token": recovery_token, "code": code})

    def finish_sign_in(self, challenge_id: str, code: str) -> Tokens:
        """One-time-code step: keeps the session's tokens."""
        pair = self.transport.request("POST", "/auth/otp", signed_in=False, json={
            "challenge_id": challenge_id, "code": code})
        self.transport.tokens = Tokens(pair["access_token"], pair["refresh_token"], pair["ial"])
        return self.transport.tokens

    def sign_out(self) -> None:
        """Ends the session on the backend too; the local tokens go whatever happens."""
        try:
            if self.signed_in:
                self.transport.request("POST", "/auth/logout")
        finally:
            self.transport.forget_session()

    # Reading -------------------------------------------------------------
    def me(self) -> dict:
        return self.transport.request("GET", "/me")

    def social_security_account(self) -> dict:
        return self.transport.request("GET", "/me/social-security-account")

    def institutions(self) -> list[dict]:
        return self.transport.request("GET", "/institutions", signed_in=False)

    def likely_institutions(self) -> list[dict]:
        """Institutions holding an open account in the citizen's name (no numbers)."""
        return self.transport.request("GET", "/me/likely-institutions")

    def payout_link_consent(self) -> dict:
        return self.transport.request("GET", "/consents/payout-link", signed_in=False)

    def payout_links(self, page: int = 1, page_size: int = 20) -> dict:
        return self.transport.request("GET", "/me/payout-links",
                                      params={"page": page, "page_size": page_size})

    def payout_link(self, link_id: int) -> Polled:
        """For polling: `changed` is False when the backend says 304 Not Modified."""
        return self.transport.poll(f"/me/payout-links/{link_id}")

    def payments(self, year: int | None = None, programme: str | None = None,
                 status: str | None = None, page: int = 1, page_size: int = 100) -> Polled:
        """For polling: the page of payments (newest first) and `totals_by_year`."""
        return self.transport.poll("/me/payments", params={
            "year": year, "programme": programme, "status": status, "page": page,
            "page_size": page_size})

    def payment(self, payment_id: int) -> Polled:
        """For polling: one payment with its destination and timeline."""
        return self.transport.poll(f"/me/payments/{payment_id}")

    def cash_collection(self, payment_id: int) -> dict:
        """Where and until when to collect a cash payment."""
        return self.transport.request("GET", f"/me/payments/{payment_id}/cash-collection")

    def report_payment(self, payment_id: int, kind: str, note: str) -> dict:
        """"I was not paid": `kind` is not_received, wrong_amount or not_mine; answers
        the report, OPEN, with the time by which support answers (`due_at`)."""
        return self.transport.request("POST", f"/me/payments/{payment_id}/reports",
                                      json={"kind": kind, "note": note})

    def notifications(self, page: int = 1, page_size: int = 50) -> dict:
        return self.transport.request("GET", "/me/notifications",
                                      params={"page": page, "page_size": page_size})

    # Acting --------------------------------------------------------------
    def link_payout(self, intent: LinkIntent, one_time_code: str = "",
                    passcode: str = "") -> dict:
        """Submit a link request; answers it as SUBMITTED. A first link soon after
        signing in needs no step-up; else STEP_UP_REQUIRED, and the passcode or a
        fresh code goes with the next try."""
        return self.transport.request("POST", "/me/payout-links", json=intent.body(), headers={
            "Idempotency-Key": intent.idempotency_key, **step_up(one_time_code, passcode)})

    def cancel_link(self, link_id: int) -> dict:
        return self.transport.request("POST", f"/me/payout-links/{link_id}/cancel")

    def mark_notification_read(self, notification_id: int) -> dict:
        return self.transport.request("POST", f"/me/notifications/{notification_id}/read")

    # The citizen's account, people and rights ------------------------------
    def unlink(self, link_id: int, one_time_code: str = "", passcode: str = "") -> dict:
        """Stop paying into the active account (payments then go in cash); the
        passcode or a fresh code."""
        return self.transport.request("POST", f"/me/payout-links/{link_id}/unlink",
                                      headers=step_up(one_time_code, passcode))

    def dispute_link(self, link_id: int) -> dict:
        """"This was not me": payouts to the link stop and every session ends."""
        return self.transport.request("POST", f"/me/payout-links/{link_id}/dispute", json={})

    def name_authorised_person(self, intent: AuthorisationIntent, one_time_code: str = "",
                               passcode: str = "") -> dict:
        """Ask that another citizen receives my payments; the passcode or a fresh code."""
        return self.transport.request("POST", "/me/payout-links", json=intent.body(), headers={
            "Idempotency-Key": intent.idempotency_key, **step_up(one_time_code, passcode)})

    def authorisations(self) -> dict:
        """Requests naming me as someone's authorised person, newest first."""
        return self.transport.request("GET", "/me/authorisations", params={"page_size": 50})

    def accept_authorisation(self, link_id: int, one_time_code: str = "",
                             passcode: str = "") -> dict:
        return self.transport.request("POST", f"/me/authorisations/{link_id}/accept",
                                      headers=step_up(one_time_code, passcode))

    def decline_authorisation(self, link_id: int) -> dict:
        return self.transport.request("POST", f"/me/authorisations/{link_id}/decline")

    def consents(self) -> list[dict]:
        return self.transport.request("GET", "/me/consents")

    def withdraw_consent(self, consent_id: int, confirm: bool, one_time_code: str = "",
                         passcode: str = "") -> dict:
        """CONFLICT with `details.reason` CONFIRMATION_REQUIRED until `confirm`."""
        return self.transport.request("POST", f"/me/consents/{consent_id}/withdraw",
                                      json={"confirm": confirm},
                                      headers=step_up(one_time_code, passcode))

    def set_passcode(self, passcode: str, one_time_code: str) -> None:
        """Set or change the step-up passcode: a fresh one-time code, never the old
        passcode. VALIDATION_ERROR (reason PASSCODE_TOO_SIMPLE) for an easy guess."""
        self.transport.request("PUT", "/me/passcode", json={"passcode": passcode},
                               headers={"X-OTP": one_time_code})

    def data_export(self) -> dict:
        return self.transport.request("GET", "/me/data-export")

    def sessions(self) -> list[dict]:
        return self.transport.request("GET", "/me/sessions")

    def end_session(self, session_id: str) -> None:
        self.transport.request("DELETE", f"/me/sessions/{session_id}")

    def end_other_sessions(self) -> dict:
        return self.transport.request("POST", "/me/sessions/end-others")

    def notification_preferences(self) -> dict:
        return self.transport.request("GET", "/me/notification-preferences")

    def save_notification_preferences(self, sms: dict[str, bool]) -> dict:
        return self.transport.request("PUT", "/me/notification-preferences", json={"sms": sms})

    # Demo mode only --------------------------------------------------------
    def demo_current_code(self, personal_id: str) -> dict:
        """The simulated authenticator (`ssa demo` only): `{"code", "valid_for_seconds"}`."""
        return self.transport.request("GET", "/demo/current-code",
                                      params={"personal_id": personal_id}, signed_in=False)

    def raw(self, method: str, path: str, **kwargs: Any) -> Any:
        """Any other endpoint, with the same tokens and error handling."""
        return self.transport.request(method, path, **kwargs)
