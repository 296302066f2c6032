"""The one signature an outside party puts on what it posts to us.

`X-…-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`: the bank gateway
signs its callbacks and result files so, and each institution its inquiry
reports (with its own secret). The body is verified as received, before any
of it is parsed.
"""
from __future__ import annotations

import hashlib
import hmac
import io
from typing import BinaryIO

from backend.errors import ApiError


class SignatureInvalid(ApiError):
    status, code = 401, "SIGNATURE_INVALID"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(raw_body: bytes, signature: str | None, secret: str | None) -> None:
    verify_stream(io.BytesIO(raw_body), signature, secret)


def verify_stream(body: BinaryIO, signature: str | None, secret: str | None) -> None:
    """The HMAC of a body of any size, read in chunks; no secret verifies nothing."""
    if not secret or not signature:
        raise SignatureInvalid()
    mac = hmac.new(secret.encode(), digestmod=hashlib.sha256)
    for chunk in iter(lambda: body.read(1 << 20), b""):
        mac.update(chunk)
    if not hmac.compare_digest("sha256=" + mac.hexdigest(), signature):
        raise SignatureInvalid()
