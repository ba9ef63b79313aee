"""API keys: long random strings, stored and looked up as a SHA-256 digest (fast; not for passwords)."""

from __future__ import annotations

import hashlib
import uuid


def new_secret() -> str:
    return str(uuid.uuid4())


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
