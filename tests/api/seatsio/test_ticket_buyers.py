"""Ticket buyer ids through the official SDK, and the paging of their list by hand."""

from __future__ import annotations

import uuid

import httpx
import seatsio

from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing


def test_add_says_what_was_added_and_what_was_there(company: SeatsioCompany) -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    first = company.client.ticket_buyers.add([a, b, a, None])
    second = company.client.ticket_buyers.add([b, c])

    assert (first.added, first.already_present) == ([a, b], [])
    assert (second.added, second.already_present) == ([c], [b])
    assert sorted(map(str, company.client.ticket_buyers.list_all())) == sorted(map(str, [a, b, c]))


def test_remove_says_what_was_removed_and_what_was_not_there(company: SeatsioCompany) -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    company.client.ticket_buyers.add([a, b])

    removed = company.client.ticket_buyers.remove([a, c, None])

    assert (removed.removed, removed.not_present) == ([a], [c])
    assert list(company.client.ticket_buyers.list_all()) == [b]


def test_each_workspace_has_its_own_ticket_buyers(company: SeatsioCompany) -> None:
    admin = seatsio.Client(seatsio.Region(company.base_url), secret_key=company.admin_key, max_retries=0)
    other = admin.workspaces.create("other")
    other_client = seatsio.Client(seatsio.Region(company.base_url), secret_key=other.secret_key, max_retries=0)
    a = uuid.uuid4()

    company.client.ticket_buyers.add([a])

    assert list(admin.ticket_buyers.list_all()) == [a]  # the admin key alone: the default workspace
    assert list(other_client.ticket_buyers.list_all()) == []
    assert other_client.ticket_buyers.add([a]).added == [a]


def test_the_list_is_paged_newest_first(company: SeatsioCompany) -> None:
    ids = [str(uuid.uuid4()) for _ in range(5)]
    for one in ids:
        company.client.ticket_buyers.add([one])
    url, auth = f"{company.base_url}/ticket-buyers", (company.secret_key, "")

    first = httpx.get(url, params={"limit": 2}, auth=auth).json()
    second = httpx.get(url, params={"limit": 2, "start_after_id": first["next_page_starts_after"]}, auth=auth).json()
    back = httpx.get(url, params={"limit": 2, "end_before_id": second["previous_page_ends_before"]}, auth=auth).json()

    assert first["items"] == ids[:2:-1] and "previous_page_ends_before" not in first
    assert second["items"] == ids[2:0:-1]
    assert back["items"] == first["items"]
    assert len(list(company.client.ticket_buyers.list_all())) == 5


def test_an_id_that_is_no_uuid_is_refused_and_nothing_is_added(company: SeatsioCompany) -> None:
    url, auth = f"{company.base_url}/ticket-buyers", (company.secret_key, "")

    response = httpx.post(url, json={"ids": [str(uuid.uuid4()), "A-1"]}, auth=auth)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "INVALID_INPUT"
    assert httpx.get(url, auth=auth).json()["items"] == []


def test_secret_key_calls_need_no_ticket_buyer_id(company: SeatsioCompany) -> None:
    """seats.io checks ticket buyer ids only on the renderer's own browser calls (docs.seats.io, "Ticket
    buyer IDs"; "ticketBuyerId" in the renderer's configuration); the server-side SDK sends none with a hold
    token, a hold or a release (seatsio/holdtokens/HoldTokenClient.py), so a registered set changes nothing
    for them."""
    company.client.ticket_buyers.add([uuid.uuid4()])
    company.post_chart("hall", small_drawing(rows=1, seats_per_row=2))
    company.client.events.create("hall", event_key="e")

    token = company.client.hold_tokens.create()
    company.client.events.hold("e", ["A-1"], token.hold_token)
    company.client.events.release("e", ["A-1"], token.hold_token)
    company.client.events.book("e", ["A-2"])

    assert company.client.events.retrieve_object_info("e", "A-1").status == "free"
    assert company.client.events.retrieve_object_info("e", "A-2").status == "booked"
