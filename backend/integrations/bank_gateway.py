"""The bank gateway: takes pain.001 bulk files, answers pain.002 status
reports, and reports each transfer's result by a signed callback."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

# A callback as it arrives over HTTP: the raw body and its HMAC signature.
# Whatever the receiver answers is ignored.
CallbackSink = Callable[[bytes, str], object]


class BankGateway(Protocol):
    def submit(self, msg_id: str, institution: str, pain001: Path) -> str:
        """Hand over a bulk file; answers the pain.002 status report (XML).
        Submitting the same MsgId again executes nothing twice."""
        ...

    def deliver_callbacks(self, msg_id: str, sink: CallbackSink) -> int:
        """Send the per-payment results of a file to `sink`; returns how many."""
        ...
