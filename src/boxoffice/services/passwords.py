"""Passwords, kept as scrypt hashes (the standard library's; memory-hard, unlike the SHA-256 of API keys).

>>> stored = hash_password("correct horse")
>>> verify_password("correct horse", stored), verify_password("wrong horse", stored)
(True, False)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

_N, _R, _P = 2**14, 8, 1  # scrypt's cost: about 16 MB and a few tens of milliseconds a hash
_LENGTH = 32


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=2 * 128 * n * r, dklen=_LENGTH)


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$<salt hex>$<hash hex>``: the cost is kept with the hash, so it can be raised later."""
    salt = secrets.token_bytes(16)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${_scrypt(password, salt, _N, _R, _P).hex()}"


def verify_password(password: str, stored: str) -> bool:
    scheme, n, r, p, salt, expected = stored.split("$")
    if scheme != "scrypt":
        return False
    found = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    return hmac.compare_digest(found.hex(), expected)
