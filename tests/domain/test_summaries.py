from __future__ import annotations

from boxoffice.domain import summaries
from boxoffice.domain.summaries import DeepSummaryBucket, SummaryBucket, always_listed, breakdowns

DIMS = ("byStatus", "byCategoryKey", "byCategoryLabel", "bySection")
COMBOS: dict[tuple[str, ...], int] = {
    ("free", "1", "Stalls", "NO_SECTION"): 3,
    ("booked", "1", "Stalls", "NO_SECTION"): 1,
    ("free", "2", "Front", "NO_SECTION"): 2,
    ("held", "2", "Front", "NO_SECTION"): 0,  # nothing counted: no group, no breakdown value
}


def test_a_group_is_broken_down_by_every_other_dimension_but_its_twin() -> None:
    assert breakdowns(DIMS, "byStatus") == ("byCategoryKey", "byCategoryLabel", "bySection")
    assert breakdowns(DIMS, "byCategoryKey") == ("byStatus", "bySection")
    assert breakdowns(DIMS, "byCategoryLabel") == ("byStatus", "bySection")
    assert breakdowns(DIMS, "byStatus", "byCategoryLabel") == ("bySection",)


def test_groups_listed_even_when_empty() -> None:
    assert always_listed("byObjectType") == ("seat", "table", "booth", "generalAdmission")
    categories = {"1": "Stalls", "2": "Front", "3": "Stalls"}
    assert always_listed("byCategoryKey", categories=categories) == ("1", "2", "3", "NO_CATEGORY")
    assert always_listed("byCategoryLabel", categories=categories) == ("Stalls", "Front", "NO_CATEGORY")
    assert always_listed("bySection", sections=["A"]) == ("A", "NO_SECTION")
    assert always_listed("byZone", zones=iter(["north"])) == ("north", "NO_ZONE")
    assert always_listed("byAvailabilityReason") == (
        "available",
        "booked",
        "reservedByToken",
        "not_for_sale",
        "disabled_by_social_distancing",
    )
    assert always_listed("byStatus") == () and always_listed("byChannel") == ()


def test_summarise_counts_places_and_lists_empty_groups_with_empty_breakdowns() -> None:
    found = summaries.summarise(COMBOS, DIMS, "byCategoryKey", ("1", "2", "3", "NO_CATEGORY"))
    assert found == {
        "1": SummaryBucket(4, {"byStatus": {"free": 3, "booked": 1}, "bySection": {"NO_SECTION": 4}}),
        "2": SummaryBucket(2, {"byStatus": {"free": 2}, "bySection": {"NO_SECTION": 2}}),
        "3": SummaryBucket(0, {"byStatus": {}, "bySection": {}}),
        "NO_CATEGORY": SummaryBucket(0, {"byStatus": {}, "bySection": {}}),
    }
    by_status = summaries.summarise(COMBOS, DIMS, "byStatus")
    assert set(by_status) == {"free", "booked"}  # no group listed: only those with places
    assert by_status["free"].by["byCategoryLabel"] == {"Stalls": 3, "Front": 2}


def test_summarise_deep_breaks_each_value_down_by_the_dimensions_left() -> None:
    found = summaries.summarise_deep(COMBOS, DIMS, "byStatus", ("free", "unused"))
    free = found["free"]
    assert free.count == 5 and set(free.by) == {"byCategoryKey", "byCategoryLabel", "bySection"}
    # under a category key: neither the status (the grouping) nor the category label (its twin)
    assert free.by["byCategoryKey"]["1"] == SummaryBucket(3, {"bySection": {"NO_SECTION": 3}})
    assert free.by["bySection"]["NO_SECTION"] == SummaryBucket(
        5, {"byCategoryKey": {"1": 3, "2": 2}, "byCategoryLabel": {"Stalls": 3, "Front": 2}}
    )
    assert found["unused"] == DeepSummaryBucket(0, {"byCategoryKey": {}, "byCategoryLabel": {}, "bySection": {}})
    assert found["booked"].by["byCategoryLabel"]["Stalls"].count == 1
