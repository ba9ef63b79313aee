"""The account, ``/accounts/me``, over HTTP: the official Python SDK (83.21) has no accounts client, so the
calls are made as seats.io's JS SDK makes them (its Accounts class), and their effects are seen through the
Python SDK where it has the call (hold tokens)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import seatsio

from tests.api.seatsio.conftest import SeatsioCompany

CHECKS = (
    "VALIDATE_DUPLICATE_LABELS",
    "VALIDATE_OBJECTS_WITHOUT_CATEGORIES",
    "VALIDATE_UNLABELED_OBJECTS",
    "VALIDATE_FOCAL_POINT",
    "VALIDATE_OBJECT_TYPES_PER_CATEGORY",
    "VALIDATE_EMPTY_FLOOR",
)


def _get(company: SeatsioCompany, key: str | None = None) -> httpx.Response:
    return httpx.get(f"{company.base_url}/accounts/me", auth=(key or company.admin_key, ""))


def _post(company: SeatsioCompany, path: str, body: Any = None, key: str | None = None) -> httpx.Response:
    return httpx.post(f"{company.base_url}/accounts/me{path}", json=body, auth=(key or company.admin_key, ""))


def _account(company: SeatsioCompany) -> dict[str, Any]:
    response = _get(company)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _refused(response: httpx.Response, status: int = 400) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status and body["messages"] and body["requestId"]
    code: str = body["errors"][0]["code"]
    return code


def test_retrieve_my_account(company: SeatsioCompany) -> None:
    account = _account(company)
    assert account["secretKey"] == company.admin_key
    assert account["designerKey"] and account["designerKey"] != company.admin_key
    assert account["publicKey"] == company.workspace_key
    assert account["email"].endswith("@boxoffice.invalid") and account["role"] == "COMPANY_ADMIN"
    assert account["company"]["id"] and account["company"]["name"] == "Test company"
    assert account["settings"] == {
        "draftChartDrawingsEnabled": True,
        "holdOnSelectForGAs": True,
        "holdPeriodInMinutes": 15,
        "chartValidation": dict.fromkeys(CHECKS, "OFF"),
        "defaultRendererSettings": {
            "showFullScreenButton": False,
            "multiSelectEnabled": False,
            "companionSeatValidationEnabled": False,
        },
    }


def test_only_the_company_admin_key_reaches_the_account(company: SeatsioCompany) -> None:
    assert _refused(_get(company, company.secret_key), 403) == "FORBIDDEN"
    body = {"key": "VALIDATE_FOCAL_POINT", "value": "ERROR"}
    assert _refused(_post(company, "/settings", body, company.secret_key), 403) == "FORBIDDEN"
    assert _refused(_post(company, "/designer-key/actions/regenerate", key=company.secret_key), 403) == "FORBIDDEN"
    assert _refused(_get(company, "no-such-key"), 401) == "UNAUTHORIZED"
    assert _account(company)["settings"]["chartValidation"]["VALIDATE_FOCAL_POINT"] == "OFF"


def test_update_setting(company: SeatsioCompany) -> None:
    for key, value in (("VALIDATE_DUPLICATE_LABELS", "WARNING"), ("VALIDATE_EMPTY_FLOOR", "ERROR")):
        assert _post(company, "/settings", {"key": key, "value": value}).status_code == 204
    levels = _account(company)["settings"]["chartValidation"]
    assert levels == {
        **dict.fromkeys(CHECKS, "OFF"),
        "VALIDATE_DUPLICATE_LABELS": "WARNING",
        "VALIDATE_EMPTY_FLOOR": "ERROR",
    }


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"key": "VALIDATE_EVERYTHING", "value": "ERROR"}, "UNKNOWN_SETTING"),
        ({"key": "VALIDATE_FOCAL_POINT", "value": "warning"}, "INVALID_SETTING_VALUE"),
        ({"key": "VALIDATE_FOCAL_POINT", "value": 2}, "VALIDATION_ERROR"),
        ({"key": "VALIDATE_FOCAL_POINT"}, "VALIDATION_ERROR"),
        ({"key": ["VALIDATE_FOCAL_POINT"], "value": "ERROR"}, "VALIDATION_ERROR"),
        ("VALIDATE_FOCAL_POINT", "VALIDATION_ERROR"),
        (None, "VALIDATION_ERROR"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(company: SeatsioCompany, body: Any, code: str) -> None:
    before = _account(company)
    assert _refused(_post(company, "/settings", body)) == code
    assert _account(company) == before


def test_change_hold_period_is_the_life_of_new_hold_tokens(company: SeatsioCompany) -> None:
    assert _post(company, "/actions/change-hold-period", {"holdPeriodInMinutes": 14}).status_code == 204
    assert _account(company)["settings"]["holdPeriodInMinutes"] == 14
    token = company.client.hold_tokens.create()  # the workspace's own key: its company's hold period
    assert 13 * 60 < token.expires_in_seconds <= 14 * 60
    admin = seatsio.Client(seatsio.Region(company.base_url), secret_key=company.admin_key, max_retries=0)
    assert 13 * 60 < admin.hold_tokens.create().expires_in_seconds <= 14 * 60
    told = company.client.hold_tokens.create(expires_in_minutes=30)
    assert 29 * 60 < told.expires_in_seconds <= 30 * 60


@pytest.mark.parametrize("minutes", [0, -5, 121, 10**30, 14.5, "14", True, None])
def test_bad_hold_periods_are_refused_and_change_nothing(company: SeatsioCompany, minutes: Any) -> None:
    code = _refused(_post(company, "/actions/change-hold-period", {"holdPeriodInMinutes": minutes}))
    assert code == (
        "HOLD_PERIOD_INVALID" if isinstance(minutes, int) and not isinstance(minutes, bool) else "VALIDATION_ERROR"
    )
    assert _account(company)["settings"]["holdPeriodInMinutes"] == 15
    assert 14 * 60 < company.client.hold_tokens.create().expires_in_seconds <= 15 * 60


def test_change_password(company: SeatsioCompany) -> None:
    assert _post(company, "/actions/change-password", {"password": "someNewPassword"}).status_code == 204
    assert _refused(_post(company, "/actions/change-password", {"password": "short"})) == "PASSWORD_INVALID"
    assert _refused(_post(company, "/actions/change-password", {"password": 12345678})) == "VALIDATION_ERROR"
    assert _refused(_post(company, "/actions/change-password", {})) == "VALIDATION_ERROR"
    assert _account(company)["secretKey"] == company.admin_key  # the keys stay as they were


def test_disable_and_enable_draft_chart_drawings(company: SeatsioCompany) -> None:
    assert _post(company, "/draft-chart-drawings/actions/disable").status_code == 204
    assert _account(company)["settings"]["draftChartDrawingsEnabled"] is False
    assert _post(company, "/draft-chart-drawings/actions/disable").status_code == 204  # again: no change
    assert _account(company)["settings"]["draftChartDrawingsEnabled"] is False
    assert _post(company, "/draft-chart-drawings/actions/enable").status_code == 204
    assert _account(company)["settings"]["draftChartDrawingsEnabled"] is True


def test_regenerate_designer_key(company: SeatsioCompany) -> None:
    old = _account(company)["designerKey"]
    response = _post(company, "/designer-key/actions/regenerate")
    assert response.status_code == 200
    new = response.json()["designerKey"]
    assert new and new != old and _account(company)["designerKey"] == new
    assert _account(company)["secretKey"] == company.admin_key  # the admin key is not the designer key
