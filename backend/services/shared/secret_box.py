"""Encryption of sensitive values at rest and keyed hashes to find them.

Fernet (cryptography) gives authenticated encryption; HMAC-SHA256 with a
separate key lets us match a value (an account number) without decrypting
every row and without a plain hash that could be brute-forced offline.
"""
from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet
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
