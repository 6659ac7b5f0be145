"""The forward-looking cues: each pattern with its certainty class and its kind.

Kinds: ``modal`` (will, could …), ``verb`` (expect, plans to, agreed to …), ``would`` (a
reported "would"), ``weak`` and ``decision`` (count only next to a future date: "can", "should",
"decided to …", "is targeting June"), ``terms`` (what a deal includes or sets), ``hedge``
("cannot be ruled out"). :mod:`.cues` finds them and judges negation and past reference.
"""

from __future__ import annotations

_DETERMINERS = (
    r"the|a|an|his|her|their|its|our|my|your|this|that|these|those|them|him|us|me|it|you|school|"
    r"work|court|jail|prison|church|bed|hospital|town|war|zero"
)
_TO_VERB = rf"(?:\s+(?!to\b)[\w’'-]+){{0,5}}?\s+to\s+(?!(?:{_DETERMINERS})\b)(?=[a-z])"

_PROJECTIONS = (r"\b(?:Under|In|According\s+to)\s+(?:the\s+|its\s+|their\s+)?(?:(?:new|latest|"
                r"updated|revised|fresh|economic|quarterly|staff|central)\s+){0,3}"
                r"(?:projections|forecasts)\b")
# (pattern, certainty, kind). kind: modal, verb, nominal (decided later), would, weak.
TABLE: list[tuple[str, str, str]] = [
    # a possibility not excluded: "a further rise cannot be ruled out", "we won't rule out a cut"
    (r"\b(?:cannot|can['’]t|could\s?n['’]t|could\s+not)\s+be\s+(?:entirely\s+)?ruled\s+out\b|"
     r"(?:\bnot|\bnever|n['’]t)\s+(?:be\s+)?rul(?:e|es|ed|ing)\s+out\b", "possible", "hedge"),
    (r"\bwill\b(?!\s*(?:power|of)\b)", "asserted", "modal"),
    (r"\b\w+['’]ll\b", "asserted", "modal"),
    (r"\bshall\b", "asserted", "modal"),
    (r"\bwon['’]t\b", "asserted", "modal"),
    (rf"\b(?:going\s+to|gonna)\b(?=\s+(?!(?:{_DETERMINERS})\b)[a-z])", "expected", "modal"),
    (r"\bcould\b", "possible", "modal"),
    (r"\bmay\b", "possible", "modal"),
    (r"\bmight\b", "possible", "modal"),
    (r"\bcan\b", "possible", "weak"),
    (r"\bshould\b", "expected", "weak"),
    (r"\bwould\b(?!\s+like\b)", "asserted", "would"),
    (r"\bwould like to\b|\b\w+['’]d\s+like\s+to\b", "possible", "modal"),
    (r"\b(?:expect|expects|expected|expecting)\b", "expected", "verb"),
    (r"\b(?:anticipate|anticipates|anticipated|anticipating)\b", "expected", "verb"),
    (r"\b(?:forecast|forecasts|forecasting|predict|predicts|predicted|predicting|foresee|"
     r"foresees)\b", "expected", "verb"),
    (r"\b(?:likely|poised|on track|on course|bound|about)[”\"’]?\s+to\b", "expected", "verb"),
    # "we're within the schedule to complete it by the end of the year": a plan on time
    (r"\b(?:on|within)\s+(?:the\s+)?schedule\s+to\b", "asserted", "verb"),
    # a time limit given: "defence attorneys have until October to file", "prosecutors have
    # been given until November to respond"
    (r"\b(?:has|have|will\s+have|(?:has|have)\s+been\s+given|(?:was|were)\s+given)\s+"
     r"until\b", "asserted", "decision"),
    (r"\b(?:remains?|is|are|seems?|looks?)\s+(?:still\s+|also\s+|now\s+)?(?:[“\"]?(?:very|highly|"
     r"more|most|quite|increasingly)\s+)?(?:likely|probable)\b", "expected", "verb"),
    (r"\b(?:remains?|is|are|seems?|looks?)\s+(?:still\s+|also\s+|now\s+)?possible\b|"
     r"\bpossibly\b", "possible", "verb"),
    (rf"\b(?:aim|aims|aimed|aiming)(?!\s+at\b){_TO_VERB}", "expected", "verb"),
    # a plan or an intention is not yet a commitment: expected (a date fixed by "is planned
    # for" / "scheduled for" is asserted)
    (rf"\b(?:plan|plans|planned|planning){_TO_VERB}|\b(?:plans?|planning)\s+on\s+\w+ing\b",
     "expected", "verb"),
    (r"\bplanned\b", "asserted", "verb"),
    # a dated plan with a thing for object: "GM also plans 17 new models in China this year"
    (r"\b(?:plans|is\s+planning|are\s+planning)\s+(?=(?:a|an|\d[\d,.]*|two|three|four|five|"
     r"six|seven|eight|nine|ten|dozens|several|new|more|further)\s)"
     r"|\b(?:is|are)\s+(?:also\s+)?planning\s+(?=(?:the|its|their|his|her)\s)", "expected",
     "decision"),  # "Microsoft is planning the Xbox One, debuting Nov. 22"
    (rf"\b(?:intend|intends|intended|intending){_TO_VERB}", "expected", "verb"),
    # a date set for a thing: "the completion date for the rest is October 2009", "our
    # deadline for the venues is December 2008"
    (r"\b(?:deadline|completion\s+date|target\s+date|due\s+date|opening\s+date|launch\s+date|"
     r"start\s+date|cut-?off\s+date)\s+(?:for\s+[^,.;]{1,60}?\s+)?(?:is|will\s+be|has\s+been\s+"
     r"set\s+for|was\s+set\s+for)\b", "asserted", "decision"),
    # a dated event put in the calendar: "the commission has scheduled the runoff on 28 November"
    (r"\b(?:has|have)\s+(?:\w+\s+)?(?:scheduled|fixed|set)\s+(?=(?:the|a|an|its|their)\s)",
     "asserted", "decision"),
    # a forecast revised: "raised its growth projection for this year to 1.1 percent", "the
    # growth forecast for 2025 was trimmed to 1.7 percent"
    (r"\b(?:raised|lowered|cut|trimmed|downgraded|upgraded|revised|lifted|slashed)\s+"
     r"(?:[\w’'-]+\s+){0,4}?(?:forecasts?|projections?|outlook|estimates?|guidance)"
     r"(?=\s+(?:for|to)\b)|"  # not "raised its forecast on Wednesday": the news, no period
     r"\b(?:was|were|has\s+been|have\s+been)\s+(?:\w+ly\s+)?(?:raised|lowered|cut|trimmed|"
     r"downgraded|upgraded|revised|lifted|slashed)\s+(?:\w+\s+)?to\s+[\d.,]+\s*(?:percent|per\s+"
     r"cent|%)", "expected", "decision"),
    # a forecast seen: "we see inflation moderating in the first quarter", "analysts see the
    # bank hiking the rate in each of …"
    (r"\b(?:see|sees)\s+(?:[\w’'-]+\s+){1,8}?[a-z]+ing\b", "expected", "decision"),
    # an effort under way toward a dated goal: "are striving to begin operation by next year",
    # "e-passports were close to being launched, by the end of 2022"
    (rf"\b(?:strive|strives|striving|strove){_TO_VERB}|\b(?:close|closer)\s+to\s+being\s+"
     r"[a-z]+(?:ed|en|wn|ne)\b", "expected", "decision"),
    # "the talks are to resume on Monday": a dated arrangement
    (r"\b(?:is|are)\s+(?:now\s+|also\s+)?to\s+(?:be\s+\w+(?:ed|en|wn|ld|lt|ne)|(?!be\b)[a-z]{3,})\b",
     "asserted", "decision"),
    # "was rescheduled for 1:53 a.m. Sunday", "is targeted for a test flight in 2016"
    (r"\b(?:rescheduled|re-scheduled|moved|pushed\s+back|postponed|delayed|brought\s+forward)\s+"
     r"(?:to|for|until)\b", "asserted", "decision"),
    (r"\btargeted\s+(?:for|to)\b|\b(?:target|goal|aim|objective|intention|plan)\s+is\s+to\b",
     "expected", "decision"),
    # "an agreement was reached on Monday to extend the cuts until March"
    (r"\b(?:agreement|deal|decision)\s+(?:was|has\s+been|had\s+been)\s+(?:reached|made|taken)"
     r"\s+(?:\w+\s+){0,3}?to\s+(?=[a-z])", "asserted", "decision"),
    (rf"\b(?:pledge|pledges|pledged|pledging|promise|promises|promised|promising|vow|vows|"
     rf"vowed|vowing|commit|commits|(?<!remain\s)(?<!remains\s)(?<!remained\s)(?<!stays\s)"
     rf"(?<!stayed\s)committed|committing|threaten|threatens|threatened|"
     rf"threatening|agree|agrees|agreed|undertake|undertakes|undertook|undertaking){_TO_VERB}",
     "asserted", "verb"),
    (r"\b(?:pledged|promised|vowed|pledges|promises|vows)\s+(?:again\s+|today\s+|"
     r"(?:on\s+)?[A-Z][a-z]+day\s+)?that\b", "asserted", "verb"),
    (r"\b(?:set|scheduled|slated)\s+(?:to|for)\b(?!\s+(?:the|a|an)\s+(?:fact|lack|rise|"
     r"fall|impact|weather|rain|storm|pandemic|crisis)\b)", "asserted", "verb"),
    # "is due to visit", ", due to open": not "closed due to a strike" (a cause)
    (rf"(?:,|\b(?:is|are|was|were|be|been|now|also|still))\s+due\s+(?:for|to\s+(?!"
     rf"(?:{_DETERMINERS})\b)(?=[a-z]))", "asserted", "verb"),
    (r"\b(?:is|are|was|were|be|been)\s+due\s+(?:in|on|by|out|back|next|later)\b", "asserted",
     "verb"),
    (r"\b(?:is|are|am|['’]re|['’]s|['’]m)\s+(?:now\s+|also\s+|still\s+|[a-z]{3,}ly\s+)?(?:prepared|ready|"
     r"willing)\s+to\s+(?!(?:the|a|an)\b)(?=[a-z])", "asserted", "verb"),
    # "a satellite to be launched in March": dated, a scheduled event
    (r"(?<!\bhas)(?<!\bhave)(?<!\bhad)(?<!\bneeds)(?<!\bneed)\s+to\s+be\s+\w+(?:ed|en|wn|ld|lt|ne)\b",
     "asserted", "decision"),
    # a dated goal: "as it works toward reaching 2 GW of solar in 2030"
    (r"\b(?:toward|towards)\s+\w+ing\b", "expected", "decision"),
    # a target with a date: "is targeting June for the launch", "eyes early 2026 for …"
    (r"\b(?:is|are|was|were|[’']s|[’']re)\s+(?:now\s+|also\s+|still\s+|[a-z]{3,}ly\s+)?(?:targeting|"
     r"targetting|eyeing|aiming\s+for)\b|\b(?:targets|eyes)\s+(?=[a-z0-9])", "expected",
     "decision"),
    # a forecast framing the sentence: "Under the new projections, inflation remains at 2.4%
    # through 2026"
    (_PROJECTIONS, "expected", "decision"),
    # a want is a claim only with a date ("She wants to win" is not)
    (rf"\b(?:want|wants|wanted|wanting){_TO_VERB}", "possible", "decision"),
    (rf"\b(?<!will\s)(?<!['’]ll\s)(?:hope|hopes|hoped|hoping|seek|seeks|seeking){_TO_VERB}",
     "possible",
     "verb"),
    # a decision taken for a dated action: "decided to raise output … in October"
    (rf"\b(?:decided|decides|voted|votes|resolved|opted|chose|approved\s+(?:a\s+)?plans?)"
     rf"{_TO_VERB}", "asserted", "decision"),
    # a vote or a date set: "called an election for 3 May", "setting a date for …"
    (r"\b(?:called(?:\s+for)?|calls(?:\s+for)?|calling(?:\s+for)?|set|sets|setting|fixed|"
     r"fixes|scheduled|schedules|agreed\s+(?:on\s+[A-Z][a-z]+day\s+)?(?:on|upon))\s+"
     r"(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,2}?(?:election|elections|vote|referendum|poll|"
     r"polling day|ballot|dates?|deadline)\b", "asserted", "decision"),
    # a sitting set for a day: "the judge set another hearing in the case for June 18"
    (r"\b(?:set|sets|scheduled|schedules|fixed|fixes)\s+(?:(?:a|an|the|another|its|their)\s+)?"
     r"(?:[\w-]+\s+)?(?:hearing|trial|sentencing|session|meeting|summit|debate)s?\b"
     r"(?:\s+[\w-]+){0,4}?\s+for\s+(?=[A-Z0-9])", "asserted", "decision"),
    # "I see a rate cut before the end of the year": a forecast
    (r"\b(?:I|we)\s+(?:\w+\s+){0,3}?see\b", "expected", "decision"),
    # a commitment to an action: "the city's commitment to building 900 homes"
    (r"\b(?:commitment|pledge|promise|vow)s?\s+(?:to|of)\s+\w+ing\b|"
     r"\b(?:re)?commit(?:ted|s)?\s+to\s+\w+ing\b", "asserted", "verb"),
    # a sum committed: "the country also committed to $350 billion in investments"
    (r"\b(?:committed|commits|pledged|pledges|promised|promises)\s+(?:also\s+)?(?:to\s+)?"
     r"(?:(?:a|an|another|up\s+to|at\s+least|more\s+than|over)\s+)?(?=[$€£¥]|\d)", "asserted",
     "verb"),
    # confidence or hope in an outcome: "hopeful of signing", "confidence in achieving"
    (r"\b(?:hopeful|confident|confidence|optimistic)\s+(?:of|in|about)\s+(?:\w+\s+)?\w+ing\b",
     "expected", "verb"),
    (r"\bhopefully\b", "possible", "verb"),
    # a threat hanging over a party from a date: "faces a tariff threat of 35% from August 1"
    (r"\b(?:faces|facing)\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,3}?(?:threat|tariffs?|"
     r"levies|levy|duties|duty|sanctions|penalt(?:y|ies)|fines?)\b", "possible", "decision"),
    # a dated item due: "with static fire tests due later this year"
    (r"\bdue\s+(?=(?:later|next|this|early|in|on|by|before)\b)", "asserted", "decision"),
    # reported deal terms: "the agreement includes a temporary suspension of …"
    (r"\b(?:agreement|deal|accord|pact|framework|truce|ceasefire|arrangement|package|"
     r"settlement|plan|bill|^It)s?\s+(?:also\s+)?(?:includes?|included|calls?\s+for|called\s+for|"
     r"provides?\s+for|provided\s+for|envisages?|foresees?|stipulates?|sets?\s+out)\b",
     "asserted", "terms"),
    # what a deal fixes: "The agreement sets a baseline 15% tariff", "struck a deal on Sunday
    # locking in a 15 percent tariff", "a deal with Tokyo that sets a reduced rate"
    (r"\b(?:agreement|deal|accord|pact|framework|arrangement|settlement)s?\b"
     r"(?:\s+(?!(?:and|but|or)\b)[\w’'.-]+){0,5}?,?\s+(?:that\s+|which\s+)?"
     r"(?P<cue>sets|establishes|locks\s+in|locking\s+in|imposes|caps|lowers|grants|guarantees)"
     r"\s+(?!the\s+(?:stage|tone|scene)\b)(?=(?:a|an|the|\d|[$€£]|new|lower|reduced|higher|"
     r"baseline|tariffs?)\b|[$€£\d])", "asserted", "terms"),
    (r"\b(?:considering|weighing|mulling|exploring)\s+(?:\w+ing|whether|a|an|the)\b",
     "possible", "verb"),
    # "We're looking at the possibility of a meeting in July"
    (r"\b(?:looking|look|looked)\s+(?:at|into)\s+the\s+(?:possibility|option|idea)\s+of\b",
     "possible", "decision"),
]
