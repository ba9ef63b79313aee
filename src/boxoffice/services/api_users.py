"""API users: back-office integrations that sign their requests (the Spektrix-style dialect's authenticated mode).

The signing key is never stored. It is derived from the system secret and the user's id,

    key = base64(HMAC-SHA256(BOXOFFICE_SYSTEM_SECRET, "api-user:{id}"))

so it is shown once when the user is created and re-derived whenever a signature is checked. Rotating the
system secret therefore rotates every API user's key. A request is signed with HMAC-SHA1 keyed by the key's
base64-decoded bytes; `verify` checks such a signature over the message the dialect builds.

    >>> new = create_api_user(db, workspace, "website", system_secret="s3cret")   # doctest: +SKIP
    >>> new.key                                                                    # doctest: +SKIP
    'q8Jq...='
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from boxoffice.domain.errors import AlreadyExists, CatalogueItemNotFound, InvalidInput, Unauthorized
from boxoffice.domain.records import Workspace
from boxoffice.services.clock import utcnow
from boxoffice.services.ids import new_id
from boxoffice.services.keys import signing_key
from boxoffice.storage.api_users import ApiUser, ApiUserRepository
from boxoffice.storage.uow import Database

_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,200}$")


@dataclass(frozen=True, slots=True)
class NewApiUser:
    user: ApiUser
    key: str  # shown once; base64 of 32 bytes


def derive_key(system_secret: str, user_id: str) -> str:
    if not system_secret:
        raise InvalidInput("API users need BOXOFFICE_SYSTEM_SECRET to be set")
    return signing_key(system_secret, f"api-user:{user_id}")


def sign(key: str, message: str) -> str:
    """base64(HMAC-SHA1(base64decode(key), UTF-8 message)): what a caller puts after ``user:``."""
    digest = hmac.new(base64.b64decode(key), message.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signs_one_of(key: str, messages: list[str], signature: str) -> bool:
    """Whether `signature` signs one of `messages` with `key`, each compared in constant time."""
    given = signature.encode()
    return any(hmac.compare_digest(sign(key, m).encode(), given) for m in messages)


def create_api_user(db: Database, workspace: Workspace, name: str, *, system_secret: str) -> NewApiUser:
    if not _NAME.match(name):
        raise InvalidInput("An API user name is 1 to 200 letters, digits, '.', '_', '-' or '@'")
    user = ApiUser(new_id(), workspace.id, name, utcnow())
    key = derive_key(system_secret, user.id)
    with db.write() as uow:
        repo = ApiUserRepository(uow.connection)
        if repo.by_name(workspace.id, name) is not None:
            raise AlreadyExists(f"API user {name!r} already exists")
        if uow.agents.by_login(workspace.id, name) is not None:  # a signer's name is an agent's or a user's
            raise AlreadyExists(f"An agent signs as {name!r}; an API user name must differ from agent logins")
        repo.add(user)
        uow.commit()
    return NewApiUser(user, key)


def list_api_users(db: Database, workspace: Workspace) -> list[ApiUser]:
    with db.read() as uow:
        return ApiUserRepository(uow.connection).list(workspace.id)


def set_active(db: Database, workspace: Workspace, name: str, active: bool) -> ApiUser:
    with db.write() as uow:
        repo = ApiUserRepository(uow.connection)
        user = repo.by_name(workspace.id, name)
        if user is None:
            raise CatalogueItemNotFound(f"API user not found: {name}")
        repo.set_active(user.id, active)
        uow.commit()
    return ApiUser(user.id, user.workspace_id, user.name, user.created_at, active)


def verify(
    db: Database, workspace: Workspace, name: str, messages: list[str], signature: str, *, system_secret: str
) -> ApiUser:
    """The active API user `name` of the workspace, if `signature` signs one of `messages`; else Unauthorized.

    Several messages may be offered when the caller could have signed one of a few equivalent forms (the
    full URL, or only its path behind a proxy); each is compared in constant time."""
    if not system_secret:
        raise Unauthorized("Signed requests are not enabled on this server")
    with db.read() as uow:
        user = ApiUserRepository(uow.connection).by_name(workspace.id, name)
    return verify_user(user, messages, signature, system_secret=system_secret)


def verify_user(user: ApiUser | None, messages: list[str], signature: str, *, system_secret: str) -> ApiUser:
    """`user`, read already, if it is active and `signature` signs one of `messages`; else Unauthorized."""
    if not system_secret:
        raise Unauthorized("Signed requests are not enabled on this server")
    if user is None or not user.active:
        raise Unauthorized("Unknown or inactive API user")
    if not signs_one_of(derive_key(system_secret, user.id), messages, signature):
        raise Unauthorized("The signature does not match")
    return user
