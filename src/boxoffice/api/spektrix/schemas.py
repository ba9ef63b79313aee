"""Request bodies and (for the OpenAPI document) response shapes, as pydantic v2 models.

Where Spektrix accepts an id, a ``{"id": "..."}`` object is accepted too. Ticket and order attributes are
sent as ``"attribute_<Name as set up in the settings>": value`` keys (or an ``attributes`` object).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr, model_validator

from boxoffice.api.spektrix.body import check_parsed
from boxoffice.domain.agents import DELIVERY_METHODS, MAX_END_CUSTOMER_FIELD


def _ref(value: Any) -> Any:
    if isinstance(value, dict) and "id" in value:
        return value["id"]
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Ref = Annotated[StrictStr, BeforeValidator(_ref)]
ATTRIBUTE_PREFIX = "attribute_"


class _WithAttributes(BaseModel):
    model_config = ConfigDict(extra="allow")
    attributes: dict[str, Any] = Field(default_factory=dict, description="name (exactly as set up) -> value")

    def attribute_values(self) -> dict[str, Any]:
        values = dict(self.attributes)
        for key, value in (self.model_extra or {}).items():
            if key.startswith(ATTRIBUTE_PREFIX):
                values[key[len(ATTRIBUTE_PREFIX) :]] = value
        return values


# -- requests -------------------------------------------------------------------------------------------
class TicketIn(_WithAttributes):
    """Reserved: ``instance`` + ``seat`` + ``ticketType``. Unreserved: ``instance`` + ``planId`` (the area's
    id ``{chartKey}:{areaLabel}``, the area label alone, or the plan id when the plan has one area; a lock's
    share of an area is ``{areaLabel}##{lockId}``, e.g. an agent's ``GA##agent-<agentId>``) +
    ``ticketType``. Repeat an entry to add several places in an unreserved area."""

    instance: Ref
    seat: Ref | None = None
    planId: Ref | None = Field(None, validation_alias=AliasChoices("planId", "plan", "area"))
    ticketType: Ref = Field(validation_alias=AliasChoices("ticketType", "type"))


class BestAvailableIn(BaseModel):
    instance: Ref
    quantity: int = Field(ge=1, le=50)
    ticketType: Ref = Field(validation_alias=AliasChoices("ticketType", "type"))
    bands: list[Ref] = Field(default_factory=list, description="price band ids to choose from")
    areas: list[Ref] = Field(default_factory=list, description="area ids (from instances/{id}/plan) to choose from")


class AttributesIn(_WithAttributes):
    pass


class DonationIn(BaseModel):
    fund: Ref
    amount: Decimal = Field(  # bounded: the minor units must fit the amount column (and a JSON double)
        gt=0, le=10**12, description="in major units of the fund's currency, e.g. 10.5"
    )


class MerchandiseIn(BaseModel):
    stockItem: Ref
    quantity: int = Field(1, ge=1, le=100)
    reference: StrictStr | None = Field(None, description="at most 30 characters, spaces included")


class MembershipIn(BaseModel):
    membership: Ref
    autoRenew: StrictBool = False


class TicketSubscriptionIn(BaseModel):
    ticketSubscriptionStructure: Ref = Field(
        validation_alias=AliasChoices("ticketSubscriptionStructure", "ticketSubscription", "structure")
    )
    quantity: int = Field(1, ge=1, le=20)


class _ParsedByFastAPI(BaseModel):
    """A body FastAPI parses (not body.py): refuse a NUL anywhere in it, nesting past MAX_DEPTH and integers
    beyond 64 bits (a customer address holding 2**70 was stored, and every later rendering of it failed)."""

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        check_parsed(data, nul=True, depth=True, ints=True)
        return data


class CustomerIn(BaseModel):
    firstName: StrictStr = Field("", max_length=200)  # the widths of the customers table's columns
    lastName: StrictStr = Field("", max_length=200)
    email: StrictStr | None = Field(None, max_length=320)
    address: dict[str, Any] = Field(default_factory=dict)


class PaymentIn(BaseModel):
    method: Literal["payLater", "testCard"] = Field(
        description="payLater: pay at the box office / invoice later (payment pending); testCard: the test provider"
    )
    cardNumber: StrictStr | None = Field(None, description="testCard only: 4242 4242 4242 4242 pays")


class CheckoutIn(_ParsedByFastAPI):
    customer: CustomerIn | None = None
    customerId: Ref | None = Field(None, description="an existing customer (authenticated mode only)")
    payment: PaymentIn


class BasketCustomerIn(_ParsedByFastAPI):
    id: Ref


class EndCustomerIn(BaseModel):
    """The shape of an agent's end customer (documentation: the body is checked by domain/agents.py)."""

    model_config = ConfigDict(extra="forbid")
    firstName: StrictStr | None = Field(None, max_length=MAX_END_CUSTOMER_FIELD)
    lastName: StrictStr | None = Field(None, max_length=MAX_END_CUSTOMER_FIELD)
    address: StrictStr | None = Field(None, max_length=MAX_END_CUSTOMER_FIELD, description="the first line")
    reference: StrictStr | None = Field(None, max_length=MAX_END_CUSTOMER_FIELD, description="the agent's own")


class DeliveryIn(_ParsedByFastAPI):
    method: StrictStr = Field(
        description="collect: at the box office / will call; careOfAgent: the agent sends the tickets on "
        "(each only if enabled for the agent)",
        json_schema_extra={"enum": list(DELIVERY_METHODS)},
    )


# -- responses (documentation) ---------------------------------------------------------------------------
class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class RefOut(_Open):
    id: str
    name: str | None = None


class ErrorItemOut(BaseModel):
    code: str
    message: str
    index: int | None = Field(None, description="which item of the request's array failed (0-based)")


class ErrorOut(BaseModel):
    statusCode: int
    message: str
    errors: list[ErrorItemOut]


class EventOut(_Open):
    id: str
    name: str
    description: str
    duration: int
    isOnSale: bool
    instanceDates: str
    firstInstanceDateTime: str | None
    lastInstanceDateTime: str | None


class InstanceOut(_Open):
    id: str
    event: RefOut
    start: str
    startUtc: str
    startSellingAtWeb: str | None
    stopSellingAtWeb: str | None
    cancelled: bool
    isOnSale: bool
    planId: str
    priceList: RefOut
    currency: str


class SeatOut(_Open):
    id: str
    row: str | None
    number: str
    band: RefOut
    x: float
    y: float
    accessible: bool
    restrictedView: bool


class AreaOut(_Open):
    id: str
    name: str
    type: Literal["Reserved", "Unreserved"]
    capacity: int
    band: RefOut | None = None
    seats: list[SeatOut] | None = None


class PlanOut(_Open):
    id: str
    name: str
    instance: RefOut
    areas: list[AreaOut]


class CustomItemOut(BaseModel):
    id: str
    name: str
    amount: float


class PriceOut(_Open):
    priceBand: RefOut
    ticketType: RefOut
    amount: float
    isBandDefault: bool
    customItems: list[CustomItemOut] | None = Field(None, description="only with $expand=prices/customItems")


class PriceListOut(_Open):
    id: str
    currency: str
    prices: list[PriceOut]
    ticketTypes: list[RefOut]


class CountsOut(_Open):
    capacity: int
    available: int
    sold: int
    reserved: int
    locked: int
    unavailable: int


class AreaStatusOut(CountsOut):
    plan: RefOut


class StatusOut(CountsOut):
    instance: RefOut
    areas: list[AreaStatusOut] | None = Field(None, description="only with includeChildPlans=true")


class SeatStatusOut(_Open):
    id: str
    status: Literal["A", "U", "I"]
    band: RefOut
    info: list[str] | None = None
    reason: str | None = Field(None, description="authenticated only: free, reservedByToken, booked, notForSale, ...")
    lock: RefOut | None = Field(None, description="authenticated only: the channel (lock) the seat is in")
    orderId: str | None = Field(None, description="authenticated only")
    holdToken: str | None = Field(None, description="authenticated only")


class StatusDetailOut(_Open):
    instance: RefOut
    authenticated: bool
    seats: list[SeatStatusOut]


class FundOut(_Open):
    id: str
    name: str
    description: str
    minimumDonationAmount: float
    currency: str


class StockItemOut(_Open):
    id: str
    name: str
    description: str
    price: float
    stockLevel: int
    currency: str


class MembershipOut(_Open):
    id: str
    name: str
    description: str
    price: float
    durationMonths: int
    autoRenew: bool
    currency: str


class TicketSubscriptionStructureOut(_Open):
    id: str
    name: str
    description: str
    price: float
    events: list[RefOut]
    currency: str


class BasketTicketOut(_Open):
    id: str
    event: RefOut
    instance: RefOut
    planId: str
    seat: RefOut | None
    area: RefOut | None
    band: RefOut
    type: RefOut
    price: float
    customItems: float
    total: float


class BasketOut(_Open):
    id: str
    currency: str
    customer: RefOut | None
    tickets: list[BasketTicketOut]
    donations: list[dict[str, Any]]
    merchandiseItems: list[dict[str, Any]]
    memberships: list[dict[str, Any]]
    ticketSubscriptions: list[dict[str, Any]]
    total: float
    expiresUtc: str | None


class OrderTicketOut(BasketTicketOut):
    barcode: str
    status: str


class PaymentOut(BaseModel):
    id: str
    method: str
    amount: float
    status: str
    reference: str | None


class OrderOut(_Open):
    id: str
    reference: str
    status: str
    currency: str
    createdUtc: str
    customer: dict[str, Any] | None
    tickets: list[OrderTicketOut]
    donations: list[dict[str, Any]]
    merchandiseItems: list[dict[str, Any]]
    memberships: list[dict[str, Any]]
    ticketSubscriptions: list[dict[str, Any]]
    total: float
    payment: PaymentOut | None
    paymentStatus: str | None


class AgentBasketTicketOut(BasketTicketOut):
    commission: float = Field(description="what the agent earns on this ticket")


class EndCustomerOut(_Open):
    firstName: str | None = None
    lastName: str | None = None
    address: str | None = None
    reference: str | None = None


class AgentBasketOut(BasketOut):
    tickets: list[AgentBasketTicketOut]  # type: ignore[assignment]
    commission: float
    endCustomer: EndCustomerOut | None
    deliveryMethod: str | None


class AgentOrderTicketOut(OrderTicketOut):
    commission: float = Field(description="the agent's, fixed when the order was made")


class AgentOrderOut(OrderOut):
    tickets: list[AgentOrderTicketOut]  # type: ignore[assignment]
    commission: float = Field(description="the agent's on the tickets still valid")
    endCustomer: EndCustomerOut | None
    deliveryMethod: str | None


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Refused; `errors[].index` names the failing item"},
    401: {"model": ErrorOut, "description": "A bad signature (authenticated mode)"},
    404: {"model": ErrorOut, "description": "Unknown client, event, instance or item"},
}
BACK_OFFICE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    403: {"model": ErrorOut, "description": "Signed by an agent: agents sell through /baskets"},
}
AGENT_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": ErrorOut, "description": "Not signed by an active agent, or a bad signature"},
    403: {"model": ErrorOut, "description": "Signed by an API user: agent mode is for agents"},
    404: {"model": ErrorOut, "description": "Unknown client, instance or item; a basket or order not the agent's"},
    409: {"model": ErrorOut, "description": "Busy (retry), or the same Idempotency-Key still in flight"},
    422: {"model": ErrorOut, "description": "An Idempotency-Key used before for another request"},
}
