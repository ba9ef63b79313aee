"""A path with one trailing slash is answered exactly as the path without it, never redirected (a 307 makes
a client send its POST twice or not at all); any other unknown path is a 404 in seats.io's shape."""

from __future__ import annotations

import httpx
import pytest

from boxoffice.api.seatsio.paths import without_trailing_slash
from tests.api.conftest import LiveServer
from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing


@pytest.mark.parametrize(
    ("path", "root", "expected"),
    [
        ("/seating/hold-tokens/", "/seating", "/seating/hold-tokens"),
        ("/seating/events/e%2F/", "/seating", "/seating/events/e%2F"),  # the key "e/" keeps its encoded slash
        ("/seating/hold-tokens//", "/seating", "/seating/hold-tokens/"),  # one slash only
        ("/seating/", "/seating", "/seating/"),  # the dialect's root stays
        ("/hold-tokens/", "", "/hold-tokens"),
        ("/", "", "/"),
        ("/hold-tokens", "", "/hold-tokens"),
    ],
)
def test_without_trailing_slash(path: str, root: str, expected: str) -> None:
    assert without_trailing_slash(path, root) == expected


def _post(company: SeatsioCompany, path: str, body: object = None) -> httpx.Response:
    return httpx.post(f"{company.base_url}{path}", json=body, auth=(company.secret_key, ""), follow_redirects=False)


def test_hot_routes_with_a_trailing_slash(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing(rows=1, seats_per_row=4))
    company.client.events.create("hall", event_key="e")

    made = _post(company, "/hold-tokens/", {"expiresInMinutes": 5})
    assert made.status_code == 200, made.text
    token = made.json()["holdToken"]
    assert 0 < made.json()["expiresInSeconds"] <= 300

    held = _post(
        company,
        "/events/e/actions/change-object-status/",
        {"objects": ["A-1"], "status": "reservedByToken", "holdToken": token},
    )
    assert held.status_code == 200, held.text
    grouped = _post(
        company,
        "/events/groups/actions/change-object-status/",
        {"events": ["e"], "objects": ["A-2"], "status": "booked"},
    )
    assert grouped.status_code == 200, grouped.text
    assert company.client.events.retrieve_object_info("e", "A-1").hold_token == token
    assert company.client.events.retrieve_object_info("e", "A-2").status == "booked"


def test_other_routes_with_a_trailing_slash(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing(rows=1, seats_per_row=4))
    company.client.events.create("hall", event_key="e")

    renamed = _post(company, "/events/e/", {"name": "Renamed"})
    assert renamed.status_code == 204, renamed.text
    assert company.client.events.retrieve("e").name == "Renamed"
    auth = (company.secret_key, "")
    with_slash = httpx.get(f"{company.base_url}/events/e/", auth=auth, follow_redirects=False)
    assert (
        with_slash.status_code == 200
        and with_slash.json() == httpx.get(f"{company.base_url}/events/e", auth=auth).json()
    )
    missing = httpx.get(f"{company.base_url}/events/nope/", auth=auth, follow_redirects=False)
    assert missing.status_code == 404 and missing.json()["errors"][0]["code"] == "EVENT_NOT_FOUND"


def test_an_unknown_path_is_a_404_in_seatsio_shape_not_a_redirect(company: SeatsioCompany) -> None:
    for path in ("/hold-tokens//", "/no-such-thing/", "/no-such-thing"):
        answer = _post(company, path, {})
        assert answer.status_code == 404, path
        body = answer.json()
        assert body["status"] == 404 and body["errors"] and "requestId" in body, path


def test_the_openapi_document_has_no_trailing_slash_paths(live_server: LiveServer) -> None:
    document = httpx.get(f"{live_server.url}/seating/openapi.json/", follow_redirects=False)
    assert document.status_code == 200
    assert document.json() == httpx.get(f"{live_server.url}/seating/openapi.json").json()
    assert not [path for path in document.json()["paths"] if path.endswith("/")]
