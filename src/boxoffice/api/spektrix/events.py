"""Events (our productions) and their instances (our performances)."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Depends, Query

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.spektrix.auth import database, workspace
from boxoffice.api.spektrix.dates import parse_bound, within
from boxoffice.api.spektrix.schemas import ERRORS, EventOut, InstanceOut
from boxoffice.api.spektrix.serialize import event_json, instance_json
from boxoffice.domain.catalogue import Performance
from boxoffice.domain.records import Workspace
from boxoffice.services import catalogue
from boxoffice.services.clock import utcnow
from boxoffice.services.lookups import Lookup
from boxoffice.storage.uow import Database

router = APIRouter(tags=["events"])


@router.get("/events", response_model=list[EventOut], responses=ERRORS)
def list_events(
    instanceStart_from: str | None = Query(None, description="only events with an instance from this date"),
    instanceStart_to: str | None = Query(None, description="only events with an instance until this date"),
    ws: Workspace = Depends(workspace),
    db: Database = Depends(database),
) -> FastJSONResponse:
    start = parse_bound(instanceStart_from, "instanceStart_from")
    stop = parse_bound(instanceStart_to, "instanceStart_to", end=True)
    by_production: dict[str, list[Performance]] = defaultdict(list)
    for p in catalogue.list_performances(db, ws):
        by_production[p.production_id].append(p)
    now = utcnow()
    out = []
    for production in catalogue.list_productions(db, ws):
        performances = by_production.get(production.id, [])
        if not any(within(p.start, start, stop) for p in performances):
            continue
        out.append(event_json(production, performances, now))
    return FastJSONResponse(out)


@router.get("/events/{event_id}", response_model=EventOut, responses=ERRORS)
def get_event(event_id: str, ws: Workspace = Depends(workspace), db: Database = Depends(database)) -> FastJSONResponse:
    production = catalogue.get_production(db, ws, event_id)
    performances = catalogue.list_performances(db, ws, production_id=production.id)
    return FastJSONResponse(event_json(production, performances, utcnow()))


@router.get("/events/{event_id}/instances", response_model=list[InstanceOut], responses=ERRORS)
def list_instances(
    event_id: str,
    start_from: str | None = Query(None, description="only instances from this date (yyyy-mm-dd)"),
    start_to: str | None = Query(None, description="only instances until this date (inclusive)"),
    ws: Workspace = Depends(workspace),
    db: Database = Depends(database),
) -> FastJSONResponse:
    production = catalogue.get_production(db, ws, event_id)
    start = parse_bound(start_from, "start_from")
    stop = parse_bound(start_to, "start_to", end=True)
    lookup = Lookup(db, ws)
    now = utcnow()
    out = [
        instance_json(p, production, lookup.event(p.event_key).chart_key, now)
        for p in sorted(catalogue.list_performances(db, ws, production_id=production.id), key=lambda p: p.start)
        if within(p.start, start, stop)
    ]
    return FastJSONResponse(out)
