"""Workspaces through the official SDK, with the company admin key."""

from __future__ import annotations

import pytest
import seatsio
from seatsio.exceptions import SeatsioException

from tests.api.seatsio.conftest import SeatsioCompany


def test_create_retrieve_list_and_update(company: SeatsioCompany) -> None:
    admin = seatsio.Client(seatsio.Region(company.base_url), secret_key=company.admin_key, max_retries=0)

    created = admin.workspaces.create("a workspace", is_test=True)
    admin.workspaces.update(created.key, "renamed")

    assert created.id and created.key and created.secret_key and created.name == "a workspace"
    assert created.is_test is True and created.is_active is True and created.is_default is False
    retrieved = admin.workspaces.retrieve(created.key)
    assert (retrieved.key, retrieved.name, retrieved.secret_key) == (created.key, "renamed", None)
    default = admin.workspaces.retrieve(company.workspace_key)
    assert default.is_default is True and default.name == "Default workspace"
    assert [w.key for w in admin.workspaces.list()] == [company.workspace_key, created.key]
    assert [w.key for w in admin.workspaces.list(filter="renamed")] == [created.key]
    assert len(list(admin.workspaces.active.list())) == 2 and list(admin.workspaces.inactive.list()) == []

    own = seatsio.Client(seatsio.Region(company.base_url), secret_key=created.secret_key, max_retries=0)
    chart = own.charts.create(name="in the new workspace")
    by_header = seatsio.Client(
        seatsio.Region(company.base_url), secret_key=company.admin_key, workspace_key=created.key, max_retries=0
    )
    assert by_header.charts.retrieve(chart.key).name == "in the new workspace"
    with pytest.raises(SeatsioException) as caught:
        company.client.charts.retrieve(chart.key)  # another workspace's chart
    assert caught.value.errors[0]["code"] == "CHART_NOT_FOUND"


def test_workspace_keys_cannot_manage_workspaces(company: SeatsioCompany) -> None:
    with pytest.raises(SeatsioException) as caught:
        company.client.workspaces.create("nope")
    assert caught.value.errors[0]["code"] == "FORBIDDEN"
    assert company.client.workspaces.retrieve(company.workspace_key).is_default is True
    admin = seatsio.Client(seatsio.Region(company.base_url), secret_key=company.admin_key, max_retries=0)
    with pytest.raises(SeatsioException) as caught:
        admin.workspaces.retrieve("no-such-workspace")
    assert caught.value.errors[0]["code"] == "WORKSPACE_NOT_FOUND"


def test_workspaces_are_listed_a_page_at_a_time(company: SeatsioCompany) -> None:
    admin = seatsio.Client(seatsio.Region(company.base_url), secret_key=company.admin_key, max_retries=0)
    made = [admin.workspaces.create(f"workspace {n}") for n in range(3)]
    oldest_first = [company.workspace_key, *(w.key for w in made)]

    first = admin.workspaces.list_first_page(page_size=3)
    assert [w.key for w in first.items] == oldest_first[:3] and first.next_page_starts_after is not None
    rest = admin.workspaces.list_page_after(first.next_page_starts_after, page_size=3)
    assert [w.key for w in rest.items] == oldest_first[3:] and rest.next_page_starts_after is None
    assert [w.key for w in admin.workspaces.list()] == oldest_first
