"""SHA-256 of a file, read in chunks so a file of any size costs no memory."""
from __future__ import annotations

import hashlib
from typing import BinaryIO


def sha256_of(stream: BinaryIO) -> str:
    """Hash from the current position to the end, then rewind to the start."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()
