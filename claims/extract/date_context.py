"""What surrounds a time expression and says it is no deadline of the claim.

:mod:`.dates` finds the time expressions of a sentence; the ones here date something else:

- the day a statement was made: next to a past verb of saying or deciding ("said on Tuesday",
  "promised on Friday to …", "the measures announced on May 9", "Hologic on Wednesday
  announced") — a weekday read forward from publication would even put it in the future.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .dates import TimeExpression

_I = re.IGNORECASE

# Verbs of saying and deciding, past tense: the day next to one is the day of the news ("said
# on Tuesday", "promised on Friday to …", "Hologic on Wednesday announced"), not a deadline —
# and a weekday read forward from publication would even put it in the future.
_STATING = (
    r"(?:said|says|told\s+(?:[\w’'-]+\s+){0,3}?|announced|stated|added|noted|confirmed|"
    r"declared|warned|promised|pledged|vowed|agreed|decided|revealed|reported|tweeted|wrote|"
    r"indicated|insisted|signalled|signaled|unveiled|predicted|estimated|suggested|reiterated|"
    r"disclosed|reaffirmed|acknowledged|explained|stressed|urged|cautioned|projected|hinted)"
)
_STATED_BEFORE = re.compile(
    # not "will be announced on Friday", "could cut on Friday": those are ahead
    rf"(?<!\bbe\s)(?<!\bbeen\s)(?<!\bbeing\s)(?<!\bto\s)(?<!\bwill\s)(?<!\bcould\s)"
    rf"(?<!\bwould\s)(?<!\bmay\s)\b{_STATING}\s+"
    r"(?:(?:again|also|late|earlier|separately|publicly|jointly|formally|\w+ly)\s+){0,2}$",
    _I,
)
_STATED_AFTER = re.compile(
    r"^\s+(?:(?:again|also|formally|\w+ly)\s+)?(?:said|told|announced|confirmed|declared|"
    r"warned|promised|pledged|vowed|agreed|decided|revealed|reported|unveiled|raised|cut|"
    r"lowered|approved|signed|released|issued|published)\b",
    _I,
)
_SAYING_DAY = re.compile(r"(?:(?:on|in)\s+)?(?!(?:Next|This|Last|Coming)\b)(?:[A-Z0-9]|today\b)")


def dates_the_saying(expression: TimeExpression, text: str) -> bool:
    """Tell whether a day or month next to a past verb of saying dates the statement."""
    if expression.open_ended or not _SAYING_DAY.match(expression.text):
        return False  # "next week", "by Friday": relative to the news, or a deadline
    before = text[max(0, expression.start - 60) : expression.start]
    return bool(_STATED_BEFORE.search(before) or _STATED_AFTER.match(text, expression.end))
