"""Agents and commission structures (domain/agents.py). An agent's row hangs off its customer record."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from boxoffice.domain.agents import Agent, CommissionStructure
from boxoffice.storage.commerce_tables import agents, commission_structures, customers


def _structure(m: Any) -> CommissionStructure:
    return CommissionStructure(
        id=m["id"],
        workspace_id=m["workspace_id"],
        name=m["name"],
        kind=m["kind"],
        currency=m["currency"],
        fixed_amount=m["fixed_amount"],
        basis_points=m["basis_points"],
        matrix={k: dict(v) for k, v in (m["matrix"] or {}).items()},
    )


def _agent(m: Any) -> Agent:
    name = " ".join(part for part in (m["first_name"], m["last_name"]) if part)
    return Agent(
        id=m["customer_id"],
        workspace_id=m["workspace_id"],
        login=m["login"],
        name=name,
        created_at=m["created_at"],
        commission_structure_id=m["commission_structure_id"],
        restricted=bool(m["restricted"]),
        delivery_methods=tuple(m["delivery_methods"] or ()),
        active=bool(m["active"]),
        key_salt=m["key_salt"],
    )


_AGENTS = select(agents, customers.c.first_name, customers.c.last_name).join(
    customers, customers.c.id == agents.c.customer_id
)


class AgentRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- commission structures ------------------------------------------------------------------------------
    def add_structure(self, s: CommissionStructure) -> None:
        self.conn.execute(
            insert(commission_structures).values(
                id=s.id,
                workspace_id=s.workspace_id,
                name=s.name,
                kind=s.kind,
                currency=s.currency,
                fixed_amount=s.fixed_amount,
                basis_points=s.basis_points,
                matrix={k: dict(v) for k, v in s.matrix.items()},
            )
        )

    def replace_structure(self, s: CommissionStructure) -> None:
        self.conn.execute(
            update(commission_structures)
            .where(commission_structures.c.id == s.id)
            .values(
                name=s.name,
                kind=s.kind,
                currency=s.currency,
                fixed_amount=s.fixed_amount,
                basis_points=s.basis_points,
                matrix={k: dict(v) for k, v in s.matrix.items()},
            )
        )

    def structure(self, workspace_id: int, structure_id: str) -> CommissionStructure | None:
        row = (
            self.conn.execute(
                select(commission_structures).where(
                    commission_structures.c.workspace_id == workspace_id, commission_structures.c.id == structure_id
                )
            )
            .mappings()
            .first()
        )
        return _structure(row) if row else None

    def structures(self, workspace_id: int) -> list[CommissionStructure]:
        rows = self.conn.execute(
            select(commission_structures)
            .where(commission_structures.c.workspace_id == workspace_id)
            .order_by(commission_structures.c.name, commission_structures.c.id)
        ).mappings()
        return [_structure(r) for r in rows]

    # -- agents -------------------------------------------------------------------------------------------
    def add(self, agent: Agent) -> None:
        self.conn.execute(
            insert(agents).values(
                customer_id=agent.id,
                workspace_id=agent.workspace_id,
                login=agent.login,
                commission_structure_id=agent.commission_structure_id,
                restricted=agent.restricted,
                delivery_methods=list(agent.delivery_methods),
                active=agent.active,
                key_salt=agent.key_salt,
                created_at=agent.created_at,
            )
        )

    def update(self, agent_id: str, **values: Any) -> None:
        if "delivery_methods" in values:
            values["delivery_methods"] = list(values["delivery_methods"])
        self.conn.execute(update(agents).where(agents.c.customer_id == agent_id).values(**values))

    def get(self, workspace_id: int, agent_id: str) -> Agent | None:
        row = (
            self.conn.execute(_AGENTS.where(agents.c.workspace_id == workspace_id, agents.c.customer_id == agent_id))
            .mappings()
            .first()
        )
        return _agent(row) if row else None

    def by_login(self, workspace_id: int, login: str) -> Agent | None:
        row = (
            self.conn.execute(_AGENTS.where(agents.c.workspace_id == workspace_id, agents.c.login == login))
            .mappings()
            .first()
        )
        return _agent(row) if row else None

    def list(self, workspace_id: int) -> list[Agent]:
        rows = self.conn.execute(
            _AGENTS.where(agents.c.workspace_id == workspace_id).order_by(agents.c.login)
        ).mappings()
        return [_agent(r) for r in rows]

    def uses_structure(self, structure_id: str) -> bool:
        found = self.conn.execute(
            select(agents.c.customer_id).where(agents.c.commission_structure_id == structure_id).limit(1)
        ).first()
        return found is not None
