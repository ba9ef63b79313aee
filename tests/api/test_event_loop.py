"""No async route does database work on the event loop: one waiting there (a row lock, a slow disk, a
database restart) would hold up every other request on that server process."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import boxoffice.api

API = Path(boxoffice.api.__file__).parent
# Calls that take the database but do no work on it where they are called (coroutines that hand it to threads).
NOT_BLOCKING = {"heartbeats.run", "BasketSession", "AgentMode"}


def _own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """The function's own nodes: not those of functions and lambdas defined inside (they run elsewhere)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        yield child
        yield from _own_nodes(child)


def _takes_the_database(argument: ast.expr) -> bool:
    text = ast.unparse(argument)
    return text in ("db", "session.db") or text.startswith(("_db(", "database("))


def blocking_calls(source: str) -> list[str]:
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.AsyncFunctionDef):
            continue
        awaited = {id(n) for a in _own_nodes(function) if isinstance(a, ast.Await) for n in ast.walk(a)}
        for call in _own_nodes(function):
            if not isinstance(call, ast.Call) or id(call) in awaited or ast.unparse(call.func) in NOT_BLOCKING:
                continue
            if any(_takes_the_database(a) for a in [*call.args, *(k.value for k in call.keywords)]):
                found.append(f"{function.name}: {ast.unparse(call.func)} (line {call.lineno})")
    return found


def test_the_check_finds_a_database_call_on_the_event_loop() -> None:
    source = """
async def handler(request):
    body = await read(request)
    db = _db(request)
    ok = await run_in_threadpool(lambda: service.get(db, body))
    service.change(db, body)
"""
    assert blocking_calls(source) == ["handler: service.change (line 6)"]


def test_no_async_route_calls_the_database_on_the_event_loop() -> None:
    found = {str(path.relative_to(API)): blocking_calls(path.read_text()) for path in sorted(API.rglob("*.py"))}
    assert {path: calls for path, calls in found.items() if calls} == {}
