"""Workspaces through the official SDK, with the company admin key."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import seatsio
from seatsio.exceptions import SeatsioException

from tests.api.seatsio.conftest import SeatsioCompany


def _client(company: SeatsioCompany, secret_key: str, workspace_key: str | None = None) -> Any:
    return seatsio.Client(
        seatsio.Region(company.base_url), secret_key=secret_key, workspace_key=workspace_key, max_retries=0
    )


def _refused(call: Any) -> dict[str, Any]:
    with pytest.raises(SeatsioException) as caught:
        call()
    error: dict[str, Any] = caught.value.errors[0]
    return error


def test_create_retrieve_list_and_update(company: SeatsioCompany) -> None:
    admin = _client(company, company.admin_key)

    created = admin.workspaces.create("a workspace", is_test=True)
    admin.workspaces.update(created.key, "renamed")

    assert created.id and created.key and created.secret_key and created.name == "a workspace"
    assert created.secret_keys == [created.secret_key]
    assert created.is_test is True and created.is_active is True and created.is_default is False
    retrieved = admin.workspaces.retrieve(created.key)
    assert (retrieved.key, retrieved.name, retrieved.secret_key) == (created.key, "renamed", created.secret_key)
    default = admin.workspaces.retrieve(company.workspace_key)
    assert default.is_default is True and default.name == "Production workspace"
    assert default.secret_key == company.secret_key
    assert [w.key for w in admin.workspaces.list()] == [created.key, company.workspace_key]  # newest first
    assert [w.key for w in admin.workspaces.list(filter="renamed")] == [created.key]
    assert len(list(admin.workspaces.active.list())) == 2 and list(admin.workspaces.inactive.list()) == []

    own = _client(company, created.secret_key)
    chart = own.charts.create(name="in the new workspace")
    by_header = _client(company, company.admin_key, created.key)
    assert by_header.charts.retrieve(chart.key).name == "in the new workspace"
    refused = _refused(lambda: company.client.charts.retrieve(chart.key))  # another workspace's chart
    assert refused["code"] == "CHART_NOT_FOUND"


def test_workspace_keys_cannot_manage_workspaces(company: SeatsioCompany) -> None:
    assert _refused(lambda: company.client.workspaces.create("nope"))["code"] == "FORBIDDEN"
    assert _refused(lambda: company.client.workspaces.add_secret_key(company.workspace_key))["code"] == "FORBIDDEN"
    own = company.client.workspaces.retrieve(company.workspace_key)
    assert own.is_default is True and own.secret_key is None  # keys are shown to the company admin only
    admin = _client(company, company.admin_key)
    refused = _refused(lambda: admin.workspaces.retrieve("no-such-workspace"))
    assert refused == {
        "code": "WORKSPACE_NOT_FOUND",
        "message": "No workspace found with public key 'no-such-workspace'",
    }


def test_workspaces_are_listed_a_page_at_a_time(company: SeatsioCompany) -> None:
    admin = _client(company, company.admin_key)
    made = [admin.workspaces.create(f"workspace {n}") for n in range(3)]
    newest_first = [*(w.key for w in reversed(made)), company.workspace_key]

    first = admin.workspaces.list_first_page(page_size=3)
    assert [w.key for w in first.items] == newest_first[:3] and first.next_page_starts_after is not None
    rest = admin.workspaces.list_page_after(first.next_page_starts_after, page_size=3)
    assert [w.key for w in rest.items] == newest_first[3:] and rest.next_page_starts_after is None
    assert [w.key for w in admin.workspaces.list()] == newest_first


def test_secret_keys_are_added_removed_and_regenerated(company: SeatsioCompany) -> None:
    admin = _client(company, company.admin_key)
    ws = admin.workspaces.create("a ws")
    added = admin.workspaces.add_secret_key(ws.key)
    assert sorted(admin.workspaces.retrieve(ws.key).secret_keys) == sorted([ws.secret_key, added])
    _client(company, added).charts.create(name="with the added key")

    admin.workspaces.remove_secret_key(ws.key, ws.secret_key)
    assert admin.workspaces.retrieve(ws.key).secret_keys == [added]
    assert _refused(lambda: _client(company, ws.secret_key).charts.list_first_page())["code"] == "UNAUTHORIZED"
    refused = _refused(lambda: admin.workspaces.remove_secret_key(ws.key, added))
    assert refused["code"] == "WORKSPACE_CHANGE_REFUSED"  # the last key stays
    assert _refused(lambda: admin.workspaces.remove_secret_key(ws.key, "unknown"))["code"] == "SECRET_KEY_NOT_FOUND"

    regenerated = admin.workspaces.regenerate_secret_key(ws.key)
    assert regenerated not in (ws.secret_key, added)
    retrieved = admin.workspaces.retrieve(ws.key)
    assert (retrieved.secret_key, retrieved.secret_keys) == (regenerated, [regenerated])
    assert _refused(lambda: _client(company, added).charts.list_first_page())["code"] == "UNAUTHORIZED"


def test_an_inactive_workspace_refuses_every_call_until_activated(company: SeatsioCompany) -> None:
    admin = _client(company, company.admin_key)
    ws = admin.workspaces.create("a ws")
    own = _client(company, ws.secret_key)
    own.charts.create(name="before")  # its key is now remembered by the server

    admin.workspaces.deactivate(ws.key)
    assert admin.workspaces.retrieve(ws.key).is_active is False
    refused = _refused(lambda: own.charts.create(name="after"))
    assert refused["code"] == "WORKSPACE_INACTIVE"
    response = httpx.get(f"{company.base_url}/charts", auth=(ws.secret_key, ""))
    assert response.status_code == 403 and response.json()["errors"][0]["code"] == "WORKSPACE_INACTIVE"
    assert _refused(lambda: _client(company, company.admin_key, ws.key).charts.create())["code"] == "WORKSPACE_INACTIVE"
    assert [w.key for w in admin.workspaces.inactive.list()] == [ws.key]
    assert ws.key not in [w.key for w in admin.workspaces.active.list()]

    admin.workspaces.activate(ws.key)
    assert own.charts.create(name="again").name == "again"


def test_delete_only_an_inactive_workspace(company: SeatsioCompany) -> None:
    admin = _client(company, company.admin_key)
    ws = admin.workspaces.create("a ws")
    refused = _refused(lambda: admin.workspaces.delete(ws.key))
    assert refused["message"] == "Cannot delete active workspace, please deactivate it first"

    admin.workspaces.deactivate(ws.key)
    admin.workspaces.delete(ws.key)
    assert _refused(lambda: admin.workspaces.retrieve(ws.key))["code"] == "WORKSPACE_NOT_FOUND"
    assert ws.key not in [w.key for w in admin.workspaces.list()]
    assert _refused(lambda: _client(company, ws.secret_key).charts.list_first_page())["code"] == "UNAUTHORIZED"


def test_set_default_moves_the_admin_key_to_that_workspace(company: SeatsioCompany) -> None:
    admin = _client(company, company.admin_key)
    ws = admin.workspaces.create("a ws")
    admin.workspaces.set_default(ws.key)
    assert admin.workspaces.retrieve(ws.key).is_default is True
    assert admin.workspaces.retrieve(company.workspace_key).is_default is False
    chart = admin.charts.create(name="in the new default")
    assert _client(company, ws.secret_key).charts.retrieve(chart.key).name == "in the new default"
    refused = _refused(lambda: admin.workspaces.deactivate(ws.key))
    assert refused["code"] == "WORKSPACE_CHANGE_REFUSED"
