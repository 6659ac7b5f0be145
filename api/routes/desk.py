"""The newsroom's own API beside the pages: which proposals of an article the tracker already
holds (the intake page asks), a claim's internal notes and its assignment. Staff only, never
cached, described in /docs like every other API route, and refusing query parameters they do
not declare."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from starlette.responses import Response

from api import answers, errors, queries
from api.deps import ClaimWriter, SessionDep, Staff
from claims import refs, teamwork
from claims.extract import apply as extraction
from claims.models import AssignmentSet, IntakeCheck, NoteCreate

router = queries.api_router(prefix="/v1", tags=["newsroom"])


@router.post("/intake/held", responses=errors.responses(400, 401, 403, 413, 415, 422, 503))
def intake_held(body: IntakeCheck, session: SessionDep, actor: ClaimWriter) -> Response:
    """Which of an article's proposals the tracker already holds, and the article's source id
    when it is recorded (reviewers and editors; nothing is saved)."""
    held = extraction.held_passages(session, body, actor=actor)
    return answers.json_response(held, headers={"Cache-Control": "no-store"})


Ref = Annotated[str, Path(max_length=200)]
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/claims/{ref}/notes", responses=errors.responses(401, 403, 404, 422, 503))
def claim_notes(ref: Ref, session: SessionDep, actor: Staff) -> Response:
    """A claim's internal notes and assignment (reviewers and editors; never public)."""
    body = teamwork.notes_of(session, refs.parse_claim_ref(ref), actor=actor)
    return answers.json_response(body, headers=NO_STORE)


@router.post(
    "/claims/{ref}/notes",
    status_code=201,
    responses=errors.responses(400, 401, 403, 404, 413, 415, 422, 503),
)
def add_claim_note(ref: Ref, body: NoteCreate, session: SessionDep, actor: Staff) -> Response:
    """Add an internal note to a claim (reviewers and editors)."""
    note = teamwork.add_note(session, refs.parse_claim_ref(ref), body, actor=actor)
    return answers.json_response(note, status=201, headers=NO_STORE)


@router.put(
    "/claims/{ref}/assignee", responses=errors.responses(400, 401, 403, 404, 413, 415, 422, 503)
)
def assign_claim(ref: Ref, body: AssignmentSet, session: SessionDep, actor: Staff) -> Response:
    """Assign a claim to a person (a token's name), or clear it with null."""
    assignment = teamwork.assign(session, refs.parse_claim_ref(ref), body, actor=actor)
    return answers.json_response({"assignment": assignment}, headers=NO_STORE)
