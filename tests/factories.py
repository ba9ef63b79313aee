"""Plain factory functions for tests: small charts, workspaces, events."""

from __future__ import annotations

from typing import Any

from boxoffice.domain.records import Event, Workspace
from boxoffice.services.charts import create_chart
from boxoffice.services.events import EventSpec, create_event
from boxoffice.services.workspaces import create_company
from boxoffice.storage.uow import Database


def seat(label: str, x: float, y: float, category: int | str = 1, **flags: Any) -> dict[str, Any]:
    return {"label": label, "x": x, "y": y, "categoryKey": category, **flags}


def small_drawing(rows: int = 3, seats_per_row: int = 10, *, ga_capacity: int = 10) -> dict[str, Any]:
    """Rows A.. of numbered seats (row A nearest the stage), a GA area "GA", table T1 (per seat) and T2
    (as a whole), categories 1 and 2 (row A is category 2)."""
    row_list = [
        {
            "label": chr(ord("A") + r),
            "seats": [seat(str(s + 1), 10.0 * s, 20.0 * (r + 1), 2 if r == 0 else 1) for s in range(seats_per_row)],
        }
        for r in range(rows)
    ]
    table = {
        "label": "T1",
        "bookAsAWhole": False,
        "center": {"x": 300, "y": 100},
        "seats": [seat(str(i + 1), 300 + i, 110, 1) for i in range(4)],
        "categoryKey": 1,
    }
    table2 = {
        "label": "T2",
        "bookAsAWhole": True,
        "center": {"x": 400, "y": 100},
        "seats": [seat(str(i + 1), 400 + i, 110, 1) for i in range(4)],
        "categoryKey": 1,
    }
    return {
        "name": "Small hall",
        "venueType": "ROWS_WITHOUT_SECTIONS",
        "categories": {
            "list": [
                {"key": 1, "label": "Stalls", "color": "#ff0000", "accessible": False},
                {"key": 2, "label": "Front", "color": "#00ff00", "accessible": False},
            ],
            "maxCategoryKey": 2,
        },
        "subChart": {
            "rows": row_list,
            "tables": [table, table2],
            "generalAdmissionAreas": [
                {"label": "GA", "capacity": ga_capacity, "categoryKey": 1, "center": {"x": 500, "y": 50}}
            ],
            "focalPoint": {"x": 45, "y": 0},
        },
    }


def make_workspace(db: Database) -> Workspace:
    return create_company(db, "Test venue", is_test=True).workspace


def make_event(
    db: Database,
    workspace: Workspace | None = None,
    drawing: dict[str, Any] | None = None,
    *,
    key: str | None = None,
    **spec: Any,
) -> tuple[Workspace, Event]:
    workspace = workspace or make_workspace(db)
    chart = create_chart(db, workspace, drawing or small_drawing())
    event = create_event(db, workspace, EventSpec(chart_key=chart.key, key=key, **spec))
    return workspace, event
