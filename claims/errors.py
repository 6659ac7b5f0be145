"""The domain error tree. Knows nothing of HTTP; ``api/errors.py`` maps it to statuses.

::

    ClaimsError                     anything the domain refuses
    ├── InvalidInput                input that breaks a rule (carries field + message)
    │   ├── FutureSeq               a feed position beyond the latest seq
    │   └── ExtractTimeout          an article whose extraction overran the time limit
    ├── NotFound                    no such claim, source or token
    ├── Unauthenticated             no token, or an unknown or revoked one
    ├── Forbidden                   the actor's role may not do this
    ├── Conflict                    the request clashes with the current state
    │   ├── DuplicateSlug           the slug (or a token name) is taken
    │   ├── SameStatus              the claim already has that status
    │   └── RequestInProgress       an idempotent create with this key is still running
    ├── PreconditionRequired        a write without If-Match
    ├── VersionConflict             If-Match names an older version (carries the current one)
    ├── MalformedETag               If-Match is not an ETag this server sends (unquoted, weak, *)
    └── Unavailable                 the database is locked or unreachable; retry later
        └── ExtractorBusy           every extraction worker stayed busy; retry later
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def with_article(word: str) -> str:
    """``word`` with its indefinite article, for messages ("an editor", "a reviewer")."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field (``field`` is a dotted path such as ``evidence.0.url``)."""

    field: str
    message: str


class ClaimsError(Exception):
    """Base of every error the domain raises on purpose."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def only(outcomes: list[T | ClaimsError]) -> T:
    """The one outcome of a use case over several requests, run with one request: its result,
    or its error raised."""
    [outcome] = outcomes
    if isinstance(outcome, ClaimsError):
        raise outcome
    return outcome


class InvalidInput(ClaimsError):
    """Input that is well-formed but breaks a rule of the domain."""

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.errors = errors or []

    @classmethod
    def on(cls, field_name: str, message: str) -> InvalidInput:
        """Build the error for a single field."""
        return cls(f"{field_name}: {message}", [FieldError(field_name, message)])


class FutureSeq(InvalidInput):
    """A change-feed position (``since``, ``Last-Event-ID``) beyond the latest ``seq``."""


class ExtractTimeout(InvalidInput):
    """The extractor ran longer than the time limit on an article (its worker was stopped)."""


class NotFound(ClaimsError):
    """The thing asked for does not exist."""


class Unauthenticated(ClaimsError):
    """No token was given, or the token is unknown or revoked."""


class Forbidden(ClaimsError):
    """The actor's role does not allow this action."""


class Conflict(ClaimsError):
    """The request clashes with the current state of the data."""

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.errors = errors or []


class DuplicateSlug(Conflict):
    """A unique name (a claim's slug, a token's name) is already taken."""


class SameStatus(Conflict):
    """The claim already has the status asked for."""


class RequestInProgress(Conflict):
    """A create with the same Idempotency-Key has not finished yet."""


class PreconditionRequired(ClaimsError):
    """A write to an existing claim came without If-Match."""


class VersionConflict(ClaimsError):
    """The If-Match version is not the claim's current version; ``current`` is the claim now."""

    def __init__(self, detail: str, *, claim_id: int, current: Any) -> None:
        super().__init__(detail)
        self.claim_id = claim_id
        self.current = current


class MalformedETag(ClaimsError):
    """If-Match is not an ETag as the server sends them, so it cannot name any version."""


class Unavailable(ClaimsError):
    """The database is busy or unreachable; the caller may retry after ``retry_after`` s."""

    def __init__(self, detail: str, retry_after: int = 1) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ExtractorBusy(Unavailable):
    """Every extraction worker stayed busy for as long as the caller may wait."""
