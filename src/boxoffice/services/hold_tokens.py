"""Hold tokens: as long as the company's hold period when not told (15 minutes unless changed:
services/accounts.py), extendable up to 2 hours after creation; expire now on request."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from boxoffice.domain.errors import HoldTokenExpiryInvalid, HoldTokenNotFound, InvalidInput
from boxoffice.domain.records import HoldToken, Workspace
from boxoffice.services.clock import utcnow
from boxoffice.storage.uow import Database, UnitOfWork

MAX_LIFETIME = timedelta(hours=2)
MAX_MINUTES = MAX_LIFETIME // timedelta(minutes=1)


def create_hold_token(
    db: Database, workspace: Workspace, expires_in_minutes: int | None = None, *, now: datetime | None = None
) -> HoldToken:
    """A new token, for `expires_in_minutes` or else the company's hold period."""
    moment = now or utcnow()
    if expires_in_minutes is not None:
        check_minutes(expires_in_minutes)  # before any transaction
    with db.write() as uow:
        minutes = expires_in_minutes if expires_in_minutes is not None else hold_period(uow, workspace)
        token = new_hold_token(workspace, minutes, moment)
        uow.hold_tokens.add(token)
        uow.commit()
    return token


def hold_period(uow: UnitOfWork, workspace: Workspace) -> int:
    """How long a new token of the workspace lives when its creator does not say: its company's hold period."""
    return uow.accounts.hold_period(workspace.company_id)


def check_minutes(minutes: int) -> None:
    if not 1 <= minutes <= MAX_MINUTES:  # compare before timedelta(): a huge count overflows it
        raise HoldTokenExpiryInvalid("expiresInMinutes must be between 1 and 120")


def new_hold_token(workspace: Workspace, minutes: int, now: datetime) -> HoldToken:
    """A new token (not yet stored) that lives `minutes` (1 to 120, checked)."""
    check_minutes(minutes)
    return HoldToken(secrets.token_hex(16), workspace.id, now, now + timedelta(minutes=minutes))


def get_hold_token(db: Database, workspace: Workspace, token: str) -> HoldToken:
    with db.read() as uow:
        found = uow.hold_tokens.get(workspace.id, token)
    if found is None:
        raise HoldTokenNotFound(f"Hold token not found: {token}")
    return found


def expire_in_minutes(
    db: Database, workspace: Workspace, token: str, minutes: int, *, now: datetime | None = None
) -> HoldToken:
    """Set the expiry to `minutes` from now; 0 expires it at once and releases what it held."""
    moment = now or utcnow()
    if minutes < 0:
        raise InvalidInput("expiresInMinutes cannot be negative")
    if minutes > MAX_MINUTES:  # past any lifetime, and timedelta()/datetime arithmetic would overflow
        raise HoldTokenExpiryInvalid("A hold token lives at most 2 hours after it was created")
    with db.write() as uow:
        found = uow.hold_tokens.get(workspace.id, token, for_update=True)
        if found is None:
            raise HoldTokenNotFound(f"Hold token not found: {token}")
        expires_at = moment + timedelta(minutes=minutes)
        if minutes == 0:
            expires_at = min(found.expires_at, moment)  # "expire now" never revives a lapsed token
        elif expires_at - found.created_at > MAX_LIFETIME:
            raise HoldTokenExpiryInvalid("A hold token lives at most 2 hours after it was created")
        uow.hold_tokens.set_expiry(token, expires_at)
        if expires_at < found.expires_at:  # held seats may be selectable sooner than any cache thinks
            events = {e for e, _ in uow.objects.held_by_token(token)}
            uow.objects.availability_changed(events | {e for e, _, _ in uow.objects.areas_held_by_token(token)})
        if minutes == 0:
            release_token_holds(uow, token, moment, origin="HOLD_TOKEN_EXPIRED")
        uow.commit()
        updated = uow.hold_tokens.get(workspace.id, token)
    assert updated is not None
    return updated


def release_token_holds(uow: UnitOfWork, token: str, now: datetime, *, origin: str) -> int:
    """Release every object and GA place held under `token` (which has lapsed), logged. Returns a count."""
    from boxoffice.jobs.holds import release_lapsed

    seats = uow.objects.held_by_token(token)
    areas = uow.objects.areas_held_by_token(token)
    targets = sorted({(e, label) for e, label in seats} | {(e, label) for e, label, _ in areas})
    return release_lapsed(uow, targets, now, origin=origin)
