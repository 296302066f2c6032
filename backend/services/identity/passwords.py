"""argon2id password hashing (argon2-cffi), cost taken from configuration."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def _hasher() -> PasswordHasher:
    extensions = current_app.extensions
    if "password_hasher" not in extensions:
        config = current_app.config
        hasher = PasswordHasher(time_cost=config["ARGON2_TIME_COST"],
                                memory_cost=config["ARGON2_MEMORY_COST"],
                                parallelism=config["ARGON2_PARALLELISM"])
        extensions["password_hasher"] = hasher
        # Verified against when the personal ID is unknown, so that a wrong ID
        # costs as long as a wrong password and timing tells nothing.
        extensions["password_decoy_hash"] = hasher.hash("decoy password, never matches")
    return extensions["password_hasher"]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    try:
        hasher.verify(password_hash or current_app.extensions["password_decoy_hash"], password)
    except (VerificationError, InvalidHashError):
        return False
    return password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
