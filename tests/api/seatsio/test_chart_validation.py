"""seats.io's chart validation driven by the account's settings, through the official SDK (the settings over
HTTP: SDK 83.21 has no accounts client). sampleChartWithErrors has two seats labelled A-1, a seat labelled
"?", a seat without a category, no focal point, and categories given to both seats and GA areas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from seatsio.exceptions import SeatsioException

from tests.api.seatsio.conftest import SeatsioCompany

FIVE = (
    "VALIDATE_DUPLICATE_LABELS",
    "VALIDATE_OBJECTS_WITHOUT_CATEGORIES",
    "VALIDATE_UNLABELED_OBJECTS",
    "VALIDATE_FOCAL_POINT",
    "VALIDATE_OBJECT_TYPES_PER_CATEGORY",
)


def _set(company: SeatsioCompany, key: str, value: str) -> None:
    response = httpx.post(
        f"{company.base_url}/accounts/me/settings", json={"key": key, "value": value}, auth=(company.admin_key, "")
    )
    assert response.status_code == 204, response.text


@pytest.fixture
def erroneous(company: SeatsioCompany, shared_charts: Path) -> str:
    company.post_chart("errors", json.loads((shared_charts / "sampleChartWithErrors.json").read_text()))
    return "errors"


def _refused(call: Any) -> dict[str, Any]:
    with pytest.raises(SeatsioException) as caught:
        call()
    return {"errors": caught.value.errors}


def test_by_default_nothing_is_reported_and_events_can_be_made(company: SeatsioCompany, erroneous: str) -> None:
    client = company.client
    result = client.charts.validate_published_version(erroneous)
    assert (result.errors, result.warnings) == ([], [])
    event = client.events.create(erroneous)
    client.events.book(event.key, ["A-1", "A-?", "A-4"])  # one A-1 (the first drawn); "?" is a label
    info = client.events.retrieve_object_info(event.key, "A-4")
    assert info.status == "booked" and info.category_key is None


def test_warnings_are_reported_and_events_can_still_be_made(company: SeatsioCompany, erroneous: str) -> None:
    for check in FIVE:
        _set(company, check, "WARNING")
    client = company.client
    client.events.create(erroneous)
    result = client.charts.validate_published_version(erroneous)
    assert result.errors == [] and result.warnings == list(FIVE)
    _set(company, "VALIDATE_OBJECT_TYPES_PER_CATEGORY", "OFF")
    assert client.charts.validate_published_version(erroneous).warnings == list(FIVE[:4])


def test_errors_stop_events_being_made_on_the_chart(company: SeatsioCompany, erroneous: str) -> None:
    _set(company, "VALIDATE_DUPLICATE_LABELS", "ERROR")
    _set(company, "VALIDATE_FOCAL_POINT", "ERROR")
    _set(company, "VALIDATE_UNLABELED_OBJECTS", "WARNING")
    client = company.client
    result = client.charts.validate_published_version(erroneous)
    assert result.errors == ["VALIDATE_DUPLICATE_LABELS", "VALIDATE_FOCAL_POINT"]
    assert result.warnings == ["VALIDATE_UNLABELED_OBJECTS"]

    refused = _refused(lambda: client.events.create(erroneous, event_key="refused"))
    assert refused["errors"] == [
        {
            "code": "DRAWING_VALIDATION_FAILED",
            "message": f"Failed to create an event for chart [key: {erroneous}]: invalid published drawing",
            "data": {"failedValidations": ["VALIDATE_DUPLICATE_LABELS", "VALIDATE_FOCAL_POINT"]},
        }
    ]
    assert _refused(lambda: client.events.retrieve("refused"))["errors"][0]["code"] == "EVENT_NOT_FOUND"
    assert _refused(lambda: client.seasons.create(erroneous))["errors"][0]["code"] == "DRAWING_VALIDATION_FAILED"

    _set(company, "VALIDATE_DUPLICATE_LABELS", "WARNING")
    _set(company, "VALIDATE_FOCAL_POINT", "OFF")
    assert client.events.create(erroneous, event_key="made").key == "made"


def test_the_warnings_of_a_refused_event_are_told_too(company: SeatsioCompany, erroneous: str) -> None:
    _set(company, "VALIDATE_OBJECTS_WITHOUT_CATEGORIES", "ERROR")
    _set(company, "VALIDATE_DUPLICATE_LABELS", "WARNING")
    response = httpx.post(f"{company.base_url}/events", json={"chartKey": erroneous}, auth=(company.secret_key, ""))
    assert response.status_code == 400
    body = response.json()
    assert body["messages"] == [
        f"Failed to create an event for chart [key: {erroneous}]: invalid published drawing",
        "Invalid published drawing",
    ]
    assert body["errors"][0]["data"] == {"failedValidations": ["VALIDATE_OBJECTS_WITHOUT_CATEGORIES"]}
    assert body["warnings"] == [
        {
            "code": "DRAWING_VALIDATION_FAILED",
            "message": "Invalid published drawing",
            "data": {"failedValidations": ["VALIDATE_DUPLICATE_LABELS"]},
        }
    ]


def test_a_draft_that_validates_with_errors_is_not_published(company: SeatsioCompany, erroneous: str) -> None:
    client = company.client
    client.events.create(erroneous)
    client.charts.update(erroneous, new_name="New name")  # the chart has an event: a draft
    for check in FIVE:
        _set(company, check, "WARNING")
    result = client.charts.validate_draft_version(erroneous)
    assert result.errors == [] and result.warnings == list(FIVE)

    _set(company, "VALIDATE_UNLABELED_OBJECTS", "ERROR")
    refused = _refused(lambda: client.charts.publish_draft_version(erroneous))
    assert refused["errors"][0]["code"] == "DRAWING_VALIDATION_FAILED"
    assert refused["errors"][0]["message"] == f"Failed to publish chart [key: {erroneous}]: invalid draft drawing"
    assert refused["errors"][0]["data"] == {"failedValidations": ["VALIDATE_UNLABELED_OBJECTS"]}
    assert client.charts.retrieve(erroneous).status == "PUBLISHED_WITH_DRAFT"  # nothing published

    _set(company, "VALIDATE_UNLABELED_OBJECTS", "WARNING")
    client.charts.publish_draft_version(erroneous)
    assert client.charts.retrieve(erroneous).name == "New name"


def test_validating_a_chart_without_a_draft_is_not_found(company: SeatsioCompany, erroneous: str) -> None:
    refused = _refused(lambda: company.client.charts.validate_draft_version(erroneous))
    assert refused["errors"][0]["code"] == "NOT_FOUND"


def test_expanded_validation_of_listed_and_retrieved_charts(company: SeatsioCompany, erroneous: str) -> None:
    clean = company.client.charts.create(name="clean")  # no objects: nothing to find but its focal point
    _set(company, "VALIDATE_DUPLICATE_LABELS", "ERROR")
    _set(company, "VALIDATE_FOCAL_POINT", "WARNING")
    listed = {c.key: c.validation for c in company.client.charts.list(expand_validation=True)}
    assert listed[erroneous] == {"errors": ["VALIDATE_DUPLICATE_LABELS"], "warnings": ["VALIDATE_FOCAL_POINT"]}
    assert listed[clean.key] == {"errors": [], "warnings": ["VALIDATE_FOCAL_POINT"]}
    retrieved = httpx.get(
        f"{company.base_url}/charts/{erroneous}?expand=validation", auth=(company.secret_key, "")
    ).json()
    assert retrieved["validation"] == listed[erroneous]
    assert "validation" not in httpx.get(f"{company.base_url}/charts/{erroneous}", auth=(company.secret_key, "")).json()


def test_levels_are_the_companys_own(company: SeatsioCompany, erroneous: str, live_server: Any) -> None:
    _set(company, "VALIDATE_DUPLICATE_LABELS", "ERROR")
    other = httpx.post(f"{company.base_url}/system/private/create-test-company", auth=(live_server.system_secret, ""))
    other_key = other.json()["workspace"]["secretKey"]
    drawing = httpx.get(
        f"{company.base_url}/charts/{erroneous}/version/published", auth=(company.secret_key, "")
    ).json()
    assert (
        httpx.post(f"{company.base_url}/system/public/charts/theirs", json=drawing, auth=(other_key, "")).status_code
        == 201
    )
    answer = httpx.post(f"{company.base_url}/charts/theirs/version/published/actions/validate", auth=(other_key, ""))
    assert answer.json() == {"errors": [], "warnings": []}
