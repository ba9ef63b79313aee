"""Chart copies and the chart archive.

A copy is a new chart, not used by any event, whose published version is the source's published (or
draft) version. Within a workspace it is named "<name> (copy)" and keeps the tags; copied to another
workspace of the same company it keeps the name and leaves the tags behind (seats.io). An event can move
to a new copy of its chart, so that the chart can change for that event alone."""

from __future__ import annotations

import uuid
from typing import Any

from boxoffice.domain.charts import parse_chart
from boxoffice.domain.event_log import CHART_CREATED
from boxoffice.domain.records import Chart, Event, Workspace
from boxoffice.services.charts import require_chart, require_draft
from boxoffice.services.clock import utcnow
from boxoffice.services.event_log import record
from boxoffice.services.events import require_event
from boxoffice.services.workspaces import not_found
from boxoffice.storage.uow import Database, UnitOfWork

MAX_NAME = 500  # charts.name is VARCHAR(500)
COPY_SUFFIX = " (copy)"


def copy_chart(db: Database, workspace: Workspace, key: str, *, draft: bool = False) -> Chart:
    """A copy of the chart's published version (its draft with `draft`) in the same workspace."""
    with db.write() as uow:
        source = require_chart(uow, workspace, key)
        drawing = require_draft(uow, source) if draft else uow.charts.published_drawing(source.id)
        copy = _copy_in_workspace(uow, workspace, source, drawing)
        uow.commit()
        copied = uow.charts.by_id(copy.id)
    assert copied is not None
    return copied


def move_event_to_new_chart_copy(db: Database, workspace: Workspace, event_key: str) -> Event:
    """Copy the published version of the event's chart (as `copy_chart`) and link the event to the copy.

    The copy draws the very objects the event has, so every status, hold and booking stays as it is."""
    with db.write() as uow:
        event = require_event(uow, workspace, event_key)
        source = uow.charts.by_id(event.chart_id)
        assert source is not None
        copy = _copy_in_workspace(uow, workspace, source, uow.charts.published_drawing(source.id))
        uow.events.update(event.id, utcnow(), chart_id=copy.id)
        uow.objects.availability_changed([event.id])  # caches of the event reload (with the copy's layout)
        uow.commit()
        moved = uow.events.by_id(event.id)
    assert moved is not None
    return moved


def copy_chart_to_workspace(
    db: Database, company_id: int, key: str, *, from_workspace_key: str, to_workspace_key: str
) -> Chart:
    """A copy of the published version in another workspace of the company, under the same name, no tags."""
    with db.write() as uow:
        source_workspace = uow.workspaces.by_key(from_workspace_key, company_id)
        if source_workspace is None:
            raise not_found(from_workspace_key)
        target = uow.workspaces.by_key(to_workspace_key, company_id)
        if target is None:
            raise not_found(to_workspace_key)
        source = require_chart(uow, source_workspace, key)
        copy = _add(uow, target, uow.charts.published_drawing(source.id), source.name)
        uow.commit()
    return copy


def set_archived(db: Database, workspace: Workspace, key: str, archived: bool) -> None:
    """Move a chart into the archive (out of the chart list) or back out; its events carry on as they are."""
    with db.write() as uow:
        chart = require_chart(uow, workspace, key)
        uow.charts.update_meta(chart.id, archived=archived)
        uow.commit()


def _copy_in_workspace(uow: UnitOfWork, workspace: Workspace, source: Chart, drawing: dict[str, Any]) -> Chart:
    """ "<name> (copy)", with the source's tags."""
    name = str(drawing.get("name") or source.name)
    copy = _add(uow, workspace, drawing, name[: MAX_NAME - len(COPY_SUFFIX)] + COPY_SUFFIX)
    uow.charts.update_meta(copy.id, tags=list(source.tags))
    return copy


def _add(uow: UnitOfWork, workspace: Workspace, drawing: dict[str, Any], name: str) -> Chart:
    copied = {**drawing, "name": name}
    parse_chart(copied)  # a stored drawing is valid; this keeps it so whatever the name does
    chart = uow.charts.add(workspace_id=workspace.id, key=str(uuid.uuid4()), name=name, drawing=copied, now=utcnow())
    record(uow, workspace.id, CHART_CREATED, chart.key)
    return chart
