"""API keys: long random strings, stored and looked up as a SHA-256 digest (fast; not for passwords).

A workspace secret key must be shown again later (seats.io's retrieve-workspace answers with it), yet is
never stored. When the server has a system secret (BOXOFFICE_SYSTEM_SECRET) each key is derived from it
and a random salt kept next to the key's digest,

    key = UUID(first 16 bytes of HMAC-SHA256(BOXOFFICE_SYSTEM_SECRET, "workspace-secret-key:{salt}"))

(a company's designer key likewise, from ``"designer-key:{salt}"``)

so a copy of the database alone reveals no key, and the key is re-derived to be shown. Without a system
secret a key is random, stored as its digest only, and shown once, when it is made. A key whose
derivation no longer matches its digest (the system secret was changed) still works but is not shown.

    >>> key = derive_workspace_secret("s3cret", "00ff")
    >>> shown_workspace_secret("s3cret", "00ff", digest(key)) == key
    True
    >>> shown_workspace_secret("another secret", "00ff", digest(key)) is None
    True
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass


def new_secret() -> str:
    return str(uuid.uuid4())


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def signing_key(system_secret: str, subject: str) -> str:
    """base64(HMAC-SHA256(system secret, subject)): a signing key that is never stored but derived again
    whenever a signature is checked (API users, agents, marketplaces; a new salt in `subject` is a new key)."""
    return base64.b64encode(hmac.new(system_secret.encode(), subject.encode(), hashlib.sha256).digest()).decode()


@dataclass(frozen=True, slots=True)
class NewWorkspaceSecret:
    secret: str  # hand it to the caller; store only what follows
    digest: str
    salt: str | None  # None: random, shown once


WORKSPACE_SECRET_KEY = "workspace-secret-key"
DESIGNER_KEY = "designer-key"


def derive_workspace_secret(system_secret: str, salt: str, purpose: str = WORKSPACE_SECRET_KEY) -> str:
    raw = hmac.new(system_secret.encode(), f"{purpose}:{salt}".encode(), hashlib.sha256).digest()
    return str(uuid.UUID(bytes=raw[:16]))


def new_workspace_secret(system_secret: str, purpose: str = WORKSPACE_SECRET_KEY) -> NewWorkspaceSecret:
    if not system_secret:
        secret = new_secret()
        return NewWorkspaceSecret(secret, digest(secret), None)
    salt = secrets.token_hex(16)
    secret = derive_workspace_secret(system_secret, salt, purpose)
    return NewWorkspaceSecret(secret, digest(secret), salt)


def shown_workspace_secret(
    system_secret: str, salt: str | None, stored_digest: str, purpose: str = WORKSPACE_SECRET_KEY
) -> str | None:
    """The key again, if it can be derived and still matches what is stored; else None."""
    if not system_secret or salt is None:
        return None
    secret = derive_workspace_secret(system_secret, salt, purpose)
    return secret if hmac.compare_digest(digest(secret), stored_digest) else None
