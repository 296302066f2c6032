"""Where a person holds accounts: the institutions' register of open accounts by
holder's personal ID (as the banks report to the State Bank's CIC).

Asked only which institutions hold an open account in the person's name, never
for the numbers, so that a stolen session cannot harvest them: the citizen
still types the number, and the link's checks verify it.
"""
from __future__ import annotations

from typing import Protocol


class AccountsRegister(Protocol):
    def institutions_holding(self, personal_id: str) -> list[str]:
        """Codes of the institutions holding an open account in this person's name."""
        ...
