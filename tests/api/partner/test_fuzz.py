"""Hostile input against the partner API: never a 5xx, never an answer its own OpenAPI document denies (the
envelope included), on SQLite and on PostgreSQL, with a valid token so the fuzzing reaches the routes."""

from __future__ import annotations

import requests

from tests.api.fuzzing import fuzz_document
from tests.api.partner.conftest import PartnerApi


def test_schema_driven_fuzz(api: PartnerApi) -> None:
    client = api.authed()
    quote = client.post("/v1/quotes", json={"event_id": api.shop.event_key, "row": "C", "quantity": 2}).json()["data"]
    session = requests.Session()
    session.headers["Authorization"] = client.headers["Authorization"]
    base = f"{api.server.url}/partner"
    known = {"event_id": api.shop.event_key, "quote_id": quote["id"], "order_id": "nope"}
    operations, failures = fuzz_document(f"{base}/openapi.json", base, session, known=known)
    assert operations == 8
    assert not failures, "\n\n".join(failures)
