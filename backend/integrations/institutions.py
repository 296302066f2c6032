"""Banks and mobile-money providers: the account-holder inquiry.

Modelled on ISO 20022 acmt.023 (identification verification request) and
acmt.024 (identification verification report), so that a real adapter can
speak them: the service sends a request and returns at once; the report
arrives later, as the institution's signed callback or, for the simulator, a
task scheduled after its latency, and either way goes to
`verification.receive_report` (the one entry point of an answer). A bank
names the holder of an open account (upper case, no diacritics); a wallet
provider also says which personal ID the wallet is registered to.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Protocol

from backend.models.statuses import InstitutionAccountStatus

# The task that takes a report in; registered by the verification service.
REPORT_TASK = "receive_inquiry_report"

# acmt.024 reason codes (ISO 20022 external verification reason code set).
REASON_OF_STATUS = {InstitutionAccountStatus.CLOSED: "AC04",
                    InstitutionAccountStatus.BLOCKED: "AC06",
                    InstitutionAccountStatus.UNKNOWN: "AC01"}
STATUS_OF_REASON = {code: status for status, code in REASON_OF_STATUS.items()}


class InstitutionUnavailable(Exception):
    """The institution could not take the request (an error, a refused connection)."""


@dataclass(frozen=True)
class VerificationRequest:
    """acmt.023: is `account_number` at `institution` held by this person?"""

    inquiry_id: int  # the message identification; the report quotes it back
    institution: str
    account_number: str
    party_name: str
    party_personal_id: str


@dataclass(frozen=True)
class VerificationReport:
    """acmt.024: the institution's answer to one request."""

    inquiry_id: int  # the request's message identification
    institution: str
    verified: bool  # the account exists and takes credits
    reason: str | None = None  # AC01 unknown, AC04 closed, AC06 blocked, when not verified
    holder_name: str | None = None  # always given for a verified account
    holder_personal_id: str | None = None  # wallets only

    @property
    def account_status(self) -> InstitutionAccountStatus:
        if self.verified:
            return InstitutionAccountStatus.OPEN
        return STATUS_OF_REASON.get(self.reason or "", InstitutionAccountStatus.UNKNOWN)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, fields: dict) -> VerificationReport:
        return cls(**fields)


class InstitutionGateway(Protocol):
    def send_inquiry(self, request: VerificationRequest) -> None:
        """Hand the request over and return at once; raises InstitutionUnavailable."""
