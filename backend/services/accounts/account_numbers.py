"""Account numbers: checked, stored encrypted, found by keyed hash, shown masked."""
from __future__ import annotations

import re
from dataclasses import dataclass

from backend import messages
from backend.errors import ValidationFailed
from backend.services.shared import secret_box

_BANK_ACCOUNT = re.compile(r"^\d{6,19}$")
_WALLET_PHONE = re.compile(r"^0\d{9}$")


@dataclass(frozen=True)
class ProtectedNumber:
    encrypted: str
    lookup_hash: str
    last4: str


def normalise(kind: str, raw: str) -> str:
    """Digits only; a wallet's phone number in its 10-digit national form."""
    digits = re.sub(r"[\s.\-]", "", raw or "")
    if kind == "mobile_money":
        if digits.startswith("+84"):
            digits = "0" + digits[3:]
        elif digits.startswith("84") and len(digits) == 11:
            digits = "0" + digits[2:]
        if not _WALLET_PHONE.match(digits):
            raise ValidationFailed({"account_number": [
                messages.both_languages("detail.wallet_number_invalid")]})
    elif not _BANK_ACCOUNT.match(digits):
        raise ValidationFailed({"account_number": [
            messages.both_languages("detail.bank_account_number_invalid")]})
    return digits


def protect(institution: str, number: str) -> ProtectedNumber:
    return ProtectedNumber(encrypted=secret_box.encrypt(number),
                           lookup_hash=lookup_hash(institution, number), last4=number[-4:])


def lookup_hash(institution: str, number: str) -> str:
    return secret_box.lookup_hash(f"{institution}:{number}")


def mask(last4: str | None) -> str | None:
    return None if last4 is None else f"•••• {last4}"
