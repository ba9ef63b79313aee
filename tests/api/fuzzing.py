"""Schema-driven fuzzing shared by every dialect's test_fuzz.py: schemathesis generates a few valid and
invalid requests per operation of an OpenAPI document (derandomized, so CI is deterministic) and each
answer must be no server error, a documented status, and a body that fits the documented schema."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 2, GenerationMode.NEGATIVE: 1}  # per operation; the deep runs do thousands

Known = Mapping[str, Any] | Callable[[str], Mapping[str, Any]]  # path parameter values, or per operation path
Auth = Callable[[str], tuple[str, str] | None]  # HTTP Basic credentials per operation path


def fuzz_document(
    openapi_url: str, base_url: str, session: requests.Session, *, known: Known, auth: Auth | None = None
) -> tuple[int, list[str]]:
    """Try every operation; returns how many were read and every failure (all reported together)."""
    schema = schemathesis.openapi.from_url(openapi_url)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # the document itself is valid OpenAPI
        operation = result.ok()
        operations += 1
        names = {p.name for p in operation.path_parameters}
        candidates = known(operation.path) if callable(known) else known
        values = {k: v for k, v in candidates.items() if k in names}
        credentials = auth(operation.path) if auth is not None else None
        for mode, examples in EXAMPLES.items():
            strategy = operation.as_strategy(generation_mode=mode)
            if values:  # also requests that name things that exist, so they get past the look-ups
                strategy = st.one_of(strategy, operation.as_strategy(generation_mode=mode, path_parameters=values))
            try:
                _checker(strategy, examples, session, base_url, credentials)()
            except Unsatisfiable:  # no invalid request exists (no parameters, or only free-text ones)
                assert mode is GenerationMode.NEGATIVE, operation.label
            except Exception as exc:  # every operation is tried; all failures are reported together
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    return operations, failures


def _checker(
    strategy: st.SearchStrategy[Any],
    examples: int,
    session: requests.Session,
    base_url: str,
    credentials: tuple[str, str] | None,
) -> Callable[[], None]:
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: schemathesis.Case[Any]) -> None:
        response = case.call(base_url=base_url, session=session, auth=credentials, timeout=30)
        case.validate_response(response, checks=CHECKS)

    return check
