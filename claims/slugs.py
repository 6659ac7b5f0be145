"""What every slug the tracker makes obeys: ASCII words of the text, a letter, no reserved word.

A claim's slug is made from its statement (``claims.refs``) and a proposal's from its quote
(``claims.extract.topics``); both go through :func:`words` and :func:`finish`, so a slug made
either way is one the API accepts (``claims.models.fields.Slug``) and can be found by
(``GET /v1/claims/{id_or_slug}``, ``/claims/{slug}``). Nothing here touches the database.
"""

from __future__ import annotations

import re
import unicodedata

# Words that are a page's own address: ``/claims/new`` is the form that creates a claim.
RESERVED = frozenset({"new"})

# Letters Unicode does not decompose into an ASCII letter and a mark ("Straße", "Łódź",
# "Ørsted", "Æble", "œuvre"): spelled as their languages write them in ASCII.
_SPELLED = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
    }
)


def words(text: str) -> list[str]:
    """Return the lowercase ASCII words of ``text`` ("Straße Łódź" → ["strasse", "lodz"])."""
    spelled = unicodedata.normalize("NFKD", text.translate(_SPELLED))
    ascii_text = spelled.encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", ascii_text.lower().replace("'", ""))


def finish(slug: str, *, max_length: int) -> str:
    """Return ``slug`` made valid: with a letter ("123-456" → "claim-123-456": one without
    would read as an id, or not at all), and not a reserved word ("new" → "claim-new")."""
    if not slug:
        return "claim"
    if not re.search(r"[a-z]", slug) or slug in RESERVED:
        return f"claim-{slug}"[:max_length].rstrip("-")
    return slug
