"""CORS (``CLAIMS_CORS_ORIGINS``): Starlette's middleware, with its refusals as problem+json.

Starlette answers a preflight it refuses with ``400 text/plain``; every error of the API is
``application/problem+json`` (SPEC 7), naming what was refused, so the refusal is rendered by
``api.errors.problem`` like any other.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from api.errors import problem
from claims.errors import FieldError

# Starlette's words for what it refused, and the request header each one comes from.
_REFUSED = {
    "origin": "Origin",
    "method": "Access-Control-Request-Method",
    "headers": "Access-Control-Request-Headers",
    "private-network": "Access-Control-Request-Private-Network",
}


class ProblemCORS(CORSMiddleware):
    """Starlette's CORS middleware; a refused preflight is a problem+json 400."""

    def preflight_response(self, request_headers: Headers) -> Response:
        """Starlette's answer, unless it refuses: then the same status and headers, with a
        problem body naming each refused request header."""
        answer = super().preflight_response(request_headers)
        if answer.status_code != 400:
            return answer
        refused = bytes(answer.body).decode().removeprefix("Disallowed CORS ").split(", ")
        fields = [_REFUSED.get(word, word) for word in refused]
        headers = {
            name: value
            for name, value in answer.headers.items()
            if name.lower() not in ("content-type", "content-length")
        }
        return problem(
            400,
            "this cross-origin request is not allowed: " + ", ".join(fields),
            type_slug="cors-refused",
            title="Cross-origin request refused",
            errors=[FieldError(field, "is not allowed") for field in fields],
            headers=headers,
        ).response()
