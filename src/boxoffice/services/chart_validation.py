"""seats.io's chart validation: what a chart version's findings (domain/chart_validation.py) amount to under
the company's levels (domain/accounts.py). A chart is kept whatever it finds; a check at ERROR stops events
being made on the chart (seats.io: "Seats.io does not allow creating events for invalid charts") and its
draft being published (seats.io's publish answers 400 DRAWING_VALIDATION_FAILED); at WARNING it is reported
only; OFF, not at all. The levels are read when the chart is used: a change applies to every chart at once.
"""

from __future__ import annotations

from boxoffice.domain.accounts import Validation, ValidationLevel, judge, validation_levels
from boxoffice.domain.errors import ChartProblem, DrawingInvalid
from boxoffice.domain.layout import Layout
from boxoffice.domain.records import Workspace
from boxoffice.storage.uow import UnitOfWork


def validation_of(uow: UnitOfWork, workspace: Workspace, layout: Layout) -> Validation:
    """What validating `layout` (a version of a chart of `workspace`) reports."""
    levels = validation_levels(uow.accounts.validation_levels(workspace.company_id))
    return judge(levels, (finding.code for finding in layout.findings))


def findings_with_levels(
    uow: UnitOfWork, workspace: Workspace, layout: Layout
) -> list[tuple[ChartProblem, ValidationLevel]]:
    """Each of `layout`'s findings with the level the company gives its check (OFF ones too)."""
    levels = validation_levels(uow.accounts.validation_levels(workspace.company_id))
    return [(finding, levels.get(finding.code, ValidationLevel.OFF)) for finding in layout.findings]


def check_for_events(uow: UnitOfWork, workspace: Workspace, chart_key: str, layout: Layout) -> None:
    """Refuse to make events on a published version that validates with errors."""
    found = validation_of(uow, workspace, layout)
    if found.errors:
        raise DrawingInvalid(
            f"Failed to create an event for chart [key: {chart_key}]: invalid published drawing",
            "published",
            found.errors,
            found.warnings,
        )


def check_for_publishing(uow: UnitOfWork, workspace: Workspace, chart_key: str, draft: Layout) -> None:
    """Refuse to publish a draft that validates with errors (seats.io's words and code)."""
    found = validation_of(uow, workspace, draft)
    if found.errors:
        raise DrawingInvalid(
            f"Failed to publish chart [key: {chart_key}]: invalid draft drawing", "draft", found.errors, found.warnings
        )
