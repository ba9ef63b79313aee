"""A company's account settings, as seats.io's ``/accounts/me`` shows and changes them.

    holdPeriodInMinutes        how long a new hold token lives when its creator does not say (1 to 120;
                               15 unless changed): services/hold_tokens.py
    chartValidation            one level a check, OFF | WARNING | ERROR (all OFF unless changed): what
                               validating a chart reports, and whether an event can be made on it and a
                               draft published (domain/chart_validation.py, services/chart_validation.py)
    draftChartDrawingsEnabled  kept and shown (true unless changed); seats.io documents no effect of it on
                               its API, and boxoffice gives it none
    holdOnSelectForGAs,        seats.io's chart renderer's defaults, shown as seats.io answers for a new
    defaultRendererSettings    account; boxoffice serves no renderer, so they are fixed

    >>> validation_setting("VALIDATE_FOCAL_POINT", "WARNING")
    ('VALIDATE_FOCAL_POINT', <ValidationLevel.WARNING: 'WARNING'>)
    >>> validation_setting("VALIDATE_EVERYTHING", "OFF")
    Traceback (most recent call last):
    ...
    boxoffice.domain.errors.UnknownSetting: Unknown setting 'VALIDATE_EVERYTHING'; known: VALIDATE_DUPLICATE_LABELS, \
VALIDATE_OBJECTS_WITHOUT_CATEGORIES, VALIDATE_UNLABELED_OBJECTS, VALIDATE_FOCAL_POINT, \
VALIDATE_OBJECT_TYPES_PER_CATEGORY, VALIDATE_EMPTY_FLOOR
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from boxoffice.domain.errors import HoldPeriodInvalid, InvalidSettingValue, PasswordInvalid, UnknownSetting

DEFAULT_HOLD_PERIOD = 15  # minutes, seats.io's default
MAX_HOLD_PERIOD = 120  # a hold token lives at most 2 hours (services/hold_tokens.py)
MIN_PASSWORD = 8
MAX_PASSWORD = 200


class ValidationLevel(StrEnum):
    OFF = "OFF"  # not reported
    WARNING = "WARNING"  # reported as a warning; events can still be made
    ERROR = "ERROR"  # reported as an error; no event can be made on the chart, no draft published


VALIDATE_DUPLICATE_LABELS = "VALIDATE_DUPLICATE_LABELS"
VALIDATE_OBJECTS_WITHOUT_CATEGORIES = "VALIDATE_OBJECTS_WITHOUT_CATEGORIES"
VALIDATE_UNLABELED_OBJECTS = "VALIDATE_UNLABELED_OBJECTS"
VALIDATE_FOCAL_POINT = "VALIDATE_FOCAL_POINT"
VALIDATE_OBJECT_TYPES_PER_CATEGORY = "VALIDATE_OBJECT_TYPES_PER_CATEGORY"
VALIDATE_EMPTY_FLOOR = "VALIDATE_EMPTY_FLOOR"

# The checks seats.io's SDKs know, in the order they list them.
VALIDATIONS = (
    VALIDATE_DUPLICATE_LABELS,
    VALIDATE_OBJECTS_WITHOUT_CATEGORIES,
    VALIDATE_UNLABELED_OBJECTS,
    VALIDATE_FOCAL_POINT,
    VALIDATE_OBJECT_TYPES_PER_CATEGORY,
    VALIDATE_EMPTY_FLOOR,
)


@dataclass(frozen=True, slots=True)
class Validation:
    """What validating a chart version reports: the checks that failed, by level, in VALIDATIONS order."""

    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def judge(levels: Mapping[str, ValidationLevel], failed: Iterable[str]) -> Validation:
    """The `failed` checks (a chart's findings' codes) reported by their `levels`; OFF ones are not."""
    found = set(failed)
    at = [(check, levels.get(check, ValidationLevel.OFF)) for check in VALIDATIONS if check in found]
    return Validation(
        errors=tuple(c for c, level in at if level is ValidationLevel.ERROR),
        warnings=tuple(c for c, level in at if level is ValidationLevel.WARNING),
    )


# seats.io's chart renderer defaults, as its account answer shows them for a new account.
HOLD_ON_SELECT_FOR_GAS = True
DEFAULT_RENDERER_SETTINGS: Mapping[str, bool] = {
    "showFullScreenButton": False,
    "multiSelectEnabled": False,
    "companionSeatValidationEnabled": False,
}


def _all_off() -> dict[str, ValidationLevel]:
    return dict.fromkeys(VALIDATIONS, ValidationLevel.OFF)


@dataclass(frozen=True, slots=True)
class AccountSettings:
    hold_period_minutes: int = DEFAULT_HOLD_PERIOD
    draft_chart_drawings_enabled: bool = True
    chart_validation: Mapping[str, ValidationLevel] = field(default_factory=_all_off)  # every check, in order

    @classmethod
    def of(
        cls, hold_period_minutes: int, draft_chart_drawings_enabled: bool, levels: Mapping[str, str]
    ) -> AccountSettings:
        return cls(hold_period_minutes, draft_chart_drawings_enabled, validation_levels(levels))


def validation_levels(stored: Mapping[str, str]) -> dict[str, ValidationLevel]:
    """Every check's level from those stored: a check not set is OFF, and so is a level no longer known."""
    levels = _all_off()
    for key, level in stored.items():
        if key in levels and level in ValidationLevel.__members__:
            levels[key] = ValidationLevel(level)
    return levels


def validation_setting(key: str, value: str) -> tuple[str, ValidationLevel]:
    """A chart validation setting (``POST /accounts/me/settings``), checked."""
    if key not in VALIDATIONS:
        raise UnknownSetting(f"Unknown setting {key!r}; known: {', '.join(VALIDATIONS)}")
    if value not in ValidationLevel.__members__:
        raise InvalidSettingValue(f"{key} must be one of {', '.join(ValidationLevel)}, not {value!r}")
    return key, ValidationLevel(value)


def hold_period(minutes: int) -> int:
    if not 1 <= minutes <= MAX_HOLD_PERIOD:
        raise HoldPeriodInvalid(f"holdPeriodInMinutes must be between 1 and {MAX_HOLD_PERIOD}, not {minutes}")
    return minutes


def password(text: str) -> str:
    if not MIN_PASSWORD <= len(text) <= MAX_PASSWORD:
        raise PasswordInvalid(f"A password has {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    return text
