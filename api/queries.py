"""Unknown query parameters are refused on the API's FastAPI routes, as on the front door's.

The front door's query models forbid unknown parameters themselves (``claims.queries``); the
routes outside it declare theirs as FastAPI parameters, so this dependency compares the query
string with what the matched route declares. ``_`` (a client's cache-buster) is always allowed.
Their routers are made by ``api_router``, which adds it to every route.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from claims.queries import CACHE_BUSTER

_declared: dict[int, frozenset[str]] = {}


def api_router(**options: Any) -> APIRouter:
    """An APIRouter (``options`` as FastAPI's) whose routes refuse query parameters they do
    not declare (``only_declared``)."""
    return APIRouter(dependencies=[Depends(only_declared)], **options)


ACCESS_CHECK = "claims_access_check"
"""Set on a dependency that checks the token: a route holding one refuses undeclared
parameters after it (``refuse_undeclared``), so no token still hears 401 first, as at the
front door."""

_guarded: dict[int, bool] = {}
_api: dict[int, bool] = {}


async def only_declared(request: Request) -> None:
    """Raise RequestValidationError naming each query parameter the route does not declare,
    unless the route checks the token first (then its access check does, after it)."""
    route = request.scope.get("route")
    if route is None or not request.query_params:
        return
    guarded = _guarded.get(id(route))
    if guarded is None:
        guarded = _guarded[id(route)] = _checks_access(route)
    if not guarded:
        refuse_undeclared(request)


def refuse_undeclared(request: Request) -> None:
    """Raise RequestValidationError naming each query parameter an API route (one made by
    ``api_router``) does not declare; pages ignore them (a shared link may carry tracking
    parameters)."""
    route = request.scope.get("route")
    if route is None or not request.query_params:
        return
    api = _api.get(id(route))
    if api is None:
        api = _api[id(route)] = any(d.call is only_declared for d in route.dependant.dependencies)
    if not api:
        return
    names = _declared.get(id(route))
    if names is None:
        names = _declared[id(route)] = _names(route)
    unknown = [name for name in request.query_params if name not in names]
    if unknown:
        raise RequestValidationError(
            [
                {"type": "extra_forbidden", "loc": ("query", name), "msg": "unknown", "input": None}
                for name in dict.fromkeys(unknown)
            ]
        )


def _checks_access(route: Any) -> bool:
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        if getattr(dependant.call, ACCESS_CHECK, False):
            return True
        pending.extend(dependant.dependencies)
    return False


def _names(route: Any) -> frozenset[str]:
    names = {CACHE_BUSTER}
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        pending.extend(dependant.dependencies)
        for field in dependant.query_params:
            annotation = field.field_info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                names |= {f.alias or n for n, f in annotation.model_fields.items()}
            else:
                names.add(field.alias)
    return frozenset(names)
