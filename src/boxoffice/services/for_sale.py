"""For-sale configuration: objects, categories and GA places taken off sale, apart from their status.

The config (domain/for_sale.py) is kept on the event as seats.io writes it; each change places it anew on
the event's objects (`for_sale`, and `places_not_for_sale` of GA areas), in the same transaction. An event's
config changes at most `per_day` times a day (seats.io: 10); each change says how many are left.

Seasons. A change named on a top-level season whose forSalePropagated is true (the default) is made, in the
same transaction, on each of its events and partial seasons as well: the same change, applied to each one's
own config (for mark-as-(not-)for-sale and mark-everything that is the season's new config; an
edit-for-sale-config adds and removes the same objects and leaves what an event set apart on its own).
With forSalePropagated false, or on a partial season, only the named season changes. Sources: seats.io's
seasons page (docs.seats.io/docs/api/seasons, section "Not for sale": objects may be marked not for sale on
the season or in single events, and one not for sale for the season is unavailable in all its events), the
forSalePropagated field of create-season and update-season (docs.seats.io/docs/api/update-season), and the
SDKs' tests (seatsio-python tests/seasons/testUpdateSeason.py and its peers in the other SDKs), which only
store the flag and read it back. They say no more, so these are boxoffice's choices where they are silent:
- the daily limit is seats.io's "10 calls per event per day": it counts calls, so a season's change counts
  once, against the season, and is logged once, for the season. Its events are neither refused nor
  charged for it (a season of 30 events would otherwise use up their days, or be refused because one of
  them had used its own);
- events that join a season later start with its for-sale config while it propagates (services/seasons.py,
  `_inherited`); switching forSalePropagated on later does not copy the season's config to its events.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from boxoffice.domain import for_sale as config_rules
from boxoffice.domain.event_log import EVENT_FOR_SALE_CONFIG_UPDATED
from boxoffice.domain.for_sale import CALLS_PER_DAY, ChangesLeft, ForSaleConfig
from boxoffice.domain.layout import Layout, ObjectType
from boxoffice.domain.records import Event, Workspace
from boxoffice.domain.seasons import propagates_for_sale
from boxoffice.services.clock import utcnow
from boxoffice.services.event_log import record
from boxoffice.services.events import object_category, require_event
from boxoffice.services.layouts import layout_for_event
from boxoffice.storage.uow import Database, UnitOfWork

ObjectAndQuantity = tuple[str, int | None]  # a label, and for a GA area optionally a number of its places


def config_of(event: Event) -> ForSaleConfig | None:
    return ForSaleConfig.from_json(event.settings.get("forSaleConfig"))


def apply_for_sale_config(uow: UnitOfWork, event: Event, layout: Layout, config: ForSaleConfig | None) -> None:
    """`config` becomes the event's: its objects are put on or off sale to match, and it is stored."""
    if config is not None and config.everything_for_sale:
        config = None
    overrides = event.settings.get("objectCategories")
    placed = config_rules.place(
        config,
        (
            (
                o.label,
                object_category(o, overrides),
                o.capacity if o.object_type is ObjectType.GENERAL_ADMISSION else None,
            )
            for o in layout.objects.values()
        ),
    )
    uow.objects.set_for_sale(event.id, placed.off_sale, placed.places_off_sale)
    settings = dict(event.settings)
    settings["forSaleConfig"] = config.to_json() if config is not None else None
    uow.events.update(event.id, utcnow(), settings=settings)


@dataclass(frozen=True, slots=True)
class Written:
    config: ForSaleConfig | None  # the event's config now
    changes_left: ChangesLeft  # how many more changes today


def replace_for_sale(
    db: Database,
    workspace: Workspace,
    event_key: str,
    *,
    for_sale: bool,
    objects: Sequence[str] = (),
    area_places: Mapping[str, int] | None = None,
    categories: Sequence[str] = (),
    per_day: int = CALLS_PER_DAY,
) -> ChangesLeft:
    """seats.io's mark-as-for-sale (`for_sale`: only these are on sale) and mark-as-not-for-sale (these are
    off sale, the rest on): the config is replaced."""
    config = ForSaleConfig.of(for_sale, objects, area_places, categories)
    return _write(db, workspace, event_key, lambda current: config, per_day).changes_left


def mark_everything(
    db: Database, workspace: Workspace, event_key: str, *, for_sale: bool, per_day: int = CALLS_PER_DAY
) -> ChangesLeft:
    """Everything on sale (no config), or nothing (a config naming nothing as on sale)."""
    config = None if for_sale else ForSaleConfig(True)
    return _write(db, workspace, event_key, lambda current: config, per_day).changes_left


def edit_for_sale(
    db: Database,
    workspace: Workspace,
    event_key: str,
    *,
    for_sale: Sequence[ObjectAndQuantity] = (),
    not_for_sale: Sequence[ObjectAndQuantity] = (),
    per_day: int = CALLS_PER_DAY,
    now: datetime | None = None,
) -> Written:
    """Put some objects (or GA places) on sale and take others off, leaving the rest."""
    return _write(
        db,
        workspace,
        event_key,
        _editing(for_sale, not_for_sale),
        per_day,
        now,
    )


def _editing(
    for_sale: Sequence[ObjectAndQuantity], not_for_sale: Sequence[ObjectAndQuantity]
) -> Callable[[ForSaleConfig | None], ForSaleConfig | None]:
    return lambda current: config_rules.edit_for_sale(current, for_sale=for_sale, not_for_sale=not_for_sale)


def edit_for_sale_of_events(
    db: Database,
    workspace: Workspace,
    edits: Mapping[str, tuple[Sequence[ObjectAndQuantity], Sequence[ObjectAndQuantity]]],
    *,
    per_day: int = CALLS_PER_DAY,
    now: datetime | None = None,
) -> dict[str, Written]:
    """`edit_for_sale` on several events ((for sale, not for sale) per event key) in one transaction: all of
    them or none, so an unknown event or one past its daily limit leaves every other as it was. Every event
    is found before any changes, and they change in id order, so two such calls lock their rows alike."""
    moment = now or utcnow()
    with db.write() as uow:
        events = {key: require_event(uow, workspace, key) for key in edits}
        written: dict[str, Written] = {}
        for key, event in sorted(events.items(), key=lambda item: item[1].id):
            on_sale, off_sale = edits[key]
            written[key] = _write_in(uow, workspace, event, _editing(on_sale, off_sale), per_day, moment)
        uow.commit()
    return {key: written[key] for key in edits}


def _write(
    db: Database,
    workspace: Workspace,
    event_key: str,
    change: Callable[[ForSaleConfig | None], ForSaleConfig | None],
    per_day: int,
    now: datetime | None = None,
) -> Written:
    moment = now or utcnow()
    with db.write() as uow:
        written = _write_in(uow, workspace, require_event(uow, workspace, event_key), change, per_day, moment)
        uow.commit()
    return written


def _write_in(
    uow: UnitOfWork,
    workspace: Workspace,
    event: Event,
    change: Callable[[ForSaleConfig | None], ForSaleConfig | None],
    per_day: int,
    moment: datetime,
) -> Written:
    """Change the config, if today's changes of this event (the event log's items) leave room for one more;
    a top-level season that propagates its for-sale config changes its events' and partial seasons' too
    (see the module's docstring). The event's row is locked and read again first, so that two changes at
    once count, and apply, one after the other; a season's events are locked after it, in id order."""
    event = uow.events.locked(event.id) or event
    today = uow.event_log.count(
        workspace.id, EVENT_FOR_SALE_CONFIG_UPDATED, event.key, since=config_rules.day_start(moment)
    )
    left = config_rules.next_change(today, moment, per_day)
    config: ForSaleConfig | None = change(config_of(event))
    apply_for_sale_config(uow, event, layout_for_event(uow, event.chart_id), config)
    for member in _propagated_to(uow, event):
        apply_for_sale_config(uow, member, layout_for_event(uow, member.chart_id), change(config_of(member)))
    record(uow, workspace.id, EVENT_FOR_SALE_CONFIG_UPDATED, event.key, now=moment)
    return Written(config, left)


def _propagated_to(uow: UnitOfWork, season: Event) -> list[Event]:
    """The events and partial seasons a change on `season` reaches (none unless it propagates), locked in id
    order and read again under the lock."""
    if not propagates_for_sale(season):
        return []
    reached = sorted({e.id for e in [*uow.seasons.members(season.id), *uow.seasons.partial_seasons(season.id)]})
    found: list[Event] = []
    for event_id in reached:
        event = uow.events.locked(event_id)
        if event is not None:
            found.append(event)
    return found
