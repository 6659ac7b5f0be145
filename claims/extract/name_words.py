"""The words names are made of: titles, role nouns, organisation suffixes, speech verbs.

The vocabulary :mod:`.names` (the article's registry of people and organisations),
:mod:`.noun_phrases` and :mod:`.claimants` share, and the small helpers that tidy a name run or
a role ("Mark Heller." → "Mark Heller", "the minister" → "minister"). Kept apart from the
registry so each stays short; :mod:`.names` re-exports all of it.
"""

from __future__ import annotations

import re

TITLES = {
    "President", "Secretary", "Minister", "Chancellor", "Governor", "Gov.", "Senator", "Sen.",
    "Representative", "Rep.", "Mayor", "Chairman", "Chairwoman", "Chair", "Commissioner",
    "Director", "Ambassador", "Envoy", "General", "Gen.", "Admiral", "Adm.", "Judge", "Justice",
    "Speaker", "Leader", "Premier", "King", "Queen", "Prince", "Princess", "Pope", "CEO",
    "Executive", "Officer", "Spokesman", "Spokeswoman", "Spokesperson", "Dr.", "Mr.", "Mrs.",
    "Ms.", "Mr", "Mrs", "Ms", "Dr", "Professor", "Prof.", "Founder", "Sheriff", "Negotiator",
    "Deputy", "Treasurer", "Councilman", "Councilwoman", "Councillor", "Councilor", "Attorney",
    "Prosecutor", "Coach", "Manager", "Chief",
}
# Words that name an office's field or place after a title ("Minister of Foreign Affairs").
OFFICE_WORDS = {
    "State", "Health", "Foreign", "Affairs", "Defense", "Defence", "Finance", "Commerce",
    "Trade", "Industry", "Economy", "Justice", "Interior", "Education", "Energy", "Transport",
    "Agriculture", "Labor", "Labour", "Culture", "Sports", "Sport", "Treasury", "Homeland",
    "Security", "Railways", "Environment", "Home", "Information", "External", "Internal",
    "Planning", "Development", "Public", "Works", "Housing", "Tourism", "Science", "Technology",
    "United", "States", "Nations", "Kingdom", "Russia", "China", "India", "Japan", "France",
    "Germany", "Britain", "Ukraine", "Korea", "South", "North", "Canada", "Mexico", "Brazil",
    "Egypt", "Turkey", "Iran", "Israel", "Italy", "Spain", "Australia", "Pakistan", "EU",
    # portfolios and the places an office covers ("Minister for Climate Change Greg Combet",
    # "Governor of Tehran Province …")
    "Climate", "Change", "Infrastructure", "Resources", "Relations", "Services", "Welfare",
    "Water", "Power", "Communications", "Digital", "Immigration", "Fisheries", "Forestry",
    "Mines", "Mining", "Petroleum", "Aviation", "Urban", "Rural", "Local", "Social",
    "Employment", "Revenue", "Customs", "Investment", "Heritage", "Arts", "Women", "Family",
    "Youth", "Veterans", "Province", "Region", "County", "District", "Territory", "Prefecture",
    "Municipality", "Capital",
}
ROLE_NOUNS = (
    r"negotiator|minister|secretary|president|director|envoy|spokesman|spokeswoman|spokesperson|"
    r"official|adviser|advisor|ambassador|governor|chairman|chairwoman|chair|executive|"
    r"economist|analyst|nurse|leader|chief|head|commissioner|mayor|senator|representative|"
    r"lawmaker|professor|researcher|founder|manager|officer|general|ceo|aide|diplomat|"
    r"candidate|challenger|incumbent|member|deputy|treasurer|judge|attorney|lawyer|coach|owner|"
    r"partner|strategist|chancellor|premier|governor|prosecutor|councilman|councilwoman|"
    r"councillor|councilor|teacher|worker|resident|farmer|student|expert|administrator|"
    r"superintendent|inspector|auditor|regulator|planner|engineer|scientist|astronaut|pilot|"
    r"captain|commander|detective|principal|dean|provost|bishop|striker|midfielder|goalkeeper|"
    r"quarterback|contractor|supplier|rival|carmaker|automaker|retailer|developer|insurer|"
    r"lender|chipmaker|airline|broadcaster|publisher|author|sponsor|organizer|organiser"
)
ROLE_TAIL = re.compile(rf"\b(?:{ROLE_NOUNS})s?$", re.IGNORECASE)
ROLE_HEAD = re.compile(rf"(?:(?:the|a|an)\s+)?(?:[\w’'-]+\s+){{0,3}}?(?:{ROLE_NOUNS})\b"
                        rf"(?:\s+(?:at|of|for|with)\s+.+)?$", re.IGNORECASE)
KEEP_DOT = {"Jr.", "Sr.", "Inc.", "Corp.", "Co.", "Ltd.", "Gov.", "Sen.", "Rep.", "Gen.", "Dr.",
             "Mr.", "Mrs.", "Ms.", "Prof.", "Adm.", "St."}
FUNCTION_WORDS = {
    "The", "A", "An", "This", "That", "These", "Those", "It", "But", "And", "In", "On", "At",
    "If", "When", "While", "As", "For", "He", "She", "They", "We", "I", "Its", "Their", "His",
    "Her", "Our", "Analysts", "Officials",
}
ORG_HEADS = {"Bank", "Ministry", "Department", "University", "Office", "Institute", "Council",
              "Board", "Court", "House", "Chamber", "Association", "Federation", "Union",
              "League", "Museum", "School", "College", "Church", "Party", "State", "States",
              "Republic", "Kingdom", "City", "County", "Port", "Bay", "Gulf", "Isle"}
PARTICLES = {"de", "da", "del", "van", "von", "bin", "al", "la", "le", "di", "du"}
ORG_SUFFIX = re.compile(
    r"\b(?:Corporation|Company|Motors|Bank|Department|Ministry|Authority|Council|Research|Capital|Group|Inc\.?|"
    r"Corp\.?|Co\.|Ltd\.?|Holdings|Agency|Commission|Committee|Party|Association|Union|Reserve|"
    r"Fund|Institute|University|Administration|Office|House|Treasury|Pentagon|Kremlin|Airlines|"
    r"Industries|Technologies|Systems|Partners|Securities|Federation|Organization|"
    r"Organisation|Nations|Board|Court|Congress|Senate|Parliament|Police|Service|Network|"
    r"Energy|Power|Pharma|Foods|Labs|Media|Mining|Steel|Oil|Gas|Electric|Software|Insurance|"
    r"Entertainment|Studios|Logistics|Automotive|Aerospace|Telecom|Communications|Networks|FC|"
    r"Club|League|Commission|Council)$"
)
# Linear time (issue 14): a name token is at most 40 characters, a run at most 9 tokens, so a
# pattern built on RUN costs a bounded amount at each position of the text.
# "al-Falih", "bin-Zayed": a lowercase particle joined by a hyphen is part of the name
# A capital letter, accented ones included ("Šefčovič", "Özdemir", "Ángel"): Latin letters up to
# U+024F that str.isupper() calls capital.
CAPITAL = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
LOWER = "a-z" + "".join(c for c in map(chr, range(0xDF, 0x250)) if c.islower())
_NAME_TOKEN = (
    rf"(?:(?:al|el|ad|ash|bin|ibn|abu|ben)-[{CAPITAL}][\w’'-]{{0,30}}[\w]"
    rf"|[{CAPITAL}][\w’'.-]{{0,38}}[\w.]|[{CAPITAL}])"
)
# the lowercase words inside a name: "Bank of England", "Banco do Brasil", "Bangko Sentral ng
# Pilipinas", "Charles de Gaulle"
_PARTICLE = r"(?:of|for|the|de|da|do|dos|du|des|del|di|ng|van|von|der|bin|al)"
RUN = re.compile(rf"{_NAME_TOKEN}(?:[ ]{{1,3}}(?:{_PARTICLE}[ ]{{1,3}})?{_NAME_TOKEN}){{0,8}}")
PRONOUNS = {"he", "she", "they", "we", "i", "it"}
# "according to him", "sources close to her": the object form names the same speaker.
SUBJECT_FORM = {"him": "he", "her": "she", "them": "they", "us": "we", "me": "i"}
COMPANY_WORDS = {
    "company", "firm", "carmaker", "automaker", "group", "retailer", "airline", "lender",
    "insurer", "club", "team", "utility", "operator", "producer", "manufacturer", "maker",
    "developer", "chipmaker", "startup", "broadcaster", "publisher", "chain", "contractor",
    "supplier", "",
}
CORPORATE = re.compile(r"\b(?:Corporation|Company|Motors|Inc\.?|Corp\.?|Co\.|Ltd\.?|Group|"
                       r"Holdings|Airlines|"
                        r"Technologies|Systems|Industries|Bank|Capital|Research|Energy|Power|"
                        r"Pharma|Foods|Labs|Media|Mining|Steel|Oil|Gas|Electric|Software|"
                        r"Insurance|Entertainment|Studios|Logistics|Automotive|Aerospace|"
                        r"Telecom|Communications|Networks|FC|Club)$")
SPEECH_VERBS = (
    r"said|says|say|told|tells|added|adds|noted|stated|explained|argued|wrote|tweeted|posted|"
    r"announced|declared|confirmed|insisted|stressed|warned|claimed|suggested|indicated|"
    r"signaled|signalled|revealed|acknowledged|asserted|maintained|remarked|replied|responded|"
    r"continued|cautioned|hinted|reiterated|emphasized|emphasised|underscored|contended|"
    r"disclosed|estimated|projected|asked|reported|"
    # the present of news copy ("the agency notes that …"), and a possibility left open
    r"notes|states|explains|argues|insists|stresses|warns|confirms|announces|claims|estimates|"
    r"reiterates|maintains|acknowledges|reveals|hints|cautions|contends|asserts|"
    r"(?:did|does|do|would)\s+not\s+rule\s+out"
)


def clean_run(run: str) -> str:
    """Drop a sentence's final period from a name run ("Mark Heller." → "Mark Heller"), and
    what a sentence ended before ("Thursday. The Chinese" → "The Chinese")."""
    tokens = run.split()
    ends = [i for i, t in enumerate(tokens[:-1]) if t.endswith(".") and len(t) > 2
            and t not in KEEP_DOT and "." not in t[:-1]]
    if ends:
        run = " ".join(tokens[ends[-1] + 1 :])
    last = run.split()[-1]
    if last.endswith(".") and len(last) > 2 and last not in KEEP_DOT:
        return run[:-1]
    return run


def strip_article(text: str) -> str:
    """Drop a leading article ("the Treasury" → "Treasury")."""
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)


def clean_role(role: str) -> str:
    """Trim what a role description picked up around it ("and the finance minister," →
    "finance minister")."""
    role = re.sub(r"^(?:the|a|an|and|but|said|says|by|of|with|to)\s+", "", role.strip(),
                  flags=re.IGNORECASE)
    return role.strip(" ,")


_OWNED_PERSON = re.compile(r".*[’']s\s+([A-Z][\w.-]+(?:\s+[A-Z][\w.-]+){0,2})")


def without_owner(name: str) -> str:
    """Drop whose official a person is ("FECAFOOT’s Dieudenno Happi" → "Dieudenno Happi");
    an organisation's own name ("Westland's Public Works Department") keeps it."""
    match = _OWNED_PERSON.fullmatch(name)
    return match.group(1) if match and not ORG_SUFFIX.search(match.group(1)) else name
