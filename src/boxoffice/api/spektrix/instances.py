"""One instance (performance): itself, its plan, its price list, its availability summary and seat detail.

Areas: an unreserved (general admission) area's id is ``{chartKey}:{areaLabel}``; reserved seats form one
area per section, ``{chartKey}:{section}``, or, on a chart without sections, one area whose id is the plan
id (the chart key) itself. Seat ids are object labels (``A-1``), price band ids are category keys.

Seat status (status/detail): ``A`` available, ``I`` available with seat information (accessible,
restricted view, companion seat, semi-ambulatory), ``U`` unavailable. Signed (authenticated) calls also
get the reason (free, reservedByToken, booked, resale, notForSale, locked), the lock (our channel), the
order id and the hold token.

Available to whom: anonymous and API user calls see general sale (a seat in a lock is ``locked``). An
agent's call (agent mode) sees what the agent may sell: general sale and its own lock, or, for a
restricted agent, its lock alone; its detail has the seat information and, for a seat in its lock, the
lock, but nothing about other buyers (no reason, order or hold token).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Depends, Query

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.spektrix.auth import database, signer, workspace
from boxoffice.api.spektrix.schemas import ERRORS, InstanceOut, PlanOut, PriceListOut, StatusDetailOut, StatusOut
from boxoffice.api.spektrix.serialize import area_id, instance_json, money
from boxoffice.domain.agents import Agent
from boxoffice.domain.layout import ChartObject, Layout, ObjectType
from boxoffice.domain.records import Workspace
from boxoffice.domain.statuses import BOOKED, FREE, HELD, RESALE, Caller, channel_open_to
from boxoffice.services import catalogue, reports
from boxoffice.services.clock import utcnow
from boxoffice.services.lookups import Lookup
from boxoffice.services.reports import ObjectInfo
from boxoffice.storage.api_users import ApiUser
from boxoffice.storage.uow import Database

router = APIRouter(tags=["instances"])
EXPAND_CUSTOM_ITEMS = "prices/customItems"


def _area_of(chart_key: str, info: ObjectInfo) -> tuple[str, str, str]:
    """(area id, name, type) of an object."""
    if info.object_type == ObjectType.GENERAL_ADMISSION:
        label = info.partition_of or info.label  # a channel's share counts with its area
        return area_id(chart_key, label), label, "Unreserved"
    if info.section:
        return area_id(chart_key, info.section), info.section, "Reserved"
    return chart_key, "Reserved seating", "Reserved"


def _infos(db: Database, ws: Workspace, instance_id: str) -> list[ObjectInfo]:
    return [i for i in reports.object_infos(db, ws, instance_id) if reports.bookable(i)]


def _flags(obj: ChartObject | None) -> list[str]:
    if obj is None:
        return []
    flags = {
        "accessible": obj.accessible,
        "restrictedView": obj.restricted_view,
        "companionSeat": obj.companion_seat,
        "semiAmbulatory": obj.semi_ambulatory,
    }
    return [name for name, on in flags.items() if on]


def _presented(caller: ApiUser | Agent | None) -> Caller:
    """What the caller presents: an agent its lock (restricted: its lock alone), anyone else nothing."""
    return caller.presents() if isinstance(caller, Agent) else Caller()


def _available(info: ObjectInfo, presents: Caller) -> bool:
    return info.is_available and channel_open_to(info.channel_key, presents)


@router.get("/instances/{instance_id}", response_model=InstanceOut, responses=ERRORS)
def get_instance(
    instance_id: str, ws: Workspace = Depends(workspace), db: Database = Depends(database)
) -> FastJSONResponse:
    with Lookup(db, ws).reading() as lookup:
        p = lookup.performance(instance_id)
        body = instance_json(p, lookup.production(p.production_id), lookup.event(instance_id).chart_key, utcnow())
    return FastJSONResponse(body)


@router.get("/instances/{instance_id}/plan", response_model=PlanOut, responses=ERRORS)
def get_plan(
    instance_id: str, ws: Workspace = Depends(workspace), db: Database = Depends(database)
) -> FastJSONResponse:
    lookup = Lookup(db, ws)
    lookup.performance(instance_id)  # 404 unless it is a performance
    chart_key = lookup.event(instance_id).chart_key
    layout = lookup.layout(chart_key)
    areas: dict[str, dict[str, Any]] = {}
    for info in _infos(db, ws, instance_id):
        if info.partition_of is not None:
            continue  # a channel's share of a GA area: the plan shows the area whole, as drawn
        aid, name, kind = _area_of(chart_key, info)
        area = areas.setdefault(aid, {"id": aid, "name": name, "type": kind, "capacity": 0})
        band = lookup.band(chart_key, info.category_key) if info.category_key else None
        if kind == "Unreserved":
            area["capacity"] = info.capacity
            area["band"] = band
            continue
        area["capacity"] += 1
        obj = info.chart_object
        area.setdefault("seats", []).append(
            {
                "id": info.label,
                "row": obj.parent_label if obj is not None and obj.parent_type == "row" else None,
                "number": obj.own_label if obj is not None else info.label,
                "type": str(info.object_type),
                "band": band,
                "x": obj.x if obj is not None else 0.0,
                "y": obj.y if obj is not None else 0.0,
                "accessible": bool(obj and obj.accessible),
                "restrictedView": bool(obj and obj.restricted_view),
            }
        )
    return FastJSONResponse(
        {"id": chart_key, "name": _name(layout), "instance": {"id": instance_id}, "areas": list(areas.values())}
    )


def _name(layout: Layout) -> str:
    return layout.name


@router.get("/instances/{instance_id}/price-list", response_model=PriceListOut, responses=ERRORS)
def get_price_list(
    instance_id: str,
    expand: str | None = Query(None, alias="$expand", description="prices/customItems: itemise fees"),
    ws: Workspace = Depends(workspace),
    db: Database = Depends(database),
) -> FastJSONResponse:
    lookup = Lookup(db, ws)
    lookup.performance(instance_id)
    chart_key = lookup.event(instance_id).chart_key
    price_list = catalogue.get_price_list(db, ws, instance_id)
    itemise = expand is not None and EXPAND_CUSTOM_ITEMS.lower() in expand.lower().replace(" ", "").split(",")
    currency = price_list.currency
    full: dict[str, int] = {}  # per band, the index of its full (highest) price: the band's default
    for index, p in enumerate(price_list.prices):
        best = full.get(p.category_key)
        if best is None or p.amount > price_list.prices[best].amount:
            full[p.category_key] = index
    prices = []
    for index, p in enumerate(price_list.prices):
        entry: dict[str, Any] = {
            "priceBand": lookup.band(chart_key, p.category_key),
            "ticketType": {"id": p.ticket_type_id, "name": lookup.ticket_type(p.ticket_type_id)},
            "amount": money(p.amount, currency),
            "isBandDefault": full.get(p.category_key) == index,
        }
        if itemise:
            entry["customItems"] = [
                {"id": f.id, "name": f.name, "amount": money(f.amount, currency)}
                for f in price_list.fees
                if f.ticket_type_id in (None, p.ticket_type_id)
            ]
        prices.append(entry)
    ticket_types = list(dict.fromkeys(p.ticket_type_id for p in price_list.prices))
    return FastJSONResponse(
        {
            "id": instance_id,
            "currency": currency,
            "prices": prices,
            "ticketTypes": [{"id": t, "name": lookup.ticket_type(t)} for t in ticket_types],
        }
    )


def _counts(infos: list[ObjectInfo], presents: Caller) -> dict[str, int]:
    c = {"capacity": 0, "available": 0, "sold": 0, "reserved": 0, "locked": 0, "unavailable": 0}
    for i in infos:
        if i.object_type == ObjectType.GENERAL_ADMISSION:
            capacity = i.capacity - i.places_in_channels  # places in channels' shares count with each share
            c["capacity"] += capacity
            c["sold"] += i.num_booked
            c["reserved"] += i.num_held
            free = i.num_free
            if not i.for_sale:
                c["unavailable"] += free
            elif channel_open_to(i.channel_key, presents):
                c["available"] += free
            elif i.channel_key is not None:
                c["locked"] += free
            else:  # general sale, to a restricted agent
                c["unavailable"] += free
            c["unavailable"] += max(0, capacity - i.num_booked - i.num_held - free)
            continue
        c["capacity"] += 1
        if i.status in (BOOKED, RESALE):
            c["sold"] += 1
        elif i.status == HELD:
            c["reserved"] += 1
        elif _available(i, presents):
            c["available"] += 1
        elif i.status == FREE and i.for_sale and i.channel_key is not None:
            c["locked"] += 1
        else:
            c["unavailable"] += 1
    return c


@router.get("/instances/{instance_id}/status", response_model=StatusOut, responses=ERRORS)
def get_status(
    instance_id: str,
    includeChildPlans: bool = Query(False, description="also one summary per area of the plan"),
    ws: Workspace = Depends(workspace),
    db: Database = Depends(database),
    caller: ApiUser | Agent | None = Depends(signer),
) -> FastJSONResponse:
    """Counts of seats and places; ``available`` is what the caller may buy (an agent: see the module)."""
    presents = _presented(caller)
    lookup = Lookup(db, ws)
    lookup.performance(instance_id)
    chart_key = lookup.event(instance_id).chart_key
    infos = _infos(db, ws, instance_id)
    body: dict[str, Any] = {"instance": {"id": instance_id}, **_counts(infos, presents)}
    if includeChildPlans:
        groups: dict[tuple[str, str], list[ObjectInfo]] = defaultdict(list)
        for info in infos:
            aid, name, _kind = _area_of(chart_key, info)
            groups[(aid, name)].append(info)
        body["areas"] = [
            {"plan": {"id": aid, "name": name}, **_counts(group, presents)} for (aid, name), group in groups.items()
        ]
    return FastJSONResponse(body)


@router.get("/instances/{instance_id}/status/detail", response_model=StatusDetailOut, responses=ERRORS)
def get_status_detail(
    instance_id: str,
    includeChildPlans: bool = Query(True, description="accepted for compatibility: every area is always included"),
    ws: Workspace = Depends(workspace),
    db: Database = Depends(database),
    caller: ApiUser | Agent | None = Depends(signer),
) -> FastJSONResponse:
    del includeChildPlans
    presents = _presented(caller)
    lookup = Lookup(db, ws)
    lookup.performance(instance_id)
    seats = []
    for info in _infos(db, ws, instance_id):
        if info.object_type == ObjectType.GENERAL_ADMISSION:
            continue
        flags = _flags(info.chart_object)
        code = ("I" if flags else "A") if _available(info, presents) else "U"
        seat: dict[str, Any] = {"id": info.label, "status": code, "band": {"id": info.category_key}}
        if isinstance(caller, Agent):
            own = info.channel_key is not None and info.channel_key in presents.channel_keys
            seat |= {"info": flags, "lock": {"id": info.channel_key} if own else None}
        elif caller is not None:
            reason = info.status
            if info.status == FREE and not info.for_sale:
                reason = "notForSale"
            elif info.status == FREE and info.channel_key is not None:
                reason = "locked"
            seat |= {
                "info": flags,
                "reason": reason,
                "lock": {"id": info.channel_key} if info.channel_key else None,
                "orderId": info.order_id,
                "holdToken": info.hold_token,
                "ticketType": info.ticket_type,
            }
        seats.append(seat)
    return FastJSONResponse({"instance": {"id": instance_id}, "authenticated": caller is not None, "seats": seats})
