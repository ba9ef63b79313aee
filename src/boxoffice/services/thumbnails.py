"""A chart version's thumbnail (domain/thumbnails.py), drawn from its published version or its draft."""

from __future__ import annotations

from boxoffice.domain.records import Workspace
from boxoffice.domain.thumbnails import render_png
from boxoffice.services.chart_reports import chart_version_layout
from boxoffice.storage.uow import Database


def thumbnail(db: Database, workspace: Workspace, key: str, version: str) -> bytes:
    """PNG bytes of the chart's `version` ("published" or "draft"; a chart without a draft is not found)."""
    return render_png(chart_version_layout(db, workspace, key, version))
