"""Claim references: a claim is named by its id or its slug, and slugs are made here.

A slug has at least one letter, so an all-digit path segment is always an id and anything else
a slug; a slug never changes once given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlmodel import Session

from claims import slugs, storage
from claims.models import MAX_ID, SLUG_MAX, SLUG_PATTERN

ClaimRef = int | str
"""A claim's id, or its slug."""

_SLUG = re.compile(SLUG_PATTERN)


def parse_claim_ref(value: str) -> ClaimRef:
    """Read a path segment as a claim id (ASCII digits) or else a slug."""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else value


def could_name_a_claim(ref: ClaimRef) -> bool:
    """Tell whether some claim could have this id or slug (others are not even looked up:
    PostgreSQL cannot compare text with NUL, and no id is past the 32-bit columns)."""
    if isinstance(ref, int):
        return 1 <= ref <= MAX_ID
    return len(ref) <= SLUG_MAX and _SLUG.match(ref) is not None


def slugify(text: str, *, max_length: int = 80) -> str:
    """Derive a URL-safe, human-readable slug from free text (the rules: ``claims.slugs``)."""
    words = slugs.words(text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug:
        slug = words[0][:max_length] if words else ""
    return slugs.finish(slug, max_length=max_length)


def free_slugs(session: Session, base: str) -> Iterator[str]:
    """Yield, in order, each of ``base-2``, ``base-3``… that no claim has as this transaction
    sees it. A caller inserting concurrently with other processes takes the next when the one
    it tried was taken meanwhile."""
    n = 1
    while True:
        n += 1
        slug = f"{base}-{n}"
        if not storage.slug_taken(session, slug):
            yield slug
