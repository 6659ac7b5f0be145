"""Sentence and paragraph splitting that keeps verbatim character offsets.

Every span here indexes the original text, so ``text[s.start:s.end] == s.text`` always holds and
quotes cut from a sentence are exact substrings of the article. Also here: direct-quotation
spans per paragraph (curly and straight double quotes), and the two kinds of line that never
carry a claim of their own: headings and tweet credit lines ("— Name (@handle) date").
Nothing here knows about claims, dates or speakers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Tokens after which a period never ends a sentence (titles, initials-like abbreviations).
_NEVER_END = {
    "mr", "mrs", "ms", "dr", "gov", "sen", "rep", "gen", "lt", "col", "sgt", "capt", "cmdr",
    "adm", "prof", "st", "mt", "ft", "vs", "v", "no", "nos", "fig", "approx", "dept", "ave",
    "blvd", "rd", "jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec", "e.g", "i.e", "cf",
}
# Tokens after which a period ends a sentence only if a typical sentence opener follows.
_MAYBE_END = {
    "u.s", "u.k", "u.n", "e.u", "inc", "corp", "co", "ltd", "jr", "sr", "a.m", "p.m", "etc",
    "d.c", "llc", "plc",
}
_OPENERS = {
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "but", "and", "in", "on", "at",
    "this", "that", "these", "those", "his", "her", "their", "its", "our", "as", "after",
    "before", "when", "while", "if", "officials", "meanwhile", "however", "still", "there",
}

# Every pattern here runs in linear time: bounded runs, no nested quantifiers (issue 14).
_BOUNDARY = re.compile(r"(?:[.!?]|\.\.\.|…)[\"”’')\]]{0,4}(?=\s)")
_NEXT_START = re.compile(r"\s{1,20}([\"“‘'(\[]{0,4})(\.?@|[A-Z0-9])")
_CREDIT = re.compile(r"^\s*[—–-]{1,2}\s*[^()\n]{1,80}\(@\w{1,30}\)")
_TERMINAL = ".!?:;…"
_CLOSERS = "\"”’')]"
_LINK_PREFIXES = ("http://", "https://", "pic.twitter.com/")
_WORD = re.compile(r"[A-Za-z][\w’'-]{0,60}")
_NEXT_WORD = re.compile(r"\s{0,20}([A-Za-z][\w’'-]{0,60})")
# Caps: a longer line is cut into pieces of at most this many characters before splitting, and
# a longer sentence into pieces of at most MAX_SENTENCE, so no later pattern sees more.
MAX_LINE = 20_000
MAX_SENTENCE = 1_500
MAX_QUOTES = 40  # quotations per paragraph; more is not prose
_TOKEN_REACH = 40  # how far back a period looks for its abbreviation
_OPEN_QUOTES = "“"
_CLOSE_QUOTES = "”"
_ANY_QUOTE = re.compile('["“”]')


@dataclass(frozen=True)
class Sentence:
    """One sentence: its verbatim text and where it sits in the article."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    heading: bool = False
    credit: bool = False


@dataclass
class Paragraph:
    """One non-empty line of the article, with its sentences and direct quotations."""

    index: int
    start: int
    end: int
    sentences: list[Sentence] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)


def _ends_here(text: str, dot: int, para_start: int) -> bool:
    """Tell whether the period at ``dot`` closes a sentence (not an abbreviation)."""
    low = max(para_start, dot - _TOKEN_REACH)
    begin = dot
    while begin > low and (text[begin - 1].isalnum() or text[begin - 1] in "._"):
        begin -= 1
    if begin == dot:
        return True
    token = text[begin:dot].lower()
    if token in _NEVER_END:
        return False
    if len(token) == 1 and token.isalpha():
        return False  # an initial: "Donald J. Trump"
    if token in _MAYBE_END:
        nxt = _NEXT_WORD.match(text, dot + 1)
        return bool(nxt) and nxt.group(1).lower() in _OPENERS
    return True


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences between ``start`` and ``end``."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        follow = _NEXT_START.match(text, stop, end)
        if not follow:
            continue
        if match.group(0)[0] == "." and not match.group(0).startswith("...") and not _ends_here(
            text, match.start(), start
        ):
            continue
        spans.append((cursor, stop))
        cursor = follow.start(1)
    spans.append((cursor, end))
    capped = [piece for s, e in spans for piece in _pieces(text, s, e, MAX_SENTENCE)]
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in capped) if e > s]


def _pieces(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into spans of at most ``size`` characters, at a space if any."""
    pieces = []
    while end - start > size:
        cut = text.rfind(" ", start + size // 2, start + size)
        cut = cut if cut > start else start + size
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the spans of direct quotations (without the marks) inside ``text[start:end]``.

    Curly quotes pair “ with ”; straight double quotes toggle. A quotation left open at the
    end of the paragraph runs to the paragraph's end (news style for a quote that continues).
    """
    spans: list[tuple[int, int]] = []
    if _ANY_QUOTE.search(text, start, end) is None:
        return spans  # most paragraphs: no mark to pair, and no loop over their characters
    opened: int | None = None
    for pos in range(start, end):
        char = text[pos]
        if char in _OPEN_QUOTES or (char == '"' and opened is None):
            if opened is None:
                opened = pos + 1
        elif (char in _CLOSE_QUOTES or char == '"') and opened is not None:
            spans.append((opened, pos))
            opened = None
    if opened is not None and end > opened:
        spans.append((opened, end))
    return spans[:MAX_QUOTES]


def _without_trailer(line: str) -> str:
    """Drop trailing links ("https://…", "pic.twitter.com/…") and symbols, in linear time."""
    end = len(line)
    while end:
        while end and not (line[end - 1].isalnum() or line[end - 1] == "_"
                           or line[end - 1] in _TERMINAL or line[end - 1] in _CLOSERS):
            end -= 1  # symbols and spaces
        space = max(line.rfind(" ", 0, end), line.rfind("\t", 0, end))
        if space < 0 or not line.startswith(_LINK_PREFIXES, space + 1, end):
            break
        end = space
    return line[:end]


# A line of a plan's timetable: a year, a colon or dash, and what happens in it ("2025: Start
# of tunnel drilling"); read by the cues (a claim) and the dates (dated by its year) too.
TIMETABLE_LINE = re.compile(r"\s*((?:19|20)\d\d)\s*[:–—-]\s+[A-Z]")


def is_heading(line: str, *, followed_by_credit: bool) -> bool:
    """Tell whether a one-line paragraph is a heading: short and without final punctuation."""
    if followed_by_credit:
        return False
    body = _without_trailer(line).rstrip(_CLOSERS)
    if body and body[-1] in _TERMINAL:
        return False
    return len(_WORD.findall(line, 0, 2_000)) <= 20


def split(text: str) -> list[Paragraph]:
    """Split an article into paragraphs (non-empty lines) and sentences, keeping offsets."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    lines = [piece for s, e in lines for piece in _pieces(text, s, e, MAX_LINE)]
    lines = [(s, e) for s, e in (_strip(text, s, e) for s, e in lines) if e > s]
    credits = [bool(_CREDIT.match(text[s:e])) for s, e in lines]
    paragraphs: list[Paragraph] = []
    counter = 0
    for number, (start, end) in enumerate(lines):
        paragraph = Paragraph(number, start, end, quotes=quote_spans(text, start, end))
        followed = number + 1 < len(lines) and credits[number + 1]
        # A heading heads something: the article's last line, stopped short of its full stop
        # (stored copy often is), is prose.
        last = number == len(lines) - 1 and number > 0
        heading = (
            not credits[number]
            and not last
            and is_heading(text[start:end], followed_by_credit=followed)
            and not TIMETABLE_LINE.match(text, start, end)  # "2025: Start of tunnel drilling"
        )
        for s, e in _split_paragraph(text, start, end):
            paragraph.sentences.append(
                Sentence(counter, s, e, text[s:e], number, heading=heading, credit=credits[number])
            )
            counter += 1
        paragraphs.append(paragraph)
    return paragraphs


_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z]{2,20}(?![\w’'-])")


def is_prose(text: str) -> bool:
    """Tell whether a sentence reads as prose: mostly letters, with several lowercase words.

    Runs of punctuation, capitalised words or initials carry no claim and are skipped before
    the costly steps (date parsing), so junk input costs little.
    """
    if not text:
        return False
    if TIMETABLE_LINE.match(text):  # "2023: Tender launch": few words, but a dated step
        return True
    letters = sum(1 for char in text if char.isalpha() or char == " ")
    if letters < 0.6 * len(text):
        return False
    return len(_LOWER_WORD.findall(text)) >= max(2, len(text) // 60)


def sentences(text: str) -> list[Sentence]:
    """Return every sentence of ``text`` in order (see :func:`split`)."""
    return [s for p in split(text) for s in p.sentences]
