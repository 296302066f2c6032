"""The chip of the citizen's ID card (CCCD), read by the phone over NFC.

A real adapter checks the chip's data against the issuer's document signer
certificate (passive authentication) before answering who the card names.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class CardHolder:
    personal_id: str
    full_name: str
    date_of_birth: date


class IdCardChip(Protocol):
    def read(self, chip_data: str) -> CardHolder | None:
        """Who an authentic card names; None for data that does not verify."""
        ...
