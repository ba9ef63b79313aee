"""What the seats.io dialect answers, for its OpenAPI document only.

The routes render their JSON by hand (see serialize.py) and return it as a response, so these models
never validate or filter anything at run time: they describe it, as ``response_model=`` / ``responses=``,
so that clients and a schema-driven fuzzer (tests/api/seatsio/test_fuzz.py) can hold the answers to
them. Keys seats.io omits when empty are optional here; every model admits more keys than it lists.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


# -- errors ---------------------------------------------------------------------------------------------
class ErrorItem(_Out):
    code: str
    message: str


class ErrorBody(_Out):
    """Every error of this dialect, 4xx and 5xx alike (see errors.py)."""

    status: int
    messages: list[str]
    errors: list[ErrorItem]
    warnings: list[Any]
    requestId: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorBody, "description": "Bad input, in seats.io's error shape; nothing was changed"},
    503: {"model": ErrorBody, "description": "The database is unreachable right now (Retry-After)"},
}


# -- workspaces -----------------------------------------------------------------------------------------
class WorkspaceOut(_Out):
    id: int
    name: str
    key: str
    isTest: bool
    isActive: bool
    isDefault: bool
    secretKey: str | None = None
    secretKeys: list[str] | None = None


class SecretKeyOut(_Out):
    secretKey: str


class Workspaces(_Out):
    items: list[WorkspaceOut]
    next_page_starts_after: str | None = None
    previous_page_ends_before: str | None = None


class AdminKeys(_Out):
    secretKey: str
    designerKey: str
    email: str


class TestCompany(_Out):
    id: int
    admin: AdminKeys
    workspace: WorkspaceOut


# -- accounts -------------------------------------------------------------------------------------------
class AccountSettingsOut(_Out):
    draftChartDrawingsEnabled: bool
    holdOnSelectForGAs: bool
    holdPeriodInMinutes: int
    chartValidation: dict[str, str]
    defaultRendererSettings: dict[str, bool]


class CompanyOut(_Out):
    id: int
    name: str


class AccountOut(_Out):
    secretKey: str
    designerKey: str | None = None
    publicKey: str
    email: str | None = None
    role: str
    company: CompanyOut
    settings: AccountSettingsOut


class DesignerKeyOut(_Out):
    designerKey: str


# -- charts ---------------------------------------------------------------------------------------------
class CategoryOut(_Out):
    key: int | str
    label: str
    color: str
    accessible: bool


class Categories(_Out):
    categories: list[CategoryOut]


class ZoneOut(_Out):
    key: str
    label: str


class ValidationOut(_Out):
    errors: list[Any]
    warnings: list[Any]


class ChannelOut(_Out):
    id: int | str
    key: str
    name: str
    color: str
    index: int | None = None  # left out when the channel has none
    objects: list[str]
    areaPlaces: dict[str, int]


class ForSaleConfigOut(_Out):
    forSale: bool
    objects: list[str]
    areaPlaces: dict[str, int]
    categories: list[str | int]


class TableBookingConfigOut(_Out):
    mode: str
    tables: dict[str, str] | None = None


class EventOut(_Out):
    id: int
    key: str
    name: str | None = None
    date: str | None = None
    chartKey: str
    tableBookingConfig: TableBookingConfigOut
    supportsBestAvailable: bool
    forSaleConfig: ForSaleConfigOut | None = None
    objectCategories: dict[str, int | str] | None = None
    categories: list[CategoryOut] | None = None
    channels: list[ChannelOut]
    createdOn: str | None
    updatedOn: str | None = None
    isSeason: bool | None = None
    isTopLevelSeason: bool
    isPartialSeason: bool
    isEventInSeason: bool
    topLevelSeasonKey: str | None = None
    partialSeasonKeysForEvent: list[str] | None = None
    forSalePropagated: bool | None = None
    partialSeasonKeys: list[str] | None = None
    events: list[dict[str, Any]] | None = None  # a season's events, each as an event is written
    isInThePast: bool


class ChartOut(_Out):
    id: int
    key: str
    status: str
    name: str
    publishedVersionThumbnailUrl: str
    draftVersionThumbnailUrl: str | None = None
    tags: list[str]
    archived: bool
    venueType: str | None = None
    zones: list[ZoneOut] | None = None
    events: list[EventOut] | None = None
    validation: ValidationOut | None = None


class Charts(_Out):
    items: list[ChartOut]
    next_page_starts_after: str | None = None
    previous_page_ends_before: str | None = None


class Tags(_Out):
    tags: list[str]


class Drawing(_Out):
    """A chart drawing, as seats.io's designer writes it."""


# -- events ---------------------------------------------------------------------------------------------
class EventsPage(_Out):
    items: list[EventOut]
    next_page_starts_after: str | None = None
    previous_page_ends_before: str | None = None


class CreatedEvents(_Out):
    events: list[EventOut]


class RateLimitInfo(_Out):
    rateLimitRemainingCalls: int
    rateLimitResetDate: str | None


class EditedForSaleConfig(_Out):
    forSaleConfig: ForSaleConfigOut
    rateLimitInfo: RateLimitInfo


# -- objects --------------------------------------------------------------------------------------------
class ObjectInfoOut(_Out):
    """One object of one event (event object info, report item)."""

    label: str
    labels: dict[str, Any]
    ids: dict[str, Any]
    objectType: str
    status: str
    categoryKey: str | None = None
    categoryLabel: str | None = None
    section: str | None = None
    forSale: bool
    isAvailable: bool
    availabilityReason: str
    channel: str | None = None
    seasonStatusOverriddenQuantity: int = 0
    capacity: int | None = None
    numBooked: int | None = None
    numFree: int | None = None
    numHeld: int | None = None
    holdToken: str | None = None
    orderId: str | None = None
    ticketType: str | None = None
    extraData: dict[str, Any] | None = None


class ChartObjectOut(_Out):
    """One object of a chart, with no event (chart report item)."""

    label: str
    labels: dict[str, Any]
    ids: dict[str, Any]
    objectType: str
    categoryKey: str | None = None
    categoryLabel: str | None = None
    section: str | None = None
    capacity: int | None = None
    bookAsAWhole: bool | None = None
    numSeats: int | None = None
    distanceToFocalPoint: float | None = None
    zone: str | None = None
    floor: dict[str, Any] | None = None


class ChangedObjects(_Out):
    objects: dict[str, ObjectInfoOut]


class BatchResults(_Out):
    results: list[ChangedObjects]


class BestAvailableResult(_Out):
    """``objects`` lists labels for best available; a plain change maps labels to object info."""

    objects: list[str] | dict[str, ObjectInfoOut]
    nextToEachOther: bool | None = None
    objectDetails: dict[str, ObjectInfoOut] | None = None


# -- hold tokens, status changes, reports ---------------------------------------------------------------
class HoldTokenOut(_Out):
    holdToken: str
    expiresAt: str | None
    expiresInSeconds: int
    workspaceKey: str


class Origin(_Out):
    type: str
    ip: str | None = None


class StatusChangeOut(_Out):
    id: int
    eventId: int
    status: str
    quantity: int
    objectLabel: str
    displayedLabel: str
    date: str | None
    orderId: str | None = None
    extraData: dict[str, Any] | None = None
    holdToken: str | None = None
    origin: Origin
    isPresentOnChart: bool
    notPresentOnChartReason: str | None = None


class StatusChangesPage(_Out):
    items: list[StatusChangeOut]
    next_page_starts_after: str | None = None
    previous_page_ends_before: str | None = None


# -- ticket buyers ---------------------------------------------------------------------------------------
class AddedTicketBuyers(_Out):
    added: list[str]
    alreadyPresent: list[str]


class RemovedTicketBuyers(_Out):
    removed: list[str]
    notPresent: list[str]


class TicketBuyersPage(_Out):
    items: list[str]
    next_page_starts_after: str | None = None
    previous_page_ends_before: str | None = None


# -- event log --------------------------------------------------------------------------------------------
class EventLogData(_Out):
    key: str
    workspaceKey: str


class EventLogItemOut(_Out):
    id: int
    type: str
    timestamp: str | None
    data: EventLogData


class EventLogPage(_Out):
    items: list[EventLogItemOut]
    next_page_starts_after: str | None = None
    previous_page_ends_before: str | None = None


class SummaryGroup(_Out):
    count: int


CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"description": "One line per bookable object", "content": {"text/csv": {"schema": {"type": "string"}}}}
}


# -- query parameters (read by hand from request.query_params; documented here) ------------------------
def query(name: str, schema: dict[str, Any], description: str, *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


def parameters(*documented: dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra` listing query parameters a route reads itself."""
    return {"parameters": list(documented)}


def cursor(name: str, maximum: int) -> dict[str, Any]:
    return query(name, {"type": "integer", "minimum": 0, "maximum": maximum}, "Paging cursor: an id of this list")


def limit(maximum: int) -> dict[str, Any]:
    return query("limit", {"type": "integer", "minimum": 1, "maximum": maximum}, "Page size")


FILTER = query("filter", {"type": "string"}, "Only items whose name or label contains this")
EXPAND = query("expand", {"type": "string"}, "Comma-separated parts to include")


# -- the document ---------------------------------------------------------------------------------------
SECURITY_SCHEMES = {
    "secretKey": {
        "type": "http",
        "scheme": "basic",
        "description": "The workspace secret key (or the company admin key) as the user name, no password",
    },
    "systemSecret": {
        "type": "http",
        "scheme": "basic",
        "description": "BOXOFFICE_SYSTEM_SECRET as the user name (test set-up endpoints)",
    },
}
SYSTEM_SECRET: dict[str, Any] = {"security": [{"systemSecret": []}]}


def install_openapi(app: FastAPI) -> None:
    """The app's OpenAPI document, with HTTP Basic security declared for every operation."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                description=app.description,
                routes=app.routes,
            )
            document.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
            document["security"] = [{"secretKey": []}]
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
