"""FastAPI's own OpenTelemetry instrumentation, on only when asked for (``BOXOFFICE_TELEMETRY=1``).

FastAPI instruments every request once an OpenTelemetry provider is configured, and to find out it asks
the OpenTelemetry API on every request, in each of our nested applications (os.environ reads and provider
look-ups: about 7 % of a server worker's time in the on-sale profile). Off, the question is not asked.
On, FastAPI does what its documentation says: spans, metrics and logs go to the configured providers.
"""

from __future__ import annotations

from fastapi.telemetry import TelemetryConfig

from boxoffice.config import Settings


def telemetry_config(settings: Settings) -> TelemetryConfig:
    if settings.telemetry:
        return {}
    return {"tracing": False, "metrics": False, "logs": False}
