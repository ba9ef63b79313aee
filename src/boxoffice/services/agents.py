"""Agents and their commission structures (domain/agents.py): set up by the venue, used by the Agency API.

An agent signs its Agency API requests exactly as an API user does (``SpektrixAPI3 {login}:{signature}``,
services/api_users.py), with a key that is never stored: it is derived from the system secret, the
agent's id and a salt kept with the agent,

    key = base64(HMAC-SHA256(BOXOFFICE_SYSTEM_SECRET, "agent:{id}:{salt}"))

so it is shown once, when the agent is made or its key regenerated (a new salt: the old key stops
working at once). A login is unique among a workspace's agents and API users alike, so a signature names
one caller.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from boxoffice.domain.agents import (
    DELIVERY_METHODS,
    Agent,
    CommissionStructure,
    check_delivery_methods,
    check_login,
)
from boxoffice.domain.baskets import BasketTicket, OrderTicket
from boxoffice.domain.errors import AlreadyExists, CatalogueItemNotFound, Conflict, InvalidInput, Unauthorized
from boxoffice.domain.records import Workspace
from boxoffice.services.api_users import signs_one_of
from boxoffice.services.clock import utcnow
from boxoffice.services.customers import CustomerDetails, create_customer_in
from boxoffice.services.ids import new_id
from boxoffice.services.keys import signing_key
from boxoffice.storage.api_users import ApiUserRepository
from boxoffice.storage.uow import Database, UnitOfWork


class AgentNotFound(CatalogueItemNotFound):
    code = "AGENT_NOT_FOUND"


class CommissionStructureNotFound(CatalogueItemNotFound):
    code = "COMMISSION_STRUCTURE_NOT_FOUND"


# -- commission structures ----------------------------------------------------------------------------------
def create_commission_structure(
    db: Database, workspace: Workspace, structure: CommissionStructure
) -> CommissionStructure:
    made = replace(structure, id=new_id(), workspace_id=workspace.id).validated()
    with db.write() as uow:
        uow.agents.add_structure(made)
        uow.commit()
    return made


def replace_commission_structure(
    db: Database, workspace: Workspace, structure_id: str, structure: CommissionStructure
) -> CommissionStructure:
    """A new definition for what agents earn from now on; orders already made keep their commission."""
    made = replace(structure, id=structure_id, workspace_id=workspace.id).validated()
    with db.write() as uow:
        _structure(uow, workspace, structure_id)
        uow.agents.replace_structure(made)
        uow.commit()
    return made


def get_commission_structure(db: Database, workspace: Workspace, structure_id: str) -> CommissionStructure:
    with db.read() as uow:
        return _structure(uow, workspace, structure_id)


def list_commission_structures(db: Database, workspace: Workspace) -> list[CommissionStructure]:
    with db.read() as uow:
        return uow.agents.structures(workspace.id)


def _structure(uow: UnitOfWork, workspace: Workspace, structure_id: str) -> CommissionStructure:
    found = uow.agents.structure(workspace.id, structure_id)
    if found is None:
        raise CommissionStructureNotFound(f"Commission structure not found: {structure_id}")
    return found


# -- agents -------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AgentSetup:
    login: str
    customer: CustomerDetails
    commission_structure_id: str | None = None
    restricted: bool = False
    delivery_methods: tuple[str, ...] = DELIVERY_METHODS


@dataclass(frozen=True, slots=True)
class NewAgent:
    agent: Agent
    key: str  # shown once


def derive_key(system_secret: str, agent: Agent) -> str:
    if not system_secret:
        raise InvalidInput("Agents need BOXOFFICE_SYSTEM_SECRET to be set")
    return signing_key(system_secret, f"agent:{agent.id}:{agent.key_salt}")


def create_agent(db: Database, workspace: Workspace, setup: AgentSetup, *, system_secret: str) -> NewAgent:
    """A customer record for the agent (an email is required, as Spektrix requires one per agent record)
    and the agent flag on it, with its first key."""
    if not system_secret:
        raise InvalidInput("Agents need BOXOFFICE_SYSTEM_SECRET to be set")
    login = check_login(setup.login)
    methods = check_delivery_methods(setup.delivery_methods)
    if not setup.customer.email:
        raise InvalidInput("An agent needs an email address")
    with db.write() as uow:
        _check_login_free(uow, workspace, login)
        if setup.commission_structure_id is not None:
            _structure(uow, workspace, setup.commission_structure_id)
        customer = create_customer_in(uow, workspace, setup.customer)
        name = " ".join(p for p in (customer.first_name, customer.last_name) if p)
        agent = Agent(
            id=customer.id,
            workspace_id=workspace.id,
            login=login,
            name=name,
            created_at=utcnow(),
            commission_structure_id=setup.commission_structure_id,
            restricted=setup.restricted,
            delivery_methods=methods,
            key_salt=secrets.token_hex(16),
        )
        uow.agents.add(agent)
        uow.commit()
    return NewAgent(agent, derive_key(system_secret, agent))


def _check_login_free(uow: UnitOfWork, workspace: Workspace, login: str) -> None:
    if uow.agents.by_login(workspace.id, login) is not None:
        raise AlreadyExists(f"An agent with login {login!r} already exists")
    if ApiUserRepository(uow.connection).by_name(workspace.id, login) is not None:
        raise AlreadyExists(f"An API user is called {login!r}; an agent login must differ from API user names")


def get_agent(db: Database, workspace: Workspace, agent_id: str) -> Agent:
    with db.read() as uow:
        return agent_in(uow, workspace, agent_id)


def agent_in(uow: UnitOfWork, workspace: Workspace, agent_id: str) -> Agent:
    found = uow.agents.get(workspace.id, agent_id)
    if found is None:
        raise AgentNotFound(f"Agent not found: {agent_id}")
    return found


def list_agents(db: Database, workspace: Workspace) -> list[Agent]:
    with db.read() as uow:
        return uow.agents.list(workspace.id)


UNSET: Any = object()  # "not given" for update_agent's optional arguments


def update_agent(
    db: Database,
    workspace: Workspace,
    agent_id: str,
    *,
    commission_structure_id: str | object | None = UNSET,
    restricted: bool | None = None,
    delivery_methods: tuple[str, ...] | None = None,
    active: bool | None = None,
) -> Agent:
    """Only what is given changes (`commission_structure_id=None` removes the agent's structure)."""
    values: dict[str, object] = {}
    if restricted is not None:
        values["restricted"] = restricted
    if active is not None:
        values["active"] = active
    if delivery_methods is not None:
        values["delivery_methods"] = check_delivery_methods(delivery_methods)
    with db.write() as uow:
        agent_in(uow, workspace, agent_id)
        if commission_structure_id is not UNSET:
            if isinstance(commission_structure_id, str):
                _structure(uow, workspace, commission_structure_id)
            values["commission_structure_id"] = commission_structure_id
        if values:
            uow.agents.update(agent_id, **values)
        agent = agent_in(uow, workspace, agent_id)
        uow.commit()
    return agent


def regenerate_key(db: Database, workspace: Workspace, agent_id: str, *, system_secret: str) -> NewAgent:
    if not system_secret:
        raise InvalidInput("Agents need BOXOFFICE_SYSTEM_SECRET to be set")
    with db.write() as uow:
        agent_in(uow, workspace, agent_id)
        uow.agents.update(agent_id, key_salt=secrets.token_hex(16))
        agent = agent_in(uow, workspace, agent_id)
        uow.commit()
    return NewAgent(agent, derive_key(system_secret, agent))


def find_signer(db: Database, workspace: Workspace, login: str) -> Agent | None:
    """The agent that signs as `login`, if there is one (active or not)."""
    with db.read() as uow:
        return uow.agents.by_login(workspace.id, login)


def verify(agent: Agent, messages: list[str], signature: str, *, system_secret: str) -> Agent:
    """`agent`, if it is active and `signature` signs one of `messages` with its key; else Unauthorized."""
    if not system_secret:
        raise Unauthorized("Signed requests are not enabled on this server")
    if not agent.active:
        raise Unauthorized("This agent is not active")
    if not signs_one_of(derive_key(system_secret, agent), messages, signature):
        raise Unauthorized("The signature does not match")
    return agent


# -- commission on a sale -------------------------------------------------------------------------------------
def commission_structure_of(uow: UnitOfWork, agent: Agent) -> CommissionStructure | None:
    if agent.commission_structure_id is None:
        return None
    return uow.agents.structure(agent.workspace_id, agent.commission_structure_id)


def with_commission(
    tickets: tuple[OrderTicket, ...], structure: CommissionStructure | None, currency: str
) -> tuple[OrderTicket, ...]:
    """The order's tickets with the agent's commission on each (none without a structure). A structure in
    another currency than the order's cannot be applied: refused, so an invoice never mixes currencies."""
    if structure is None:
        return tickets
    if structure.currency != currency:
        raise Conflict(f"The agent's commission structure is in {structure.currency}; this order is in {currency}")
    return tuple(
        replace(t, commission=structure.commission(t.price, t.ticket_type_id, t.category_key)) for t in tickets
    )


def basket_commission(tickets: tuple[BasketTicket, ...], structure: CommissionStructure | None) -> Mapping[str, int]:
    """Per basket ticket id, what the agent would earn on it (for showing a basket to its agent)."""
    if structure is None:
        return {t.id: 0 for t in tickets}
    return {t.id: structure.commission(t.price, t.ticket_type_id, t.category_key) for t in tickets}
