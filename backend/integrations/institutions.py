"""Banks and mobile-money providers: the account-holder look-up.

Like a NAPAS account-name inquiry, a bank answers the holder name of an
account (upper case, no diacritics) or that the account is closed or unknown.
A mobile-money provider also says which personal ID the wallet is registered
to, since wallets are opened with an identity check.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from backend.models.statuses import InstitutionAccountStatus


class InstitutionUnavailable(Exception):
    """The institution did not answer (timeout, error). Try again later."""


@dataclass(frozen=True)
class HolderAnswer:
    status: InstitutionAccountStatus
    holder_name: str | None = None  # always given for an OPEN account
    registered_personal_id: str | None = None  # wallets only


class InstitutionGateway(Protocol):
    def look_up_holder(self, institution: str, account_number: str) -> HolderAnswer: ...
