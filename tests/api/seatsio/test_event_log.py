"""The event log through the official SDK: which changes make an item, in which order, and its paging."""

from __future__ import annotations

from typing import Any

import httpx
import seatsio
from seatsio import ChannelCreationParams, TableBookingConfig

from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing


def _log(client: Any) -> list[tuple[str, str]]:
    return [(i.type, i.data["key"]) for i in client.event_log.list()]


def test_charts_created_and_published_oldest_first(company: SeatsioCompany) -> None:
    client = company.client
    chart = client.charts.create()
    client.charts.update(chart.key, "renamed")  # no event uses it: published at once
    client.events.create(chart.key, event_key="show")
    client.charts.update(chart.key, "again")  # now a draft, published only when asked
    assert _log(client) == [("chart.created", chart.key), ("chart.published", chart.key)]

    client.charts.publish_draft_version(chart.key)
    copy = client.charts.copy(chart.key)

    assert _log(client) == [
        ("chart.created", chart.key),
        ("chart.published", chart.key),
        ("chart.published", chart.key),
        ("chart.created", copy.key),
    ]
    first = client.event_log.list().current()
    assert first.id > 0 and first.timestamp is not None
    assert first.data == {"key": chart.key, "workspaceKey": company.workspace_key}


def test_event_configuration_changes_are_logged_and_status_changes_are_not(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing(rows=2, seats_per_row=4))
    client = company.client
    client.events.create("hall", event_key="show")
    before = _log(client)

    client.events.book("show", ["A-1"])
    client.events.hold("show", ["A-2"], client.hold_tokens.create().hold_token)
    assert _log(client) == before

    client.events.mark_as_not_for_sale("show", ["A-3"])
    client.events.channels.add_multiple("show", [ChannelCreationParams("vip", "VIP", "#FF0000", 1, ["A-4"])])
    client.events.update("show", object_categories={"B-1": 2})
    client.events.update("show", table_booking_config=TableBookingConfig.all_by_table())
    client.events.update("show", name="renamed")  # nothing the event log knows about

    assert _log(client)[len(before) :] == [
        ("event.for.sale.config.updated", "show"),
        ("event.channels.updated", "show"),
        ("event.categories.updated", "show"),
        ("event.table.booking.config.updated", "show"),
    ]


def test_the_log_is_paged_oldest_first(company: SeatsioCompany) -> None:
    keys = [company.client.charts.create().key for _ in range(5)]
    url, auth = f"{company.base_url}/event-log", (company.secret_key, "")

    first = httpx.get(url, params={"limit": 2}, auth=auth).json()
    second = httpx.get(url, params={"limit": 2, "start_after_id": first["next_page_starts_after"]}, auth=auth).json()
    back = httpx.get(url, params={"limit": 2, "end_before_id": second["previous_page_ends_before"]}, auth=auth).json()

    assert [i["data"]["key"] for i in first["items"]] == keys[:2] and "previous_page_ends_before" not in first
    assert [i["data"]["key"] for i in second["items"]] == keys[2:4]
    assert back["items"] == first["items"]
    page = company.client.event_log.list_page_after(second["next_page_starts_after"], page_size=2)
    assert [i.data["key"] for i in page.items] == keys[4:] and page.next_page_starts_after is None


def test_each_workspace_has_its_own_log(company: SeatsioCompany) -> None:
    admin = seatsio.Client(seatsio.Region(company.base_url), secret_key=company.admin_key, max_retries=0)
    other = admin.workspaces.create("other")
    other_client = seatsio.Client(seatsio.Region(company.base_url), secret_key=other.secret_key, max_retries=0)

    chart = company.client.charts.create()

    assert _log(admin) == [("chart.created", chart.key)]  # the admin key alone: the default workspace
    assert _log(other_client) == []
