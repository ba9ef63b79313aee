"""Chart validation by the company's levels, through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from boxoffice.domain.accounts import Validation
from boxoffice.domain.errors import DrawingInvalid
from boxoffice.services import accounts, charts
from boxoffice.services.events import EventSpec, create_event, create_events
from boxoffice.storage.uow import Database
from tests.factories import make_workspace, small_drawing


def _flawed() -> dict[str, Any]:
    """The small hall (which has a focal point) with a second seat labelled A-1 and a seat without a category."""
    drawing = small_drawing()
    seats = drawing["subChart"]["rows"][0]["seats"]
    seats.append({**seats[0], "x": 500.0})
    seats[1] = {k: v for k, v in seats[1].items() if k != "categoryKey"}
    return drawing


def test_findings_are_reported_by_level(db: Database) -> None:
    ws = make_workspace(db)
    chart = charts.create_chart(db, ws, _flawed())
    assert charts.validate_published(db, ws, chart.key) == Validation()
    accounts.update_setting(db, ws.company_id, "VALIDATE_DUPLICATE_LABELS", "ERROR")
    accounts.update_setting(db, ws.company_id, "VALIDATE_OBJECTS_WITHOUT_CATEGORIES", "WARNING")
    accounts.update_setting(db, ws.company_id, "VALIDATE_FOCAL_POINT", "ERROR")  # the chart has one
    assert charts.validate_published(db, ws, chart.key) == Validation(
        errors=("VALIDATE_DUPLICATE_LABELS",), warnings=("VALIDATE_OBJECTS_WITHOUT_CATEGORIES",)
    )
    found = charts.published_findings(db, ws, chart.key)
    assert {(f.code, f.label, level.value) for f, level in found} == {
        ("VALIDATE_DUPLICATE_LABELS", "A-1", "ERROR"),
        ("VALIDATE_OBJECTS_WITHOUT_CATEGORIES", "A-2", "WARNING"),
        ("VALIDATE_OBJECT_TYPES_PER_CATEGORY", None, "OFF"),  # seats, a table and a GA area share category 1
    }


def test_an_error_refuses_every_event_of_the_call_and_keeps_none(db: Database) -> None:
    ws = make_workspace(db)
    good = charts.create_chart(db, ws, small_drawing())
    flawed = charts.create_chart(db, ws, _flawed())
    accounts.update_setting(db, ws.company_id, "VALIDATE_DUPLICATE_LABELS", "ERROR")
    with pytest.raises(DrawingInvalid) as caught:
        create_events(db, ws, [EventSpec(chart_key=good.key, key="a"), EventSpec(chart_key=flawed.key, key="b")])
    assert caught.value.failed == ("VALIDATE_DUPLICATE_LABELS",) and caught.value.code == "DRAWING_VALIDATION_FAILED"
    with db.read() as uow:
        assert uow.events.by_key(ws.id, "a") is None and uow.events.by_key(ws.id, "b") is None
    accounts.update_setting(db, ws.company_id, "VALIDATE_DUPLICATE_LABELS", "WARNING")
    event = create_event(db, ws, EventSpec(chart_key=flawed.key))
    with db.read() as uow:
        rows = uow.objects.get(event.id, ["A-1", "A-2"])
    assert set(rows) == {"A-1", "A-2"} and rows["A-2"].category_key is None


def test_a_draft_with_errors_is_not_published(db: Database) -> None:
    ws = make_workspace(db)
    chart = charts.create_chart(db, ws, small_drawing())
    create_event(db, ws, EventSpec(chart_key=chart.key))
    charts.save_draft(db, ws, chart.key, _flawed())
    accounts.update_setting(db, ws.company_id, "VALIDATE_OBJECTS_WITHOUT_CATEGORIES", "ERROR")
    assert charts.validate_draft(db, ws, chart.key).errors == ("VALIDATE_OBJECTS_WITHOUT_CATEGORIES",)
    assert charts.validate_published(db, ws, chart.key).errors == ()
    with pytest.raises(DrawingInvalid) as caught:
        charts.publish_draft(db, ws, chart.key)
    assert caught.value.short == "Invalid draft drawing"
    assert charts.get_chart(db, ws, chart.key).has_draft
    accounts.update_setting(db, ws.company_id, "VALIDATE_OBJECTS_WITHOUT_CATEGORIES", "OFF")
    assert not charts.publish_draft(db, ws, chart.key).has_draft
