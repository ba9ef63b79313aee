"""The parsed, validated shape of a chart: every bookable object and where it sits.

A `Layout` is what the engine needs from a seats.io chart JSON file; `charts.parse_chart` builds it.
Labels follow seats.io: ``"A-1"`` (row A, seat 1), ``"Section A-B-3"`` (section, row, seat),
``"T1-2"`` (seat 2 at table T1), ``"T1"`` (a table), a booth's or GA area's own label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from boxoffice.domain.errors import ChartProblem


class ObjectType(StrEnum):
    SEAT = "seat"
    TABLE = "table"
    BOOTH = "booth"
    GENERAL_ADMISSION = "generalAdmission"


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Category:
    key: str  # always the string form; `raw_key` keeps the JSON type (seats.io allows int or str)
    label: str
    color: str = ""
    accessible: bool = False
    raw_key: int | str = ""


@dataclass(frozen=True, slots=True)
class Zone:
    key: str
    label: str
    focal_point: Point | None = None


@dataclass(frozen=True, slots=True)
class ChartObject:
    label: str
    object_type: ObjectType
    own_label: str
    parent_label: str | None = None  # the row or table label, as drawn
    parent_type: str | None = None  # "row" | "table" | None
    section: str | None = None
    category_key: str | None = None
    category_label: str | None = None
    x: float = 0.0
    y: float = 0.0
    zone: str | None = None
    floor_name: str | None = None
    floor_display_name: str | None = None
    entrance: str | None = None
    accessible: bool = False
    companion_seat: bool = False
    restricted_view: bool = False
    semi_ambulatory: bool = False
    left_neighbour: str | None = None
    right_neighbour: str | None = None
    capacity: int = 0  # GA areas only
    book_as_a_whole: bool = False  # tables and GA areas
    variable_occupancy: bool | None = None  # GA areas, as drawn (None: the drawing does not say)
    min_occupancy: int | None = None
    max_occupancy: int | None = None
    table_label: str | None = None  # seats at a table: the table's label
    row_key: str | None = None  # identifies the row (section + row) for best available
    index_in_row: int = 0  # position along the row, left to right, for adjacency
    uuid: str | None = None


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    venue_type: str
    categories: tuple[Category, ...]
    zones: tuple[Zone, ...]
    focal_point: Point | None
    objects: dict[str, ChartObject] = field(default_factory=dict)  # label -> object, in drawing order
    sections: tuple[str, ...] = ()
    floors: tuple[tuple[str, str], ...] = ()  # (floorName, floorDisplayName)
    findings: tuple[ChartProblem, ...] = ()  # what seats.io's chart validation checks (chart_validation.py)

    def category(self, key: str | None) -> Category | None:
        if key is None:
            return None
        for category in self.categories:
            if category.key == key:
                return category
        return None

    def zone(self, key: str | None) -> Zone | None:
        if key is None:
            return None
        for zone in self.zones:
            if zone.key == key:
                return zone
        return None

    def zones_by_section(self) -> dict[str | None, str | None] | None:
        """The zone of the seats and booths of each section (None: no section), when each section's lie in
        one zone (or none); None when some section spans zones."""
        found: dict[str | None, str | None] = {}
        for obj in self.objects.values():
            if obj.object_type not in (ObjectType.SEAT, ObjectType.BOOTH):
                continue
            zone = found.setdefault(obj.section, obj.zone)
            if zone != obj.zone:
                return None
        return found
