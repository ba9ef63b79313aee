"""Hostile input against the marketplace API: never a 5xx, never an answer its own OpenAPI document denies,
on SQLite and on PostgreSQL. Every generated request is signed (a session that signs what it sends), so the
fuzzing gets past the signature to the routes."""

from __future__ import annotations

import time
from typing import Any

import requests

from boxoffice.services import marketplaces
from tests.api.fuzzing import fuzz_document
from tests.api.marketplace.conftest import Market


class SigningSession(requests.Session):
    def __init__(self, marketplace_id: str, key: str) -> None:
        super().__init__()
        self.marketplace_id, self.key = marketplace_id, key

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        body = request.body or b""
        raw = body.encode() if isinstance(body, str) else bytes(body) if isinstance(body, bytes) else b""
        timestamp = str(int(time.time()))
        message = marketplaces.signed_message(timestamp, request.method or "GET", request.path_url, raw)
        request.headers["X-Marketplace-Id"] = self.marketplace_id
        request.headers["X-Timestamp"] = timestamp
        request.headers["X-Signature"] = marketplaces.sign(self.key, message)
        return super().send(request, **kwargs)


def test_schema_driven_fuzz(market: Market) -> None:
    for kind in ("orderIntegration", "instantNotification"):
        setup = {"name": kind, "kind": kind, "ticketTypeId": market.shop.adult}
        made = market.admin.post("/marketplaces", json=setup).json()
        session = SigningSession(made["id"], made["key"])
        hold = session.post(
            f"{market.server.url}/marketplace/v1/holds",
            json={"reference": "F-1", "eventKey": market.shop.event_key, "seats": ["C-9"]},
        )
        known = {"holdId": hold.json().get("id", "x"), "saleId": "nope"}
        base = f"{market.server.url}/marketplace/v1"
        operations, failures = fuzz_document(f"{base}/openapi.json", base, session, known=known)
        assert operations == 7
        assert not failures, "\n\n".join(failures)
