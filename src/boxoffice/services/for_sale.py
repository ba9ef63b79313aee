"""For-sale configuration: objects (and whole categories) taken off sale, apart from their status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from boxoffice.domain.errors import InvalidInput, ObjectNotFound
from boxoffice.domain.layout import Layout
from boxoffice.domain.records import Event, Workspace
from boxoffice.services.clock import utcnow
from boxoffice.services.events import require_event
from boxoffice.services.layouts import layout_for_event
from boxoffice.storage.uow import Database, UnitOfWork


def apply_for_sale_config(uow: UnitOfWork, event: Event, layout: Layout, config: dict[str, Any]) -> None:
    """`config` as seats.io writes it: {forSale: bool, objects: [...], categories: [...]}."""
    objects = list(config.get("objects") or [])
    categories = {str(c) for c in config.get("categories") or []}
    for_sale = bool(config.get("forSale", False))
    missing = [label for label in objects if label not in layout.objects]
    if missing:
        raise ObjectNotFound(missing, event.key)
    unknown = categories - {c.key for c in layout.categories}
    if unknown:
        raise InvalidInput(f"Unknown categories: {', '.join(sorted(unknown))}")
    labels = objects + [o.label for o in layout.objects.values() if o.category_key in categories]
    uow.objects.set_attributes(event.id, list(dict.fromkeys(labels)), for_sale=for_sale)
    settings = dict(event.settings)
    settings["forSaleConfig"] = _merge(settings.get("forSaleConfig"), objects, sorted(categories), for_sale)
    uow.events.update(event.id, utcnow(), settings=settings)


def _merge(
    current: dict[str, Any] | None, objects: list[str], categories: list[str], for_sale: bool
) -> dict[str, Any] | None:
    not_for_sale_objects = set((current or {}).get("objects") or [])
    not_for_sale_categories = set((current or {}).get("categories") or [])
    if for_sale:
        not_for_sale_objects -= set(objects)
        not_for_sale_categories -= set(categories)
    else:
        not_for_sale_objects |= set(objects)
        not_for_sale_categories |= set(categories)
    if not not_for_sale_objects and not not_for_sale_categories:
        return None
    return {
        "forSale": False,
        "objects": sorted(not_for_sale_objects),
        "categories": sorted(not_for_sale_categories),
    }


def change_for_sale(
    db: Database,
    workspace: Workspace,
    event_key: str,
    *,
    for_sale: bool,
    objects: Sequence[str] = (),
    categories: Sequence[str] = (),
) -> None:
    with db.write() as uow:
        event = require_event(uow, workspace, event_key)
        layout = layout_for_event(uow, event.chart_id)
        apply_for_sale_config(
            uow,
            event,
            layout,
            {"forSale": for_sale, "objects": list(objects), "categories": list(categories)},
        )
        uow.commit()


def replace_for_sale(
    db: Database,
    workspace: Workspace,
    event_key: str,
    *,
    for_sale: bool,
    objects: Sequence[str] = (),
    categories: Sequence[str] = (),
) -> None:
    """Everything back on sale, then the given objects/categories set as asked."""
    with db.write() as uow:
        event = require_event(uow, workspace, event_key)
        layout = layout_for_event(uow, event.chart_id)
        uow.objects.set_attributes(event.id, list(layout.objects), for_sale=True)
        settings = dict(event.settings)
        settings["forSaleConfig"] = None
        uow.events.update(event.id, utcnow(), settings=settings)
        event = require_event(uow, workspace, event_key)
        if objects or categories:
            apply_for_sale_config(
                uow,
                event,
                layout,
                {"forSale": for_sale, "objects": list(objects), "categories": list(categories)},
            )
        uow.commit()


def edit_for_sale(
    db: Database,
    workspace: Workspace,
    event_key: str,
    *,
    for_sale: Sequence[str] = (),
    not_for_sale: Sequence[str] = (),
) -> dict[str, Any] | None:
    """Put some objects on sale and take others off, in one transaction; returns the new config."""
    with db.write() as uow:
        event = require_event(uow, workspace, event_key)
        layout = layout_for_event(uow, event.chart_id)
        if not_for_sale:
            apply_for_sale_config(uow, event, layout, {"forSale": False, "objects": list(not_for_sale)})
            event = require_event(uow, workspace, event_key)
        if for_sale:
            apply_for_sale_config(uow, event, layout, {"forSale": True, "objects": list(for_sale)})
            event = require_event(uow, workspace, event_key)
        uow.commit()
    config: dict[str, Any] | None = event.settings.get("forSaleConfig")
    return config
