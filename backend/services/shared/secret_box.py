"""Encryption of sensitive values at rest and keyed hashes to find them.

Fernet (cryptography) gives authenticated encryption; HMAC-SHA256 with a
separate key lets us match a value (an account number) without decrypting
every row and without a plain hash that could be brute-forced offline.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import os
from pathlib import Path
from typing import BinaryIO

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _fernet() -> Fernet:
    extensions = current_app.extensions
    if "fernet" not in extensions:
        extensions["fernet"] = Fernet(current_app.config["DATA_ENCRYPTION_KEY"])
    return extensions["fernet"]


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def lookup_hash(value: str) -> str:
    key = current_app.config["LOOKUP_HASH_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


# Files at rest (the pain.001 files: names and full account numbers) are sealed
# in chunks, each a Fernet token on its own line, so a file of any size is
# written and read in constant memory; Fernet itself seals a whole message at
# once. Each chunk's plaintext starts with its index and whether it is the
# last, so chunks cut out, repeated, reordered or a file cut short are refused.
_CHUNK_BYTES = 1 << 20
_LAST, _MORE = b"\x01", b"\x00"


class SealedFileInvalid(Exception):
    """A sealed file that was not written whole by this service's key."""


class SealedWriter(io.RawIOBase):
    """A binary file opened for writing that seals what is written to `path`.

    Created with mode 0600 (owner only); `sha256` is the plaintext's digest,
    known once the writer is closed."""

    def __init__(self, path: Path):
        super().__init__()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)  # a file that was there kept its old mode
        self._file = os.fdopen(descriptor, "wb")
        self._pending = bytearray()
        self._index = 0
        self._digest = hashlib.sha256()
        self.sha256 = ""

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        chunk = bytes(data)
        self._digest.update(chunk)
        self._pending += chunk
        while len(self._pending) > _CHUNK_BYTES:
            self._seal(bytes(self._pending[:_CHUNK_BYTES]), _MORE)
            del self._pending[:_CHUNK_BYTES]
        return len(chunk)

    def _seal(self, chunk: bytes, flag: bytes) -> None:
        header = flag + self._index.to_bytes(8, "big")
        self._file.write(_fernet().encrypt(header + chunk) + b"\n")
        self._index += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._pending), _LAST)
            self._pending.clear()
            self.sha256 = self._digest.hexdigest()
            self._file.close()
        super().close()


class _SealedReader(io.RawIOBase):
    def __init__(self, path: Path):
        super().__init__()
        self._file = path.open("rb")
        self._plain = b""
        self._index = 0
        self._ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._plain and not self._ended:
            self._open_next()
        count = min(len(buffer), len(self._plain))
        buffer[:count] = self._plain[:count]
        self._plain = self._plain[count:]
        return count

    def _open_next(self) -> None:
        line = self._file.readline()
        if not line:
            raise SealedFileInvalid("the file ends before its last chunk")
        try:
            plain = _fernet().decrypt(line.rstrip(b"\n"))
        except InvalidToken:
            raise SealedFileInvalid(f"chunk {self._index} is not sealed by this key") from None
        if plain[1:9] != self._index.to_bytes(8, "big"):
            raise SealedFileInvalid(f"chunk {self._index} is out of place")
        self._index += 1
        self._ended = plain[:1] == _LAST
        if self._ended and self._file.readline():
            raise SealedFileInvalid("chunks follow the last one")
        self._plain = plain[9:]

    def close(self) -> None:
        self._file.close()
        super().close()


def open_sealed(path: Path) -> BinaryIO:
    """The plaintext of a file written by `SealedWriter`, read as it is decrypted."""
    return io.BufferedReader(_SealedReader(path), buffer_size=_CHUNK_BYTES)
