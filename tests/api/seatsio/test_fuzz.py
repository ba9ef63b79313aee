"""Hostile input against the seats.io dialect: never a 5xx, never an answer its own OpenAPI document denies.

Two halves, both on SQLite and on PostgreSQL:

* `test_schema_driven_fuzz` lets schemathesis generate requests for every operation of
  /seating/openapi.json (valid and invalid ones, a few each, derandomized so CI is deterministic) against
  a live server and checks each answer: no server error, a documented status, a body that fits the
  documented schema. The deep run (thousands of cases per database) is the `st run` command in the
  report of the change that added this file; this is its quick, always-on form.
* One regression test per bug that fuzzing found, with the input that triggered it. Bad input gets
  seats.io's error shape with a stable code and a 4xx, and changes nothing.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import requests

from boxoffice.services import inventory
from tests.api.conftest import LiveServer
from tests.api.fuzzing import fuzz_document
from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing


@pytest.fixture
def api(company: SeatsioCompany) -> Iterator[httpx.Client]:
    """An HTTP client for the company's default workspace, with chart "hall" and event "show" on it."""
    company.post_chart("hall", small_drawing(rows=2, seats_per_row=4))
    with httpx.Client(base_url=company.base_url, auth=(company.secret_key, ""), timeout=30) as client:
        created = client.post("/events", json={"chartKey": "hall", "eventKey": "show"})
        assert created.status_code == 201, created.text
        yield client


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """`response` is seats.io's error shape with this status and code."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"status", "messages", "errors", "warnings", "requestId"}, body
    assert body["status"] == status
    assert body["errors"] and all(set(e) >= {"code", "message"} for e in body["errors"])
    assert body["errors"][0]["code"] == code, body
    assert body["messages"] and all(isinstance(m, str) for m in body["messages"])
    return body


def _status(api: httpx.Client, label: str) -> str:
    found = api.get("/events/show/objects", params={"label": label})
    assert found.status_code == 200, found.text
    status: str = found.json()[label]["status"]
    return status


# -- the schema-driven half -----------------------------------------------------------------------------
def _known_values(path: str) -> dict[str, Any]:
    """Path parameters that exist, so generated requests also get past the look-ups."""
    if path.startswith(("/events/", "/reports/")):
        return {"key": "show", "label": "A-1", "report_type": "byStatus", "channel_key": "web"}
    if path.startswith("/charts/"):
        return {"key": "hall", "category_key": "1", "tag": "t"}
    return {}


def test_schema_driven_fuzz(api: httpx.Client, company: SeatsioCompany, live_server: LiveServer) -> None:
    def credentials(path: str) -> tuple[str, str]:
        if path.startswith("/workspaces"):
            return (company.admin_key, "")
        if path.startswith("/system/private"):
            return (live_server.system_secret, "")
        return (company.secret_key, "")

    operations, failures = fuzz_document(
        f"{company.base_url}/openapi.json", company.base_url, requests.Session(), known=_known_values, auth=credentials
    )
    assert operations >= 50  # the whole document was read
    assert not failures, "\n\n".join(failures)


def test_openapi_document_is_self_contained_and_declares_errors(live_server: LiveServer) -> None:
    document = httpx.get(f"{live_server.url}/seating/openapi.json").json()
    text = json.dumps(document)
    assert "#/$defs/" not in text  # bodies read by hand used to point at a root that has no $defs
    assert "HTTPValidationError" not in text  # validation errors are 400s in seats.io's shape, never 422s
    assert document["security"] == [{"secretKey": []}]
    assert document["components"]["securitySchemes"]["secretKey"]["scheme"] == "basic"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            error = operation["responses"]["4XX"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorBody"}, (method, path)
    events = document["paths"]["/events"]
    assert "201" in events["post"]["responses"]
    assert {p["name"] for p in events["get"]["parameters"]} == {"start_after_id", "end_before_id", "limit"}
    csv = document["paths"]["/reports/events/{key}.csv"]["get"]["responses"]["200"]["content"]
    assert set(csv) == {"text/csv"}


# -- regression tests: one case (at least) per bug fuzzing found, with the input that triggered it -----
def test_numbers_out_of_range_are_400s(api: httpx.Client) -> None:
    for url in [
        "/events?start_after_id=1000000000000000000000000000000",  # was a 500: OverflowError (SQLite)
        "/events?end_before_id=-1000000000000000000000000000000",
        "/events?start_after_id=2147483648",  # was a 500 on PostgreSQL: integer out of range (events.id)
        "/events/show/status-changes?end_before_id=1000000000000000000000000000000",  # bigint out of range
        "/events/show/objects/A-1/status-changes?start_after_id=9223372036854775808",
        "/events?limit=99999999999999999999999",
        "/events?limit=-1",
    ]:
        assert_error(api.get(url), 400, "VALIDATION_ERROR")
    page = api.get("/events", params={"start_after_id": 2**31 - 1, "limit": 100})  # the largest id still pages
    assert [e["key"] for e in page.json()["items"]] == ["show"]

    token = api.post("/hold-tokens", json={"expiresInMinutes": 10}).json()
    for minutes in [2**62, 2**40, 10**15]:  # were 500s: timedelta()/datetime overflowed before the range check
        assert_error(api.post("/hold-tokens", json={"expiresInMinutes": minutes}), 400, "HOLD_TOKEN_EXPIRY_INVALID")
        changed = api.post(f"/hold-tokens/{token['holdToken']}", json={"expiresInMinutes": minutes})
        assert_error(changed, 400, "HOLD_TOKEN_EXPIRY_INVALID")
    assert api.get(f"/hold-tokens/{token['holdToken']}").json()["expiresAt"] == token["expiresAt"]
    for body, code in [
        ({"expiresInMinutes": 1.5}, "VALIDATION_ERROR"),
        ({"expiresInMinutes": True}, "VALIDATION_ERROR"),
        ({"expiresInMinutes": 10**30}, "HOLD_TOKEN_EXPIRY_INVALID"),  # an integer (read exactly), out of range
        ({"expiresInMinutes": -5}, "HOLD_TOKEN_EXPIRY_INVALID"),
        ({"expiresInMinutes": 0}, "HOLD_TOKEN_EXPIRY_INVALID"),
    ]:
        assert_error(api.post("/hold-tokens", json=body), 400, code)

    change = "/events/groups/actions/change-object-status"
    huge = {"events": ["show"], "objects": [{"objectId": "GA", "quantity": 2**62}], "status": "booked"}
    assert_error(api.post(change, json=huge), 400, "ILLEGAL_STATUS_CHANGE")
    negative = {"events": ["show"], "objects": [{"objectId": "GA", "quantity": -3}], "status": "booked"}
    assert_error(api.post(change, json=negative), 400, "INVALID_INPUT")
    index = {"chartKey": "hall", "channels": [{"key": "c", "name": "n", "index": 2**40}]}  # an INTEGER column
    assert_error(api.post("/events", json=index), 400, "VALIDATION_ERROR")
    assert api.get("/events/show/objects", params={"label": "GA"}).json()["GA"]["numBooked"] == 0
    assert [e["key"] for e in api.get("/events").json()["items"]] == ["show"]


def test_nul_characters_are_400s_and_change_nothing(api: httpx.Client) -> None:
    for method, url in [
        ("GET", "/events/%00"),  # were 500s on PostgreSQL: text fields cannot contain NUL (0x00) bytes
        ("DELETE", "/events/%00"),
        ("GET", "/charts/a%00b"),
        ("GET", "/hold-tokens/%00"),
        ("GET", "/reports/events/%00/byStatus"),
        ("GET", "/events/show/objects?label=%00"),
        ("GET", "/events/show/status-changes?filter=%00"),
        ("POST", "/charts/hall/tags/%00"),  # was stored, on both databases
    ]:
        assert_error(api.request(method, url), 400, "INVALID_CHARACTER")
    for url, body in [
        ("/events", {"chartKey": "hall", "eventKey": "a\u0000b"}),  # SQLite stored it; PostgreSQL: 500
        ("/events", {"chartKey": "hall\u0000"}),
        ("/events/show", {"eventKey": "\u0000"}),  # renamed the event, on SQLite
        (
            "/events/groups/actions/change-object-status",
            {"events": ["show"], "objects": ["A-1"], "status": "booked", "orderId": "o\u0000"},
        ),
        ("/events/show/channels", {"key": "k\u0000", "name": "n"}),
        ("/events/actions/edit-for-sale-config", {"events": {"\u0000": {}}}),
        ("/events/show/objects/A-1/actions/update-extra-data", {"extraData": {"\u0000": 1}}),  # in a key
        ("/system/public/charts/nul", _drawing(lambda d: d["subChart"]["rows"][0].update(label="A\u0000"))),
    ]:
        assert_error(api.post(url, content=json.dumps(body)), 400, "INVALID_CHARACTER")
    assert api.get("/charts/hall").json()["tags"] == []
    assert [e["key"] for e in api.get("/events").json()["items"]] == ["show"]
    assert api.get("/events/show").json()["channels"] == []
    assert _status(api, "A-1") == "free"
    assert_error(api.get("/charts/nul"), 404, "CHART_NOT_FOUND")

    escaped = b'{"extraData": {"note": "C:\\\\u0000"}}'  # the text C:\u0000, which holds no NUL
    assert api.post("/events/show/objects/A-1/actions/update-extra-data", content=escaped).status_code == 204
    info = api.get("/events/show/objects", params={"label": "A-1"}).json()["A-1"]
    assert info["extraData"] == {"note": "C:\\u0000"}


def _drawing(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    drawing = small_drawing(rows=1, seats_per_row=2)
    change(drawing)
    return drawing


def _ga(drawing: dict[str, Any]) -> dict[str, Any]:
    area: dict[str, Any] = drawing["subChart"]["generalAdmissionAreas"][0]
    return area


def test_text_wider_than_its_column_is_a_400_and_changes_nothing(api: httpx.Client) -> None:
    for url, body in [
        ("/charts/hall", {"name": "n" * 501}),  # was a 500 on PostgreSQL: value too long for VARCHAR(500)
        ("/events", {"chartKey": "hall", "name": "n" * 501}),
        ("/events", {"chartKey": "hall", "channels": [{"key": "c" * 201, "name": "n"}]}),
        ("/events", {"chartKey": "hall", "categories": [{"key": "k" * 101, "label": "l"}]}),
        ("/events/show/channels", {"key": "c", "name": "n" * 301}),
        ("/events/show/channels", {"key": "c", "name": "n", "color": "c" * 31}),
        (
            "/events/groups/actions/change-object-status",
            {"events": ["show"], "objects": ["A-1"], "status": "booked", "orderId": "o" * 201},
        ),
        (
            "/events/groups/actions/change-object-status",
            {"events": ["show"], "objects": [{"objectId": "A-1", "ticketType": "t" * 201}], "status": "booked"},
        ),
    ]:
        assert_error(api.post(url, json=body), 400, "VALIDATION_ERROR")
    assert api.get("/charts/hall").json()["name"] == "Small hall"
    assert [e["key"] for e in api.get("/events").json()["items"]] == ["show"]
    assert api.get("/events/show").json()["channels"] == []
    assert _status(api, "A-1") == "free"

    # Each drawing was accepted, and then creating any event on it was a 500 on PostgreSQL (the name: at once).
    for drawing in [
        _drawing(lambda d: d["subChart"]["rows"][0].update(label="R" * 300)),  # seat labels "RRR...-1" > 300
        _drawing(lambda d: _ga(d).update(label="G" * 301)),
        _drawing(lambda d: _ga(d).update(capacity=2**40)),  # objects.capacity is an INTEGER
        _drawing(lambda d: d.update(name="N" * 501)),
        _drawing(
            lambda d: (
                d["categories"]["list"].append({"key": "k" * 101, "label": "Long", "color": "#000"}),
                _ga(d).update(categoryKey="k" * 101),
            )
        ),
    ]:
        assert_error(api.post("/system/public/charts/big", json=drawing), 400, "CHART_VALIDATION_FAILED")
    assert_error(api.get("/charts/big"), 404, "CHART_NOT_FOUND")
    drawing = small_drawing(rows=1, seats_per_row=2)
    assert_error(api.post(f"/system/public/charts/{'k' * 129}", json=drawing), 400, "INVALID_INPUT")
    assert api.post(f"/system/public/charts/{'k' * 128}", json=drawing).status_code == 201


def test_deeply_nested_json_is_a_400(api: httpx.Client) -> None:
    update = "/events/show/objects/A-1/actions/update-extra-data"
    # 300 deep was stored, and then every read of the object was a 500 (orjson renders 255 levels at most);
    # 1000 deep was a 500 at once (RecursionError in the JSON column's encoder)
    for depth in (65, 300, 1000):
        body = b'{"extraData": {"a": ' + b"[" * (depth - 2) + b"]" * (depth - 2) + b"}}"
        assert_error(api.post(update, content=body), 400, "NESTING_TOO_DEEP")
    assert "extraData" not in api.get("/events/show/objects", params={"label": "A-1"}).json()["A-1"]
    assert_error(api.post("/events", content=b"[" * 5000 + b"]" * 5000), 400, "INVALID_JSON")
    deepest = b'{"extraData": {"a": ' + b"[" * 62 + b"]" * 62 + b"}}"  # 64 levels, the two objects included
    assert api.post(update, content=deepest).status_code == 204
    assert api.get("/events/show/objects", params={"label": "A-1"}).json()["A-1"]["extraData"]["a"]


def test_paths_methods_and_sizes_answer_in_the_dialects_shape(api: httpx.Client) -> None:
    for url, code in [
        ("/events/a%0Ab", "EVENT_NOT_FOUND"),  # was the parent app's {"detail": "Not Found"}: a newline in the path
        ("/hold-tokens/x%0Ay", "HOLD_TOKEN_NOT_FOUND"),
        ("/nope%0Anope", "NOT_FOUND"),
        ("/nope/nope", "NOT_FOUND"),
        ("/events/a%0Db", "EVENT_NOT_FOUND"),
    ]:
        assert_error(api.get(url), 404, code)
    for method, url in [("PUT", "/events"), ("PATCH", "/events/show"), ("DELETE", "/hold-tokens")]:
        response = api.request(method, url)
        assert_error(response, 405, "METHOD_NOT_ALLOWED")
        assert response.headers["allow"]

    big = b'{"chartKey": "' + b"x" * (5 * 1024 * 1024 + 1) + b'"}'
    assert_error(api.post("/events", content=big), 413, "REQUEST_TOO_LARGE")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams in
        yield b'{"chartKey": "'
        for _ in range(60):
            yield b"x" * (100 * 1024)
        yield b'"}'

    assert_error(api.post("/events", content=chunks()), 413, "REQUEST_TOO_LARGE")
    for body in [
        b'{"expiresInMinutes": NaN}',
        b'{"expiresInMinutes": Infinity}',
        b'{"chartKey": "\\ud800"}',  # a lone surrogate
        b'{"chartKey": "\xff\xfe"}',  # not UTF-8
        b"[1, 2",
    ]:
        assert_error(api.post("/hold-tokens", content=body), 400, "INVALID_JSON")
    assert [e["key"] for e in api.get("/events").json()["items"]] == ["show"]


def test_missing_or_garbled_authorization_is_a_401(api: httpx.Client, company: SeatsioCompany) -> None:
    for authorization in [
        None,
        "Basic",
        "Bearer abc",
        "Basic =",
        "Basic !!!",
        "Basic " + base64.b64encode(b"\xff\xfe:").decode(),  # not UTF-8
        "Basic " + base64.b64encode(b":").decode(),  # no user
        "Basic " + base64.b64encode(b"\x00:").decode(),  # a NUL
        "Basic " + base64.b64encode(b"unknown:").decode(),
        "Basic " + "A" * 10_000,
    ]:
        headers = {"Authorization": authorization} if authorization is not None else {}
        assert_error(httpx.get(f"{company.base_url}/events", headers=headers), 401, "UNAUTHORIZED")
    assert_error(api.get("/events", headers={"X-Workspace-Key": "x" * 5000}), 404, "WORKSPACE_NOT_FOUND")


def test_expired_and_unknown_hold_tokens_and_objects_change_nothing(api: httpx.Client) -> None:
    change = "/events/groups/actions/change-object-status"
    token = api.post("/hold-tokens").json()["holdToken"]
    assert api.post(f"/hold-tokens/{token}", json={"expiresInMinutes": 0}).status_code == 200
    hold = {"events": ["show"], "objects": ["A-1"], "status": "reservedByToken"}
    assert_error(api.post(change, json={**hold, "holdToken": token}), 400, "HOLD_TOKEN_EXPIRED")
    assert_error(api.post(change, json={**hold, "holdToken": "x" * 1000}), 404, "HOLD_TOKEN_NOT_FOUND")
    assert_error(api.post(change, json={**hold, "type": "RELEASE", "holdToken": "nope"}), 404, "HOLD_TOKEN_NOT_FOUND")
    assert_error(api.get("/hold-tokens/nope"), 404, "HOLD_TOKEN_NOT_FOUND")
    booked = {"events": ["show"], "objects": ["A-1", "ZZZ"], "status": "booked"}
    assert_error(api.post(change, json=booked), 404, "OBJECT_NOT_FOUND")
    assert_error(api.post(change, json={**booked, "events": ["show", "nope"]}), 404, "EVENT_NOT_FOUND")
    assert _status(api, "A-1") == "free"
    assert api.get("/events/show/status-changes").json()["items"] == []


def test_best_available_refuses_a_status_no_change_may_set(api: httpx.Client) -> None:
    best = "/events/show/actions/change-object-status"
    for status in ["x" * 101, "\U0001f600" * 101]:  # were stored on SQLite, and 500s on PostgreSQL (VARCHAR(100))
        body = {"bestAvailable": {"number": 1}, "status": status}
        assert_error(api.post(best, json=body), 400, "INVALID_INPUT")
        plain = {"objects": ["A-1"], "status": status}  # what a plain change of the same status answers
        assert_error(api.post(best, json=plain), 400, "INVALID_INPUT")
    assert api.get("/events/show/status-changes").json()["items"] == []
    taken = api.post(best, json={"bestAvailable": {"number": 1}, "status": "y" * 100})  # the longest there is
    assert taken.status_code == 200, taken.text
    assert _status(api, taken.json()["objects"][0]) == "y" * 100


def test_integers_past_64_bits_in_extra_data_are_kept_exactly(api: httpx.Client) -> None:
    """The hot calls parse with orjson, which read such integers as floats and lost their last digits."""
    extra = {"big": 2**64, "negative": -(2**63) - 1, "huge": 10**30, "small": 7, "float": 0.1}
    body = {"objects": [{"objectId": "A-1", "extraData": extra}], "status": "booked"}
    booked = api.post("/events/show/actions/change-object-status", json=body)
    assert booked.status_code == 200, booked.text
    found = api.get("/events/show/objects", params={"label": "A-1"}).json()["A-1"]
    assert found["extraData"] == extra
    assert all(type(found["extraData"][k]) is type(v) for k, v in extra.items())
    updated = api.post("/events/show/actions/update-extra-data", json={"extraData": {"A-2": extra}})
    assert updated.status_code == 204, updated.text
    assert api.get("/events/show/objects", params={"label": "A-2"}).json()["A-2"]["extraData"] == extra
    report = api.get("/reports/events/show/byLabel/A-2")  # every renderer of extra data
    assert report.status_code == 200 and report.json()["A-2"][0]["extraData"] == extra


def test_a_bad_end_before_id_is_refused_even_next_to_start_after_id(api: httpx.Client) -> None:
    for path in ["/events/show/status-changes", "/events/show/objects/A-1/status-changes"]:
        alone = api.get(path, params={"end_before_id": "false"})
        assert_error(alone, 400, "VALIDATION_ERROR")
        both = api.get(path, params={"end_before_id": "false", "start_after_id": "10"})
        assert_error(both, 400, "VALIDATION_ERROR")  # was 200: the value was never looked at


def test_best_available_reads_type_and_season_as_a_plain_change_does(api: httpx.Client) -> None:
    best = "/events/show/actions/change-object-status"
    wanted = {"bestAvailable": {"number": 2}}
    assert_error(api.post(best, json={**wanted, "status": "booked", "season": "s"}), 400, "SEASONS_NOT_SUPPORTED")
    assert_error(api.post(best, json={**wanted, "type": "RELEASE"}), 400, "INVALID_INPUT")  # was: ignored
    assert_error(api.post(best, json={**wanted, "status": "booked", "type": "NONSENSE"}), 400, "VALIDATION_ERROR")
    assert api.get("/events/show/status-changes").json()["items"] == []


def test_more_event_keys_than_postgresql_binds_in_one_statement_are_a_404(api: httpx.Client) -> None:
    # PostgreSQL takes at most 65,535 parameters per statement: 70,000 keys read in one IN list were a
    # driver error, which answered 503 "The database is unavailable" to a request no retry could help.
    events = ["show", *(f"nope-{n:05}" for n in range(70_000))]
    refused = assert_error(
        api.post(
            "/events/groups/actions/change-object-status",
            json={"events": events, "objects": ["A-1"], "status": "booked"},
        ),
        404,
        "EVENT_NOT_FOUND",
    )
    # and the message names ten of them and counts the rest (it named all 70,000, twice in the body)
    names = ", ".join(f"nope-{n:05}" for n in range(10))
    assert refused["errors"][0]["message"].startswith(f"Event not found: {names} and 69990 more was not found in")
    assert _status(api, "A-1") == "free"


def test_a_batch_is_capped_in_changes_and_in_objects(api: httpx.Client) -> None:
    batch = "/events/actions/change-object-status"
    one = {"event": "show", "objects": ["A-1"], "status": "booked"}
    many = api.post(batch, json={"statusChanges": [one] * (inventory.MAX_CHANGES_PER_BATCH + 1)})
    assert_error(many, 400, "INVALID_INPUT")  # 70,000 of them held the server for minutes
    wide = {"event": "show", "objects": ["A-1"] * 6000, "status": "booked"}
    assert_error(api.post(batch, json={"statusChanges": [wide, wide]}), 400, "INVALID_INPUT")
    assert api.get("/events/show/status-changes").json()["items"] == []
    ok = api.post(batch, json={"statusChanges": [one, {**one, "objects": ["A-2"]}]})
    assert ok.status_code == 200, ok.text
