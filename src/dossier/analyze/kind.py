"""Say what kind of compilation a text is, with the evidence, scored rather than asserted.

Kinds: state archival publication, intelligence analysis or assessment, press report,
correspondence collection, memoir or diary. Each kind has signs (data below, in Russian and
English): numbered documents and archival legends, apparatus sections (list of documents, index of
names, appendix) for an archival publication; source grading, judgements of likelihood,
classification markings and distribution lists for an intelligence product; byline, reading time,
"according to" for a press report; salutations and closings for letters; first-person dated entries
for a diary.

A sign counts as the text's own *structure* when it stands as a line of its own (a section heading,
a legend line, a marking) and as a *mention* when it is named inside running prose ("Sections
titled 'Index of Names' confirm..."). The kind of the text is scored from its own structure and
style; signs that are only mentioned, in a text that is itself a report, say what the report
*describes*. A sign preceded by a negation ("rather than intelligence analysis", "не является")
counts against its kind.

What it is not: recognition of names or dates (the analysis report gathers those), nor a classifier
trained on data: the signs are general conventions of the genres, written down as data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ARCHIVAL = "state archival publication"
INTELLIGENCE = "intelligence analysis or assessment"
PRESS = "press report"
CORRESPONDENCE = "correspondence collection"
MEMOIR = "memoir or diary"
KINDS = (ARCHIVAL, INTELLIGENCE, PRESS, CORRESPONDENCE, MEMOIR)


@dataclass(frozen=True)
class Sign:
    kind: str
    name: str
    pattern: re.Pattern[str]
    weight: float
    structural: bool  # True: counts only as a line of its own; False: counts anywhere (style)
    cap: int = 3  # at most this many occurrences count


def _rx(p: str) -> re.Pattern[str]:
    return re.compile(p, re.IGNORECASE | re.MULTILINE)


# Apparatus section titles: a line of its own is structure; inside prose, a mention.
_APPARATUS = [
    ("list of documents", r"(?:list of (?:published )?documents|перечень (?:публикуемых )?документов|список документов)"),
    ("index of names", r"(?:index of names|list of names|name index|именной указатель|указатель имен)"),
    ("index of places", r"(?:index of places|geographical index|географический указатель|указатель географических названий)"),
    ("appendix", r"(?:appendix|appendices|приложени[ея]|приложения)"),
    ("abbreviations", r"(?:list of abbreviations|abbreviations and terms|список сокращений|список условных сокращений)"),
    ("archaeographic preface", r"(?:archaeographic(?:al)? (?:preface|introduction)|археографическое предисловие|от составителей)"),
    ("table of contents", r"(?:table of contents|contents|содержание|оглавление)"),
]

SIGNS: list[Sign] = [
    *(Sign(ARCHIVAL, name, _rx(r"^\s*(?:[IVX\d]+\.\s*)?" + p + r"\s*[.:]?\s*$"), 2.0, True, 1) for name, p in _APPARATUS),
    Sign(ARCHIVAL, "numbered documents", _rx(r"^\s*(?:№\s*\d+|документ\s*№?\s*\d+|document\s+(?:no\.\s*)?\d+\b|\d{1,4}\.\s+(?:telegram|letter|message|memorandum|note|record|телеграмма|письмо|записка|запись|послание|сообщение|фотография)|\*?\s*\d{1,4}\.\s+(?:[A-ZА-ЯЁ]\.\s*){1,2}[A-ZА-ЯЁ][a-zа-яё]+)"), 1.0, True, 10),
    Sign(ARCHIVAL, "archival legend (fond/opis/delo)", _rx(r"\b(?:Ф|F)\.\s*[\dА-ЯA-Z-]+\.\s*(?:Оп|Op)\.\s*\d+.*?(?:Д|D)\.\s*\d+"), 2.0, False, 5),
    Sign(ARCHIVAL, "archival source note", _rx(r"^\s*(?:source:|печатается по|подлинник\.?|копия\.?|заверенная копия)"), 1.0, True, 10),
    Sign(ARCHIVAL, "record group / lot file", _rx(r"\b(?:record group \d+|RG \d+|lot \d+ ?D ?\d+|central files)"), 1.0, False, 5),
    Sign(INTELLIGENCE, "classification marking", _rx(r"^\s*(?:top secret|secret|confidential|noforn|eyes only|совершенно секретно|секретно|для служебного пользования)\b[^\n]{0,40}$"), 2.0, True, 3),
    Sign(INTELLIGENCE, "source reliability", _rx(r"\b(?:source of (?:unknown|doubtful|proven) reliability|reliable source|usually reliable|grade[d]? [A-F]-?[1-6]\b|надежн\w+ источник|источник,? заслуживающ\w+ доверия)"), 2.0, False, 5),
    Sign(INTELLIGENCE, "judgement of likelihood", _rx(r"\b(?:we (?:assess|judge|estimate|believe)|(?:high|moderate|low) confidence|almost certainly|it is (?:likely|unlikely|probable)|по (?:нашей )?оценке|вероятно,)"), 1.0, False, 5),
    Sign(INTELLIGENCE, "distribution list", _rx(r"^\s*(?:distribution|copies to|рассылка|разослано)\s*:"), 2.0, True, 2),
    Sign(INTELLIGENCE, "intelligence analysis", _rx(r"\b(?:intelligence (?:analysis|assessment|estimate|report)|разведывательн\w+ (?:анализ|оценк\w+|сводк\w+))"), 1.0, False, 3),
    Sign(PRESS, "reading time", _rx(r"\b\d+\s*(?:min(?:ute)?s?\.? read|мин\.? чтения)\b"), 3.0, False, 1),
    Sign(PRESS, "time since publication", _rx(r"^\s*(?:[-–•]\s*)?\d+\s*(?:minutes?|hours?|days?|минут\w*|час\w*|дн\w+)\s+(?:ago|назад)\s*$"), 2.0, True, 1),
    Sign(PRESS, "byline", _rx(r"^\s*(?:by\s+[A-Z][\w.]+(?:\s+[A-Z][\w.]+){0,3}|[-–•]\s*[A-Z][\w]+(?:\s+[A-Z][\w]+)?|автор:\s*\w+)\s*$"), 2.0, True, 1),
    Sign(PRESS, "reporting verbs", _rx(r"\b(?:according to|reported|newly (?:reviewed|released|declassified)|reveal(?:s|ed)?|сообщает|по данным|как стало известно)\b"), 0.7, False, 4),
    Sign(CORRESPONDENCE, "salutation", _rx(r"^\s*(?:dear (?:mr|mrs|ms|sir|madam|president|chairman)\b|многоуважаемый|уважаемый|милостивый государь|дорогой|любезный)"), 1.0, True, 10),
    Sign(CORRESPONDENCE, "closing", _rx(r"^\s*(?:sincerely|respectfully|yours (?:truly|faithfully|sincerely)|с уважением|искренне ваш|преданный вам|целую)"), 1.0, True, 10),
    # the documents' own types and authors, as the readers give them (`profile._structure_evidence`)
    Sign(CORRESPONDENCE, "documents are letters", _rx(r"(?!)"), 3.0, True, 1),
    Sign(CORRESPONDENCE, "one correspondent", _rx(r"(?!)"), 3.0, True, 1),
    Sign(MEMOIR, "diary entry", _rx(r"^\s*(?:\d{1,2}\s+\w+\s*(?:\d{4})?\s*(?:г\.)?\s*[.:—-]\s+(?:я|мы)\b|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),? \w+ \d{1,2})"), 1.5, True, 10),
    Sign(MEMOIR, "first-person recollection", _rx(r"\b(?:i remember|i recall|i (?:was|went|saw) |я помню|вспоминаю|я был[а]? )"), 0.7, False, 5),
]

# the name a report gives the compilation it describes: `titled "Russian JFK Dossier"`
_TITLED = re.compile(r"\b(?:titled|entitled|called|под названием|озаглавленн\w*)\s*[“\"«']([^”\"»']{3,120})[”\"»']",
                     re.IGNORECASE)
_MENTION_SIGNS = {name for name, _ in _APPARATUS} | {"described as archival"}
_NEGATION = re.compile(r"(?:\b(?:rather than|not|no|nor|instead of|never|не|ни|а не|вместо)\s+(?:\w+\s+){0,2})$", re.IGNORECASE)


@dataclass
class Evidence:
    kind: str
    sign: str
    text: str
    line: int
    structural: bool
    negated: bool = False

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "sign": self.sign, "text": self.text, "line": self.line,
                "as": "structure" if self.structural else "mention", "negated": self.negated}


@dataclass
class Characterisation:
    kind: str
    scores: dict[str, float]
    evidence: list[Evidence] = field(default_factory=list)
    describes: dict[str, object] | None = None

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "scores": self.scores, "evidence": [e.to_json() for e in self.evidence],
                "describes": self.describes}


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _line_at(text: str, pos: int) -> str:
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return text[a: b if b >= 0 else len(text)]


def gather(text: str) -> list[Evidence]:
    """Every sign found, as structure (a line of its own) or as a mention in prose."""
    found: list[Evidence] = []
    for sign in SIGNS:
        n = 0
        for m in sign.pattern.finditer(text):
            if n >= sign.cap:
                break
            negated = bool(_NEGATION.search(text[max(0, m.start() - 40):m.start()]))
            found.append(Evidence(sign.kind, sign.name, m.group(0).strip()[:120], _line_of(text, m.start()),
                                  sign.structural, negated))
            n += 1
        if sign.structural:
            continue
    # apparatus titles named inside prose: mentions (they describe another compilation)
    for name, p in _APPARATUS:
        rx = _rx(p)
        for m in rx.finditer(text):
            line = _line_at(text, m.start())
            if re.fullmatch(r"\s*(?:[IVX\d]+\.\s*)?" + p + r"\s*[.:]?\s*", line, re.IGNORECASE):
                continue
            negated = bool(_NEGATION.search(text[max(0, m.start() - 40):m.start()]))
            found.append(Evidence(ARCHIVAL, name, m.group(0), _line_of(text, m.start()), False, negated))
            break
    for m in _rx(r"\b(?:state )?archiv(?:al|e|es)\b[^.\n]{0,40}\b(?:compilation|publication|standards?|documents?)|"
                 r"\bnumbered chapters\b|\bindices of names\b|архивн\w+ (?:публикаци\w+|сборник\w*)").finditer(text):
        negated = bool(_NEGATION.search(text[max(0, m.start() - 40):m.start()]))
        found.append(Evidence(ARCHIVAL, "described as archival", m.group(0), _line_of(text, m.start()), False, negated))
    return found


def _score(evidence: list[Evidence], use: str) -> dict[str, float]:
    """Each kind's share of the weighted evidence (shares add up to 1; all 0 when nothing was found).

    Negated signs count against their kind. `use="own"` leaves out apparatus sections named only in
    prose; `use="described"` takes only those mentions."""
    weight = {(s.kind, s.name): s.weight for s in SIGNS}
    raw = dict.fromkeys(KINDS, 0.0)
    for e in evidence:
        if use == "own" and not e.structural and e.kind == ARCHIVAL and e.sign in _MENTION_SIGNS:
            continue  # an apparatus section named in prose is not the text's own structure
        if use == "described" and (e.structural or e.kind == PRESS):
            continue
        w = weight.get((e.kind, e.sign), 1.0)
        raw[e.kind] += -w if e.negated else w
    total = sum(max(v, 0.0) for v in raw.values())
    if not total:
        return dict.fromkeys(KINDS, 0.0)
    return {k: round(max(v, 0.0) / total, 3) for k, v in raw.items()}


def characterise(text: str, documents: int = 1) -> Characterisation:
    """The kind of a text (or a whole dossier's text), its scores per kind, and the evidence."""
    evidence = gather(text)
    own = _score(evidence, "own")
    kind = max(KINDS, key=lambda k: (own[k], -KINDS.index(k)))
    if own[kind] == 0:
        kind = "unknown"
    describes = None
    if kind == PRESS:
        described = _score(evidence, "described")
        inner = max(KINDS, key=lambda k: (described[k], -KINDS.index(k)))
        if described[inner] >= 0.5:
            title = _TITLED.search(text)
            describes = {"kind": inner, "title": title.group(1).strip() if title else "", "scores": described,
                         "evidence": [e.to_json() for e in evidence if e.kind == inner and not e.structural]}
    return Characterisation(kind, own, evidence, describes)
