from __future__ import annotations

from datetime import timedelta

import pytest

from boxoffice.domain.errors import HoldTokenExpiryInvalid, HoldTokenNotFound
from boxoffice.services import hold_tokens
from boxoffice.services.clock import utcnow
from boxoffice.storage.uow import Database
from tests.factories import make_workspace


def test_default_is_fifteen_minutes_and_can_be_extended_up_to_two_hours(db: Database) -> None:
    ws = make_workspace(db)
    now = utcnow()
    token = hold_tokens.create_hold_token(db, ws, now=now)
    assert token.expires_at - now == timedelta(minutes=15)
    longer = hold_tokens.expire_in_minutes(db, ws, token.token, 100, now=now + timedelta(minutes=10))
    assert longer.expires_at == now + timedelta(minutes=110)
    with pytest.raises(HoldTokenExpiryInvalid):
        hold_tokens.expire_in_minutes(db, ws, token.token, 60, now=now + timedelta(minutes=70))
    with pytest.raises(HoldTokenExpiryInvalid):
        hold_tokens.create_hold_token(db, ws, 121)


def test_tokens_belong_to_their_workspace(db: Database) -> None:
    mine, theirs = make_workspace(db), make_workspace(db)
    token = hold_tokens.create_hold_token(db, mine)
    assert hold_tokens.get_hold_token(db, mine, token.token).token == token.token
    with pytest.raises(HoldTokenNotFound):
        hold_tokens.get_hold_token(db, theirs, token.token)


def test_expire_now_works_on_an_old_token_and_never_revives_it(db: Database) -> None:
    ws = make_workspace(db)
    now = utcnow()
    token = hold_tokens.create_hold_token(db, ws, 30, now=now)
    much_later = now + timedelta(hours=3)
    expired = hold_tokens.expire_in_minutes(db, ws, token.token, 0, now=much_later)
    assert expired.expires_at == token.expires_at  # already lapsed at +30 min; not moved to +3 h
