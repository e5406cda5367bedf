"""Password hashing with Argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from gointerview.errors import GointerviewError

MIN_LENGTH = 8
MAX_LENGTH = 256  # hashing a megabyte of "password" is a cheap way to burn our CPU

_hasher = PasswordHasher()


def check_rules(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise GointerviewError(f"the password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise GointerviewError(f"the password may have at most {MAX_LENGTH} characters")
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(check_rules(password))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches. With no stored hash (no such user) a dummy hash is
    checked all the same, so the answer takes as long as for a real user."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not the password of anyone")
