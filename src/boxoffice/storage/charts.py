"""Charts: the published drawing (what events use) and an optional draft."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from boxoffice.domain.records import Chart
from boxoffice.storage.tables import charts


def _chart(row: Row[Any]) -> Chart:
    m = row._mapping
    return Chart(
        id=m["id"],
        workspace_id=m["workspace_id"],
        key=m["key"],
        name=m["name"],
        published_version=m["published_version"],
        has_draft=m["has_draft"],
        tags=tuple(m["tags"] or ()),
        archived=m["archived"],
        created_at=m["created_at"],
    )


_COLUMNS = (
    charts.c.id,
    charts.c.workspace_id,
    charts.c.key,
    charts.c.name,
    charts.c.published_version,
    charts.c.draft_drawing.is_not(None).label("has_draft"),
    charts.c.tags,
    charts.c.archived,
    charts.c.created_at,
)


class ChartRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, *, workspace_id: int, key: str, name: str, drawing: dict[str, Any], now: datetime) -> Chart:
        self.conn.execute(
            insert(charts).values(
                workspace_id=workspace_id,
                key=key,
                name=name,
                published_version=1,
                published_drawing=drawing,
                draft_drawing=None,
                tags=[],
                archived=False,
                created_at=now,
            )
        )
        chart = self.by_key(workspace_id, key)
        assert chart is not None
        return chart

    def exists(self, workspace_id: int, key: str) -> bool:
        found = self.conn.execute(
            select(func.count()).select_from(charts).where(charts.c.workspace_id == workspace_id, charts.c.key == key)
        ).scalar_one()
        return bool(found)

    def by_key(self, workspace_id: int, key: str) -> Chart | None:
        row = self.conn.execute(
            select(*_COLUMNS).where(charts.c.workspace_id == workspace_id, charts.c.key == key)
        ).first()
        return _chart(row) if row else None

    def by_id(self, chart_id: int) -> Chart | None:
        row = self.conn.execute(select(*_COLUMNS).where(charts.c.id == chart_id)).first()
        return _chart(row) if row else None

    def list(self, workspace_id: int) -> list[Chart]:
        rows = self.conn.execute(
            select(*_COLUMNS).where(charts.c.workspace_id == workspace_id).order_by(charts.c.id.desc())
        ).all()
        return [_chart(r) for r in rows]

    def published_drawing(self, chart_id: int) -> dict[str, Any]:
        drawing: dict[str, Any] = self.conn.execute(
            select(charts.c.published_drawing).where(charts.c.id == chart_id)
        ).scalar_one()
        return drawing

    def draft_drawing(self, chart_id: int) -> dict[str, Any] | None:
        drawing: dict[str, Any] | None = self.conn.execute(
            select(charts.c.draft_drawing).where(charts.c.id == chart_id)
        ).scalar_one()
        return drawing

    def set_draft(self, chart_id: int, drawing: dict[str, Any] | None) -> None:
        self.conn.execute(update(charts).where(charts.c.id == chart_id).values(draft_drawing=drawing))

    def publish(self, chart_id: int, drawing: dict[str, Any], name: str) -> None:
        self.conn.execute(
            update(charts)
            .where(charts.c.id == chart_id)
            .values(
                published_drawing=drawing,
                draft_drawing=None,
                name=name,
                published_version=charts.c.published_version + 1,
            )
        )

    def update_meta(self, chart_id: int, **values: Any) -> None:
        self.conn.execute(update(charts).where(charts.c.id == chart_id).values(**values))
