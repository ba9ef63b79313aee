"""FastAPI's own OpenTelemetry instrumentation: off unless BOXOFFICE_TELEMETRY asks for it, then a span per
request reaches the configured tracer provider (a real SDK provider, spans kept in memory)."""

from __future__ import annotations

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from boxoffice.config import Settings
from boxoffice.storage.uow import Database
from tests.api.conftest import serve

_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> InMemorySpanExporter:
    # The global provider can be set once per process; later tests in this worker find it set already.
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)
    _EXPORTER.clear()
    return _EXPORTER


def _calls(url: str) -> None:
    assert httpx.get(f"{url}/health").status_code == 200
    assert httpx.get(f"{url}/seating/charts", auth=("no-such-key", "")).status_code == 401


def test_off_by_default() -> None:
    assert Settings.from_env().telemetry is False


def test_no_span_when_off(db: Database, spans: InMemorySpanExporter) -> None:
    for server in serve(db):
        _calls(server.url)
    assert spans.get_finished_spans() == ()


def test_a_span_per_request_when_on(db: Database, spans: InMemorySpanExporter) -> None:
    for server in serve(db, telemetry=True):
        _calls(server.url)
    server_spans = [span for span in spans.get_finished_spans() if span.kind == SpanKind.SERVER]
    assert sorted(span.name for span in server_spans) == ["GET /health", "GET /seating/charts"]
    assert sorted(str((span.attributes or {}).get("http.response.status_code")) for span in server_spans) == [
        "200",
        "401",
    ]
