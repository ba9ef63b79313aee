"""Generated seats.io-format charts (drawings) for demos, tests and benchmarks.

Both functions are deterministic: the same arguments give the same dict, uuids included.

* `theatre_chart` draws a small theatre (about 3,300 seats by default): three stalls sections, a
  balcony, a cabaret section of round tables, a standing GA area, two boxes (booths), a stage
  focal point and two zones.
* `big_chart` draws a plain, large rows-with-sections venue plus a 5,000-place GA floor.
"""

from __future__ import annotations

import math
from itertools import count
from typing import Any

__all__ = ["big_chart", "row_letters", "theatre_chart"]

SEAT_SPACING = 20.0
ROW_SPACING = 24.0
AISLE = 60.0


def row_letters(index: int) -> str:
    """Row label for a 0-based index, spreadsheet style: A..Z, AA, AB, ..."""
    if index < 0:
        raise ValueError("row index must be >= 0")
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


class _Uuids:
    def __init__(self) -> None:
        self._counter = count(1)

    def __call__(self) -> str:
        return f"uuid{next(self._counter)}"


def _point(x: float, y: float) -> dict[str, float]:
    return {"x": round(x, 2), "y": round(y, 2)}


def _sub_chart(**content: list[dict[str, Any]]) -> dict[str, Any]:
    sub_chart: dict[str, Any] = {
        "rows": [],
        "tables": [],
        "booths": [],
        "generalAdmissionAreas": [],
        "sections": [],
        "texts": [],
        "shapes": [],
    }
    sub_chart.update(content)
    return sub_chart


def _seat(uuid: _Uuids, label: str, x: float, y: float, **flags: Any) -> dict[str, Any]:
    seat: dict[str, Any] = {"label": label, **_point(x, y), "categoryKey": None, "uuid": uuid()}
    seat.update(flags)
    return seat


def _rows(
    uuid: _Uuids, rows: int, seats_per_row: int, *, first_row: int = 0
) -> tuple[list[dict[str, Any]], float, float]:
    """Straight rows lettered from `first_row`, seats numbered 1.. left to right; also width, height."""
    drawn = []
    for r in range(rows):
        y = ROW_SPACING * (r + 1)
        seats = [_seat(uuid, str(s + 1), SEAT_SPACING * (s + 1), y) for s in range(seats_per_row)]
        drawn.append({"label": row_letters(first_row + r), "objectType": "row", "curve": 0, "seats": seats})
    return drawn, SEAT_SPACING * (seats_per_row + 1), ROW_SPACING * (rows + 1)


def _section(
    uuid: _Uuids,
    label: str,
    top_left: tuple[float, float],
    size: tuple[float, float],
    sub_chart: dict[str, Any],
    **extra: Any,
) -> dict[str, Any]:
    (x, y), (width, height) = top_left, size
    section: dict[str, Any] = {
        "label": label,
        "uuid": uuid(),
        "categoryKey": None,
        "entrance": None,
        "topLeft": _point(x, y),
        "points": [_point(0, 0), _point(width, 0), _point(width, height), _point(0, height)],
        "subChart": sub_chart | {"width": width, "height": height},
    }
    section.update(extra)
    return section


def _table(uuid: _Uuids, label: str, cx: float, cy: float, seats: int, whole: bool) -> dict[str, Any]:
    radius = 40.0
    seat_list = [
        _seat(
            uuid,
            str(n + 1),
            cx + radius * math.sin(2 * math.pi * n / seats),
            cy + radius * math.cos(2 * math.pi * n / seats),
        )
        for n in range(seats)
    ]
    return {
        "label": label,
        "uuid": uuid(),
        "objectType": "table",
        "type": "round",
        "center": _point(cx, cy),
        "radius": 25,
        "bookAsAWhole": whole,
        "seats": seat_list,
    }


def theatre_chart(
    *,
    stalls_rows: int = 25,
    seats_per_row: int = 40,
    balcony_rows: int = 20,
    balcony_seats_per_row: int = 60,
    premium_rows: int = 5,
    cabaret_tables: int = 10,
    seats_per_table: int = 6,
    standing_capacity: int = 500,
    name: str = "Demo Theatre",
) -> dict[str, Any]:
    """A theatre: Stalls Left/Centre/Right, Balcony, Cabaret tables, Standing GA, two boxes.

    ``seats_per_row`` is the width of Stalls Centre; the side blocks are half as wide. The front
    ``premium_rows`` of Stalls Centre are "Stalls Premium" (set on the seats; every other seat
    inherits its section's category). The ends of each stalls section's back row are accessible, with
    one companion seat beside them in Stalls Centre; the outer two seats of the balcony's front two
    rows have a restricted view. Odd-numbered cabaret tables are booked as a whole.
    """
    if min(stalls_rows, seats_per_row, balcony_rows, balcony_seats_per_row, seats_per_table) < 2:
        raise ValueError("rows and seats per row must be at least 2")
    uuid = _Uuids()
    side = max(seats_per_row // 2, 2)
    stage_y = 0.0
    stalls_y = 140.0
    stalls: list[dict[str, Any]] = []
    x = 0.0
    for label, width, entrance in (
        ("Stalls Left", side, "Stalls Door Left"),
        ("Stalls Centre", seats_per_row, "Stalls Door Centre"),
        ("Stalls Right", side, "Stalls Door Right"),
    ):
        rows, w, h = _rows(uuid, stalls_rows, width)
        back = rows[-1]["seats"]
        back[0]["accessible"] = back[-1]["accessible"] = True
        if label == "Stalls Centre":
            back[1]["companionSeat"] = True
            for row in rows[:premium_rows]:
                for seat in row["seats"]:
                    seat["categoryKey"] = 1
        stalls.append(
            _section(
                uuid,
                label,
                (x, stalls_y),
                (w, h),
                _sub_chart(rows=rows),
                categoryKey=2,
                entrance=entrance,
                zone="front",
            )
        )
        x += w + AISLE
    venue_width = x - AISLE
    stalls_height = ROW_SPACING * (stalls_rows + 1)

    cabaret_y = stalls_y + stalls_height + AISLE
    per_line = 5
    tables = [
        _table(
            uuid,
            f"T{n + 1}",
            60 + 130 * (n % per_line),
            60 + 130 * (n // per_line),
            seats_per_table,
            whole=n % 2 == 0,
        )
        for n in range(cabaret_tables)
    ]
    cabaret_size = (130.0 * per_line, 130.0 * max(1, math.ceil(cabaret_tables / per_line)))
    cabaret = _section(
        uuid,
        "Cabaret",
        ((venue_width - cabaret_size[0]) / 2, cabaret_y),
        cabaret_size,
        _sub_chart(tables=tables),
        categoryKey=4,
        entrance="Cabaret Door",
        zone="front",
    )

    balcony_y = cabaret_y + cabaret_size[1] + AISLE
    balcony_rows_drawn, bw, bh = _rows(uuid, balcony_rows, balcony_seats_per_row)
    for row in balcony_rows_drawn[:2]:
        for seat in (*row["seats"][:2], *row["seats"][-2:]):
            seat["restrictedView"] = True
    balcony = _section(
        uuid,
        "Balcony",
        ((venue_width - bw) / 2, balcony_y),
        (bw, bh),
        _sub_chart(rows=balcony_rows_drawn),
        categoryKey=3,
        entrance="Balcony Stairs",
        zone="back",
    )

    stage = _point(venue_width / 2, stage_y + 50)
    standing = {
        "label": "Standing",
        "uuid": uuid(),
        "objectType": "generalAdmission",
        "type": "rectangle",
        "center": _point(venue_width + 200, stalls_y + stalls_height / 2),
        "capacity": standing_capacity,
        "categoryKey": "standing",
        "bookAsAWhole": False,
        "entrance": "Side Door",
    }
    booths = [
        {
            "label": label,
            "uuid": uuid(),
            "objectType": "booth",
            "center": _point(bx, stage_y + 60),
            "categoryKey": 1,
        }
        for label, bx in (("Box A", -80.0), ("Box B", venue_width + 80))
    ]
    return {
        "name": name,
        "venueType": "ROWS_WITH_SECTIONS",
        "version": 22,
        "categories": {
            "list": [
                {"key": 1, "label": "Stalls Premium", "color": "#C0392B", "accessible": False},
                {"key": 2, "label": "Stalls", "color": "#2980B9", "accessible": False},
                {"key": 3, "label": "Balcony", "color": "#27AE60", "accessible": False},
                {"key": 4, "label": "Tables", "color": "#8E44AD", "accessible": False},
                {"key": "standing", "label": "Standing", "color": "#F39C12", "accessible": False},
            ],
            "maxCategoryKey": 4,
        },
        "zones": {
            "list": [
                {"key": "front", "label": "Front", "focalPoint": stage},
                {"key": "back", "label": "Back", "focalPoint": _point(venue_width / 2, balcony_y - AISLE)},
            ]
        },
        "subChart": _sub_chart(sections=[*stalls, cabaret, balcony], booths=booths, generalAdmissionAreas=[standing])
        | {"focalPoint": stage, "width": venue_width + 400, "height": balcony_y + bh},
    }


def big_chart(seats: int = 100_000, sections: int = 20) -> dict[str, Any]:
    """A large rows-with-sections chart: exactly `seats` seats in `sections` sections, plus "GA-Floor".

    Sections are "S1".."S<n>", rows of up to 50 seats lettered A.., seats numbered 1.., categories
    1-3 by section; "GA-Floor" (capacity 5,000, category 4) sits at top level.
    """
    if seats < 0 or sections < 1:
        raise ValueError("need seats >= 0 and sections >= 1")
    uuid = _Uuids()
    row_width = 50
    per_line = 5
    drawn: list[dict[str, Any]] = []
    base, extra = divmod(seats, sections)
    for n in range(sections):
        in_section = base + (1 if n < extra else 0)
        rows: list[dict[str, Any]] = []
        for r, start in enumerate(range(0, in_section, row_width)):
            y = ROW_SPACING * (r + 1)
            rows.append(
                {
                    "label": row_letters(r),
                    "objectType": "row",
                    "seats": [
                        {"label": str(s + 1), "x": SEAT_SPACING * (s + 1), "y": y, "uuid": uuid()}
                        for s in range(min(row_width, in_section - start))
                    ],
                }
            )
        width, height = SEAT_SPACING * (row_width + 1), ROW_SPACING * (len(rows) + 1)
        top_left = ((width + AISLE) * (n % per_line), 200 + (height + AISLE) * (n // per_line))
        drawn.append(
            _section(uuid, f"S{n + 1}", top_left, (width, height), _sub_chart(rows=rows), categoryKey=n % 3 + 1)
        )
    floor = {
        "label": "GA-Floor",
        "uuid": uuid(),
        "objectType": "generalAdmission",
        "center": _point(-400, 100),
        "capacity": 5_000,
        "categoryKey": 4,
        "bookAsAWhole": False,
    }
    return {
        "name": f"Big chart ({seats} seats)",
        "venueType": "ROWS_WITH_SECTIONS",
        "categories": {
            "list": [
                {"key": 1, "label": "Gold", "color": "#D4AF37", "accessible": False},
                {"key": 2, "label": "Silver", "color": "#C0C0C0", "accessible": False},
                {"key": 3, "label": "Bronze", "color": "#CD7F32", "accessible": False},
                {"key": 4, "label": "Floor", "color": "#888888", "accessible": False},
            ],
            "maxCategoryKey": 4,
        },
        "subChart": _sub_chart(sections=drawn, generalAdmissionAreas=[floor]) | {"focalPoint": _point(0, 0)},
    }
