"""Configuration from the environment; nothing else reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SQLITE_PATH = Path("var") / "boxoffice.sqlite3"
_OFF = ("0", "false", "no", "off")


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    system_secret: str
    log_level: str
    hold_sweep_seconds: float
    seatsio_rate_limit: float = 1000.0  # requests a second per secret key in the seats.io dialect; 0 = off
    seatsio_for_sale_changes_per_day: int = 10  # for-sale config changes per event and day, as seats.io allows
    cors_origins: tuple[str, ...] = ()  # browser origins allowed to call the Spektrix-style basket API with cookies
    basket_ttl_minutes: float = 20.0  # a basket lapses after this much API inactivity
    rate_limit: float = 1000.0  # requests a second per key in the admin and basket dialects; 0 = off
    max_body_bytes: int = 5 * 1024 * 1024  # request body limit in the admin and basket dialects (charts: 64 MB)
    group_commit: bool = True  # hot status changes share transactions (services/group_commit.py); 0 = off
    telemetry: bool = False  # FastAPI's own OpenTelemetry spans, metrics and logs per request (api/telemetry.py)
    threads: int = 16  # threads per server process for blocking work (database transactions); see api/app.py

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("BOXOFFICE_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
            system_secret=os.environ.get("BOXOFFICE_SYSTEM_SECRET", ""),
            log_level=os.environ.get("BOXOFFICE_LOG_LEVEL", "INFO").upper(),
            hold_sweep_seconds=float(os.environ.get("BOXOFFICE_HOLD_SWEEP_SECONDS", "30")),
            cors_origins=tuple(
                o.strip().rstrip("/") for o in os.environ.get("BOXOFFICE_CORS_ORIGINS", "").split(",") if o.strip()
            ),
            basket_ttl_minutes=float(os.environ.get("BOXOFFICE_BASKET_TTL_MINUTES", "20")),
            seatsio_rate_limit=float(os.environ.get("BOXOFFICE_SEATSIO_RATE_LIMIT", "1000")),
            seatsio_for_sale_changes_per_day=max(
                1, int(os.environ.get("BOXOFFICE_SEATSIO_FOR_SALE_CHANGES_PER_DAY", "10"))
            ),
            rate_limit=float(os.environ.get("BOXOFFICE_RATE_LIMIT", "1000")),
            max_body_bytes=int(os.environ.get("BOXOFFICE_MAX_BODY_BYTES", str(5 * 1024 * 1024))),
            group_commit=os.environ.get("BOXOFFICE_GROUP_COMMIT", "1").strip().lower() not in _OFF,
            telemetry=os.environ.get("BOXOFFICE_TELEMETRY", "0").strip().lower() not in _OFF,
            threads=int(os.environ.get("BOXOFFICE_THREADS", "16")),
        )
