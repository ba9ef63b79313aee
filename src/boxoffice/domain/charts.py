"""Reading a seats.io chart drawing (its JSON, as a dict) into a validated `Layout`.

`parse_chart` is pure: no I/O. It reads every bookable object (seats in rows, tables and their
seats, booths, general admission areas), inside sections and on floors, and either returns a
complete `Layout` or raises `ChartInvalid` listing every problem found (see `chart_validation`).

Labels follow seats.io:

    seat in a row             "A-1"                 (row-seat)
    seat in a row, section    "Section A-A-1"       (section-row-seat)
    table                     "T1"                  ("Cabaret-T1" in section "Cabaret")
    seat at a table           "T1-1"                ("Cabaret-T1-1")
    booth, GA area            own label             ("Section A-B1" inside a section)

Inheritance: a seat's category is its own ``categoryKey``, else its row's or table's, else its
section's; a table without one takes its section's, else its first categorised seat's. ``entrance``
works the same way (own, then table, then section); ``zone`` is the object's own, else its section's.

Rows: seats are ordered along the row by their projection on the line from the first to the last
seat as drawn, oriented left to right (top to bottom for a vertical row); ties keep drawing order.
``index_in_row`` is that position and ``left_neighbour``/``right_neighbour`` the adjacent seats.
``row_key`` is the row's label prefix (``"A"``, ``"Section A-A"``); if a section draws two rows with
the same label (say, either side of an aisle) the second gets ``"#2"`` appended, and so on, so every
drawn row has its own key. Seats at tables have no neighbours and no ``row_key``; their
``index_in_row`` is their position around the table as drawn.

Coordinates are absolute: a section's ``topLeft`` is added to the positions inside it. Tables, booths
and GA areas are placed at their ``center`` (else ``x``/``y``, else the origin).

Order: ``Layout.objects`` keeps drawing order; within each (sub)chart that is rows, then tables (each
followed by its seats), booths, GA areas, then sections in turn. On a multi-floor chart
(``subChartFloors``) every object carries its floor; ``Layout.focal_point`` is the first floor's
focal point that is set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from boxoffice.domain.chart_validation import (
    MALFORMED,
    Reader,
    check_capacity,
    check_chart,
    check_label,
    check_name,
    check_objects,
)
from boxoffice.domain.errors import ChartInvalid, Problems
from boxoffice.domain.layout import Category, ChartObject, Layout, ObjectType, Point, Zone

__all__ = ["parse_chart", "row_order"]

_EPSILON = 1e-9


def parse_chart(drawing: dict[str, Any]) -> Layout:
    """Parse a seats.io chart drawing into a Layout; raise ChartInvalid with every problem found. What
    seats.io's chart validation would find is no problem: it is kept in ``Layout.findings``."""
    problems = Problems()
    try:
        layout = _Parser(problems).parse(drawing)
    except (LookupError, TypeError, ValueError, AttributeError) as exc:  # a safety net, never expected
        problems.add(MALFORMED, f"unexpected chart structure: {exc!r}")
        layout = None
    if problems.items or layout is None:
        raise ChartInvalid(problems.items)
    return layout


def row_order(points: list[Point]) -> list[int]:
    """Indexes of `points` (seats of one row, as drawn) sorted left to right along the row."""
    if len(points) < 2:
        return list(range(len(points)))
    dx = points[-1].x - points[0].x
    dy = points[-1].y - points[0].y
    if abs(dx) <= _EPSILON and abs(dy) <= _EPSILON:
        return list(range(len(points)))
    if dx < -_EPSILON or (abs(dx) <= _EPSILON and dy < 0):
        dx, dy = -dx, -dy
    return sorted(range(len(points)), key=lambda i: points[i].x * dx + points[i].y * dy)


@dataclass(frozen=True, slots=True)
class _Scope:
    """What objects inherit from where they are drawn: floor, section, offset."""

    floor_name: str | None = None
    floor_display_name: str | None = None
    section: str | None = None
    dx: float = 0.0
    dy: float = 0.0
    category: int | str | None = None
    zone: str | None = None
    entrance: str | None = None

    def full(self, label: str) -> str:
        return label if self.section is None else f"{self.section}-{label}"

    def where(self, what: str) -> str:
        return what if self.section is None else f"{what} in section {self.section!r}"


class _Parser:
    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.findings = Problems()
        self.read = Reader(problems)
        self.categories: dict[str, Category] = {}
        self.objects: list[ChartObject] = []
        self.sections: list[str] = []
        self.row_keys: set[str] = set()

    # -- the chart ---------------------------------------------------------------------------

    def parse(self, drawing: object) -> Layout | None:
        chart = self.read.mapping(drawing, "chart")
        if chart is None:
            return None
        self._categories(chart)
        zones = self._zones(chart)
        focal_point: Point | None = None
        floors: list[tuple[str, str]] = []
        if chart.get("subChartFloors") is not None:
            for index, floor in enumerate(self.read.items(chart, "subChartFloors", "chart")):
                where = f"floor {index + 1}"
                name = self.read.text(floor, "floorName", where)
                if name is None:
                    self.read.malformed(where, "has no 'floorName'")
                    name = str(index + 1)
                display = self.read.text(floor, "floorDisplayName", where) or name
                floors.append((name, display))
                focal_point = focal_point or self.read.optional_point(floor, "focalPoint", where)
                self._sub_chart(floor, _Scope(floor_name=name, floor_display_name=display), where)
            if not floors:
                self.read.malformed("chart", "'subChartFloors' holds no floors")
        elif "subChart" in chart:
            sub_chart = self.read.mapping(chart["subChart"], "subChart")
            if sub_chart is not None:
                focal_point = self.read.optional_point(sub_chart, "focalPoint", "subChart")
                self._sub_chart(sub_chart, _Scope(), "subChart")
        else:
            self.read.malformed("chart", "has neither 'subChart' nor 'subChartFloors'")

        check_objects(self.problems, self.findings, self.objects, self.categories)
        name = self.read.text(chart, "name", "chart") or ""
        check_name(self.problems, name)
        objects: dict[str, ChartObject] = {}
        for obj in self.objects:  # the first drawn of a label is the one booked; one with no label, none
            if obj.label.strip():
                objects.setdefault(obj.label, obj)
        check_chart(self.findings, objects, focal_point, floors)
        return Layout(
            name=name,
            venue_type=self.read.text(chart, "venueType", "chart") or "",
            categories=tuple(self.categories.values()),
            zones=zones,
            focal_point=focal_point,
            objects=objects,
            sections=tuple(self.sections),
            floors=tuple(floors),
            findings=tuple(self.findings.items),
        )

    def _categories(self, chart: Mapping[str, Any]) -> None:
        if chart.get("categories") is None:
            return
        categories = self.read.mapping(chart["categories"], "categories")
        if categories is None:
            return
        for index, item in enumerate(self.read.items(categories, "list", "categories")):
            where = f"category {index + 1}"
            raw_key = self.read.category_key(item, where, "key")
            if raw_key is None:
                self.read.malformed(where, "has no key")
                continue
            key = str(raw_key)
            if key in self.categories:
                self.read.malformed(where, f"key {raw_key!r} is used by more than one category")
                continue
            self.categories[key] = Category(
                key=key,
                label=self.read.label(item, where, required=False),
                color=self.read.text(item, "color", where) or "",
                accessible=self.read.flag(item, "accessible", where),
                raw_key=raw_key,
            )

    def _zones(self, chart: Mapping[str, Any]) -> tuple[Zone, ...]:
        if chart.get("zones") is None:
            return ()
        zones = self.read.mapping(chart["zones"], "zones")
        if zones is None:
            return ()
        result: list[Zone] = []
        for index, item in enumerate(self.read.items(zones, "list", "zones")):
            where = f"zone {index + 1}"
            key = self.read.text(item, "key", where)
            if key is None:
                self.read.malformed(where, "has no key")
                continue
            label = self.read.label(item, where, required=False) or key
            result.append(Zone(key, label, self.read.optional_point(item, "focalPoint", where)))
        return tuple(result)

    # -- drawn things ------------------------------------------------------------------------

    def _sub_chart(self, sub_chart: Mapping[str, Any], scope: _Scope, where: str) -> None:
        for row in self.read.items(sub_chart, "rows", where):
            self._row(row, scope)
        for table in self.read.items(sub_chart, "tables", where):
            self._table(table, scope)
        for booth in self.read.items(sub_chart, "booths", where):
            self._area(booth, scope, ObjectType.BOOTH)
        for area in self.read.items(sub_chart, "generalAdmissionAreas", where):
            self._area(area, scope, ObjectType.GENERAL_ADMISSION)
        sections = self.read.items(sub_chart, "sections", where)
        if sections and scope.section is not None:
            self.read.malformed(scope.where("subChart"), "sections cannot be nested")
            return
        for section in sections:
            self._section(section, scope)

    def _section(self, section: Mapping[str, Any], scope: _Scope) -> None:
        label = self.read.label(section, scope.where("section"))
        where = f"section {label!r}"
        check_label(self.findings, label, "section")
        self.sections.append(label)
        top_left = self.read.optional_point(section, "topLeft", where) or Point(0.0, 0.0)
        inner = _Scope(
            floor_name=scope.floor_name,
            floor_display_name=scope.floor_display_name,
            section=label,
            dx=scope.dx + top_left.x,
            dy=scope.dy + top_left.y,
            category=self.read.category_key(section, where),
            zone=self.read.text(section, "zone", where),
            entrance=self.read.text(section, "entrance", where),
        )
        sub_chart = self.read.mapping(section.get("subChart"), f"{where} subChart")
        if sub_chart is not None:
            self._sub_chart(sub_chart, inner, where)

    def _row(self, row: Mapping[str, Any], scope: _Scope) -> None:
        row_label = self.read.label(row, scope.where("row"))
        where = scope.where(f"row {row_label!r}")
        check_label(self.findings, row_label, scope.where("row"))
        row_category = self.read.category_key(row, where)
        seats = self.read.items(row, "seats", where)
        points = [self.read.xy(seat, f"{where} seat {n + 1}") or Point(0.0, 0.0) for n, seat in enumerate(seats)]
        order = row_order(points)
        position = {drawn: index for index, drawn in enumerate(order)}
        labels = [self.read.label(seat, f"{where} seat {n + 1}") for n, seat in enumerate(seats)]
        prefix = scope.full(row_label)
        row_key, copy = prefix, 1
        while row_key in self.row_keys:
            copy += 1
            row_key = f"{prefix}#{copy}"
        self.row_keys.add(row_key)
        for drawn, (seat, seat_label, point) in enumerate(zip(seats, labels, points, strict=True)):
            index = position[drawn]
            check_label(self.findings, seat_label, f"seat in {where}", f"{prefix}-{seat_label}")
            left = f"{prefix}-{labels[order[index - 1]]}" if index > 0 else None
            right = f"{prefix}-{labels[order[index + 1]]}" if index + 1 < len(order) else None
            self._add(
                seat,
                scope,
                ObjectType.SEAT,
                label=f"{prefix}-{seat_label}",
                own_label=seat_label,
                point=point,
                categories=(row_category,),
                parent=(row_label, "row"),
                left_neighbour=left,
                right_neighbour=right,
                row_key=row_key,
                index_in_row=index,
            )

    def _table(self, table: Mapping[str, Any], scope: _Scope) -> None:
        table_label = self.read.label(table, scope.where("table"))
        full = scope.full(table_label)
        where = scope.where(f"table {table_label!r}")
        check_label(self.findings, table_label, scope.where("table"))
        own_category = self.read.category_key(table, where)
        own_entrance = self.read.text(table, "entrance", where)
        seats = self.read.items(table, "seats", where)
        seat_categories = [self.read.category_key(seat, f"{where} seat {n + 1}") for n, seat in enumerate(seats)]
        first_seat_category = next((key for key in seat_categories if key is not None), None)
        self._add(
            table,
            scope,
            ObjectType.TABLE,
            label=full,
            own_label=table_label,
            point=self._position(table, where),
            categories=(own_category, scope.category, first_seat_category),
            book_as_a_whole=self.read.flag(table, "bookAsAWhole", where),
        )
        for index, seat in enumerate(seats):
            seat_where = f"{where} seat {index + 1}"
            seat_label = self.read.label(seat, seat_where)
            check_label(self.findings, seat_label, f"seat at {where}", f"{full}-{seat_label}")
            self._add(
                seat,
                scope,
                ObjectType.SEAT,
                label=f"{full}-{seat_label}",
                own_label=seat_label,
                point=self.read.xy(seat, seat_where) or Point(0.0, 0.0),
                categories=(own_category,),
                parent=(table_label, "table"),
                table_label=full,
                index_in_row=index,
                entrance=own_entrance,
            )

    def _area(self, area: Mapping[str, Any], scope: _Scope, object_type: ObjectType) -> None:
        kind = "booth" if object_type is ObjectType.BOOTH else "general admission area"
        label = self.read.label(area, scope.where(kind))
        where = scope.where(f"{kind} {label!r}")
        check_label(self.findings, label, scope.where(kind))
        is_ga = object_type is ObjectType.GENERAL_ADMISSION
        capacity = check_capacity(self.problems, area.get("capacity"), scope.full(label)) if is_ga else 0
        self._add(
            area,
            scope,
            object_type,
            label=scope.full(label),
            own_label=label,
            point=self._position(area, where),
            capacity=capacity,
            book_as_a_whole=self.read.flag(area, "bookAsAWhole", where) if is_ga else False,
            **(self._occupancy(area, capacity) if is_ga else {}),
        )

    @staticmethod
    def _occupancy(area: Mapping[str, Any], capacity: int) -> dict[str, Any]:
        """A GA area's variable occupancy, as drawn. Shown with the area, it changes no rule here, so a value
        of the wrong type is left out rather than made a problem (a stored chart must keep parsing). A
        variable area drawn without a maximum has its capacity as the maximum, as seats.io reports it."""
        variable, low, high = (area.get(k) for k in ("variableOccupancy", "minOccupancy", "maxOccupancy"))
        if variable is True and not _whole(high) and capacity:
            high = capacity
        return {
            "variable_occupancy": variable if isinstance(variable, bool) else None,
            "min_occupancy": low if _whole(low) else None,
            "max_occupancy": high if _whole(high) else None,
        }

    def _position(self, obj: Mapping[str, Any], where: str) -> Point:
        if "center" in obj:
            return self.read.optional_point(obj, "center", where) or Point(0.0, 0.0)
        if "x" in obj or "y" in obj:
            return self.read.xy(obj, where) or Point(0.0, 0.0)
        return Point(0.0, 0.0)

    def _add(
        self,
        raw: Mapping[str, Any],
        scope: _Scope,
        object_type: ObjectType,
        *,
        label: str,
        own_label: str,
        point: Point,
        categories: tuple[int | str | None, ...] = (),
        parent: tuple[str, str] | None = None,
        entrance: str | None = None,
        **extra: Any,
    ) -> None:
        """Build one object: resolve its category, zone and entrance through the scope, then keep it."""
        where = scope.where(f"{object_type} {label!r}")
        own_category = self.read.category_key(raw, where)
        raw_key = next((k for k in (own_category, *categories, scope.category) if k is not None), None)
        key = None if raw_key is None else str(raw_key)
        category = self.categories.get(key) if key is not None else None
        self.objects.append(
            ChartObject(
                label=label,
                object_type=object_type,
                own_label=own_label,
                parent_label=parent[0] if parent else None,
                parent_type=parent[1] if parent else None,
                section=scope.section,
                category_key=key,
                category_label=category.label if category else None,
                x=point.x + scope.dx,
                y=point.y + scope.dy,
                zone=self.read.text(raw, "zone", where) or scope.zone,
                floor_name=scope.floor_name,
                floor_display_name=scope.floor_display_name,
                entrance=self.read.text(raw, "entrance", where) or entrance or scope.entrance,
                accessible=self.read.flag(raw, "accessible", where),
                companion_seat=self.read.flag(raw, "companionSeat", where),
                restricted_view=self.read.flag(raw, "restrictedView", where),
                semi_ambulatory=self.read.flag(raw, "semiAmbulatorySeat", where),
                uuid=self.read.text(raw, "uuid", where),
                **extra,
            )
        )


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
