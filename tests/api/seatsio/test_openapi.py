"""The seating API describes itself: /seating/openapi.json is an OpenAPI 3 document of the main endpoints."""

from __future__ import annotations

import httpx

from tests.api.conftest import LiveServer


def test_openapi_document(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/seating/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] and document["info"]["version"]
    paths = document["paths"]
    for path, method in [
        ("/charts", "post"),
        ("/events", "post"),
        ("/events/{key}", "get"),
        ("/events/groups/actions/change-object-status", "post"),
        ("/hold-tokens", "post"),
        ("/events/{key}/channels", "post"),
        ("/events/{key}/channels/replace", "post"),
        ("/events/{key}/channels/{channel_key}", "delete"),
        ("/events/{key}/channels/{channel_key}/objects", "delete"),
        ("/events/{key}/status-changes", "get"),
        ("/events/{key}/objects/{label}/status-changes", "get"),
        ("/reports/events/{key}/{report_type}", "get"),
        ("/reports/events/{key}/{report_type}/summary/deep", "get"),
        ("/charts/{key}/version/draft/actions/publish", "post"),
        ("/charts/{key}/version/draft/actions/discard", "post"),
        ("/charts/{key}/version/published/actions/copy", "post"),
        ("/charts/{key}/version/draft/actions/copy", "post"),
        ("/charts/{key}/version/published/actions/copy-to-workspace/{to_workspace_key}", "post"),
        ("/charts/{key}/version/published/actions/copy/from/{from_workspace_key}/to/{to_workspace_key}", "post"),
        ("/charts/{key}/actions/move-to-archive", "post"),
        ("/charts/{key}/actions/move-out-of-archive", "post"),
        ("/charts/archive", "get"),
        ("/events/{key}/actions/move-to-new-chart-copy", "post"),
        ("/reports/charts/{key}/{report_type}", "get"),
        ("/reports/charts/{key}/{report_type}/summary", "get"),
        ("/system/private/create-test-company", "post"),
        ("/ticket-buyers", "post"),
        ("/ticket-buyers", "delete"),
        ("/ticket-buyers", "get"),
        ("/event-log", "get"),
    ]:
        assert method in paths.get(path, {}), f"{method.upper()} {path}"
    body = paths["/events/{key}/channels/{channel_key}"]["post"]["requestBody"]["content"]["application/json"]
    assert "areaPlaces" in body["schema"]["properties"]  # bodies read by hand are still documented
    for operations in paths.values():
        for operation in operations.values():
            assert operation.get("responses"), operation
