from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from seatsio.exceptions import SeatsioException

from tests.api.seatsio.conftest import SeatsioCompany


def test_create_hold_token_lasts_15_minutes_by_default(company: SeatsioCompany) -> None:
    token = company.client.hold_tokens.create()

    assert token.hold_token
    assert token.workspace_key == company.workspace_key
    assert 14 * 60 < token.expires_in_seconds <= 15 * 60
    now = datetime.now(UTC).replace(tzinfo=None)  # the SDK parses expiresAt as a naive UTC time
    assert now + timedelta(minutes=14) < token.expires_at <= now + timedelta(minutes=15, seconds=1)


def test_create_with_expiry_retrieve_and_extend(company: SeatsioCompany) -> None:
    token = company.client.hold_tokens.create(expires_in_minutes=5)
    assert 4 * 60 < token.expires_in_seconds <= 5 * 60

    retrieved = company.client.hold_tokens.retrieve(token.hold_token)
    assert retrieved.hold_token == token.hold_token
    assert retrieved.expires_at == token.expires_at

    extended = company.client.hold_tokens.expire_in_minutes(token.hold_token, 30)
    assert 29 * 60 < extended.expires_in_seconds <= 30 * 60
    assert extended.expires_at > token.expires_at


def test_expire_in_zero_minutes_expires_at_once(company: SeatsioCompany) -> None:
    token = company.client.hold_tokens.create()

    expired = company.client.hold_tokens.expire_in_minutes(token.hold_token, 0)

    assert expired.expires_in_seconds == 0


def test_unknown_token_is_404(company: SeatsioCompany) -> None:
    with pytest.raises(SeatsioException) as caught:
        company.client.hold_tokens.retrieve("nope")
    assert caught.value.errors[0]["code"] == "HOLD_TOKEN_NOT_FOUND"


def test_bad_expiry_is_400_not_500(company: SeatsioCompany) -> None:
    with pytest.raises(SeatsioException) as caught:
        company.client.hold_tokens.create(expires_in_minutes=100_000)
    assert caught.value.errors[0]["code"] == "HOLD_TOKEN_EXPIRY_INVALID"
    auth = (company.secret_key, "")
    wrong_type = httpx.post(f"{company.base_url}/hold-tokens", content=b'{"expiresInMinutes": "ten"}', auth=auth)
    assert wrong_type.status_code == 400 and wrong_type.json()["errors"][0]["code"] == "VALIDATION_ERROR"
    null_body = httpx.post(f"{company.base_url}/hold-tokens", content=b"null", auth=auth)
    assert null_body.status_code == 200 and null_body.json()["holdToken"]
