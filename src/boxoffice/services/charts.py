"""Charts: import (validated, all or nothing), retrieve, drafts and publishing."""

from __future__ import annotations

import uuid
from typing import Any

from boxoffice.domain.accounts import Validation, ValidationLevel
from boxoffice.domain.charts import parse_chart
from boxoffice.domain.errors import AlreadyExists, ChartNotFound, ChartProblem, InvalidInput, NotFound
from boxoffice.domain.event_log import CHART_CREATED, CHART_PUBLISHED
from boxoffice.domain.layout import Layout
from boxoffice.domain.records import Chart, Event, Workspace
from boxoffice.services.chart_validation import check_for_publishing, findings_with_levels, validation_of
from boxoffice.services.clock import utcnow
from boxoffice.services.event_log import record
from boxoffice.services.events import add_new_objects_to_events
from boxoffice.storage.uow import Database, UnitOfWork

EMPTY_DRAWING: dict[str, Any] = {
    "name": "Untitled chart",
    "venueType": "SIMPLE",
    "categories": {"list": [], "maxCategoryKey": 0},
    "subChart": {"rows": [], "tables": [], "booths": [], "generalAdmissionAreas": [], "sections": []},
}


MAX_CHART_KEY = 128  # charts.key is VARCHAR(128)


def create_chart(
    db: Database,
    workspace: Workspace,
    drawing: dict[str, Any] | None = None,
    *,
    name: str | None = None,
    key: str | None = None,
    venue_type: str | None = None,
    categories: list[dict[str, Any]] | None = None,
) -> Chart:
    """Validate and store a chart as published. A broken drawing raises ChartInvalid; nothing is kept."""
    drawing = dict(drawing) if drawing is not None else {**EMPTY_DRAWING}
    if name is not None:
        drawing["name"] = name
    if venue_type is not None:
        drawing["venueType"] = venue_type
    if categories is not None:
        drawing["categories"] = {"list": categories, "maxCategoryKey": 0}
    if key is not None and not 1 <= len(key) <= MAX_CHART_KEY:
        raise InvalidInput(f"A chart key is 1 to {MAX_CHART_KEY} characters")
    parse_chart(drawing)  # raises ChartInvalid with every problem
    chart_name = drawing.get("name") or "Untitled chart"
    if not isinstance(chart_name, str):
        raise InvalidInput("Chart name must be a string")
    with db.write() as uow:
        chart_key = key or str(uuid.uuid4())
        if uow.charts.exists(workspace.id, chart_key):
            raise AlreadyExists(f"A chart with key {chart_key} already exists")
        chart = uow.charts.add(workspace_id=workspace.id, key=chart_key, name=chart_name, drawing=drawing, now=utcnow())
        record(uow, workspace.id, CHART_CREATED, chart_key)
        uow.commit()
    return chart


def require_chart(uow: UnitOfWork, workspace: Workspace, key: str) -> Chart:
    chart = uow.charts.by_key(workspace.id, key)
    if chart is None:
        raise ChartNotFound.in_workspace(key, workspace.key)
    return chart


def get_chart(db: Database, workspace: Workspace, key: str) -> Chart:
    with db.read() as uow:
        return require_chart(uow, workspace, key)


def list_charts(db: Database, workspace: Workspace) -> list[Chart]:
    with db.read() as uow:
        return uow.charts.list(workspace.id)


def published_drawing(db: Database, workspace: Workspace, key: str) -> dict[str, Any]:
    with db.read() as uow:
        chart = require_chart(uow, workspace, key)
        return uow.charts.published_drawing(chart.id)


def save_draft(db: Database, workspace: Workspace, key: str, drawing: dict[str, Any]) -> None:
    parse_chart(drawing)
    with db.write() as uow:
        chart = require_chart(uow, workspace, key)
        uow.charts.set_draft(chart.id, drawing)
        uow.commit()


def publish_draft(db: Database, workspace: Workspace, key: str) -> Chart:
    """The draft becomes the published version; events on the chart gain any new objects. A draft that
    validates with errors (services/chart_validation.py) is refused."""
    with db.write() as uow:
        chart = require_chart(uow, workspace, key)
        draft = uow.charts.draft_drawing(chart.id)
        if draft is None:
            raise InvalidInput("The chart has no draft to publish")
        layout = parse_chart(draft)
        check_for_publishing(uow, workspace, chart.key, layout)
        uow.charts.publish(chart.id, draft, layout.name or chart.name)
        add_new_objects_to_events(uow, chart.id, layout)
        record(uow, workspace.id, CHART_PUBLISHED, chart.key)
        uow.commit()
        updated = uow.charts.by_id(chart.id)
    assert updated is not None
    return updated


def update_chart(
    db: Database,
    workspace: Workspace,
    key: str,
    *,
    name: str | None = None,
    categories: list[dict[str, Any]] | None = None,
) -> Chart:
    """Rename or re-categorise. A chart no event uses changes at once; once a chart has events, the change
    goes to its draft (started from the published version), which waits for `publish_draft` (seats.io)."""
    with db.write() as uow:
        chart = require_chart(uow, workspace, key)
        drawing = dict(uow.charts.draft_drawing(chart.id) or uow.charts.published_drawing(chart.id))
        if name is not None:
            drawing["name"] = name
        if categories is not None:
            drawing["categories"] = {"list": categories, "maxCategoryKey": 0}
        layout = parse_chart(drawing)
        if uow.events.chart_in_use(chart.id):
            uow.charts.set_draft(chart.id, drawing)
        else:
            uow.charts.publish(chart.id, drawing, layout.name or chart.name)
            record(uow, workspace.id, CHART_PUBLISHED, chart.key)
        uow.commit()
        updated = uow.charts.by_id(chart.id)
    assert updated is not None
    return updated


def discard_draft(db: Database, workspace: Workspace, key: str) -> None:
    """Forget the draft; the published version stays as it is."""
    with db.write() as uow:
        chart = require_chart(uow, workspace, key)
        if not chart.has_draft:
            raise InvalidInput("The chart has no draft to discard")
        uow.charts.set_draft(chart.id, None)
        uow.commit()


def editable_layout(db: Database, workspace: Workspace, key: str) -> Layout:
    """What an edit starts from: the draft if there is one, else the published version."""
    with db.read() as uow:
        chart = require_chart(uow, workspace, key)
        drawing = uow.charts.draft_drawing(chart.id)
    return parse_chart(drawing) if drawing is not None else chart_layout(db, chart)


def require_draft(uow: UnitOfWork, chart: Chart) -> dict[str, Any]:
    drawing = uow.charts.draft_drawing(chart.id)
    if drawing is None:
        raise NotFound(f"Chart {chart.key} has no draft version")
    return drawing


def draft_drawing(db: Database, workspace: Workspace, key: str) -> dict[str, Any]:
    with db.read() as uow:
        return require_draft(uow, require_chart(uow, workspace, key))


def events_of_charts(db: Database, charts: list[Chart]) -> dict[int, list[Event]]:
    """Each chart's events, newest first."""
    with db.read() as uow:
        return {c.id: sorted(uow.events.for_chart(c.id), key=lambda e: -e.id) for c in charts}


def set_tags(
    db: Database, workspace: Workspace, key: str, *, add: str | None = None, remove: str | None = None
) -> None:
    with db.write() as uow:
        chart = require_chart(uow, workspace, key)
        tags = [t for t in chart.tags if t != remove]
        if add is not None and add not in tags:
            tags.append(add)
        uow.charts.update_meta(chart.id, tags=tags)
        uow.commit()


def chart_layout(db: Database, chart: Chart) -> Layout:
    """The parsed published version of a chart (cached)."""
    from boxoffice.services.layouts import layout_for_chart

    with db.read() as uow:
        return layout_for_chart(uow, chart.id, chart.published_version, created_at=chart.created_at)


def validate_published(db: Database, workspace: Workspace, key: str) -> Validation:
    """What seats.io's chart validation reports for the published version, by the company's levels."""
    with db.read() as uow:
        chart = require_chart(uow, workspace, key)
        layout = _published_layout(uow, chart)
        return validation_of(uow, workspace, layout)


def validate_draft(db: Database, workspace: Workspace, key: str) -> Validation:
    """The same for the draft; NotFound without one."""
    with db.read() as uow:
        drawing = require_draft(uow, require_chart(uow, workspace, key))
        return validation_of(uow, workspace, parse_chart(drawing))


def published_findings(db: Database, workspace: Workspace, key: str) -> list[tuple[ChartProblem, ValidationLevel]]:
    """What chart validation finds in the published version, each with its check's level for the company."""
    with db.read() as uow:
        return findings_with_levels(uow, workspace, _published_layout(uow, require_chart(uow, workspace, key)))


def validations_of_charts(db: Database, workspace: Workspace, charts: list[Chart]) -> dict[int, Validation]:
    """Each chart's published version validated (a chart list's ``expand=validation``)."""
    with db.read() as uow:
        return {c.id: validation_of(uow, workspace, _published_layout(uow, c)) for c in charts}


def _published_layout(uow: UnitOfWork, chart: Chart) -> Layout:
    from boxoffice.services.layouts import layout_for_chart

    return layout_for_chart(uow, chart.id, chart.published_version, created_at=chart.created_at)
