"""Customers: name, email, address; and their orders."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, ApiModel
from boxoffice.api.admin.orders import OrderOut, order_out
from boxoffice.domain.catalogue import Customer
from boxoffice.services import customers, orders
from boxoffice.services.customers import CustomerDetails

router = APIRouter(tags=["customers"], responses=RESPONSES)


class CustomerIn(ApiModel):
    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    address: dict[str, str] = {}


class CustomerPatch(ApiModel):
    """Only the fields given change (email may be set to null)."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    address: dict[str, str] | None = None


class CustomerOut(ApiModel):
    id: str
    first_name: str
    last_name: str
    email: str | None
    address: dict[str, Any]


def _out(c: Customer) -> CustomerOut:
    return CustomerOut(id=c.id, first_name=c.first_name, last_name=c.last_name, email=c.email, address=c.address)


@router.post("/customers", status_code=201, response_model=CustomerOut)
def create_customer(ws: WorkspaceDep, db: DatabaseDep, body: CustomerIn) -> CustomerOut:
    details = CustomerDetails(body.first_name, body.last_name, body.email, dict(body.address))
    return _out(customers.create_customer(db, ws, details))


@router.get("/customers", response_model=list[CustomerOut])
def list_customers(
    ws: WorkspaceDep, db: DatabaseDep, email: Annotated[str | None, Query(description="Exact email")] = None
) -> list[CustomerOut]:
    return [_out(c) for c in customers.list_customers(db, ws, email=email)]


@router.get("/customers/{customerId}", response_model=CustomerOut)
def get_customer(ws: WorkspaceDep, db: DatabaseDep, customerId: str) -> CustomerOut:
    return _out(customers.get_customer(db, ws, customerId))


@router.patch("/customers/{customerId}", response_model=CustomerOut)
def update_customer(ws: WorkspaceDep, db: DatabaseDep, customerId: str, body: CustomerPatch) -> CustomerOut:
    current = customers.get_customer(db, ws, customerId)
    given = body.model_fields_set
    details = CustomerDetails(
        first_name=body.first_name if "first_name" in given and body.first_name is not None else current.first_name,
        last_name=body.last_name if "last_name" in given and body.last_name is not None else current.last_name,
        email=body.email if "email" in given else current.email,
        address=dict(body.address) if body.address is not None else current.address,
    )
    return _out(customers.update_customer(db, ws, customerId, details))


@router.get("/customers/{customerId}/orders", response_model=list[OrderOut])
def customer_orders(ws: WorkspaceDep, db: DatabaseDep, customerId: str) -> list[OrderOut]:
    customers.get_customer(db, ws, customerId)  # 404 for an unknown customer, not an empty list
    return [order_out(o) for o in orders.search_orders(db, ws, customer_id=customerId)]
