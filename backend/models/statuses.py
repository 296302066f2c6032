"""Every record's statuses, and the moves allowed between them, as data.

This is the one place a status is spelt. The models build their CHECK
constraints from these enums, the API schemas their `OneOf`, and
`backend.services.shared.state_machine` enforces the transition tables. A
table maps each status to the statuses it may move to; a status missing from
it is final. DESIGN.md ("Records and their states") tells the same story in words.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True)
class StateTable(Generic[S]):
    """Where a record starts, and where each status may go next."""

    initial: S
    # Keyed by status; a plain string read from the database finds its entry.
    moves: Mapping[str, frozenset[S]]

    def allows(self, from_status: str | None, to_status: str) -> bool:
        return from_status is not None and to_status in self.moves.get(from_status, frozenset())


class LinkStatus(StrEnum):
    """A citizen's request to be paid into an account (a payout link)."""

    SUBMITTED = "SUBMITTED"
    VERIFYING = "VERIFYING"
    NEEDS_REVIEW = "NEEDS_REVIEW"
    ACTIVE = "ACTIVE"
    REJECTED = "REJECTED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    SUPERSEDED = "SUPERSEDED"
    UNLINKED = "UNLINKED"


LINK_STATES = StateTable(LinkStatus.SUBMITTED, {
    LinkStatus.SUBMITTED: frozenset({LinkStatus.VERIFYING, LinkStatus.CANCELLED}),
    LinkStatus.VERIFYING: frozenset({LinkStatus.ACTIVE, LinkStatus.NEEDS_REVIEW,
                                     LinkStatus.FAILED, LinkStatus.CANCELLED}),
    LinkStatus.NEEDS_REVIEW: frozenset({LinkStatus.ACTIVE, LinkStatus.REJECTED,
                                        LinkStatus.CANCELLED}),
    # UNLINKED: the citizen (or, for an authorised person, either citizen)
    # stops using an active link; payments fall back to cash.
    LinkStatus.ACTIVE: frozenset({LinkStatus.SUPERSEDED, LinkStatus.UNLINKED}),
})
# Still to be decided: at most one of these per citizen (a partial unique index).
LINK_PENDING = (LinkStatus.SUBMITTED, LinkStatus.VERIFYING, LinkStatus.NEEDS_REVIEW)
# Pending and still in the automatic checks' hands, not yet a reviewer's.
LINK_BEING_VERIFIED = (LinkStatus.SUBMITTED, LinkStatus.VERIFYING)


class InquiryStatus(StrEnum):
    """One account-holder inquiry (ISO 20022 acmt.023) to a bank or wallet provider."""

    WAITING = "WAITING"  # beyond the institution's limit, or its circuit is open
    SENT = "SENT"  # with the institution; its report (acmt.024) not yet in
    ANSWERED = "ANSWERED"
    TIMED_OUT = "TIMED_OUT"  # no report before its deadline
    FAILED = "FAILED"  # the institution could not take it (an error at sending)
    WITHDRAWN = "WITHDRAWN"  # the request was decided or cancelled before it was sent


INQUIRY_STATES = StateTable(InquiryStatus.WAITING, {
    InquiryStatus.WAITING: frozenset({InquiryStatus.SENT, InquiryStatus.WITHDRAWN}),
    InquiryStatus.SENT: frozenset({InquiryStatus.ANSWERED, InquiryStatus.TIMED_OUT,
                                   InquiryStatus.FAILED}),
    # A late answer is still an answer: a slow queue must not cost the citizen a retry.
    InquiryStatus.TIMED_OUT: frozenset({InquiryStatus.ANSWERED}),
})
# Not yet settled: at most one of these per link request (a partial unique index).
INQUIRY_OPEN = (InquiryStatus.WAITING, InquiryStatus.SENT)


class PaymentStatus(StrEnum):
    PLANNED = "PLANNED"
    REQUESTED = "REQUESTED"
    APPROVED = "APPROVED"
    SENT = "SENT"
    PAID = "PAID"
    FAILED = "FAILED"
    REISSUED = "REISSUED"
    REJECTED = "REJECTED"
    CASH_READY = "CASH_READY"
    # Cash not collected by its deadline: the money returns to the Treasury.
    EXPIRED = "EXPIRED"
    # A held duplicate claim that staff found was not the genuine one.
    CANCELLED = "CANCELLED"


PAYMENT_STATES = StateTable(PaymentStatus.PLANNED, {
    PaymentStatus.PLANNED: frozenset({PaymentStatus.REQUESTED, PaymentStatus.CANCELLED}),
    PaymentStatus.REQUESTED: frozenset({PaymentStatus.APPROVED, PaymentStatus.REJECTED}),
    PaymentStatus.APPROVED: frozenset({PaymentStatus.SENT, PaymentStatus.CASH_READY}),
    PaymentStatus.SENT: frozenset({PaymentStatus.PAID, PaymentStatus.FAILED}),
    # A failed payment is reissued as a new PLANNED payment of the same claim.
    PaymentStatus.FAILED: frozenset({PaymentStatus.REISSUED}),
    PaymentStatus.CASH_READY: frozenset({PaymentStatus.PAID, PaymentStatus.EXPIRED}),
})


class PaymentRequestStatus(StrEnum):
    """Payments of one programme, period and province put to Treasury control."""

    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    DISPATCHED = "DISPATCHED"


PAYMENT_REQUEST_STATES = StateTable(PaymentRequestStatus.SUBMITTED, {
    PaymentRequestStatus.SUBMITTED: frozenset({PaymentRequestStatus.APPROVED,
                                               PaymentRequestStatus.REJECTED}),
    PaymentRequestStatus.APPROVED: frozenset({PaymentRequestStatus.DISPATCHED}),
})
# Approved for payment: its files are (being) sent, its cash handed out.
PAYMENT_REQUEST_PAYABLE = (PaymentRequestStatus.APPROVED, PaymentRequestStatus.DISPATCHED)


class DispatchBatchStatus(StrEnum):
    """One pain.001 file to one institution."""

    BUILT = "BUILT"
    SENT = "SENT"


DISPATCH_BATCH_STATES = StateTable(DispatchBatchStatus.BUILT, {
    DispatchBatchStatus.BUILT: frozenset({DispatchBatchStatus.SENT}),
})


class MessageStatus(StrEnum):
    """An SMS or push message to a citizen; QUEUED until the gateway takes it,
    however long the gateway is down."""

    QUEUED = "QUEUED"
    SENT = "SENT"


MESSAGE_STATES = StateTable(MessageStatus.QUEUED, {
    MessageStatus.QUEUED: frozenset({MessageStatus.SENT}),
})


class DisputeStatus(StrEnum):
    """A citizen's "this was not me" about a newly linked account, until staff settle it."""

    OPEN = "OPEN"
    # Fraud confirmed: the disputed link is ended.
    UPHELD = "UPHELD"
    # The citizen's own account after all: payouts to it resume.
    DISMISSED = "DISMISSED"


DISPUTE_STATES = StateTable(DisputeStatus.OPEN, {
    DisputeStatus.OPEN: frozenset({DisputeStatus.UPHELD, DisputeStatus.DISMISSED}),
})


class RecoveryStatus(StrEnum):
    """A lost-phone recovery: the citizen asks, proves who they are again (an
    officer with the ID card, or the card's chip in demo mode), then enrols a
    new authenticator. Unfinished, it expires."""

    REQUESTED = "REQUESTED"
    # Identity proven again: a new authenticator may be enrolled.
    VERIFIED = "VERIFIED"
    COMPLETED = "COMPLETED"
    # The officer found the card did not match.
    REFUSED = "REFUSED"
    EXPIRED = "EXPIRED"


RECOVERY_STATES = StateTable(RecoveryStatus.REQUESTED, {
    RecoveryStatus.REQUESTED: frozenset({RecoveryStatus.VERIFIED, RecoveryStatus.REFUSED,
                                         RecoveryStatus.EXPIRED}),
    RecoveryStatus.VERIFIED: frozenset({RecoveryStatus.COMPLETED, RecoveryStatus.EXPIRED}),
})


class PaymentReportStatus(StrEnum):
    """A citizen's "I was not paid" about a payment, as a case for support."""

    OPEN = "OPEN"
    # A support agent took it and is looking into it.
    IN_PROGRESS = "IN_PROGRESS"
    # Support answered; the answer reached the citizen.
    ANSWERED = "ANSWERED"


PAYMENT_REPORT_STATES = StateTable(PaymentReportStatus.OPEN, {
    PaymentReportStatus.OPEN: frozenset({PaymentReportStatus.IN_PROGRESS,
                                         PaymentReportStatus.ANSWERED}),
    PaymentReportStatus.IN_PROGRESS: frozenset({PaymentReportStatus.ANSWERED}),
})


class BankResult(StrEnum):
    """What a bank reports of one credit transfer (a callback or a line of a
    result file); no transitions."""

    SETTLED = "SETTLED"  # credited to the beneficiary: pays
    REJECTED = "REJECTED"  # refused, with an ISO reason code: fails
    # Settled on the debtor's side only (pain.002 ACSC): pays nobody until the
    # credit is confirmed (camt.054, ACCC or a callback). Kept only for an
    # end-to-end id we never issued, so that it is not dropped.
    ACCEPTED = "ACCEPTED"


class ResultFileKind(StrEnum):
    """The ISO 20022 messages a bank sends back about our payments."""

    STATUS_REPORT = "pain.002"
    CREDIT_NOTIFICATION = "camt.054"
    STATEMENT = "camt.053"


class ConsentStatus(StrEnum):
    """A consent as the citizen sees it. Read from `withdrawn_at`, not stored:
    withdrawing is final, so there is no table of moves to keep."""

    GIVEN = "GIVEN"
    WITHDRAWN = "WITHDRAWN"


class ConsentWithdrawalEffect(StrEnum):
    """What withdrawing a consent does besides, told before the citizen confirms."""

    PAYMENTS_IN_CASH = "PAYMENTS_IN_CASH"  # the active link ends; payments go in cash
    REQUEST_CANCELLED = "REQUEST_CANCELLED"  # the pending link request is cancelled


class AccountStatus(StrEnum):
    """A social security account; none is ever closed yet."""

    ACTIVE = "ACTIVE"


class InstitutionAccountStatus(StrEnum):
    """What a bank or wallet provider says of an account when asked who holds it."""

    OPEN = "open"
    CLOSED = "closed"
    BLOCKED = "blocked"  # frozen (a court order, suspected fraud): takes no credit
    UNKNOWN = "unknown"


class CheckOutcome(StrEnum):
    """The outcome of one automatic check of a link request."""

    PASS = "pass"
    FAIL = "fail"
    REVIEW = "review"
    ERROR = "error"


def sql_in(column: str, statuses: Iterable[StrEnum]) -> str:
    """`column IN ('A', 'B')`: for CHECK constraints and partial indexes."""
    return f"{column} IN (" + ", ".join(f"'{status}'" for status in statuses) + ")"


class ProgrammeKind(StrEnum):
    """Paid every month, or once to a whole population (a gift, a relief)."""

    RECURRING = "recurring"
    ONE_OFF = "one_off"
