"""The front door: the declared endpoints answered before FastAPI's routing, and their routes.

Dashboards poll the claim endpoints often and many at once, and reviewers move claims all day;
on the benchmark machine FastAPI's routing and dependency solving cost about half of a cached
answer (bench/README.md). ``FrontDoor`` answers *every* request to a declared endpoint
(``api.contract``), valid or not, with ``contract.respond``, before FastAPI's middleware and
routing (the edge, ``api.edge``, calls it). Requests to anything else go on to FastAPI.

``add_routes`` registers the same declarations with FastAPI, for the OpenAPI document and for
``CLAIMS_FAST_PATH=false``: each generated route calls ``contract.respond`` too, so both doors
run one code path and give the same answers (a property test sends the same requests through
both). The routes declare no parameters of their own; their OpenAPI parameters and request
body are drawn from the declarations' models.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute, APIRouter
from starlette.datastructures import State
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.answers import Answer
from api.contract import Access, Endpoint, respond
from api.errors import responses as problems

_REF = {
    "name": "ref",
    "in": "path",
    "required": True,
    "description": "The claim's id or slug.",
    "schema": {"type": "string", "maxLength": 200},
}


class FrontDoor:
    """Answer every request to a declared endpoint; pass the rest on (see the module docstring).

    The edge (``api.edge``) calls ``find`` and ``answer`` itself; with CORS on, the front door
    runs as a middleware inside FastAPI's stack instead (behind CORS and the body guard)."""

    def __init__(self, app: ASGIApp | None, state: State, endpoints: Iterable[Endpoint]) -> None:
        self.app = app
        self.state = state
        # Fixed paths by a dict look-up, paths with parameters by their patterns.
        self.fixed: dict[tuple[str, str], Endpoint] = {}
        self.patterned: dict[str, list[Endpoint]] = {}
        for endpoint in endpoints:
            if "{" in endpoint.path:
                self.patterned.setdefault(endpoint.method, []).append(endpoint)
            else:
                self.fixed[(endpoint.method, endpoint.path)] = endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            endpoint = self.find(scope["method"], scope["path"])
            if endpoint is not None:
                body = await _body(receive) if endpoint.body is not None else b""
                answer = await self.answer(endpoint, scope, body)
                await answer.send(send)
                return
        assert self.app is not None, "the edge's front door is asked for declared paths only"
        await self.app(scope, receive, send)

    def find(self, method: str, path: str) -> Endpoint | None:
        """The declared endpoint of this method and path, if any."""
        endpoint = self.fixed.get((method, path))
        if endpoint is not None:
            return endpoint
        for candidate in self.patterned.get(method, ()):
            if candidate.regex.match(path) is not None:
                return candidate
        return None

    async def answer(self, endpoint: Endpoint, scope: Scope, body: bytes) -> Answer:
        """Answer one request to ``endpoint`` whose body has been read."""
        # What FastAPI's routing would have set: logs and metrics name the route.
        scope["route"] = self.state.routes.get(endpoint.name)
        return await respond(endpoint, self.state, scope, body)


async def _body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def add_routes(app: FastAPI, endpoints: Iterable[Endpoint]) -> None:
    """Register each declaration as a FastAPI route that answers through ``respond``."""
    routes = _routes_of(tuple(endpoints))
    app.router.routes.extend(routes)
    app.state.routes = {**getattr(app.state, "routes", {}), **{r.name: r for r in routes}}


@functools.cache
def _routes_of(endpoints: tuple[Endpoint, ...]) -> tuple[APIRoute, ...]:
    # Built once per process and shared by its apps, as the routers' routes are (api.app):
    # a route holds nothing of an app (it answers through ``request.app.state``), and
    # building them (their OpenAPI schemas, FastAPI's dependants) was 8 of an app's 11 ms.
    router = APIRouter()
    for endpoint in endpoints:
        doc = (endpoint.handler.__doc__ or "").strip()
        summary, _, description = doc.partition("\n")
        router.add_api_route(
            endpoint.path,
            _route_of(endpoint),
            methods=[endpoint.method],
            name=endpoint.name,
            operation_id=endpoint.name,
            summary=summary.strip(),
            description=" ".join(description.split()) or summary.strip(),
            status_code=endpoint.status_code,
            response_model=endpoint.response_model,
            responses=problems(*endpoint.problems),
            tags=list(endpoint.tags),
            openapi_extra=_openapi_of(endpoint),
            response_class=Response,
        )
    return tuple(route for route in router.routes if isinstance(route, APIRoute))


def _route_of(endpoint: Endpoint) -> Any:
    async def route(request: Request) -> Response:
        body = await request.body() if endpoint.body is not None else b""
        answer = await respond(endpoint, request.app.state, request.scope, body)
        return answer.response()

    route.__name__ = endpoint.name
    return route


def _openapi_of(endpoint: Endpoint) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = []
    if "{ref}" in endpoint.path:
        parameters.append(_REF)
    if endpoint.query is not None:
        schema = endpoint.query.model_json_schema(ref_template="#/components/schemas/{model}")
        required = set(schema.get("required", ()))
        for name, prop in schema.get("properties", {}).items():
            description = prop.pop("description", None)
            parameter = {"name": name, "in": "query", "required": name in required}
            if description:
                parameter["description"] = description
            parameters.append({**parameter, "schema": prop})
    parameters += _headers_of(endpoint)
    extra: dict[str, Any] = {"parameters": parameters}
    if endpoint.body is not None:
        extra["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"$ref": f"#/components/schemas/{endpoint.body.__name__}"}
                }
            },
        }
    return extra


def _headers_of(endpoint: Endpoint) -> list[dict[str, Any]]:
    who = (
        "Needed for writes" if endpoint.access is Access.WRITE else "Needed when reads are private"
    )
    headers = [
        {
            "name": "Authorization",
            "in": "header",
            "required": False,
            "description": f"`Bearer <token>`; see `claims token create`. {who}.",
            "schema": {"type": "string"},
        }
    ]
    if endpoint.if_match:
        headers.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": False,
                "description": 'The claim\'s current ETag, quotes included (like "3.n"), from a '
                "GET or a previous write; 428 without it.",
                "schema": {"type": "string", "minLength": 1},
            }
        )
    if endpoint.idempotency_key:
        headers.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Makes a create safe to retry: the same key and body give the "
                "first response again (1-255 visible ASCII characters; keys are kept 48 hours).",
                "schema": {"type": "string", "pattern": r"^[\x21-\x7e]{1,255}$"},
            }
        )
    if endpoint.method == "GET":
        headers.append(
            {
                "name": "If-None-Match",
                "in": "header",
                "required": False,
                "description": "An ETag from an earlier answer: 304 when nothing changed.",
                "schema": {"type": "string"},
            }
        )
    return headers


def body_schemas(endpoints: Iterable[Endpoint]) -> dict[str, Any]:
    """The component schemas of the declared request bodies (for the OpenAPI document)."""
    schemas: dict[str, Any] = {}
    for endpoint in endpoints:
        if endpoint.body is None:
            continue
        schema = endpoint.body.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[endpoint.body.__name__] = schema
    return schemas
