"""Configuration from the environment; nothing else reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SQLITE_PATH = Path("var") / "boxoffice.sqlite3"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    system_secret: str
    log_level: str
    hold_sweep_seconds: float

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("BOXOFFICE_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
            system_secret=os.environ.get("BOXOFFICE_SYSTEM_SECRET", ""),
            log_level=os.environ.get("BOXOFFICE_LOG_LEVEL", "INFO").upper(),
            hold_sweep_seconds=float(os.environ.get("BOXOFFICE_HOLD_SWEEP_SECONDS", "30")),
        )
