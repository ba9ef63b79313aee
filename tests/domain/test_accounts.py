"""The rules of an account's settings."""

from __future__ import annotations

import pytest

from boxoffice.domain import accounts
from boxoffice.domain.accounts import VALIDATIONS, AccountSettings, ValidationLevel
from boxoffice.domain.errors import HoldPeriodInvalid, InvalidSettingValue, PasswordInvalid, UnknownSetting


def test_a_new_account_has_seats_io_defaults() -> None:
    settings = AccountSettings()
    assert settings.hold_period_minutes == 15 and settings.draft_chart_drawings_enabled is True
    assert list(settings.chart_validation) == list(VALIDATIONS)
    assert set(settings.chart_validation.values()) == {ValidationLevel.OFF}


def test_the_six_checks_seats_io_sdks_know() -> None:
    assert VALIDATIONS == (
        "VALIDATE_DUPLICATE_LABELS",
        "VALIDATE_OBJECTS_WITHOUT_CATEGORIES",
        "VALIDATE_UNLABELED_OBJECTS",
        "VALIDATE_FOCAL_POINT",
        "VALIDATE_OBJECT_TYPES_PER_CATEGORY",
        "VALIDATE_EMPTY_FLOOR",
    )


@pytest.mark.parametrize("level", ["OFF", "WARNING", "ERROR"])
def test_a_validation_setting_takes_a_level(level: str) -> None:
    assert accounts.validation_setting("VALIDATE_FOCAL_POINT", level) == ("VALIDATE_FOCAL_POINT", level)


@pytest.mark.parametrize("key", ["", "validate_focal_point", "VALIDATE_NO_OBJECTS", "HOLD_PERIOD"])
def test_unknown_settings_are_refused(key: str) -> None:
    with pytest.raises(UnknownSetting) as caught:
        accounts.validation_setting(key, "OFF")
    assert caught.value.code == "UNKNOWN_SETTING"


@pytest.mark.parametrize("value", ["", "off", "WARN", "ERRORS", "NONE"])
def test_unknown_levels_are_refused(value: str) -> None:
    with pytest.raises(InvalidSettingValue) as caught:
        accounts.validation_setting("VALIDATE_DUPLICATE_LABELS", value)
    assert caught.value.code == "INVALID_SETTING_VALUE"


@pytest.mark.parametrize("minutes", [1, 15, 120])
def test_hold_period_from_one_minute_to_two_hours(minutes: int) -> None:
    assert accounts.hold_period(minutes) == minutes


@pytest.mark.parametrize("minutes", [0, -1, 121, 2**63])
def test_hold_period_outside_is_refused(minutes: int) -> None:
    with pytest.raises(HoldPeriodInvalid) as caught:
        accounts.hold_period(minutes)
    assert caught.value.code == "HOLD_PERIOD_INVALID"


def test_password_length() -> None:
    assert accounts.password("8 chars!") == "8 chars!"
    for bad in ("short", "x" * 201):
        with pytest.raises(PasswordInvalid):
            accounts.password(bad)


def test_stored_levels_fill_in_the_unset_checks_and_drop_unknown_ones() -> None:
    settings = AccountSettings.of(
        20, False, {"VALIDATE_FOCAL_POINT": "ERROR", "GONE": "ERROR", "VALIDATE_EMPTY_FLOOR": "?"}
    )
    assert settings.hold_period_minutes == 20 and settings.draft_chart_drawings_enabled is False
    assert settings.chart_validation["VALIDATE_FOCAL_POINT"] is ValidationLevel.ERROR
    assert settings.chart_validation["VALIDATE_EMPTY_FLOOR"] is ValidationLevel.OFF
    assert "GONE" not in settings.chart_validation
