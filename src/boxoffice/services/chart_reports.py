"""Chart reports: a chart's published (or draft) version, grouped and counted (domain/chart_reports.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from boxoffice.domain import chart_reports
from boxoffice.domain.charts import parse_chart
from boxoffice.domain.errors import InvalidInput
from boxoffice.domain.layout import ChartObject, Layout
from boxoffice.domain.records import Workspace
from boxoffice.domain.summaries import SummaryBucket
from boxoffice.services.charts import require_chart, require_draft
from boxoffice.services.layouts import layout_for_chart
from boxoffice.storage.uow import Database

VERSIONS = ("published", "draft")


@dataclass(frozen=True, slots=True)
class ChartReport:
    layout: Layout  # the version reported on: for focal-point distances
    groups: dict[str, list[ChartObject]]
    seats_at_tables: Counter[str]


def chart_version_layout(db: Database, workspace: Workspace, key: str, version: str | None = None) -> Layout:
    """The chart's published version (cached), or its draft with ``version="draft"``."""
    version = version or "published"
    if version not in VERSIONS:
        raise InvalidInput(f"version must be one of {', '.join(VERSIONS)}, not {version!r}")
    with db.read() as uow:
        chart = require_chart(uow, workspace, key)
        if version == "published":
            return layout_for_chart(uow, chart.id, chart.published_version, created_at=chart.created_at)
        draft = require_draft(uow, chart)
    return parse_chart(draft)


def report(
    db: Database,
    workspace: Workspace,
    key: str,
    grouping: str,
    *,
    book_whole_tables: str | None = None,
    version: str | None = None,
) -> ChartReport:
    chart_reports.check_book_whole_tables(book_whole_tables)
    layout = chart_version_layout(db, workspace, key, version)
    groups = chart_reports.report(layout, grouping, book_whole_tables=book_whole_tables)
    return ChartReport(layout, groups, chart_reports.seats_at_tables(layout))


def summary(
    db: Database,
    workspace: Workspace,
    key: str,
    grouping: str,
    *,
    book_whole_tables: str | None = None,
    version: str | None = None,
) -> dict[str, SummaryBucket]:
    chart_reports.check_book_whole_tables(book_whole_tables)
    layout = chart_version_layout(db, workspace, key, version)
    return chart_reports.summary(layout, grouping, book_whole_tables=book_whole_tables)
