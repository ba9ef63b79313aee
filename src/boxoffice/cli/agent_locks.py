"""Agent lock and offline sale commands: `boxoffice agent-lock add`, `... mark-back`, `boxoffice offline-sale
record`, ... (services/agent_locks.py). Like the catalogue commands, each works on the demo workspace unless
given ``--secret-key`` (or BOXOFFICE_SECRET_KEY); bad input or a refusal is one line on stderr and exit 1.
"""

from __future__ import annotations

from typing import Annotated

import typer

from boxoffice.cli.catalogue import SecretKey, fail, rows, say, workspace_session
from boxoffice.domain.agent_locks import LockStatus, MarkBack
from boxoffice.services import agent_locks, catalogue
from boxoffice.services.agent_locks import OfflineSale, OfflineTicket

lock_app = typer.Typer(help="Agent locks: seats and places set aside for an agent; mark-backs.", no_args_is_help=True)
sale_app = typer.Typer(help="Sales agents made offline, entered by the venue.", no_args_is_help=True)
COMMANDS: tuple[tuple[str, typer.Typer], ...] = (("agent-lock", lock_app), ("offline-sale", sale_app))

Event = Annotated[str, typer.Argument(help="The performance's event key.")]
AgentId = Annotated[str, typer.Argument(help="The agent's id (its customer record's).")]
Objects = Annotated[list[str] | None, typer.Option("--object", help="A seat, booth, table or GA area (repeatable).")]
Places = Annotated[list[str] | None, typer.Option("--places", help="AREA:N, places of a GA area (repeatable).")]


def _places(specs: list[str] | None) -> dict[str, int]:
    places: dict[str, int] = {}
    for spec in specs or []:
        area, _, count = spec.rpartition(":")
        if not area or not count.isdigit():
            fail(f"--places {spec!r}: expected AREA:N, e.g. GA:10")
        places[area] = places.get(area, 0) + int(count)
    return places


def _show(status: LockStatus) -> None:
    totals = status.totals()
    say(
        f"lock {status.channel_key} on {status.event_key}: {totals['locked']} locked, {totals['unsold']} unsold, "
        f"{totals['held']} held, {totals['soldByAgent']} sold by the agent, {totals['taken']} taken"
    )
    if status.objects:
        rows(
            ["OBJECT", "TYPE", "STANDING", "ORDER"],
            [(o.label, o.object_type, o.standing, o.order_id) for o in status.objects],
        )
    if status.areas:
        rows(
            ["AREA", "LOCKED AS", "PLACES", "UNSOLD", "HELD", "SOLD BY AGENT", "TAKEN"],
            [
                (a.area, "whole" if a.whole else a.label, a.places, a.unsold, a.held, a.sold_by_agent, a.taken)
                for a in status.areas
            ],
        )


def _mark_back_said(result: MarkBack) -> None:
    say(f"marked back {len(result.marked_back)} objects: {', '.join(result.marked_back) or '-'}")
    for area, places in result.places_marked_back.items():
        say(f"marked back {places} places of {area}; kept {result.places_kept.get(area, 0)}")
    if result.kept:
        say("kept in the lock (not marked back):")
        rows(["OBJECT", "STANDING"], [(k.label, k.standing) for k in result.kept])
    _show(result.status)


@lock_app.command("add")
def lock_add(
    event: Event, agent: AgentId, objects: Objects = None, places: Places = None, secret_key: SecretKey = None
) -> None:
    """Lock objects and GA places for the agent: all or nothing, only free, for-sale general inventory."""
    with workspace_session(secret_key) as (db, ws):
        change = agent_locks.lock(db, ws, event, agent, objects=objects or [], area_places=_places(places))
    say(f"locked {len(change.locked)} objects: {', '.join(change.locked) or '-'}")
    if change.already_locked:
        say(f"already in the lock: {', '.join(change.already_locked)}")
    for area, count in change.area_places.items():
        say(f"locked {count} places of {area}")
    _show(change.status)


@lock_app.command("show")
def lock_show(
    event: Event,
    agent: Annotated[str | None, typer.Argument(help="The agent's id (default: every agent's lock).")] = None,
    secret_key: SecretKey = None,
) -> None:
    """How a lock stands: unsold, held, sold by the agent, taken."""
    with workspace_session(secret_key) as (db, ws):
        found = [agent_locks.lock_status(db, ws, event, agent)] if agent else agent_locks.event_locks(db, ws, event)
    if not found:
        say("(no agent locks)")
    for status in found:
        _show(status)


@lock_app.command("mark-back")
def lock_mark_back(
    event: Event, agent: AgentId, objects: Objects = None, places: Places = None, secret_key: SecretKey = None
) -> None:
    """Return the unsold of these objects and places to general sale; what is held or sold stays."""
    with workspace_session(secret_key) as (db, ws):
        result = agent_locks.mark_back(db, ws, event, agent, objects=objects or [], area_places=_places(places))
    _mark_back_said(result)


@lock_app.command("mark-back-all")
def lock_mark_back_all(event: Event, agent: AgentId, secret_key: SecretKey = None) -> None:
    """Return everything unsold of the agent's lock to general sale."""
    with workspace_session(secret_key) as (db, ws):
        result = agent_locks.mark_back_all(db, ws, event, agent)
    _mark_back_said(result)


@lock_app.command("history")
def lock_history(event: Event, agent: AgentId, secret_key: SecretKey = None) -> None:
    """What was locked for the agent and marked back, oldest first."""
    with workspace_session(secret_key) as (db, ws):
        history = agent_locks.lock_history(db, ws, event, agent)
    rows(["WHEN", "ACTION", "OBJECT", "PLACES"], [(h.at.isoformat(), h.action, h.label, h.places) for h in history])


@sale_app.command("record")
def sale_record(
    agent: AgentId,
    event: Annotated[str, typer.Option(help="The performance's event key.")],
    ticket: Annotated[
        list[str],
        typer.Option(help="LABEL:TYPE or LABEL:TYPE:N (N places of a GA area); the type by name or id (repeatable)."),
    ],
    first_name: Annotated[str | None, typer.Option(help="The agent's buyer.")] = None,
    last_name: Annotated[str | None, typer.Option(help="The agent's buyer.")] = None,
    address: Annotated[str | None, typer.Option(help="The buyer's first line of address.")] = None,
    reference: Annotated[str | None, typer.Option(help="The agent's own reference.")] = None,
    delivery: Annotated[str | None, typer.Option(help="collect or careOfAgent.")] = None,
    idempotency_key: Annotated[str | None, typer.Option(help="The same key again makes no second sale.")] = None,
    secret_key: SecretKey = None,
) -> None:
    """Enter a sale the agent made offline: an order of the agent, paid on account, with its commission."""
    buyer = {"firstName": first_name, "lastName": last_name, "address": address, "reference": reference}
    with workspace_session(secret_key) as (db, ws):
        types = {t.name.casefold(): t.id for t in catalogue.list_ticket_types(db, ws)}
        lines = []
        for spec in ticket:
            label, type_name, quantity = _ticket(spec)
            lines.append(OfflineTicket(event, label, types.get(type_name.casefold(), type_name), quantity))
        sale = OfflineSale(
            tuple(lines),
            end_customer={k: v for k, v in buyer.items() if v is not None},
            delivery_method=delivery,
            idempotency_key=idempotency_key,
        )
        order = agent_locks.record_offline_sale(db, ws, agent, sale)
    commission = sum(t.commission for t in order.tickets)
    say(
        f"recorded order {order.id} ({order.reference}) for agent {agent}: {len(order.tickets)} tickets, "
        f"total {order.total} {order.currency}, commission {commission}, paid on account"
    )
    rows(
        ["TICKET", "LABEL", "BAND", "PRICE", "COMMISSION"],
        [(t.id, t.label, t.category_key, t.price, t.commission) for t in order.tickets],
    )


def _ticket(spec: str) -> tuple[str, str, int]:
    parts = spec.rsplit(":", 2)
    if len(parts) == 3 and parts[2].isdigit():
        label, type_name, count = parts[0], parts[1], int(parts[2])
    else:
        label, _, type_name = spec.rpartition(":")
        count = 1
    if not label or not type_name or count < 1:
        fail(f"--ticket {spec!r}: expected LABEL:TYPE or LABEL:TYPE:N, e.g. A-1:Adult or GA:Child:2")
    return label, type_name, count
