"""Where a speaker noun phrase sits around a speech verb, and organisations described, not named.

:func:`speaker_before` returns the noun phrase that ends the text before "said" (a dateline, a
weekday, an aside such as ", speaking in Oslo," and the claim before "that" cut away);
:func:`speaker_after` the one after an inverted "said"; :func:`described_head` tells whether a
noun phrase describes an organisation without naming it ("the Oslo-based company", "the South
Korean carmaker", "world football's governing body") and returns its head word; the patterns
at the end are the rest of an attribution (what follows "said", the object of "told", the agent
of "announced by"). Resolving the phrase to a speaker is :mod:`.claimants`' and
:mod:`.noun_phrases`' work.
"""

from __future__ import annotations

import re

from .institutions import DEMONYMS
from .name_words import SPEECH_VERBS

_WHEN_TAIL = re.compile(
    r"\s+(?:(?:on|late|early)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"today|yesterday|(?:last|this|earlier this)\s+(?:week|month|year))$"
)
_BOUNDARY = re.compile(
    r"[;“”\"]|\bthat\s|:\s|—|–|\s-\s|\b(?:after|before|when|while|because|since|although|though|"
    r"unless|until)\s"
)
DATELINE = re.compile(
    r"^[A-Z][A-Z .,'’-]{2,40}(?:\([^)]*\))?\s*(?:[—–-]+|:)\s*|"
    r"^[A-Z]{3,}(?:[ ][A-Z]{3,}){0,2}(?:,[ ]+[A-Z][a-z]{2,4}\.?[ ]+\d{1,2})?"
    r"[ ]+(?=[A-Z][a-z])"
)  # "TOKYO Japan's minister …", "WARSAW, Sept 23 …"
# An organisation described by a lowercase noun phrase ("the Oslo-based company"); capitalised
# modifiers may only be adjectives ("Norwegian", "Oslo-based", "U.S.").
_DESCRIBED = re.compile(
    # no article before an owner in lowercase: "world soccer's governing body said"
    r"(?:(?:the|its|their)\s+|(?=[a-z][\w-]{1,30}\s+[a-z][\w-]{1,30}[’']s\s))"
    r"(?P<mods>(?:[\w.’'&-]{1,30}\s+){0,5}?)"
    r"(?P<head>company|firm|group|major|giant|producer|maker|drugmaker|carmaker|automaker|"
    r"chipmaker|body|governing body|organi[sz]ation|agency|lender|operator|club|team|league|"
    r"airline|insurer|retailer|utility|manufacturer|developer|exporter|conglomerate|startup|"
    r"broadcaster|alliance|bloc|federation|association|miner|refiner|supplier|outfit|"
    r"franchise|side|cartel|consortium)",
    re.IGNORECASE,
)
_ADJECTIVE = re.compile(
    r"[A-Z][\w.’'-]*(?:-based|-headquartered|ese|ian|ish|ean|an|ic|i)|"
    r"(?:[A-Z]\.){2,3}|world[’']s|[A-Z][\w]*[’']s"
)
# An aside between a speaker and the verb: "X, speaking at a conference in Oslo, said".
_ASIDE_CHUNK = re.compile(
    r"(?:[a-z]+ing|who|which|whose|in|at|on|during|after|when|while|"
    r"according|citing|quoted|cited|asked|interviewed|writing)\b"
)
_DEMONYMS = sorted(DEMONYMS, key=len, reverse=True)  # "south korean" before "korean"


# "The company, one of the few firms that make it, said": a subject, then an appositive
# closed by a comma (its "that" is the aside's, not the start of a claim).
_APPOSED_SUBJECT = re.compile(
    r"^\s*(?P<np>(?:The|the|Its|A|An)\s+[\w’'.-]+(?:\s+[\w’'.-]+){0,3}|[A-Z][\w’'.-]*"
    r"(?:\s+[A-Z][\w’'.-]*){0,4}),\s+(?:one\s+of|among|a|an|the|which|who|whose)\s"
    r"[^,;“”\"]{1,160},\s*$"
)
_NOT_SUBJECT = re.compile(r"\b(?:will|would|could|may|might|can|should|is|are|was|were|has|"
                          r"have|had|to|said|says)\b")


def speaker_before(left: str) -> str:
    """Return the speaker noun phrase that ends ``left`` (text up to a speech verb)."""
    apposed = _APPOSED_SUBJECT.match(left)
    if apposed and not _NOT_SUBJECT.search(apposed.group("np")):
        return apposed.group("np")
    cut = max((m.end() for m in _BOUNDARY.finditer(left)), default=0)
    left = DATELINE.sub("", left[cut:]).rstrip()
    left = _WHEN_TAIL.sub("", left)  # "Costa on Tuesday said": the day is not the speaker
    # "X's president, Chia-Lin Chang, has announced": the auxiliary is no part of the speaker,
    # and the comma before it closes the apposition
    left = re.sub(r"(?<=,)\s*(?:has|have|had)$", "", left)
    closed = left.endswith(",")
    chunks = [c.strip() for c in left.rstrip(",").split(",")]
    if closed and len(chunks) >= 2 and _ASIDE_CHUNK.match(chunks[-1]):
        chunks, closed = chunks[:-1], False  # "Solberg, speaking in Oslo, said": Solberg
    np = f"{chunks[-2]}, {chunks[-1]}" if closed and len(chunks) >= 2 else chunks[-1]
    words = np.split()
    # a name and a long description beside it ("Nigeria, Africa's most populous nation and …,")
    # stay whole: cut short, the description's last name would stand for the speaker
    keep = 24 if closed and len(chunks) >= 2 and len(chunks[-2].split()) <= 4 else 14
    return " ".join(words[-keep:])


def speaker_after(right: str) -> str:
    """Return the speaker noun phrase that starts ``right`` (text after an inverted verb)."""
    match = re.match(r"\s*(?P<np>[^.;:“”\"!?]{1,120})", right)
    return match.group("np").strip() if match else ""


def described_head(np: str) -> str | None:
    """Return the head word of a noun phrase that describes an organisation without naming
    it ("the Oslo-based company" → "company"), or None (a name, or not an organisation)."""
    match = _DESCRIBED.fullmatch(np.strip(" ,"))
    if match is None:
        return None
    mods = match.group("mods")
    for demonym in _DEMONYMS:
        mods = re.sub(rf"\b{re.escape(demonym)}\b", "", mods, flags=re.IGNORECASE)
    if any(word[:1].isupper() and not _ADJECTIVE.fullmatch(word) for word in mods.split()):
        return None
    return match.group("head").split()[-1]


# What an attribution is made of around its speech verb (read by :mod:`.claimants`): the
# adjuncts after "said" ("on Tuesday", "in a statement", "to reporters"), the object of "told",
# an afterthought ("…, X said on Thursday about …"), the agent of an announcement and a
# paragraph that introduces the next one's quotation.
ADJUNCT = re.compile(
    r"(?:\s+(?:(?:on\s+|late\s+|early\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday)(?:\s+(?:morning|afternoon|evening|night))?|(?:earlier\s+|later\s+)?today|"
    r"yesterday|tonight|last\s+night|(?:earlier\s+|late\s+)?this\s+(?:morning|afternoon|evening)|"
    r"(?:last|earlier this|this)\s+(?:week|month|year)|"
    r"on\s+[A-Z][a-z]+\.?\s+\d{1,2}|again|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
    r"[a-z]*\.?\s+\d{1,2}\b(?!,?\s+\d{4})|in\s+an?\s+(?:statement|speech|interview|"
    r"post|briefing|news release|letter|email|note|televised address)(?:\s+(?:to|on|with)\s+"
    r"[^,;“\".]{1,40}?(?=\s+that\b|\s*[,;.]|\s*$))?|at\s+an?\s+(?:news|press)\s+conference|at\s+a\s+(?:briefing|rally|"
    r"hearing|summit|event)|to\s+reporters|to\s+[A-Z][\w’']*(?:\s+[A-Z][\w’']*)*(?:\s+'[^']+')?))*"
    r"(?:\s*\([^()]{1,30}\))?(?:\s+that\b)?"  # "said today (June 2) that"
)
TOLD_OBJECT = re.compile(
    r"\s+(?:reporters|analysts|supporters|investors|lawmakers|journalists|employees|workers|"
    r"staff|members|parliament|delegates|(?:the\s+)?[A-Z]\w+(?:\s+[A-Z]\w+)*|"
    r"(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:briefing|conference|meeting|forum|audience|rally|"
    r"summit|session|hearing|interview|committee|newspaper|agency|broadcaster|radio|television|"
    r"channel|crowd|gathering|event|panel|podcast|reporter|journalist|daily|weekly|outlet|"
    r"media))(?=\s+(?:that\s+|[a-z])|\s*[,.;]|$)"
)
AFTERTHOUGHT = re.compile(
    r"\s+(?:about|of|on|in|at|after|before|during|while|when|as|following|amid|despite|"
    r"adding|citing|referring|noting|according|without|with)\b")
# The agent of an announcement: "under plans announced by the health service on Thursday".
BY_AGENT = re.compile(
    r"\b(?:announced|unveiled|outlined|published|issued|released|proposed|set out|presented|"
    r"approved|confirmed|reported|disclosed|stated|drawn up|put forward)\s+by\s+"
    r"(?P<np>(?:the\s+)?[A-Z][^,.;:“”\"()]{0,60}?)"
    # "the Centre for Disease Control": "for" or "of" before a capital goes on with the name
    r"(?=\s+(?:on|in|at|last|this|earlier|to|that|which|and|after|as)\b|"
    r"\s+(?:for|of)\s+(?![A-Z])|\s*[,.;:(]|\s*$)"
)
# A paragraph introducing the quotation of the next: "… a statement from Ana Lund, the
# agency's director:" or "Lund said:".
INTRODUCES = re.compile(
    r"(?:statement|remarks|comments?|message|letter)\s+(?:from|by)\s+"
    r"(?P<np>(?:the\s+)?[A-Z][^,:;.]{1,60}?)(?:,[^:]{0,160})?:$|"
    rf"(?P<np2>[^.;:“”\"]{{1,80}}?)\s+(?P<verb>{SPEECH_VERBS})\b[^:.]{{0,60}}:$"
)
