"""The hot calls answer the same with the group commit switched off (BOXOFFICE_GROUP_COMMIT=0) as with it on."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import seatsio
from seatsio.exceptions import SeatsioException

from boxoffice.storage.uow import Database
from tests.api.conftest import SYSTEM_SECRET, serve
from tests.factories import small_drawing

pytestmark = pytest.mark.filterwarnings("ignore:keys will default to True:DeprecationWarning")  # the SDK's jsonpickle


@pytest.fixture(params=[True, False], ids=["group-commit", "one-transaction-each"])
def seating_url(db: Database, request: pytest.FixtureRequest) -> Iterator[str]:
    for server in serve(db, group_commit=request.param):
        yield f"{server.url}/seating"


def test_hold_book_and_best_available_either_way(seating_url: str) -> None:
    created = httpx.post(f"{seating_url}/system/private/create-test-company", auth=(SYSTEM_SECRET, ""))
    secret = created.json()["workspace"]["secretKey"]
    posted = httpx.post(f"{seating_url}/system/public/charts/hall", json=small_drawing(), auth=(secret, ""))
    assert posted.status_code == 201
    client = seatsio.Client(seatsio.Region(seating_url), secret_key=secret, max_retries=0)
    client.events.create("hall", event_key="show")

    token = client.hold_tokens.create(expires_in_minutes=5).hold_token
    assert client.hold_tokens.retrieve(token).expires_in_seconds > 200
    held = client.events.hold("show", ["A-1", "A-2"], token)
    assert {o.status for o in held.objects.values()} == {"reservedByToken"}
    with pytest.raises(SeatsioException) as taken:
        client.events.book("show", ["A-2"])  # held by someone else's token
    assert taken.value.errors and taken.value.errors[0]["code"] == "ILLEGAL_STATUS_CHANGE"
    client.events.book("show", ["A-1", "A-2"], hold_token=token, order_id="o1")
    assert client.events.retrieve_object_info("show", "A-1").status == "booked"

    best = client.events.hold_best_available("show", 3, hold_token=token)
    assert len(best.objects) == 3 and best.next_to_each_other
    assert {d.status for d in best.objectDetails.values()} == {"reservedByToken"}
    assert {client.events.retrieve_object_info("show", label).status for label in best.objects} == {"reservedByToken"}
    with pytest.raises(SeatsioException) as unknown:
        client.events.book("show", ["Z-99"])
    assert unknown.value.errors and unknown.value.errors[0]["code"] == "OBJECT_NOT_FOUND"
