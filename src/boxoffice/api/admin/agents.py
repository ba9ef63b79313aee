"""Agents (third parties selling on the venue's behalf) and their commission structures.

An agent is a customer record with the agent flag; its orders are that customer's. Its Agency API key is
shown once, when it is made or regenerated (it needs ``BOXOFFICE_SYSTEM_SECRET``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Request
from pydantic import Field

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, Amount, ApiModel, Currency, Name, ShortName
from boxoffice.domain.agents import Agent, CommissionStructure
from boxoffice.services import agents
from boxoffice.services.agents import AgentSetup, NewAgent
from boxoffice.services.customers import CustomerDetails

router = APIRouter(tags=["agents"], responses=RESPONSES)

DeliveryMethod = Literal["collect", "careOfAgent"]
BasisPoints = Annotated[int, Field(ge=0, le=10_000, description="Of the ticket price: 1250 is 12.5 %")]


class CommissionStructureIn(ApiModel):
    """`fixed`: `fixedAmount` per ticket; `percentage`: `basisPoints` of each ticket's price (rounded half
    up to the minor unit); `matrix`: an amount per ticket type id and price band (category key), none for a
    pair it does not name. A commission is never more than the ticket's price."""

    name: Name
    kind: Literal["fixed", "percentage", "matrix"]
    currency: Currency
    fixed_amount: Amount = 0
    basis_points: BasisPoints = 0
    matrix: dict[Annotated[str, Field(max_length=40)], dict[Annotated[str, Field(max_length=100)], Amount]] = {}


class CommissionStructureOut(ApiModel):
    id: str
    name: str
    kind: str
    currency: str
    fixed_amount: int
    basis_points: int
    matrix: dict[str, dict[str, int]]


def _structure_in(body: CommissionStructureIn) -> CommissionStructure:
    return CommissionStructure(
        "", 0, body.name, body.kind, body.currency, body.fixed_amount, body.basis_points, body.matrix
    )


def _structure_out(s: CommissionStructure) -> CommissionStructureOut:
    return CommissionStructureOut(
        id=s.id,
        name=s.name,
        kind=s.kind,
        currency=s.currency,
        fixed_amount=s.fixed_amount,
        basis_points=s.basis_points,
        matrix={k: dict(v) for k, v in s.matrix.items()},
    )


@router.post("/commission-structures", status_code=201, response_model=CommissionStructureOut)
def create_commission_structure(
    ws: WorkspaceDep, db: DatabaseDep, body: CommissionStructureIn
) -> CommissionStructureOut:
    return _structure_out(agents.create_commission_structure(db, ws, _structure_in(body)))


@router.get("/commission-structures", response_model=list[CommissionStructureOut])
def list_commission_structures(ws: WorkspaceDep, db: DatabaseDep) -> list[CommissionStructureOut]:
    return [_structure_out(s) for s in agents.list_commission_structures(db, ws)]


@router.get("/commission-structures/{structureId}", response_model=CommissionStructureOut)
def get_commission_structure(ws: WorkspaceDep, db: DatabaseDep, structureId: str) -> CommissionStructureOut:
    return _structure_out(agents.get_commission_structure(db, ws, structureId))


@router.put("/commission-structures/{structureId}", response_model=CommissionStructureOut)
def replace_commission_structure(
    ws: WorkspaceDep, db: DatabaseDep, structureId: str, body: CommissionStructureIn
) -> CommissionStructureOut:
    """From now on; tickets already sold keep the commission they were sold with."""
    return _structure_out(agents.replace_commission_structure(db, ws, structureId, _structure_in(body)))


class AgentIn(ApiModel):
    login: ShortName = Field(description="What the agent signs its Agency API requests as")
    first_name: ShortName = ""
    last_name: ShortName = ""
    email: Annotated[str, Field(max_length=320)]
    address: dict[Annotated[str, Field(max_length=100)], Annotated[str, Field(max_length=500)]] = {}
    commission_structure_id: str | None = None
    restricted: bool = Field(False, description="Sells only what is in its locks")
    delivery_methods: list[DeliveryMethod] = ["collect", "careOfAgent"]


class AgentPatch(ApiModel):
    """Only the fields given change; `commissionStructureId: null` removes the agent's structure."""

    commission_structure_id: str | None = None
    restricted: bool | None = None
    delivery_methods: list[DeliveryMethod] | None = None
    active: bool | None = None


class AgentOut(ApiModel):
    id: str = Field(description="The agent's customer record id")
    login: str
    name: str
    commission_structure_id: str | None
    restricted: bool
    delivery_methods: list[str]
    active: bool
    lock_channel_key: str = Field(description="The key of the channel that is this agent's lock on an event")


class AgentWithKeyOut(AgentOut):
    key: str = Field(description="The Agency API signing key; shown only now")


def _agent_out(a: Agent) -> AgentOut:
    return AgentOut(
        id=a.id,
        login=a.login,
        name=a.name,
        commission_structure_id=a.commission_structure_id,
        restricted=a.restricted,
        delivery_methods=list(a.delivery_methods),
        active=a.active,
        lock_channel_key=a.lock_key,
    )


def _with_key(new: NewAgent) -> AgentWithKeyOut:
    return AgentWithKeyOut(**_agent_out(new.agent).model_dump(), key=new.key)


def _secret(request: Request) -> str:
    secret: str = request.app.state.settings.system_secret
    return secret


@router.post("/agents", status_code=201, response_model=AgentWithKeyOut)
def create_agent(request: Request, ws: WorkspaceDep, db: DatabaseDep, body: AgentIn) -> AgentWithKeyOut:
    setup = AgentSetup(
        login=body.login,
        customer=CustomerDetails(body.first_name, body.last_name, body.email, dict(body.address)),
        commission_structure_id=body.commission_structure_id,
        restricted=body.restricted,
        delivery_methods=tuple(body.delivery_methods),
    )
    return _with_key(agents.create_agent(db, ws, setup, system_secret=_secret(request)))


@router.get("/agents", response_model=list[AgentOut])
def list_agents(ws: WorkspaceDep, db: DatabaseDep) -> list[AgentOut]:
    return [_agent_out(a) for a in agents.list_agents(db, ws)]


@router.get("/agents/{agentId}", response_model=AgentOut)
def get_agent(ws: WorkspaceDep, db: DatabaseDep, agentId: str) -> AgentOut:
    return _agent_out(agents.get_agent(db, ws, agentId))


@router.patch("/agents/{agentId}", response_model=AgentOut)
def update_agent(ws: WorkspaceDep, db: DatabaseDep, agentId: str, body: AgentPatch) -> AgentOut:
    given = body.model_fields_set
    changed = agents.update_agent(
        db,
        ws,
        agentId,
        commission_structure_id=body.commission_structure_id if "commission_structure_id" in given else agents.UNSET,
        restricted=body.restricted,
        delivery_methods=tuple(body.delivery_methods) if body.delivery_methods is not None else None,
        active=body.active,
    )
    return _agent_out(changed)


@router.post("/agents/{agentId}/regenerate-key", response_model=AgentWithKeyOut)
def regenerate_key(request: Request, ws: WorkspaceDep, db: DatabaseDep, agentId: str) -> AgentWithKeyOut:
    """A new signing key; the old one stops working at once."""
    return _with_key(agents.regenerate_key(db, ws, agentId, system_secret=_secret(request)))
