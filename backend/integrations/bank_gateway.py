"""The bank gateway: takes pain.001 bulk files and answers, as banks do, with
ISO 20022 result files (a pain.002 status report, camt.054 credit
notifications) dropped where the service picks them up; and it can still
report a single transfer's result by a signed callback."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Protocol

# A callback as it arrives over HTTP: the raw body and its HMAC signature.
# Whatever the receiver answers is ignored.
CallbackSink = Callable[[bytes, str], object]


class BankGateway(Protocol):
    def submit(self, msg_id: str, institution: str, pain001: BinaryIO) -> list[Path]:
        """Hand over a bulk file (its plaintext, read as the service decrypts it);
        returning is the gateway's acknowledgement. Answers with the result files it dropped in the
        results folder (status report, credit notification). Submitting the same
        MsgId again executes nothing twice and drops nothing new."""
        ...

    def deliver_callbacks(self, msg_id: str, sink: CallbackSink) -> int:
        """Send the per-payment results of a file to `sink`; returns how many."""
        ...
