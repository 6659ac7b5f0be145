"""Load the curated seed claims (``seeds/claims.yaml``) into the database, idempotently.

The seeds are validated in full before anything is written, and written in one transaction:
a bad file changes nothing. Claims already present (by slug) are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session

from claims import actors, creates, storage
from claims.clock import now
from claims.errors import InvalidInput
from claims.models import ClaimCreate, NoteCreate, SourceCreate, error_message

SEED_ACTOR = actors.SEED
FORMAT = 1


class SeedError(InvalidInput):
    """The seeds file cannot be loaded; the message names the claim and the field."""


@dataclass(frozen=True)
class SeedClaim:
    """One curated claim, validated, with the slug of the claim it is conditional on and the
    note of its ``created`` event (where the words were said, when the article names it)."""

    data: ClaimCreate
    condition_slug: str | None
    note: str | None = None


@dataclass(frozen=True)
class Seeds:
    """A validated seeds file: its source and its claims."""

    source: SourceCreate
    claims: list[SeedClaim]


def default_seeds_dir() -> Path:
    """Return the ``seeds/`` folder shipped with the project."""
    return Path(__file__).resolve().parent.parent / "seeds"


def load_seeds(path: Path) -> Seeds:
    """Read and validate a seeds file.

    Raises OSError when the file cannot be read (the command line's usage error), SeedError
    naming the claim and field at fault.
    """
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SeedError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise SeedError(f"{path}: not a seeds file of format {FORMAT}")
    source_raw = dict(raw.get("source") or {})
    text_file = source_raw.pop("text_file", None)
    if text_file:
        text_path = _inside_folder(path, text_file)
        try:
            source_raw["text"] = text_path.read_text(encoding="utf-8")
        except OSError as exc:
            raise SeedError(f"{path}: source.text_file {text_file!r} cannot be read") from exc
    try:
        source = SourceCreate.model_validate(_strings(source_raw))
    except ValidationError as exc:
        raise SeedError(f"{path}: source: {_first(exc)}") from exc
    claims: list[SeedClaim] = []
    seen: set[str] = set()
    for index, item in enumerate(raw.get("claims") or []):
        label = (
            f"claims[{index}] ({item.get('slug', 'no slug') if isinstance(item, dict) else '?'})"
        )
        if not isinstance(item, dict):
            raise SeedError(f"{path}: {label}: not a mapping")
        fields = dict(item)
        condition_slug = fields.pop("condition_slug", None)
        note = fields.pop("note", None)
        try:
            data = ClaimCreate.model_validate(_strings(fields))
        except ValidationError as exc:
            raise SeedError(f"{path}: {label}: {_first(exc)}") from exc
        try:
            note = NoteCreate(body=note).body if note is not None else None
        except ValidationError as exc:
            raise SeedError(f"{path}: {label}: note: {error_message(exc.errors()[0])}") from exc
        if data.slug is None:
            raise SeedError(f"{path}: {label}: slug: every seed claim needs a slug")
        if data.slug in seen:
            raise SeedError(f"{path}: {label}: slug: used twice")
        if data.quote and source.text and data.quote not in source.text:
            raise SeedError(f"{path}: {label}: quote: not found verbatim in the source text")
        seen.add(data.slug)
        claims.append(SeedClaim(data, condition_slug, note))
    for claim in claims:
        if claim.condition_slug and claim.condition_slug not in seen:
            raise SeedError(
                f"{path}: {claim.data.slug}: condition_slug: no claim {claim.condition_slug!r}"
            )
    if not claims:
        raise SeedError(f"{path}: no claims")
    return Seeds(source, claims)


def _inside_folder(path: Path, text_file: Any) -> Path:
    """Return the seeds file's ``text_file``, which must be a file in the seeds file's folder
    or below it: a seeds file from elsewhere must not make the loader read (and store as a
    public source text) ``/etc/passwd`` or ``../../secrets``. Raises SeedError."""
    folder = path.parent.resolve()
    refused = SeedError(
        f"{path}: source.text_file {text_file!r} must be a relative path to a file in {folder} "
        "(no absolute path, no '..' out of the folder)"
    )
    if not isinstance(text_file, str) or Path(text_file).is_absolute():
        raise refused
    target = (folder / text_file).resolve()  # symbolic links followed: they may point out too
    if not target.is_relative_to(folder):
        raise refused
    return target


def _strings(fields: dict[str, Any]) -> dict[str, Any]:
    # YAML reads bare dates as date objects; the models take ISO strings in JSON mode too.
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()}


def _first(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(value)"
    return f"{where}: {error_message(err)}"


def seed(session: Session, seeds: Seeds) -> int:
    """Write the seeds in one transaction; return how many claims were new."""
    with storage.transaction(session):
        title, url = seeds.source.title, seeds.source.url
        # A database seeded before the source had its URL holds it under its title alone.
        existing = storage.find_source_by(session, title=title, url=url) or (
            storage.find_source_by(session, title=title, url=None) if url else None
        )
        if existing is not None:
            source_id = existing.id
        else:
            source_id = storage.insert_source(
                session, {**seeds.source.model_dump(), "created_at": now()}
            )
        created = 0
        # Claims that others are conditional on go first, so the link can be made.
        for claim in sorted(seeds.claims, key=lambda c: c.condition_slug is not None):
            if storage.slug_taken(session, claim.data.slug or ""):
                continue
            condition_id = None
            if claim.condition_slug:
                row = storage.find_claim(session, claim.condition_slug)
                condition_id = row.id if row is not None else None
            data = claim.data.model_copy(
                update={"source_id": source_id, "condition_claim_id": condition_id}
            )
            creates.create_claim_in(session, data, actor=SEED_ACTOR, note=claim.note)
            created += 1
    return created
