"""Demo data: a venue with a generated theatre chart and a few performances, ready to sell."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from boxoffice.demo_chart import theatre_chart
from boxoffice.domain.records import Channel
from boxoffice.services.charts import create_chart
from boxoffice.services.events import EventSpec, create_events
from boxoffice.services.workspaces import create_company
from boxoffice.storage.uow import Database


@dataclass(frozen=True, slots=True)
class DemoKeys:
    company_admin_key: str
    workspace_key: str
    workspace_secret_key: str
    chart_key: str
    event_keys: list[str]
    seats: int

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2))

    @classmethod
    def load(cls, path: Path) -> DemoKeys | None:
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            return None


def create_demo(db: Database, *, performances: int = 3) -> DemoKeys:
    created = create_company(db, "Demo venue")
    workspace = created.workspace
    drawing = theatre_chart()
    chart = create_chart(db, workspace, drawing, key="demo-theatre")
    first = date.today() + timedelta(days=14)
    specs = [
        EventSpec(
            chart_key=chart.key,
            key=f"demo-{(first + timedelta(days=i)).isoformat()}",
            name=f"The Demo Show, performance {i + 1}",
            date=(first + timedelta(days=i)).isoformat(),
            channels=[Channel("press", "Press and guests", "#aa00ff", 1, ())],
        )
        for i in range(performances)
    ]
    events = create_events(db, workspace, specs)
    from boxoffice.domain.charts import parse_chart

    seats = sum(1 for o in parse_chart(drawing).objects.values() if o.object_type.value == "seat")
    return DemoKeys(
        company_admin_key=created.admin_key,
        workspace_key=workspace.key,
        workspace_secret_key=created.workspace_secret_key,
        chart_key=chart.key,
        event_keys=[e.key for e in events],
        seats=seats,
    )
