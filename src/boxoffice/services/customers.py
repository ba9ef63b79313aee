"""Customers: name, email, address; and their orders."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from boxoffice.domain.catalogue import Customer
from boxoffice.domain.errors import CatalogueItemNotFound, InvalidInput
from boxoffice.domain.records import Workspace
from boxoffice.services.clock import utcnow
from boxoffice.services.ids import new_id
from boxoffice.storage.uow import Database, UnitOfWork

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class CustomerDetails:
    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    address: dict[str, Any] = field(default_factory=dict)

    def validated(self) -> CustomerDetails:
        if self.email is not None and (len(self.email) > 320 or not _EMAIL.match(self.email)):
            raise InvalidInput(f"Not an email address: {self.email!r}")
        if len(self.first_name) > 200 or len(self.last_name) > 200:
            raise InvalidInput("Names are at most 200 characters")
        return self


def create_customer(db: Database, workspace: Workspace, details: CustomerDetails) -> Customer:
    with db.write() as uow:
        customer = create_customer_in(uow, workspace, details)
        uow.commit()
    return customer


def create_customer_in(uow: UnitOfWork, workspace: Workspace, details: CustomerDetails) -> Customer:
    details = details.validated()
    customer = Customer(
        new_id(), workspace.id, details.first_name, details.last_name, details.email, dict(details.address)
    )
    uow.catalogue.add_customer(customer, utcnow())
    return customer


def find_or_create_in(uow: UnitOfWork, workspace: Workspace, details: CustomerDetails) -> Customer:
    """The customer with this email, or a new one (an order always has someone to belong to)."""
    details = details.validated()
    if details.email:
        found = uow.catalogue.customer_by_email(workspace.id, details.email)
        if found is not None:
            return found
    return create_customer_in(uow, workspace, details)


def get_customer(db: Database, workspace: Workspace, customer_id: str) -> Customer:
    with db.read() as uow:
        customer = uow.catalogue.customer(workspace.id, customer_id)
    if customer is None:
        raise CatalogueItemNotFound(f"Customer not found: {customer_id}")
    return customer


def list_customers(db: Database, workspace: Workspace, *, email: str | None = None) -> list[Customer]:
    with db.read() as uow:
        return uow.catalogue.customers(workspace.id, email=email)


def update_customer(db: Database, workspace: Workspace, customer_id: str, details: CustomerDetails) -> Customer:
    details = details.validated()
    with db.write() as uow:
        if uow.catalogue.customer(workspace.id, customer_id) is None:
            raise CatalogueItemNotFound(f"Customer not found: {customer_id}")
        uow.catalogue.update_customer(
            customer_id,
            first_name=details.first_name,
            last_name=details.last_name,
            email=details.email,
            address=dict(details.address),
        )
        customer = uow.catalogue.customer(workspace.id, customer_id)
        uow.commit()
    assert customer is not None
    return customer
