"""Topic slugs guessed from keywords, and URL-safe slugs for proposed claims.

Topics are the tracker's slugs (``rare-earths``, ``tariffs``, ``agriculture``, ``diplomacy``,
``drugs``, ``trade-deal``, …); a claim gets every topic one of whose keywords it mentions. Slugs
are lowercase ASCII words joined by hyphens, at most 80 characters, cut at a word boundary.
"""

from __future__ import annotations

import re

from claims import slugs

TOPICS: dict[str, re.Pattern[str]] = {
    slug: re.compile(pattern, re.IGNORECASE)
    for slug, pattern in {
        "rare-earths": r"\brare[- ]earths?\b|\bcritical minerals?\b|\bmagnets?\b",
        "tariffs": r"\btariffs?\b|\bduties\b|\blevies\b|\bcustoms\b",
        "agriculture": r"\bsoybeans?\b|\bfarm(?:s|ers?|ing)?\b|\bagricultur\w*|\bgrain\b|"
                       r"\bcorn\b|\bwheat\b|\bharvest\b|\bcrops?\b|\bpork\b|\bbeef\b",
        "diplomacy": r"\bsummit\b|\bvisit(?:s|ed|ing)?\b|\bmeet(?:s|ing|ings)?\b|\btalks\b|"
                     r"\bdiplomat\w*|\bambassador\b|\bforeign minister\b|\bG20\b|\bASEAN\b|"
                     r"\btreaty\b|\bborder\b|\benvoy\b",
        "drugs": r"\bfentanyl\b|\bdrugs?\b|\bnarcotics?\b|\bopioids?\b|\btrafficking\b|"
                 r"\bcrisis under control\b",
        "trade-deal": r"\b(?:trade )?deal\b|\bframework\b|\btrade truce\b|\btrade agreement\b|"
                      r"\bpurchases\b|\bexport controls?\b",
        "economy": r"\binflation\b|\binterest rates?\b|\brates?\b(?= cut| hike)|\bbudget\b|"
                   r"\bjobs?\b|\bprofit\b|\bgrowth\b|\brecession\b|\bspending\b|\btaxes\b",
        "transport": r"\bbus(?:es)?\b|\btransit\b|\brail\b|\btrains?\b|\broutes?\b|\bfares?\b",
        "health": r"\bvaccin\w*|\bflu\b|\bhospitals?\b|\bclinics?\b|\bhealth\b",
        "elections": r"\belect(?:ion|ed|ions)\b|\bvote\b|\bpolls?\b|\bcampaign\b|\bdebate\b",
        "housing": r"\bhomes?\b|\bhousing\b|\brent\b|\bproperty\b",
        "labor": r"\bunion\b|\bstrike\b|\bworkers\b|\blayoffs?\b|\bjob cuts\b",
    }.items()
}
_STOP = {
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "that", "this",
    "these", "those", "is", "are", "was", "were", "be", "been", "being", "will", "would",
    "could", "may", "might", "shall", "should", "can", "going", "gonna", "able", "some", "kind",
    "i", "we", "us", "our", "it", "its", "they", "them", "their", "he", "she", "his", "her",
    "think", "believe", "also", "just", "very", "so", "about", "with", "from", "by", "as",
    "have", "has", "had", "get", "got", "do", "does", "did", "im", "weve", "theres",
    "there", "expected", "expect", "anticipating", "plans", "plan", "planned", "set", "which",
}


def guess_topics(text: str) -> list[str]:
    """Return the topic slugs whose keywords appear in ``text``, in a stable order."""
    return [slug for slug, pattern in TOPICS.items() if pattern.search(text)]


def slugify(text: str, *, limit: int = 80, max_words: int = 9) -> str:
    """Return a lowercase-hyphenated slug of the content words of ``text`` (≤ ``limit``)."""
    words = [w for w in slugs.words(text) if w not in _STOP]
    slug = ""
    for word in words[:max_words]:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slugs.finish(slug, max_length=limit)


def unique(slug: str, taken: dict[str, int], *, limit: int = 80) -> str:
    """Return ``slug``, or ``slug-2``, ``slug-3``… if already taken; record it as taken.

    ``taken`` maps each slug handed out to the next number to try after it, so a thousand
    proposals with one slug cost a thousand steps, not half a million (issue 14).
    """
    candidate, number = slug, taken.get(slug, 2)
    while candidate in taken:
        suffix = f"-{number}"
        candidate = slug[: limit - len(suffix)].rstrip("-") + suffix
        number += 1
    taken[slug] = number
    taken.setdefault(candidate, 2)
    return candidate
