"""Checking a seats.io chart drawing while `charts.parse_chart` reads it.

Three parts:

* `Reader` reads values out of untrusted JSON. Each accessor returns a safe default and records a
  ``MALFORMED`` problem instead of raising, so garbage input can never surface as a KeyError or
  TypeError, and every problem is reported at once.
* Problems: what makes a drawing unusable, so that it is refused whole (codes below).
* Findings: what seats.io's chart validation checks (domain/accounts.py, VALIDATIONS). A drawing with
  findings is kept, as seats.io keeps it; the company's levels decide whether each is reported, as a
  warning or as an error, and an error stops events being made on the chart (services/chart_validation.py).

Problem codes (stable; clients may match on them):

    UNKNOWN_CATEGORY         a category key that is not in ``categories.list``
    INVALID_CAPACITY         a GA area whose capacity is missing, not an integer, below 1 or above MAX_CAPACITY
    MALFORMED                wrong types or structure, or text longer than its stored width (MAX_*)

Findings, by the seats.io check that reports them:

    VALIDATE_DUPLICATE_LABELS            two bookable objects share a full label (the first drawn is the one
                                         booked; the others cannot be)
    VALIDATE_OBJECTS_WITHOUT_CATEGORIES  a seat, table, booth or GA area with no category by any route
    VALIDATE_UNLABELED_OBJECTS           an empty label, or seats.io's placeholder ``"?"`` (an object whose
                                         whole label is empty cannot be booked)
    VALIDATE_FOCAL_POINT                 the chart has no focal point
    VALIDATE_OBJECT_TYPES_PER_CATEGORY   a category given to more than one kind of bookable object (seats and
                                         booths, say; a table counts as booked whole or by its seats)
    VALIDATE_EMPTY_FLOOR                 a floor of a multi-floor chart with no bookable object
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeGuard

from boxoffice.domain.accounts import (
    VALIDATE_DUPLICATE_LABELS,
    VALIDATE_EMPTY_FLOOR,
    VALIDATE_FOCAL_POINT,
    VALIDATE_OBJECT_TYPES_PER_CATEGORY,
    VALIDATE_OBJECTS_WITHOUT_CATEGORIES,
    VALIDATE_UNLABELED_OBJECTS,
)
from boxoffice.domain.errors import Problems
from boxoffice.domain.layout import Category, ChartObject, ObjectType, Point

UNKNOWN_CATEGORY = "UNKNOWN_CATEGORY"
INVALID_CAPACITY = "INVALID_CAPACITY"
MALFORMED = "MALFORMED"

PROBLEM_CODES = (
    UNKNOWN_CATEGORY,
    INVALID_CAPACITY,
    MALFORMED,
)

_PLACEHOLDER_LABEL = "?"

# What the storage keeps (VARCHAR widths, a 32-bit INTEGER): longer or larger would fail only once an
# event is created on the chart, on PostgreSQL, so the chart is refused up front on every database.
MAX_NAME = 500
MAX_LABEL = 300
MAX_SECTION = 200
MAX_CATEGORY_KEY = 100
MAX_CAPACITY = 2**31 - 1


def is_number(value: object) -> TypeGuard[int | float]:
    """A finite JSON number (booleans are not numbers here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class Reader:
    """Typed, forgiving access to untrusted JSON; every mismatch becomes a MALFORMED problem."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def malformed(self, where: str, message: str) -> None:
        self.problems.add(MALFORMED, f"{where}: {message}", where)

    def mapping(self, value: object, where: str) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return value
        self.malformed(where, f"expected an object, got {type(value).__name__}")
        return None

    def items(self, obj: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
        """``obj[key]`` as a list of objects; absent or null means empty."""
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.malformed(where, f"'{key}' must be a list, got {type(value).__name__}")
            return []
        result: list[Mapping[str, Any]] = []
        for index, item in enumerate(value):
            checked = self.mapping(item, f"{where} {key}[{index}]")
            if checked is not None:
                result.append(checked)
        return result

    def label(self, obj: Mapping[str, Any], where: str, *, required: bool = True) -> str:
        """The object's label as a string ("" when absent and not required)."""
        if "label" not in obj:
            if required:
                self.malformed(where, "has no 'label'")
            return ""
        value = obj["label"]
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.malformed(where, f"label must be a string, got {type(value).__name__}")
        return ""

    def text(self, obj: Mapping[str, Any], key: str, where: str) -> str | None:
        """An optional string field (null and absent are None)."""
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.malformed(where, f"'{key}' must be a string, got {type(value).__name__}")
        return None

    def flag(self, obj: Mapping[str, Any], key: str, where: str) -> bool:
        value = obj.get(key)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        self.malformed(where, f"'{key}' must be true or false, got {value!r}")
        return False

    def xy(self, obj: Mapping[str, Any], where: str) -> Point | None:
        """``{"x": .., "y": ..}`` with finite numbers; None (and a problem) otherwise."""
        x, y = obj.get("x"), obj.get("y")
        if is_number(x) and is_number(y):
            return Point(float(x), float(y))
        self.malformed(where, f"coordinates must be numbers, got x={x!r} y={y!r}")
        return None

    def optional_point(self, obj: Mapping[str, Any], key: str, where: str) -> Point | None:
        """An optional nested point such as ``focalPoint`` or ``center`` (null/absent is None)."""
        value = obj.get(key)
        if value is None:
            return None
        checked = self.mapping(value, f"{where} {key}")
        return None if checked is None else self.xy(checked, f"{where} {key}")

    def category_key(self, obj: Mapping[str, Any], where: str, key: str = "categoryKey") -> int | str | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, int | str) and not isinstance(value, bool):
            return value
        self.malformed(where, f"'{key}' must be an integer or a string, got {value!r}")
        return None


def check_label(findings: Problems, label: str, where: str, full_label: str | None = None) -> None:
    """Find an empty or placeholder ("?") label; `full_label` names the object in the finding."""
    if label.strip() in ("", _PLACEHOLDER_LABEL):
        findings.add(VALIDATE_UNLABELED_OBJECTS, f"{where} has no label ({label!r})", full_label or label or None)


def check_capacity(problems: Problems, value: object, label: str) -> int:
    """A GA area's capacity, or 0 with an INVALID_CAPACITY problem."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_CAPACITY:
        return value
    problems.add(INVALID_CAPACITY, f"general admission area {label!r} has invalid capacity {value!r}", label)
    return 0


def check_objects(
    problems: Problems, findings: Problems, objects: Iterable[ChartObject], categories: Mapping[str, Category]
) -> None:
    """Whole-chart checks of every object drawn: unknown categories and widths (problems), duplicate labels
    and missing categories (findings)."""
    seen: set[str] = set()
    reported: set[str] = set()
    for obj in objects:
        if obj.label in seen:
            if obj.label not in reported:
                findings.add(VALIDATE_DUPLICATE_LABELS, f"more than one object is labelled {obj.label!r}", obj.label)
                reported.add(obj.label)
        else:
            seen.add(obj.label)
        kind = "seat" if obj.object_type is ObjectType.SEAT else str(obj.object_type)
        named = f"{kind} {obj.label if len(obj.label) <= 60 else obj.label[:60] + '...'!r}"
        _check_width(problems, obj.label, MAX_LABEL, f"{named}: label", None)
        _check_width(problems, obj.section, MAX_SECTION, f"{named}: section", None)
        _check_width(problems, obj.category_key, MAX_CATEGORY_KEY, f"{named}: category key", None)
        if obj.category_key is None:
            findings.add(VALIDATE_OBJECTS_WITHOUT_CATEGORIES, f"{kind} {obj.label!r} has no category", obj.label)
        elif obj.category_key not in categories:
            problems.add(
                UNKNOWN_CATEGORY,
                f"{kind} {obj.label!r} has category {obj.category_key!r}, which the chart does not define",
                obj.label,
            )


def check_chart(
    findings: Problems,
    objects: Mapping[str, ChartObject],
    focal_point: Point | None,
    floors: Sequence[tuple[str, str]],
) -> None:
    """The findings of the chart as a whole, over its bookable `objects`: focal point, kinds of object per
    category, empty floors."""
    if focal_point is None:
        findings.add(VALIDATE_FOCAL_POINT, "the chart has no focal point")
    kinds: dict[str, set[str]] = {}
    for obj in objects.values():
        kind = _bookable_kind(obj, objects)
        if kind is not None and obj.category_key is not None:
            kinds.setdefault(obj.category_key, set()).add(kind)
    for key, found in kinds.items():
        if len(found) > 1:
            findings.add(VALIDATE_OBJECT_TYPES_PER_CATEGORY, f"category {key!r} is given to {', '.join(sorted(found))}")
    used = {obj.floor_name for obj in objects.values()}
    for name, display in floors:
        if name not in used:
            findings.add(VALIDATE_EMPTY_FLOOR, f"floor {display!r} has no bookable object")


def _bookable_kind(obj: ChartObject, objects: Mapping[str, ChartObject]) -> str | None:
    """What is booked: a table whole or its seats, never both; None for the one that is not."""
    if obj.object_type is ObjectType.TABLE:
        return str(ObjectType.TABLE) if obj.book_as_a_whole else None
    if obj.table_label is not None:
        table = objects.get(obj.table_label)
        if table is not None and table.book_as_a_whole:
            return None
    return str(obj.object_type)


def _check_width(problems: Problems, text: str | None, width: int, what: str, label: str | None) -> None:
    if text is not None and len(text) > width:
        problems.add(MALFORMED, f"{what} is longer than {width} characters", label)


def check_name(problems: Problems, name: str | None) -> None:
    _check_width(problems, name, MAX_NAME, "chart: 'name'", None)
