"""Our records as Spektrix-shaped JSON (camelCase), and money as Spektrix writes it.

Money: integer minor units inside boxoffice; on the wire decimal major units (``2500`` pence -> ``25.0``),
converted through `Decimal` so no float arithmetic ever touches an amount. Every document that carries
money also says its ``currency`` (ISO 4217). Times: ``startUtc`` is UTC with a ``Z``; ``start`` is the
venue's local time in Spektrix, which boxoffice does not model, so it is the same instant in UTC without
the suffix. Attributes are rendered as Spektrix returns them, ``attribute_<Name without spaces>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from boxoffice.api.spektrix.errors import SpektrixError
from boxoffice.domain.areas import SHARE_SEPARATOR
from boxoffice.domain.baskets import DONATION, MEMBERSHIP, MERCHANDISE, SUBSCRIPTION, Basket, BasketTicket, Order
from boxoffice.domain.catalogue import Performance, Production
from boxoffice.domain.layout import ObjectType
from boxoffice.services.lookups import Lookup

# ISO 4217 minor-unit digits where they are not 2.
_DIGITS = {"BIF": 0, "CLP": 0, "ISK": 0, "JPY": 0, "KRW": 0, "PYG": 0, "UGX": 0, "VND": 0, "XAF": 0, "XOF": 0}
_DIGITS |= {"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3}

# How the dialect names payment methods, and the provider each one is.
PAYMENT_METHODS = {"payLater": "pay_later", "testCard": "test_card"}
PAYMENT_NAMES = {v: k for k, v in PAYMENT_METHODS.items()}


def digits(currency: str) -> int:
    return _DIGITS.get(currency, 2)


def money(minor: int, currency: str) -> float:
    """2500 GBP -> 25.0 (exact: a decimal with at most 3 places has a float whose shortest repr is itself)."""
    return float(Decimal(minor).scaleb(-digits(currency)))


def to_minor(amount: Decimal, currency: str, *, what: str = "amount", index: int | None = None) -> int:
    try:
        scaled = Decimal(amount).scaleb(digits(currency))
        whole = scaled.to_integral_value()
    except (InvalidOperation, ValueError):
        raise SpektrixError(400, "VALIDATION_ERROR", f"{what} is not a number", index) from None
    if scaled != whole:
        raise SpektrixError(400, "VALIDATION_ERROR", f"{what} has more decimals than {currency} allows", index)
    return int(whole)


def utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def local(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def attributes_json(attributes: dict[str, Any]) -> dict[str, Any]:
    return {f"attribute_{name.replace(' ', '')}": value for name, value in attributes.items()}


def area_id(chart_key: str, label: str) -> str:
    """An unreserved area's id (Spektrix's per-area planId): ``{chartKey}:{areaLabel}``."""
    return f"{chart_key}:{label}"


# -- catalogue ------------------------------------------------------------------------------------------
def instance_json(p: Performance, production: Production, chart_key: str, now: datetime) -> dict[str, Any]:
    return {
        "id": p.event_key,
        "event": {"id": production.id, "name": production.name},
        "start": local(p.start),
        "startUtc": utc(p.start),
        "startSellingAtWeb": utc(p.web_sale_from),
        "stopSellingAtWeb": utc(p.web_sale_until or p.start),
        "cancelled": p.cancelled,
        "isOnSale": p.on_sale("web", now),
        "planId": chart_key,
        "priceList": {"id": p.event_key},
        "currency": p.currency,
    }


def _date_range(starts: list[datetime]) -> str:
    if not starts:
        return ""
    first, last = min(starts), max(starts)
    fmt = "%-d %b %Y"
    return first.strftime(fmt) if first.date() == last.date() else f"{first.strftime(fmt)} - {last.strftime(fmt)}"


def event_json(production: Production, performances: list[Performance], now: datetime) -> dict[str, Any]:
    starts = [p.start for p in performances]
    return {
        "id": production.id,
        "name": production.name,
        "description": production.description,
        "htmlDescription": production.description,
        "duration": production.duration_minutes,
        "isOnSale": any(p.on_sale("web", now) for p in performances),
        "instanceDates": _date_range(starts),
        "firstInstanceDateTime": local(min(starts)) if starts else None,
        "lastInstanceDateTime": local(max(starts)) if starts else None,
        "imageUrl": None,
        "thumbnailUrl": None,
        "webEventId": None,
        **attributes_json(production.attributes),
    }


# -- baskets and orders ---------------------------------------------------------------------------------
def _ticket_place(lookup: Lookup, event_key: str, label: str) -> dict[str, Any]:
    chart_key = lookup.event(event_key).chart_key
    drawn = lookup.layout(chart_key).objects
    obj = drawn.get(label) or drawn.get(label.partition(SHARE_SEPARATOR)[0])  # a lock's share: its area's
    if obj is not None and obj.object_type == ObjectType.GENERAL_ADMISSION:
        return {
            "planId": area_id(chart_key, label),
            "area": {"id": area_id(chart_key, label), "name": label},
            "seat": None,
        }
    seat = {"id": label, "row": obj.parent_label if obj else None, "number": obj.own_label if obj else label}
    return {"planId": chart_key, "area": None, "seat": seat}


def _instance_ref(lookup: Lookup, event_key: str) -> dict[str, Any]:
    p = lookup.performance(event_key)
    return {"id": event_key, "start": local(p.start), "startUtc": utc(p.start)}


def _event_ref(lookup: Lookup, event_key: str) -> dict[str, Any]:
    production = lookup.production(lookup.performance(event_key).production_id)
    return {"id": production.id, "name": production.name}


def basket_ticket_json(lookup: Lookup, t: BasketTicket) -> dict[str, Any]:
    chart_key = lookup.event(t.event_key).chart_key
    return {
        "id": t.id,
        "event": _event_ref(lookup, t.event_key),
        "instance": _instance_ref(lookup, t.event_key),
        **_ticket_place(lookup, t.event_key, t.label),
        "band": lookup.band(chart_key, t.category_key),
        "type": {"id": t.ticket_type_id, "name": lookup.ticket_type(t.ticket_type_id)},
        "price": money(t.price, t.currency),
        "customItems": money(t.fees, t.currency),
        "total": money(t.price + t.fees, t.currency),
        **attributes_json(t.attributes),
    }


def _items_json(lookup: Lookup, items: Any, currency: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {
        "donations": [],
        "merchandiseItems": [],
        "memberships": [],
        "ticketSubscriptions": [],
    }
    for i in items:
        name = lookup.item_name(i.kind, i.item_id)
        base: dict[str, Any] = {"id": i.id}
        status = getattr(i, "status", None)
        if status is not None:
            base["status"] = status
        if i.kind == DONATION:
            out["donations"].append(
                {**base, "fund": {"id": i.item_id, "name": name}, "amount": money(i.amount, currency)}
            )
        elif i.kind == MERCHANDISE:
            out["merchandiseItems"].append(
                {
                    **base,
                    "stockItem": {"id": i.item_id, "name": name},
                    "price": money(i.amount, currency),
                    "quantity": i.quantity,
                    "reference": i.reference,
                    "total": money(i.amount * i.quantity, currency),
                }
            )
        elif i.kind == MEMBERSHIP:
            out["memberships"].append(
                {
                    **base,
                    "membership": {"id": i.item_id, "name": name},
                    "price": money(i.amount, currency),
                    "autoRenew": i.auto_renew,
                }
            )
        elif i.kind == SUBSCRIPTION:
            out["ticketSubscriptions"].append(
                {
                    **base,
                    "ticketSubscriptionStructure": {"id": i.item_id, "name": name},
                    "price": money(i.amount, currency),
                    "quantity": i.quantity,
                    "total": money(i.amount * i.quantity, currency),
                }
            )
    return out


def basket_json(lookup: Lookup, basket: Basket, expires: datetime) -> dict[str, Any]:
    currency = basket.currency()
    return {
        "id": basket.id,
        "currency": currency,
        "customer": {"id": basket.customer_id} if basket.customer_id else None,
        "tickets": [basket_ticket_json(lookup, t) for t in basket.tickets],
        **_items_json(lookup, basket.items, currency),
        "total": money(basket.total, currency),
        "expiresUtc": utc(expires) if not basket.empty else None,
        **attributes_json(basket.order_attributes),
    }


def order_json(lookup: Lookup, order: Order) -> dict[str, Any]:
    currency = order.currency
    customer = lookup.customer(order.customer_id)
    tickets = []
    for t in order.tickets:
        chart_key = lookup.event(t.event_key).chart_key
        tickets.append(
            {
                "id": t.id,
                "barcode": t.barcode,
                "status": t.status,
                "event": _event_ref(lookup, t.event_key),
                "instance": _instance_ref(lookup, t.event_key),
                **_ticket_place(lookup, t.event_key, t.label),
                "band": lookup.band(chart_key, t.category_key),
                "type": {"id": t.ticket_type_id, "name": lookup.ticket_type(t.ticket_type_id)},
                "price": money(t.price, currency),
                "customItems": money(t.fees, currency),
                "total": money(t.price + t.fees, currency),
                **attributes_json(t.attributes),
            }
        )
    payments = [
        {
            "id": p.id,
            "method": PAYMENT_NAMES.get(p.method, p.method),
            "amount": money(p.amount, p.currency),
            "status": p.status,
            "reference": p.provider_reference,
        }
        for p in order.payments
    ]
    return {
        "id": order.id,
        "reference": order.reference,
        "status": order.status,
        "currency": currency,
        "createdUtc": utc(order.created_at),
        "customer": (
            {
                "id": customer.id,
                "firstName": customer.first_name,
                "lastName": customer.last_name,
                "email": customer.email,
            }
            if customer
            else None
        ),
        "tickets": tickets,
        **_items_json(lookup, order.items, currency),
        "total": money(order.total, currency),
        "payment": payments[0] if payments else None,
        "payments": payments,
        "paymentStatus": payments[0]["status"] if payments else None,
        **attributes_json(order.attributes),
    }


# -- agent mode -----------------------------------------------------------------------------------------
def _agent_details(end_customer: Mapping[str, str] | None, delivery_method: str | None) -> dict[str, Any]:
    return {"endCustomer": dict(end_customer) if end_customer else None, "deliveryMethod": delivery_method}


def agent_basket_json(
    lookup: Lookup, basket: Basket, expires: datetime, commission: Mapping[str, int]
) -> dict[str, Any]:
    """An agent's basket: the basket, with what the agent would earn on each ticket (`commission`, by
    ticket id) and in all, its end customer and delivery method."""
    body = basket_json(lookup, basket, expires)
    currency = body["currency"]
    for ticket in body["tickets"]:
        ticket["commission"] = money(commission.get(ticket["id"], 0), currency)
    body["commission"] = money(sum(commission.get(t.id, 0) for t in basket.tickets), currency)
    return body | _agent_details(basket.end_customer, basket.delivery_method)


def agent_order_json(lookup: Lookup, order: Order) -> dict[str, Any]:
    """An agent's order: the order, with the agent's commission on each ticket and on the order (valid
    tickets only), its end customer and delivery method."""
    body = order_json(lookup, order)
    earned = {t.id: t.commission for t in order.tickets}
    for ticket in body["tickets"]:
        ticket["commission"] = money(earned[ticket["id"]], order.currency)
    body["commission"] = money(order.commission, order.currency)
    return body | _agent_details(order.end_customer, order.delivery_method)
