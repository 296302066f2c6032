"""Account numbers: checked, stored encrypted, found by keyed hash, shown masked."""
from __future__ import annotations

import re
from dataclasses import dataclass

from backend import canonical, messages
from backend.errors import ValidationFailed
from backend.services.shared import secret_box

# Groups of ASCII digits, as people type them, with one space, dot or hyphen
# between groups. Anything else (another script's digit, a zero-width or
# exotic space, a sign) is refused, not dropped, so one account has exactly
# one spelling (and one lookup hash).
_GROUPED_DIGITS = re.compile(r"[0-9]+(?:[ .\-][0-9]+)*")
_GROUP_SEPARATORS = re.compile(r"[ .\-]")


@dataclass(frozen=True)
class ProtectedNumber:
    encrypted: str
    lookup_hash: str
    last4: str


def normalise(kind: str, raw: str) -> str:
    """ASCII digits only; a wallet's phone number in its 10-digit national form."""
    typed = raw or ""
    if kind == "mobile_money" and typed.startswith("+84"):
        typed = "0" + typed[3:].lstrip(" ")
    digits = _GROUP_SEPARATORS.sub("", typed) if _GROUPED_DIGITS.fullmatch(typed) else typed
    if kind == "mobile_money":
        if digits.startswith("84") and len(digits) == 11:
            digits = "0" + digits[2:]
        if not (canonical.is_digits(digits, 10) and digits.startswith("0")):
            raise ValidationFailed({"account_number": [
                messages.both_languages("detail.wallet_number_invalid")]})
    elif not canonical.is_digits(digits, 6, 19):
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
