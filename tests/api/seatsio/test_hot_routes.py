"""HotRoutes: the hot calls answered by the innermost middleware, with the application's own exception
handlers, and everything else (another path, another method) left to the application's router."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio.errors import SeatsioError, install_error_handlers
from boxoffice.api.seatsio.hot_routes import HotRoutes
from boxoffice.domain.errors import Busy


async def _hot(request: Request) -> Response:
    what = request.path_params["what"]
    if what == "bug":
        raise RuntimeError("a bug")
    if what == "busy":
        raise Busy("try again")
    if what == "refused":
        raise SeatsioError(400, "VALIDATION_ERROR", "no")
    return FastJSONResponse({"hot": what})


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    routes = ((Route("/hot/{what}", _hot, methods=["POST"]), _hot),)
    app.add_middleware(HotRoutes, exception_handlers=app.exception_handlers, routes=routes)

    @app.get("/hot/{what}")
    def cold(what: str) -> dict[str, str]:
        return {"cold": what}

    return app


def _call(method: str, path: str) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(method, path)

    return asyncio.run(go())


def test_a_hot_call_is_answered_by_its_handler() -> None:
    assert _call("POST", "/hot/seats").json() == {"hot": "seats"}


def test_another_method_or_path_goes_to_the_router() -> None:
    assert _call("GET", "/hot/seats").json() == {"cold": "seats"}
    missing = _call("POST", "/cold")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "NOT_FOUND"


def test_errors_get_the_dialect_shape_from_the_applications_handlers() -> None:
    refused = _call("POST", "/hot/refused")
    assert (refused.status_code, refused.json()["errors"]) == (400, [{"code": "VALIDATION_ERROR", "message": "no"}])
    busy = _call("POST", "/hot/busy")
    assert busy.status_code == 409
    assert busy.headers["retry-after"] == "1"
    assert busy.json()["status"] == 409


def test_a_bug_is_a_500_in_the_dialect_shape() -> None:
    bug = _call("POST", "/hot/bug")
    assert bug.status_code == 500
    assert bug.json()["errors"] == [{"code": "INTERNAL_ERROR", "message": "Internal error"}]
