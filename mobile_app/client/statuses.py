"""The statuses the API answers with (API.md), as the client spells them.

The phone client speaks to the service only over HTTP and imports nothing of
the backend, so it keeps its own copy of the contract's values.
"""
from __future__ import annotations

from enum import StrEnum


class LinkStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    VERIFYING = "VERIFYING"
    NEEDS_REVIEW = "NEEDS_REVIEW"
    ACTIVE = "ACTIVE"
    REJECTED = "REJECTED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    SUPERSEDED = "SUPERSEDED"
    UNLINKED = "UNLINKED"


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


class PaymentReportStatus(StrEnum):
    """A citizen's "I was not paid" on a payment, as support works it."""
    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    ANSWERED = "ANSWERED"
