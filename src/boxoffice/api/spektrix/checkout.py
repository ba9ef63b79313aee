"""Express checkout: the basket becomes an order (every hold a booking) in one transaction, paid by a
built-in provider (``payLater``: pay at the box office / invoice later; ``testCard``: the test card
provider). Send an ``Idempotency-Key`` header: the same key returns the same order. A basket checks out
once; a second checkout of it fails (BASKET_ALREADY_CHECKED_OUT). The basket cannot lapse while its
checkout runs. Afterwards the cookie's next basket call starts a new, empty basket."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Header
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.spektrix.auth import BasketSession, api_user, apply_basket_cookie, basket_session, require_api_user
from boxoffice.api.spektrix.schemas import BACK_OFFICE_ERRORS, CheckoutIn, OrderOut
from boxoffice.api.spektrix.serialize import PAYMENT_METHODS, order_json
from boxoffice.services.checkout import CheckoutRequest, checkout
from boxoffice.services.customers import CustomerDetails
from boxoffice.services.lookups import Lookup
from boxoffice.services.payments import PaymentRequest
from boxoffice.storage.api_users import ApiUser

router = APIRouter(tags=["checkout"])


@router.post("/basket/checkout", response_model=OrderOut, responses=BACK_OFFICE_ERRORS)
async def express_checkout(
    body: CheckoutIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
    session: BasketSession = Depends(basket_session),
    user: ApiUser | None = Depends(api_user),
) -> FastJSONResponse:
    if body.customerId is not None:
        require_api_user(user)  # naming an existing customer by id is for back-office integrations
    customer = (
        CustomerDetails(body.customer.firstName, body.customer.lastName, body.customer.email, body.customer.address)
        if body.customer is not None
        else None
    )
    payment = PaymentRequest(PAYMENT_METHODS[body.payment.method], card_number=body.payment.cardNumber)

    def run() -> dict[str, Any]:
        order = session.run(
            lambda basket_id: checkout(
                session.db,
                session.workspace,
                CheckoutRequest(basket_id, payment, customer, body.customerId, idempotency_key),
                policy=session.policy,
            ),
            renew_consumed=False,
        )
        with Lookup(session.db, session.workspace).reading() as lookup:
            return order_json(lookup, order)

    response = FastJSONResponse(await run_in_threadpool(run))
    apply_basket_cookie(session.request, response)
    return response
