"""Recover the structure of a documentary edition from its plain text: headings, documents, apparatus.

What it is for: a reader that has only text (a typed file, a PDF's text layer, an OCR'd scan) hands
it here to learn what an editor printed.

* `describe_document(text, lang)` reads ONE document's text: the editor's heading at its start
  (number, type, author, addressee, date, place), the dateline as printed, and the source note or
  legend. Both traditions of `docs/standards.md` are read by one grammar:
  `118. Letter From Chairman Khrushchev to President Johnson` (FRUS: type, `From` authors, `to`
  addressees, titles dropped), `№ 12. Телеграмма Н. С. Хрущёва Л. Джонсону. Москва, 23 ноября 1963 г.`
  (Soviet: the author in the genitive, the addressee in the dative, both put in the nominative by
  `enrich.names_ru`), and the year-first headings of collected letters
  (`* 20. П. В. Морозову. 1874 г. Марта 20—21? Я. П.`: a leading `*` marks first publication; a
  heading without a type word is a letter to the person named in the dative). Dates are read by
  `enrich.dates` only. A place printed as an abbreviation (`Я. П.`) is resolved through the
  edition's own list of abbreviations when the caller passes it (`abbreviations=`); an addressee
  that only an enclosing heading names (a volume «Письма к В. Г. Черткову») comes from
  `context_addressees=` (see `addressees_from_title`).
* `split_documents(text, lang)` finds the sections of a whole dossier: numbered documents
  (`№ 12.`, `Документ № 12`, `12.` at a line start before a heading-like line, `Document 12`),
  chapters (`Глава I`, `Chapter 1`, `Раздел 2`, roman-numbered lines), and the apparatus: contents,
  list of documents, index of names, index of places, list of abbreviations, appendix, preface.
  Boundary candidates must stand at a line start and look like headings; among them the heaviest
  increasing sequence of numbers wins, so a `12.` inside a paragraph, a numbered note or a
  commentary paragraph (`18. Печатается по автографу…`) is not a document start.
  `analyze_structure` returns the same sections with the apparatus put to use: the printed list of
  documents is checked against the documents found (numbers missing on either side), the printed
  indexes are parsed (`parse_printed_index`), page references mapped to documents when the caller
  gives page offsets (`documents_for_pages`).
* `documents_from_text(text, body=, stem=, path=, lang=, pages=, report=)` cuts a whole dossier's
  text into `Document`s at the documents found (the page readers call it through
  `pages.documents_from_text`); the text no document covers is reported (`left_out`), with pages.
* `parse_legend(text)` turns a Russian legend (`АВП РФ. Ф. 0129. Оп. 47. П. 329. Д. 5. Л. 1–3.
  Подлинник.`, `Печатается по автографу, хранящемуся в АТБ.`) or a FRUS source note into a
  `model.SourceLegend`.

What it is not: no I/O, no OCR, no layout analysis (columns and running heads are the PDF reader's
business), no named-entity recognition in document bodies (`enrich.ner_ru`), and no rewriting of
text: spans point into the text as given and headings are returned as printed. No place names,
persons or volumes of any corpus are built in: places are resolved only through the abbreviations
the caller passes.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..enrich import dates as _dates
from ..model import DateRange, Registers, SourceLegend
from ..text_utils import align_in_order, detect_language

__all__ = [
    "DocumentFacts", "IndexEntry", "ListedDocument", "Section", "Structure", "addressees_from_title",
    "analyze_structure", "apparatus_registers", "describe_document", "documents_for_pages", "parse_legend", "parse_list_of_documents",
    "documents_from_text", "left_out", "parse_printed_index", "split_documents",
]


# --------------------------------------------------------------------------- results


@dataclass
class DocumentFacts:
    """What the editor printed about one document.

    `heading` is the heading as printed without its number (and without the `*` of first
    publication); `heading_span` its [start, end) in the text given, number included. `place` is
    resolved through the abbreviations given (`place_as_printed` keeps what the heading says);
    `authors`/`addressees` are in the nominative (Russian: `Хрущёв Н. С.`; English: the name without
    titles, `Khrushchev`, or the office, `Department of State`). `source` is the legend or source
    note as printed, `legend` its parsed form.
    """

    n: int | None = None
    heading: str = ""
    type: str = ""
    type_as_printed: str = ""
    date: DateRange = field(default_factory=DateRange)
    dateline: str = ""
    place: str = ""
    place_as_printed: str = ""
    authors: list[str] = field(default_factory=list)
    addressees: list[str] = field(default_factory=list)
    source: str = ""
    legend: SourceLegend = field(default_factory=SourceLegend)
    heading_span: tuple[int, int] = (0, 0)
    first_publication: bool = False
    remarks: list[str] = field(default_factory=list)  # `(неотправленное)`, `Черновое`, `(отцу)`
    language: str = ""

    def to_json(self) -> dict[str, Any]:
        """The fields an `edition.json` document carries (`letters.py score` reads this shape)."""
        return {"n": self.n, "heading": self.heading, "type": self.type, "date": self.date.to_json(),
                "dateline": self.dateline, "place": self.place, "authors": list(self.authors),
                "addressees": list(self.addressees), "source": self.source}


@dataclass
class Section:
    """A part of a dossier's text: a document, a chapter or a piece of the apparatus.

    `kind` is one of "document", "chapter", "toc", "list_of_documents", "index_of_names",
    "index_of_places", "abbreviations", "appendix", "preface", "other"; `span` is [start, end) in
    the text; `number` the document's or chapter's number; `title` the heading line as printed.
    """

    kind: str
    span: tuple[int, int]
    number: int | None = None
    title: str = ""
    heading_span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class ListedDocument:
    """An entry of a printed list of documents (or of a contents page): number, heading, page."""

    n: int
    heading: str
    page: str = ""


@dataclass(frozen=True)
class IndexEntry:
    """An entry of a printed index: the name as printed, the numbers it cites, what they are."""

    name: str
    refs: tuple[int, ...]
    kind: str  # "documents" | "pages"
    see: str = ""
    description: str = ""  # what the index says of the name (`Chairman of the Council of Ministers`)
    printed: str = ""  # the whole entry as printed, its lines joined


@dataclass
class Structure:
    """`split_documents`' sections with the apparatus parsed and cross-checked."""

    sections: list[Section]
    listed: list[ListedDocument] = field(default_factory=list)
    listed_not_found: list[int] = field(default_factory=list)
    found_not_listed: list[int] = field(default_factory=list)
    index_of_names: list[IndexEntry] = field(default_factory=list)
    index_of_places: list[IndexEntry] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    list_text: str = ""  # the printed list of documents below its heading, to the next section

    @property
    def documents(self) -> list[Section]:
        return [s for s in self.sections if s.kind == "document"]


# --------------------------------------------------------------------------- small helpers

_CYR = re.compile(r"[А-Яа-яЁё]")
_LAT = re.compile(r"[A-Za-z]")
_WS = re.compile(r"\s+")
_PARA = re.compile(r"\S(?:.*\S)?(?:\n[ \t]*\S.*)*", re.MULTILINE)  # runs of non-blank lines


def _guess_lang(text: str) -> str:
    return detect_language(text[:5000], ["ru", "en"])


def _norm_lang(lang: str | None, text: str) -> str:
    if lang:
        lang = lang.lower().replace("_", "-").split("-")[0].split("+")[0]
        if lang in ("ru", "en"):
            return lang
    return _guess_lang(text)


def _squash(s: str) -> str:
    return _WS.sub(" ", s).strip()


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PARA.finditer(text)]


# --------------------------------------------------------------------------- the number of a heading

# `№ 12.`, `Документ № 12`, `Document 12`, `No. 12`, `12.`; a `*` before marks first publication.
# `12.` must not be the start of a numeric date (`25.11.1963`); `453.1891 г.` is number 453 and a year.
_NUM = re.compile(
    r"[ \t]*(?P<star>\*[ \t]*)?"
    r"(?:(?P<word>(?:Документ|Document|Doc\.|Док\.)[ \t]*(?:№|No\.?|N[oº°]\.?)?|№|No\.|N[oº°]\.?|Nr\.)[ \t]*"
    r"(?P<n1>\d{1,4})(?![\d.,]\d)[ \t]*[.:]?"
    r"|(?P<n2>\d{1,4})[ \t]*\.(?!\d{1,2}\.)(?![ \t]*\d{1,2}\b(?![ \t]*г)))"
    r"[ \t]*",
)
_LEGEND_START = re.compile(
    r"(?:Печатается|Публикуется|Впервые|Подлинник|Копия|Автограф|Машинопись|Источник|Source|Printed\s+from"
    r"|[А-ЯЁA-Z][А-ЯЁA-Z ]{1,12}\.\s*Ф\.\s*\S)", re.IGNORECASE)


def _heading_number(line: str) -> tuple[int, int, bool] | None:
    """(number, end of the number prefix, first publication) of a heading line, else None."""
    m = _NUM.match(line)
    if not m:
        return None
    n = int(m.group("n1") or m.group("n2"))
    return n, m.end(), bool(m.group("star"))


# --------------------------------------------------------------------------- document types

# Russian: stem of the printed word → (type key, length of the phrase in words).
_RU_TYPES: tuple[tuple[str, str], ...] = (
    (r"запись\s+бесед\w*", "record of conversation"), (r"памятн\w+\s+записк\w*", "memorandum"),
    (r"докладн\w+\s+записк\w*", "report"), (r"служебн\w+\s+записк\w*", "note"),
    (r"шифр\w*телеграмм\w*", "telegram"), (r"телеграмм\w*", "telegram"), (r"письм\w+", "letter"),
    (r"послани\w+", "message"), (r"сообщени\w+", "message"), (r"записк\w+", "note"), (r"нот[аыу]\b", "note"),
    (r"меморандум\w*", "memorandum"), (r"прошени\w+", "petition"), (r"заявлени\w+", "statement"),
    (r"справк\w+", "report"), (r"доклад\w*", "report"), (r"донесени\w+", "report"), (r"отч[её]т\w*", "report"),
    (r"информаци\w+", "report"), (r"протокол\w*", "minutes"), (r"стенограмм\w*", "transcript"),
    (r"постановлени\w+", "resolution"), (r"решени\w+", "resolution"), (r"приказ\w*", "order"),
    (r"распоряжени\w+", "order"), (r"указ\w*", "decree"), (r"выписк\w+", "extract"), (r"проект\w*", "draft"),
    (r"черновик\w*", "draft"), (r"обращени\w+", "address"), (r"речь|выступлени\w+", "speech"),
    (r"интервью", "interview"), (r"беседа|бесед[ыа]", "record of conversation"),
    (r"фотографи\w+|фото\b", "photograph"), (r"запис[ьи]\b", "entry"), (r"заметк\w+|стать\w+", "press item"),
    (r"дневник\w*", "diary"), (r"соболезновани\w+", "condolence"), (r"устн\w+\s+заявлени\w+", "oral statement"),
    (r"редакционн\w+\s+примечани\w+", "editorial note"), (r"циркуляр\w*", "circular"),
)
_RU_TYPE = re.compile(r"(?:Из\s+)?(?:" + "|".join(f"(?P<t{i}>{rx})" for i, (rx, _) in enumerate(_RU_TYPES)) + r")",
                      re.IGNORECASE)
_EN_TYPES = ("memorandum of conversation", "editorial note", "oral statement", "letter", "telegram", "message",
             "memorandum", "note", "paper", "report", "record", "minutes", "transcript", "statement",
             "circular", "airgram", "despatch", "dispatch", "instruction", "draft", "photograph",
             "press release", "editorial", "intelligence", "diary", "speech", "cable", "backchannel",
             "aide-mémoire", "aide-memoire", "summary", "conversation", "notes")


def _ru_type(s: str) -> tuple[str, str, int] | None:
    """(type key, as printed, end) when `s` starts with a Russian document-type phrase."""
    m = _RU_TYPE.match(s)
    if not m:
        return None
    for i, (_, key) in enumerate(_RU_TYPES):
        if m.group(f"t{i}"):
            return key, m.group(0), m.end()
    return None


def _en_type(s: str) -> str:
    low = s.lower().strip(" .")
    for t in _EN_TYPES:
        if low == t or low.startswith(t + " ") or low.endswith(" " + t):
            return t
    return low.split(" ")[-1] if low else ""


# --------------------------------------------------------------------------- Russian persons in a heading

_INITIAL = r"(?:[A-ZА-ЯЁ][а-яё]?\.[ \t]*)"  # `Н.`, `Дж.`; Latin look-alikes (`H. A.`) included
_SURNAME = r"(?:[A-ZА-ЯЁ][а-яёa-z]+(?:-[A-ZА-ЯЁ]?[а-яёa-z]+)*)"
_LATIN_NAME = r"(?:[ \t]*\([^()]*[A-Za-z][^()]*\))"  # `(Henry George)` after a name printed in Cyrillic
_TITLES_RU = {"гр", "кн", "бар", "бар-не", "г", "гг", "г-ну", "г-же", "св", "тов", "акад", "проф", "ген", "кн-не",
              "гр-не"}
_PERSON_RU = re.compile(
    r"(?<![\w.])(?P<ini>(?:" + _INITIAL + r"){1,3})(?P<sur>" + _SURNAME + r")(?P<lat>" + _LATIN_NAME + r")?")
_PERSON_RU_INV = re.compile(  # index order: `Хрущёв Н. С.`
    r"(?<![\w.-])(?P<sur2>" + _SURNAME + r")(?P<ini2>(?:[ \t]+" + _INITIAL.rstrip(")") + r"){1,2}))")
_CAP_RUN = re.compile(r"(?<![\w.-])(?P<run>" + _SURNAME + r"(?:[ \t]+" + _SURNAME + r"){0,2})(?P<lat>" + _LATIN_NAME
                      + r")?")


def _morph_parses(word: str) -> tuple[Any, ...]:
    from ..enrich import names_ru

    return names_ru.parses(word)


def _is_common_word(word: str) -> bool:
    """A capitalised word the dictionary knows only as a common word (`Ректору`, `Епископу`)."""
    ps = _morph_parses(word)
    if not ps:
        return False
    known = [p for p in ps if p.is_known]
    if not known:
        return False
    return not any(t in p.tag for p in known for t in ("Name", "Surn", "Patr"))


def _cases(word: str) -> frozenset[str]:
    from ..enrich import names_ru

    return names_ru.possible_cases(word)


@dataclass
class _Person:
    start: int
    end: int
    words: list[str]
    surname_word: str
    index_form: str = ""
    cases: frozenset[str] = frozenset()
    joined: bool = False  # joined to the one before by `и` / `,`
    prep: str = ""  # a preposition just before: `от`, `к`, ...


def _persons_ru(s: str) -> list[_Person]:
    """Person name groups in a Russian heading, in order, with the cases their words can be in."""
    found: list[_Person] = []
    taken: list[tuple[int, int]] = []
    for m in _PERSON_RU.finditer(s):
        inis = re.findall(r"[A-ZА-ЯЁ][а-яё]?\.", m.group("ini"))
        # a title in front (`Гр. С. Н. Толстому`, `Г. Иванову`); a capital one-letter `Г.` followed
        # by one initial is the person's own first initial (`Г. А. Ермолаеву`)
        if inis and inis[0].rstrip(".").lower() in _TITLES_RU and not (
                len(inis) == 2 and len(inis[0].rstrip(".")) == 1 and inis[0][0].isupper()):
            inis = inis[1:]
        if not inis:
            continue
        sur = m.group("sur")
        start = m.start("ini") + m.group("ini").find(inis[0])
        found.append(_Person(start, m.end(), [*inis, sur], sur))
        taken.append((start, m.end()))
    for m in _PERSON_RU_INV.finditer(s):
        sur = m.group("sur2")
        if any(a < m.end() and m.start() < b for a, b in taken) or _is_common_word(sur):
            continue
        inis = re.findall(r"[A-ZА-ЯЁ][а-яё]?\.", m.group("ini2"))
        found.append(_Person(m.start(), m.end(), [sur, *inis], sur))
        taken.append((m.start(), m.end()))
    # Names without initials: `Генри Джорджу`, `Епископу Гермогену`, `Махатме Ганди`.
    for m in _CAP_RUN.finditer(s):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        words = m.group("run").split()
        while words and _is_common_word(words[0]):
            words = words[1:]
        if not words or len(words) > 2:
            continue
        if any(_is_common_word(w) for w in words):
            continue
        if words[-1].lower() in _TITLES_RU:
            continue
        start = m.start() + m.group("run").find(words[0])
        found.append(_Person(start, m.end(), words, words[-1]))
    found.sort(key=lambda p: p.start)
    for i, p in enumerate(found):
        before = s[found[i - 1].end:p.start] if i else s[:p.start]
        if i and re.fullmatch(r"\s*(?:и|,)\s*", before):
            p.joined = True
        pm = re.search(r"(?:^|\s)(от|к|ко|с|со|в\s+адрес|на\s+имя|для)\s*$", before, re.IGNORECASE)
        if pm:
            p.prep = pm.group(1).lower()
        p.cases = _cases(p.surname_word)
    return found


def _nominative_ru(p: _Person, case: str | None) -> str:
    """The person's index form (`Хрущёв Н. С.`) from the words printed in `case`.

    A surname after initials is put in the nominative as a surname (`Данилевичу` → `Данилевич`,
    never a patronymic); one that cannot be in `case` at all does not decline and stays as printed
    (`С. Д. Толь` in a dative heading)."""
    from ..enrich import names_ru

    inis = [w for w in p.words if re.fullmatch(r"[A-ZА-ЯЁ][а-яё]?\.", w)]
    full = [w for w in p.words if w not in inis]
    if inis and len(full) == 1:
        sur = full[0]
        if case is None:
            nom = sur
        else:
            nom = names_ru.nominative_surname(sur, case, "")[0]
        ini = " ".join(w.translate(names_ru.LOOKALIKE_TO_CYRILLIC) for w in inis)
        return f"{nom} {ini}"
    parts = names_ru.parse_person(p.words, [case] * len(p.words) if case else None)
    if not parts.surname:
        return parts.first or " ".join(p.words)
    return names_ru.index_form(parts)



def _roles_ru(persons: list[_Person], typed: bool) -> tuple[list[str], list[str]]:
    """Authors (genitive after a type word, `от`) and addressees (dative, `к`) of a Russian heading."""
    authors: list[str] = []
    addressees: list[str] = []
    role_prev = ""
    for i, p in enumerate(persons):
        gen, dat = "gent" in p.cases, "datv" in p.cases
        if p.joined and role_prev:
            role = role_prev
        elif p.prep in ("от",):
            role = "author"
        elif p.prep in ("к", "ко", "в адрес", "на имя", "для", "с", "со"):
            role = "addressee"  # `с` + instrumental: the other party of a conversation
        elif dat and not gen:
            role = "addressee"
        elif gen and not dat:
            role = "author" if typed else "addressee"
        elif typed and not authors and i + 1 < len(persons) and not persons[i + 1].joined:
            role = "author"  # `Письмо Е. А. Фурцевой Ж. Кеннеди`: the first of two is the author
        elif typed and not authors and len(persons) == 1 and gen:
            role = "author"
        else:
            role = "addressee"
        want = "ablt" if p.prep in ("с", "со") else {"author": "gent", "addressee": "datv"}[role]
        form = _nominative_ru(p, want if want in p.cases else None)
        (authors if role == "author" else addressees).append(form)
        role_prev = role
    return authors, addressees


# --------------------------------------------------------------------------- English parties

_EN_TITLE_WORDS = {
    "mr", "mrs", "ms", "dr", "president", "president-elect", "chairman", "chairmen", "premier", "ambassador",
    "ambassadors", "secretary", "general", "attorney", "minister", "prime", "foreign", "deputy", "vice", "first",
    "senator", "governor", "admiral", "comrade", "the", "of", "state", "under", "assistant", "special",
    "counselor", "chancellor", "king", "queen", "prince", "pope", "marshal", "colonel", "lieutenant", "major",
    "captain", "sir", "lord", "defense", "affairs", "soviet", "american", "british", "french", "acting", "chief",
    "director", "executive", "national", "security", "adviser", "advisor", "representative", "permanent",
    "delegate", "head", "leader", "to", "for", "and", "chargé", "charge", "d’affaires", "d'affaires", "council",
    "ministers", "supreme", "presidium", "united", "nations", "states", "staff", "officer", "commander",
    "spokesman", "press", "party", "central", "committee", "consul", "envoy", "emperor", "shah", "sultan",
}
_EN_ORG_WORDS = re.compile(
    r"\b(?:Department|Embassy|Legation|Consulate|Ministry|Mission|Government|Office|Council|Delegation|Committee"
    r"|Secretariat|Agency|Bureau|Administration|Staff|Command|Headquarters|House|Kremlin|Foreign\s+Office"
    r"|Commission|Board|Service|Section|Division|Station|Presidium|Politburo|Senate|Congress|Parliament"
    r"|Association|Union|Library|Archives?)\b")


def _english_party(part: str) -> str:
    """A person's name without titles (`Chairman Khrushchev` → `Khrushchev`) or an office as printed."""
    part = _squash(part).strip(" ,.;:")
    paren = re.search(r"\(([^()]+)\)\s*$", part)
    if paren and re.match(r"[A-Z]", paren.group(1)) and not _EN_ORG_WORDS.search(paren.group(1)):
        return paren.group(1).strip()
    part = re.sub(r"^(?:the|a|an)\s+", "", part, flags=re.IGNORECASE)
    if _EN_ORG_WORDS.search(part):
        return part
    part = re.sub(r"\s+(?:at|in)\s+[A-Z][\w.\- ]*$", "", part)  # `Secretary of State Rusk at Geneva`
    words = part.split()
    keep = list(words)
    while len(keep) > 1 and keep[0].lower().strip(",") in _EN_TITLE_WORDS:
        keep = keep[1:]
    if keep and keep[0].lower() in _EN_TITLE_WORDS and len(words) > 1:
        return ""
    return " ".join(keep)


def _split_parties(s: str) -> list[str]:
    s = _squash(s)
    out: list[str] = []
    for chunk in re.split(r",\s+(?:and\s+)?|\s+and\s+", s):
        name = _english_party(chunk)
        if name:
            out.append(name)
    return out


_EN_FROM_TO = re.compile(
    r"^(?P<type>.+?)\s+(?:From|from|By|by)\s+(?P<from>.+?)(?:\s+(?:to|To)\s+(?P<to>.+))?$")
_EN_TO_ONLY = re.compile(r"^(?P<type>.+?)\s+(?:to|To|for|For)\s+(?P<to>.+)$")
_EN_OF = re.compile(r"^(?P<type>.+?)\s+(?:Between|between)\s+(?P<from>.+?)\s+and\s+(?P<to>.+)$")


# --------------------------------------------------------------------------- places

_PLACE_TAIL = re.compile(r"^[\s.,;:]*(?P<place>[A-ZА-ЯЁ][^\d?]{0,60}?)(?P<q>\?)?\s*$")


def _strip_place(p: str) -> tuple[str, bool]:
    p = _squash(p).strip(" ,;:")
    q = p.endswith("?")
    p = p.rstrip("?").strip()
    if p.endswith(".") and not re.search(r"(?:^|\s)\w{1,3}\.$", p):
        p = p[:-1]
    return p, q


def resolve_place(place: str, abbreviations: Mapping[str, str] | None) -> str:
    """The place as the edition's list of abbreviations spells it out (`Я. П.` → `Ясная Поляна`)."""
    if not place or not abbreviations:
        return place
    key = _squash(place)
    table = {_squash(k).rstrip("."): v for k, v in abbreviations.items()}
    for cand in (key, key.rstrip("."), key.replace(" ", ""), key.rstrip(".").replace(" ", "")):
        if cand in table:
            return table[cand]
    spaced = {_squash(k).replace(" ", "").rstrip("."): v for k, v in abbreviations.items()}
    return spaced.get(key.replace(" ", "").rstrip("."), place)


# --------------------------------------------------------------------------- headings


@dataclass
class _Heading:
    n: int | None
    star: bool
    span: tuple[int, int]
    number_end: int  # offset in the text where the heading proper begins
    text: str  # heading as printed, without number


def _find_heading(text: str) -> _Heading | None:
    paras = _paragraphs(text)
    if not paras:
        return None
    s, e = paras[0]
    para = text[s:e]
    if len(para) > 600:  # a paragraph of prose: the heading is at most its first line
        nl = para.find("\n")
        e = s + (nl if nl > 0 else len(para))
        para = text[s:e]
    num = _heading_number(para)
    if num is None:
        if len(para) > 300 or _LEGEND_START.match(para):
            return None
        return _Heading(None, False, (s, e), s, _squash(para))
    n, off, star = num
    rest = para[off:]
    if _LEGEND_START.match(rest):
        return None
    return _Heading(n, star, (s, e), s + off, _NOTE_MARK_END.sub("", _squash(rest)))


# A note's number printed after the heading's last word (`... to President Kennedy1`: a superscript in
# the PDF, level with the text in its text layer) is not part of the heading.
_NOTE_MARK_END = re.compile(r"(?<=[^\W\d_])\d{1,2}$")


def _split_date(h: str, lang: str, year: int | None) -> tuple[str, DateRange | None, str, str]:
    """(before the date, date, date as printed, after it) of a heading."""
    hit = None
    for m in _dates.iter_dates(h, lang, year=year):
        hit = m
        break
    if hit is None:
        return h, None, "", ""
    return h[:hit.start], hit.date, h[hit.start:hit.end], h[hit.end:]


def _place_before(before: str) -> tuple[str, str]:
    """(rest, place) when a heading prints `… . Москва, ` just before its date."""
    b = before.rstrip()
    if not b.endswith(","):
        return before, ""
    b = b[:-1].rstrip()
    # the last sentence: after a full stop that ends a word longer than an initial
    cut = 0
    for m in re.finditer(r"(?<=[^\W\d_]{3})\.\s+|(?<=[»)\]])\.?\s+(?=[A-ZА-ЯЁ])", b):
        cut = m.end()
    place = b[cut:]
    if not re.match(r"[A-ZА-ЯЁ]", place) or len(place) > 60 or not cut:
        if not cut and len(place) <= 40 and re.match(r"[A-ZА-ЯЁ]", place):
            return "", place  # the heading is only `Москва, 23 ноября 1963 г.`
        return before, ""
    return b[:cut], place


def _remarks(s: str) -> tuple[str, list[str]]:
    """The heading without the editor's remarks `(неотправленное)`, `. Черновое.`, kept apart."""
    remarks: list[str] = []

    def keep(m: re.Match[str]) -> str:
        inner = m.group(1)
        if _LAT.search(inner) and not _CYR.search(inner):
            return m.group(0)  # `(Henry George)`: the name in its own script
        remarks.append(inner.strip())
        return " "

    s = re.sub(r"\(([^()]*)\)", keep, s)
    m = re.search(r"\.\s*((?:Черновое|Черновик|Неотправленное|Не\s+отправлено|Копия|Отрывок|Draft|Not\s+sent)"
                  r"[^.]*)\.?\s*$", s, re.IGNORECASE)
    if m:
        remarks.append(m.group(1).strip())
        s = s[:m.start()]
    return s, remarks


def _describe_heading_ru(h: str, facts: DocumentFacts, year: int | None) -> None:
    before, date, _, after = _split_date(h, "ru", year)
    place = ""
    if date is not None:
        facts.date = date
        pm = _PLACE_TAIL.match(after)
        if pm and pm.group("place"):
            place, _q = _strip_place(pm.group("place") + (pm.group("q") or ""))
        else:
            before, place = _place_before(before)
    facts.place_as_printed = place
    desc, facts.remarks = _remarks(before)
    desc = desc.strip(" .,;:")
    typed = _ru_type(desc)
    persons = _persons_ru(desc[typed[2]:] if typed else desc)
    if typed:
        facts.type, facts.type_as_printed = typed[0], typed[1]
    authors, addressees = _roles_ru(persons, typed is not None)
    facts.authors, facts.addressees = authors, addressees
    if not typed and (addressees or (desc and re.match(r"(?:В|Во|К)\s", desc) is None and desc)):
        # the collected letters of one writer: a heading that starts with the addressee is a letter
        if addressees or _starts_with_dative(desc):
            facts.type = "letter"


def _starts_with_dative(desc: str) -> bool:
    w = re.match(r"[А-ЯЁа-яё-]+", desc)
    return w is not None and "datv" in _cases(w.group(0)) and "nomn" not in _cases(w.group(0))


def _describe_heading_en(h: str, facts: DocumentFacts, year: int | None) -> None:
    before, date, _, after = _split_date(h, "en", year)
    if date is not None:
        facts.date = date
        before, place = _place_before(before)
        if not place:
            pm = _PLACE_TAIL.match(after)
            if pm and pm.group("place"):
                place, _q = _strip_place(pm.group("place"))
        facts.place_as_printed = place
    desc = before.strip(" .,;:")
    m = _EN_FROM_TO.match(desc) or _EN_OF.match(desc)
    if m:
        facts.type_as_printed = m.group("type")
        facts.authors = _split_parties(m.group("from"))
        facts.addressees = _split_parties(m.group("to") or "")
    else:
        m2 = _EN_TO_ONLY.match(desc)
        if m2 and _en_type(m2.group("type")) in _EN_TYPES:
            facts.type_as_printed = m2.group("type")
            facts.addressees = _split_parties(m2.group("to"))
        elif _en_type(desc) in _EN_TYPES:  # a heading that is only a type: "Editorial Note"
            facts.type_as_printed = desc
    facts.type = _en_type(facts.type_as_printed) if facts.type_as_printed else ""


# --------------------------------------------------------------------------- source notes and legends

_SOURCE_PRINTED = re.compile(r"(?:^|(?<=\n)|(?<=[.!?»]\s))[ \t]*(?:\d{1,4}\.[ \t]*)?"
                             r"(?P<src>(?:Печатается|Публикуется)\s+по\b[^\n]*)")
_SOURCE_RU = re.compile(
    r"(?:^|(?<=\n))[ \t]*(?:\d{1,4}\.[ \t]*)?(?P<src>(?:(?:Подлинник|Копия|Заверенная\s+копия|Автограф|Машинопись"
    r"|Рукопись|Отпуск|Черновик)(?=[.,;])|Источник:|[А-ЯЁ][А-ЯЁA-Z ]{1,15}\.\s*Ф\.\s*[\w-]+\.)[^\n]*)")
_SOURCE_RU_LATE = re.compile(r"(?:^|(?<=\n))[ \t]*(?:\d{1,4}\.[ \t]*)?(?P<src>Впервые\s+(?:опубликован|напечатан)[^\n]*)")
_SOURCE_EN = re.compile(r"(?:^|\n)[ \t]*(?P<src>Source:[^\n]*)")


def find_source(text: str, lang: str | None = None) -> tuple[str, tuple[int, int]] | None:
    """The source note or legend as printed (a `Source:` paragraph, `Печатается по…`, `АВП РФ. Ф. …`)."""
    for rx in (_SOURCE_EN, _SOURCE_PRINTED, _SOURCE_RU, _SOURCE_RU_LATE):
        m = rx.search(text)
        if m:
            return m.group("src").strip(), m.span("src")
    return None


_REF_RU = {
    "fond": r"Ф(?:онд)?\.?", "opis": r"Оп(?:ись)?\.", "papka": r"П(?:ап)?\.", "delo": r"(?:Д(?:ело)?\.|Ед\.\s*хр\.)",
    "list": r"(?:Лл?\.|Листы?)", "box": r"Кор\.", "portfolio": r"Порт\.",
}
_REF_RX = re.compile(r"(?<![\w.])(?P<key>" + "|".join(f"(?P<{k}>{v})" for k, v in _REF_RU.items())
                     + r")\s*(?P<val>\d[\w/]*(?:\s*[-–—―]\s*\d[\w/]*)?(?:\s*(?:,|и)\s*\d[\w/]*(?:\s*[-–—―]\s*\d[\w/]*)?)*"
                       r"(?:\s*об\.)?)")
_ORIGINAL_RU = (
    (r"заверенн\w+\s+копи\w+", "заверенная копия"), (r"машинописн\w+\s+копи\w+", "машинописная копия"),
    (r"копировальн\w+\s+книг\w+", "копировальная книга"), (r"фотокопи\w+", "фотокопия"),
    (r"ксерокопи\w+", "ксерокопия"), (r"подлинник\w*", "подлинник"), (r"автограф\w*", "автограф"),
    (r"копи[ияю]\w*", "копия"), (r"черновик\w*|черновой\s+\w+", "черновик"), (r"отпуск\w*", "отпуск"),
    (r"фотографи\w+", "фотография"), (r"выписк\w+", "выписка"), (r"печатн\w+\s+текст\w*", "печатный текст"),
)
_REPRO_RU = ((r"машинопис\w+", "машинопись"), (r"рукопис\w+", "рукопись"), (r"телеграфн\w+\s+лент\w+", "телеграфная лента"),
             (r"типографск\w+\s+оттиск\w*", "типографский оттиск"), (r"ротаторн\w+", "ротаторный оттиск"))


def parse_legend(text: str) -> SourceLegend:
    """A legend or source note as a `SourceLegend` (fields as printed; `text` the whole note)."""
    t = _squash(text)
    if not t:
        return SourceLegend()
    if t.startswith("Source:") or (_LAT.search(t) and not _CYR.search(t)):
        return _parse_source_en(t)
    fields: dict[str, str] = {}
    extra: list[tuple[str, str]] = []
    first = None
    for m in _REF_RX.finditer(t):
        key = next(k for k in _REF_RU if m.group(k))
        val = _squash(m.group("val"))
        if first is None:
            first = m.start()
        if key in ("fond", "opis", "delo", "list") and key not in fields:
            fields[key] = val
        else:
            extra.append((key, val))
    archive = ""
    if first is not None:
        head = t[:first].rstrip(" .,;:")
        archive = re.split(r"(?<=[^\W\d_]{3})\.\s+|:\s+", head)[-1].strip() if head else ""
    kept = re.search(r"(?:хранящ\w+|находящ\w+)\s+(?:в|у)\s+(?P<where>[^.;(]+?)(?:\s*\(|[.;]|$)", t)
    if not archive and kept:
        archive = kept.group("where").strip(" ,")
    original = ""
    by = re.search(r"(?:Печатается|Публикуется)\s+по\s+(?P<what>[^,.;]+)", t, re.IGNORECASE)
    scope = by.group("what") if by else t
    for rx, name in _ORIGINAL_RU:
        if re.search(rx, scope, re.IGNORECASE):
            original = name
            break
    if by and not fields.get("list"):
        pages = re.search(r"лист(?:ам|ах|у|е)\s+(?P<l>\d[\d\s—–,-и]*\d|\d)", scope)
        if pages:
            fields["list"] = _squash(pages.group("l"))
    reproduction = ""
    for rx, name in _REPRO_RU:
        if re.search(rx, t, re.IGNORECASE):
            reproduction = name
            break
    return SourceLegend(text=t, archive=archive, fond=fields.get("fond", ""), opis=fields.get("opis", ""),
                        delo=fields.get("delo", ""), list=fields.get("list", ""), original=original,
                        reproduction=reproduction, extra=tuple(extra))


def _parse_source_en(t: str) -> SourceLegend:
    body = t[len("Source:"):].strip() if t.startswith("Source:") else t
    first = re.split(r"[.;]", body, maxsplit=1)[0]
    repository = first.split(",")[0].strip()
    lot = re.search(r"\bLot\s+\d+\s*[A-Z]\s*\d+", body)
    box = re.search(r"\bBox\s+\d+\w*", body)
    rg = re.search(r"\bRG\s+\d+", body)
    folder = re.search(r"\b(?:Folder|File)\s*:?\s*([^.;]+)", body)
    original = ""
    for rx, name in ((r"Printed from (?:an? )?([^.]*copy[^.]*)", ""), (r"\boriginal\b", "original")):
        mm = re.search(rx, body, re.IGNORECASE)
        if mm:
            original = name or mm.group(1).strip()
            break
    return SourceLegend(text=t, repository=repository, record_group=rg.group(0) if rg else "",
                        lot_file=lot.group(0) if lot else "", box=box.group(0) if box else "",
                        folder=folder.group(1).strip() if folder else "", original=original)


# --------------------------------------------------------------------------- describe_document


def addressees_from_title(title: str) -> list[str]:
    """The persons a section or volume title addresses: `Письма к В. Г. Черткову` → [`Чертков В. Г.`],
    `Letters to Khrushchev` → [`Khrushchev`]."""
    m = re.search(r"\b(?:к|ко)\s+(?P<who>.+)$", title)
    if m and _CYR.search(title):
        persons = _persons_ru(m.group("who"))
        for p in persons:
            p.prep = "к"
        return _roles_ru(persons, typed=False)[1]
    m = re.search(r"\b(?:to|To)\s+(?P<who>.+)$", title)
    if m:
        return _split_parties(m.group("who"))
    return []


def describe_document(text: str, lang: str | None = None, abbreviations: Mapping[str, str] | None = None, *,
                      year: int | None = None, context_addressees: Sequence[str] | None = None) -> DocumentFacts:
    """What the heading, dateline and legend of one document's text say.

    `abbreviations`: the edition's list of abbreviations (`{"Я. П.": "Ясная Поляна"}`), to resolve
    places printed short. `year`: a year printed earlier (a section heading) for dates without one.
    `context_addressees`: the addressee an enclosing heading names (a volume of letters to one
    person), used when the document's own heading names none.
    """
    language = _norm_lang(lang, text)
    facts = DocumentFacts(language=language)
    head = _find_heading(text)
    body_start = 0
    if head is not None:
        facts.n = head.n
        facts.first_publication = head.star
        facts.heading = head.text
        facts.heading_span = head.span
        body_start = head.span[1]
        if language == "ru":
            _describe_heading_ru(head.text, facts, year)
        else:
            _describe_heading_en(head.text, facts, year)
    # The dateline as printed in the document itself (FRUS prints it below the heading).
    src = find_source(text, language)
    body = text[body_start:]
    if src is not None and src[1][0] >= body_start:
        a, b = src[1][0] - body_start, src[1][1] - body_start
        body = body[:a] + " " * (b - a) + body[b:]  # keep offsets, hide the note
    dl = _dates.find_dateline(body, language, year=year or _year_of(facts.date))
    if dl is not None:
        s, e = dl.span
        ls = body.rfind("\n", 0, s) + 1
        le = body.find("\n", e)
        facts.dateline = body[ls:le if le >= 0 else len(body)].strip()
        if facts.date.is_undated:
            facts.date = dl.date
        if not facts.place_as_printed and dl.place:
            facts.place_as_printed, _q = _strip_place(dl.place)
    elif facts.date.is_undated and head is not None:
        undated = re.search(r"(?:^|\n)[^\n]{0,60}\b(?:undated|без даты|б\. д\.)[^\n]*", body, re.IGNORECASE)
        if undated and len(undated.group(0).strip()) < 80:
            facts.dateline = undated.group(0).strip()
    facts.place = resolve_place(facts.place_as_printed, abbreviations)
    if not facts.addressees and context_addressees:
        facts.addressees = list(context_addressees)
    if src is not None:
        facts.source = src[0]
        facts.legend = parse_legend(src[0])
    return facts


def _year_of(d: DateRange) -> int | None:
    return int(d.start[:4]) if d.start else None


# --------------------------------------------------------------------------- apparatus headings

_APPARATUS: tuple[tuple[str, str], ...] = (
    ("toc", r"(?:содержание|оглавление|(?:table\s+of\s+)?contents)"),
    ("list_of_documents", r"(?:перечень|список)\s+(?:опубликованных\s+|публикуемых\s+)?документов"
                          r"|list\s+of\s+(?:published\s+)?documents"),
    ("index_of_names", r"именной\s+указатель|указатель\s+имен|указатель\s+имён|указатель\s+лиц"
                       r"|(?:index|list)\s+of\s+(?:names|persons)|name\s+index|persons"),
    ("index_of_places", r"географический\s+указатель|указатель\s+географических\s+названий"
                        r"|(?:index|list)\s+of\s+places|geographical\s+index|place\s+index"),
    ("abbreviations", r"(?:список\s+(?:условных\s+)?сокращений|условные\s+сокращения|сокращения"
                      r"|(?:list\s+of\s+)?abbreviations(?:\s+and\s+(?:terms|symbols))?)"),
    ("appendix", r"приложени[ея](?:\s+\d+|\s+[IVX]+)?|appendix(?:es)?(?:\s+\w+)?|appendices|annex(?:es)?"),
    ("preface", r"предисловие|введение|от\s+составителей|от\s+редакции|археографическое\s+предисловие"
                r"|preface|introduction|foreword"),
)
_APPARATUS_RX = re.compile(r"^[ \t]*(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _APPARATUS)
                           + r")[ \t]*[.:]?[ \t]*$", re.IGNORECASE | re.MULTILINE)
_CHAPTER_RX = re.compile(
    r"^[ \t]*(?P<head>(?:Глава|Раздел|Часть|Chapter|Part|Section|ГЛАВА|РАЗДЕЛ|ЧАСТЬ|CHAPTER|PART|SECTION)[ \t]+"
    r"(?P<num>[IVXLC]+|\d{1,3})\b[^\n]{0,150}"
    r"|(?P<rnum>[IVXLC]{1,6})\.[ \t]+[A-ZА-ЯЁ][^\n]{2,120})[ \t]*$", re.MULTILINE)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(s: str) -> int:
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN[c]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total


_TOC_LINE = re.compile(r"(?:\.{2,}|…|\s)\s*(?:\d{1,4}|[ivxlc]{1,7})\s*$", re.IGNORECASE)
_INDEX_LINE = re.compile(
    r"^(?P<name>[^\d\n][^\n]*?)(?:[ \t]*[—–-][ \t]*|,[ \t]*|[ \t]+)(?P<refs>\d+(?:[ \t]*[-–—][ \t]*\d+)?"
    r"(?:[ \t]*(?:\(\d+\))?[ \t]*,[ \t]*\d+(?:[ \t]*[-–—][ \t]*\d+)?)*(?:[ \t]*\(\d+\))?)[ \t]*\.?[ \t]*$")
_SEE = re.compile(r"^(?P<name>[^\n]+?)[,.]?\s+(?:see|см\.)\s+(?:also\s+|также\s+)?(?P<see>[^\n]+)$", re.IGNORECASE)
_ABBR_LINE = re.compile(r"^(?P<abbr>\S[^\n]{0,30}?)\s*(?:[—–]|\s-\s|\t|:|\s{2,})\s*(?P<exp>\S[^\n]*)$")


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        if m.group(0).strip():
            out.append((start + m.start(), start + m.end()))
    return out


def _extent(kind: str, text: str, start: int, limit: int) -> int:
    """Where an apparatus section that starts at `start` (after its heading) ends."""
    lines = _lines(text, start, limit)
    if kind in ("preface", "appendix"):
        return limit
    end = start
    last_n: int | None = None
    misses = 0
    entry = ""  # an index's entry so far (its lines joined)
    for a, b in lines:
        line = text[a:b].strip()
        ok = False
        if kind == "toc":
            ok = bool(_TOC_LINE.search(line)) or (len(line) < 90 and not _NUM.match(line) and misses == 0)
        elif kind == "list_of_documents":
            num = _entry_number(line)
            if num is not None:
                if last_n is not None and num[0] <= last_n:
                    break  # numbering starts again: the documents themselves
                last_n = num[0]
                ok = len(line) < 400
            elif last_n is not None:
                ok = len(line) < 300  # a wrapped entry, its leaders and page, or a chapter's title
            else:
                ok = len(line) < 120 and misses == 0 and not line.endswith(".")  # a chapter's title first
        elif kind in ("index_of_names", "index_of_places"):
            ok = bool(_INDEX_LINE.match(line) or _SEE.match(line)) or (
                len(line) < 160 and not _heading_number(line) and "," in line) or bool(re.fullmatch(r"[\d,\s–—-]+", line))
            if not ok and entry and _open_entry(entry) and len(line) < 200 and not _heading_number(line):
                ok = True  # a wrapped entry's next line (`Secretary of State until September 1962;`)
            entry = entry + " " + line if entry and _open_entry(entry) else line
            if not ok and len(line) < 200 and re.search(r"(?:refer|означают|указывают|номер|pages|страниц)", line,
                                                        re.IGNORECASE):
                ok = True  # the index's own note on what its numbers mean
        elif kind == "abbreviations":
            ok = bool(_ABBR_LINE.match(line)) and len(line) < 200
        else:
            ok = len(line) < 200
        if ok:
            end = b
            misses = 0
        else:
            misses += 1
            if misses >= 1:
                break
    return max(end, start)


# --------------------------------------------------------------------------- boundary candidates


@dataclass
class _Cand:
    n: int
    start: int
    head_end: int
    score: float
    title: str


_EN_HEAD = re.compile(r"^(?:[A-Z][\w’'.-]*|of|the|and|to|from|for|in|on|at|by|with|a|an|de|von|van)"
                      r"(?:[ \t]+(?:[A-Z(][\w’'.()-]*|of|the|and|to|from|for|in|on|at|by|with|a|an|de|von|van|\d[\w,.:-]*))*"
                      r"[ \t]*[.,]?$")


_LEADERS = re.compile(r"(?:\.[ \t]?){4,}[ \t]*(?:\d{1,4}|[ivxlc]{1,7})[ \t]*$", re.IGNORECASE)


def _heading_score(head: str, lang: str) -> float:
    """How much a line after a number looks like a document heading (≤ 0: not one)."""
    h = _squash(head)
    if not h or len(h) > 500 or _LEGEND_START.match(h) or _LEADERS.search(h):
        return 0.0  # nothing, a legend, or an entry of a contents page (dot leaders and a page number)
    score = 0.0
    if len(h) <= 250:
        score += 1.0
    words = re.findall(r"[^\W\d_][\w’'-]*", h)
    if lang == "en" or not _CYR.search(h):
        if _EN_HEAD.match(h) and len(words) >= 2:
            score += 2.0
        if re.search(r"\b(?:From|To|Between|Of)\b", h):
            score += 1.0
        if re.match(r"(?i)(?:" + "|".join(re.escape(t) for t in _EN_TYPES) + r")\b", h):
            score += 1.5
    if _CYR.search(h):
        if _ru_type(h):
            score += 2.0
        if _PERSON_RU.search(h):
            score += 1.0
        if re.match(r"(?:" + _INITIAL + r"){1,3}" + _SURNAME, h):
            score += 1.0
    d = _dates.find_date(h[:250], lang)
    if d is not None:
        score += 1.0
        if d[0] == 0:
            score += 1.0  # `453.1891 г. Июля 11. Я. П.`: a heading that is only a date and place
        last = None
        for m in _dates.iter_dates(h, lang):
            last = m
        tail = h[last.end:] if last is not None else ""
        if last is not None and (not tail.strip(" .") or (len(tail) <= 60 and _PLACE_TAIL.match(tail))):
            score += 2.0  # the date (and the place) ends the heading, as editors print it
    lower = sum(1 for w in words if w[:1].islower() and len(w) > 2)
    if words and lower / len(words) > 0.45:
        score -= 2.0  # running prose, a note or a commentary
    if h.endswith(":"):
        score -= 1.0
    return score


_NOTES_HEAD = re.compile(r"^[ \t]*(?:Примечани[яе]|Комментари[ий]|Notes|Footnotes|Endnotes)[ \t]*[.:]?[ \t]*$",
                         re.IGNORECASE)


def _units(text: str) -> list[tuple[int, int]]:
    """Paragraphs, each also cut before a line that starts with a number (OCR text without blank lines)."""
    out: list[tuple[int, int]] = []
    for a, b in _paragraphs(text):
        cut = a
        for m in re.finditer(r"\n(?=[ \t]*(?:\*[ \t]*)?(?:№[ \t]*)?\d{1,4}[ \t]*\.)", text[a:b]):
            out.append((cut, a + m.start()))
            cut = a + m.end()
        out.append((cut, b))
    return out


def _candidates(text: str, lang: str, blocked: list[tuple[int, int]]) -> list[_Cand]:
    units = _units(text)
    nums = [_heading_number(text[a:b].split("\n", 1)[0]) for a, b in units]
    out: list[_Cand] = []
    for i, (a, b) in enumerate(units):
        num = nums[i]
        if num is None or any(s <= a < e for s, e in blocked):
            continue
        n = num[0]
        # A run of paragraphs numbered n-1, n, n+1 with nothing between is a list (notes, a
        # commentary, a list of documents), not documents; so is `1.` right after `Примечания`.
        prev_num = nums[i - 1] if i else None
        next_num = nums[i + 1] if i + 1 < len(nums) else None
        prev_n = prev_num[0] if prev_num else None
        next_n = next_num[0] if next_num else None
        if prev_n == n - 1 or next_n == n + 1:
            continue
        if i and n == 1 and _NOTES_HEAD.match(text[units[i - 1][0]:units[i - 1][1]]):
            continue
        para = text[a:b]
        head = para[num[1]:] if len(para) <= 400 else para.split("\n", 1)[0][num[1]:]
        score = _heading_score(head, lang)
        if score <= 1.5:
            continue
        out.append(_Cand(n, a, a + num[1] + len(head.rstrip()), score, _squash(head)))
    return out


def _best_sequence(cands: list[_Cand]) -> list[_Cand]:
    """The heaviest subsequence with strictly increasing numbers (small gaps preferred)."""
    if not cands:
        return []
    best: list[float] = []
    prev: list[int] = []
    for i, c in enumerate(cands):
        b, p = c.score, -1
        for j in range(i):
            o = cands[j]
            if o.n < c.n:
                v = best[j] + c.score - 0.1 * math.log2(c.n - o.n)
                if v > b:
                    b, p = v, j
        best.append(b)
        prev.append(p)
    i = max(range(len(cands)), key=lambda k: best[k])
    seq: list[_Cand] = []
    while i >= 0:
        seq.append(cands[i])
        i = prev[i]
    return seq[::-1]


# --------------------------------------------------------------------------- split_documents


def analyze_structure(text: str, lang: str | None = None, *, index_kind: str | None = None) -> Structure:
    """Sections of a whole dossier's text, with the apparatus parsed and checked against the documents."""
    language = _norm_lang(lang, text)
    heads: list[tuple[int, int, str, str]] = []  # (start, end of heading line, kind, title)
    for m in _APPARATUS_RX.finditer(text):
        kind = next(k for k, _ in _APPARATUS if m.group(k))
        heads.append((m.start(), m.end(), kind, m.group(0).strip()))
    chapters = []
    last_roman = 0
    for m in _CHAPTER_RX.finditer(text):
        num = m.group("num") or m.group("rnum")
        n = int(num) if num.isdigit() else _roman(num)
        line = m.group(0).strip()
        if m.group("rnum"):
            # `II. The Berlin Crisis`: numbered in order from I; `L. Brezhnev` is an initial.
            if len(line) > 130 or _TOC_LINE.search(line) or n != last_roman + 1:
                continue
            last_roman = n
        chapters.append((m.start(), m.end(), n, line))
    # Apparatus extents, so that their numbered lines are not taken for documents.
    heads.sort()
    starts = sorted([h[0] for h in heads] + [c[0] for c in chapters])
    apparatus: list[Section] = []
    blocked: list[tuple[int, int]] = []
    for s, e, kind, title in heads:
        nxt = next((x for x in starts if x > s), len(text))
        end = _extent(kind, text, e, nxt)
        if kind in ("preface", "appendix"):
            end = e  # grown below to the next boundary
        else:
            blocked.append((s, end))
        apparatus.append(Section(kind, (s, end), None, title, (s, e)))
    blocked_ch = [(s, e) for s, e, _, _ in chapters]
    # Chapters inside a table of contents are its entries.
    chapters = [c for c in chapters if not any(a <= c[0] < b for a, b in blocked)]
    cands = _candidates(text, language, blocked + blocked_ch)
    seq = _best_sequence(cands)
    sections: list[Section] = list(apparatus)
    sections += [Section("chapter", (s, e), n, t, (s, e)) for s, e, n, t in chapters]
    sections += [Section("document", (c.start, c.head_end), c.n, c.title, (c.start, c.head_end)) for c in seq]
    sections.sort(key=lambda x: x.span[0])
    # Grow each section to the next boundary of its level.
    bounds = [x.span[0] for x in sections]
    for i, sec in enumerate(sections):
        if sec.kind in ("document", "preface", "appendix"):
            nxt = next((bounds[j] for j in range(i + 1, len(sections))), len(text))
            sec.span = (sec.span[0], nxt)
        elif sec.kind == "chapter":
            nxt = next((sections[j].span[0] for j in range(i + 1, len(sections))
                        if sections[j].kind not in ("document",)), len(text))
            sec.span = (sec.span[0], nxt)
    for sec in sections:  # a trailing blank run belongs to no one
        s, e = sec.span
        sec.span = (s, s + len(text[s:e].rstrip()))
    st = Structure(sections=sections)
    found = [s.number for s in sections if s.kind == "document" and s.number is not None]
    for k, sec in enumerate(sections):
        body = text[sec.heading_span[1]:sec.span[1]]
        if sec.kind == "list_of_documents":
            st.listed = parse_list_of_documents(body)
            # up to the next section of any kind: a list whose numbers a scan lost ends, by its lines,
            # at its first entry (`entries_by_heading` reads it then)
            st.list_text = text[sec.heading_span[1]:sections[k + 1].span[0] if k + 1 < len(sections) else len(text)]
        elif sec.kind == "index_of_names":
            st.index_of_names = parse_printed_index(body, index_kind)
        elif sec.kind == "index_of_places":
            st.index_of_places = parse_printed_index(body, index_kind)
        elif sec.kind == "abbreviations":
            for line in body.splitlines():
                am = _ABBR_LINE.match(line.strip())
                if am:
                    st.abbreviations[am.group("abbr").strip()] = am.group("exp").strip().rstrip(";,")
            if not st.abbreviations:
                nxt = next((x for x in starts if x > sec.span[0]), len(text))
                st.abbreviations.update(_column_abbreviations(text, sec.heading_span, nxt))
    if st.listed:
        listed = {x.n for x in st.listed}
        have = set(found)
        st.listed_not_found = sorted(listed - have)
        st.found_not_listed = sorted(have - listed)
        if st.listed_not_found:
            st.problems.append("listed but not found: " + _ranges(st.listed_not_found))
        if st.found_not_listed:
            st.problems.append("found but not listed: " + _ranges(st.found_not_listed))
    gaps = [(a, b) for a, b in zip(found, found[1:], strict=False) if b != a + 1]
    if gaps and len(gaps) <= 20:
        st.problems.append("numbering gaps: " + ", ".join(f"{a}→{b}" for a, b in gaps))
    return st


_ABBR_LIKE = re.compile(r"[^\W\d_][\w.&/'’-]{0,11}(?: [\w.&/-]{1,6})?")


def _column_abbreviations(text: str, heading: tuple[int, int], limit: int) -> dict[str, str]:
    """A list of abbreviations set as a table whose text comes column by column (the text layer of a
    PDF gives `NATO`, `TASS`, ... then their expansions): a run of abbreviation-like lines (one short
    word with a capital letter) right before the heading or right after it, paired in order with the
    same number of lines that follow. Empty when the lines do not pair up."""
    def short(line: str) -> bool:
        return bool(_ABBR_LIKE.fullmatch(line)) and any(c.isupper() for c in line)

    before = [text[a:b].strip() for a, b in _lines(text, max(0, heading[0] - 2000), heading[0])]
    abbrs: list[str] = []
    for line in reversed(before):
        if not short(line):
            break
        abbrs.insert(0, line)
    after = [text[a:b].strip() for a, b in _lines(text, heading[1], limit)]
    if not abbrs:
        while after and short(after[0]):
            abbrs.append(after.pop(0))
    if len(abbrs) < 2 or len(after) < len(abbrs):
        return {}
    expansions = after[:len(abbrs)]
    if any(short(x) or len(x) > 200 for x in expansions):
        return {}
    return {a: e.rstrip(";,") for a, e in zip(abbrs, expansions, strict=True)}


def _ranges(ns: Iterable[int]) -> str:
    ns = sorted(ns)
    out: list[str] = []
    i = 0
    while i < len(ns):
        j = i
        while j + 1 < len(ns) and ns[j + 1] == ns[j] + 1:
            j += 1
        out.append(str(ns[i]) if i == j else f"{ns[i]}–{ns[j]}")
        i = j + 1
    return ", ".join(out)


def split_documents(text: str, lang: str | None = None) -> list[Section]:
    """The sections of a whole dossier's text (`Section` list, in text order); `documents_from_text`
    cuts `Document`s at the document sections."""
    return analyze_structure(text, lang).sections


# --------------------------------------------------------------------------- printed apparatus


def _entry_number(line: str) -> tuple[int, int, bool] | None:
    """The number an entry of a list of documents starts with; None for a line that only ends a
    wrapped entry (`1961. . . . . . 2`: a year, the leaders and the page)."""
    num = _heading_number(line)
    if num is None or re.match(r"[ \t]*(?:(?:\.[ \t]?){2,}|…)[ \t]*\d*[ \t]*$|[ \t]*\d*[ \t]*$", line[num[1]:]):
        return None
    return num


def parse_list_of_documents(text: str) -> list[ListedDocument]:
    """Entries of a printed list of documents: `12. Telegram From … 23 ноября 1963 г. …… 45`."""
    out: list[ListedDocument] = []
    cur: list[str] = []
    n: int | None = None

    def flush() -> None:
        if n is None:
            return
        s = _squash(" ".join(cur))
        page = ""
        m = re.search(r"(?:\s*\.{2,}|\s*…|\s{1,})\s*(\d{1,4})\s*$", s)
        if m and len(s) > 20:
            page, s = m.group(1), s[:m.start()].rstrip(" .…")
        out.append(ListedDocument(n, s, page))

    for line in text.splitlines():
        if not line.strip():
            continue
        num = _entry_number(line)
        if num is not None and (n is None or num[0] > n):
            flush()
            n, cur = num[0], [line[num[1]:]]
        elif n is not None:
            cur.append(line)
    flush()
    return out


_TOKEN = re.compile(r"[^\W_]+")


def entries_by_heading(list_text: str, headings: Sequence[str]) -> list[str | None]:
    """The entries of a printed list of documents found by the documents' headings, when the list
    cannot be read by its numbers (a scan whose OCR lost the column of numbers): for each heading, in
    order, the entry's text (from the heading to the next entry), or None.

    Every place where a document's heading stands in the list (its words, case and punctuation
    folded) starts an entry; documents and entries, both in the edition's order, are matched the
    most pairs that read alike (a longest common subsequence), so that a heading many documents
    share (`Letter From Chairman Khrushchev to President Kennedy`) goes to its own entry."""
    tokens = [(m.group().casefold(), m.start()) for m in _TOKEN.finditer(list_text)]
    words = [t for t, _ in tokens]
    keys = [tuple(m.group().casefold() for m in _TOKEN.finditer(h)) for h in headings]
    starts: dict[int, tuple[str, ...]] = {}  # token index -> the longest heading that starts there
    for key in set(keys):
        if not key:
            continue
        first = key[0]
        for k, w in enumerate(words):
            if w == first and tuple(words[k:k + len(key)]) == key and len(key) > len(starts.get(k, ())):
                starts[k] = key
    entries = sorted(starts)
    n, m = len(keys), len(entries)
    if not m:
        return [None] * n
    out: list[str | None] = [None] * n
    pairs = align_in_order(n, m, lambda a, b: 1 if keys[a] and keys[a] == starts[entries[b]] else 0)
    for a, b in pairs:
        begin = tokens[entries[b]][1]
        end = tokens[entries[b + 1]][1] if b + 1 < m else len(list_text)
        out[a] = list_text[begin:end]
    return out


def _expand(refs: str) -> list[int]:
    out: list[int] = []
    refs = re.sub(r"\(\d+\)", "", refs)  # `12 (45)`: a page after a document number
    for part in re.split(r"\s*,\s*", refs.strip()):
        m = re.fullmatch(r"(\d+)(?:\s*[-–—]\s*(\d+))?", part.strip())
        if not m:
            continue
        a = int(m.group(1))
        if m.group(2):
            b = int(m.group(2))
            if len(m.group(2)) < len(m.group(1)):  # `117–19`
                b = int(m.group(1)[: len(m.group(1)) - len(m.group(2))] + m.group(2))
            if b >= a and b - a < 2000:
                out.extend(range(a, b + 1))
                continue
        out.append(a)
    return out


def _trim_name(name: str) -> str:
    """An index heading without the punctuation before its numbers; the full stop of an initial stays."""
    name = name.strip().rstrip(" ,;—–-")
    if name.endswith(".") and not re.search(r"(?:^|[\s,])[^\W\d_]{1,2}\.$", name):
        name = name[:-1]
    return name


_INDEX_NOTE = re.compile(r"refer|означа|указыва|\bpages?\b|страниц", re.IGNORECASE)
_PAIR = re.compile(r"\d+(?:[ \t]*[-–—][ \t]*\d+)?[ \t]*\(\d+(?:[ \t]*[-–—][ \t]*\d+)?\)")
_PARTICLES = {"de", "da", "di", "du", "der", "den", "la", "le", "van", "von", "y", "ibn", "bin", "al"}

# A document number with its page in parentheses as OCR reads it off a page: a stop or a speck
# between them (`10:(21)`, `13°(28)`, `7ZA(9)`), the opening parenthesis lost (`14:31)`), a figure
# read as the letter it looks like (`7 (Q)`, `1O (21)`); pairs parted by `,` or a misread `;`/`.`.
_FIGURE_LIKE = "OoDIl|iZSGbBQgq"  # read for 0 0 0 1 1 1 1 2 5 6 6 8 9 9 9
_AS_FIGURE = str.maketrans(_FIGURE_LIKE, "0001111256689" + "99")
_DOC_LIKE = r"(?<!\w)(?=[OoIl|]{0,3}\d)[\dOoIl|]{1,4}(?:[ \t]*[-–—][ \t]*\d+)?"  # with one figure at least
_LOOSE_PAIR = (_DOC_LIKE +  # the document (or a run of them)
               r"[ \t]*(?:[^\s\w(),;]|[A-Z]{1,2})?[ \t]*"  # a speck, a stop or a letter or two OCR made of the space
               r"\(?[ \t]*[\d" + _FIGURE_LIKE + r"]{1,4}(?:[ \t]*[-–—][ \t]*[\d" + _FIGURE_LIKE + r"]{1,4})?[ \t]*\)")
_LOOSE_RUN = re.compile(r"(?:" + _LOOSE_PAIR + r"[ \t]*[,;.:]?[ \t]*)*" + _LOOSE_PAIR + r"[ \t]*[.,;]?[ \t]*$")


def _pairs_at_end(line: str) -> tuple[str, str] | None:
    """A printed index line of an index that cites each document with its page (`Rusk, Dean, 4 (2),
    7 (9)`), read tolerantly of OCR (`_LOOSE_PAIR`): the entry's text before its references, and the
    documents cited as plain numbers (`4, 7`); None when the line does not end in such references."""
    run = _LOOSE_RUN.search(line)
    if run is None:
        return None
    docs: list[str] = []
    for pair in re.finditer(_LOOSE_PAIR, run.group()):
        m = re.match(_DOC_LIKE, pair.group())
        if m:
            docs.append(m.group().translate(_AS_FIGURE))
    return line[:run.start()], ", ".join(docs)


_SUFFIX = re.compile(r"^(?P<base>.*[^\s,]),?[ \t]+(?P<suffix>(?:Jr|Sr)\.?|II|III|IV|VI|VII|VIII)$")


def _suffix_stop(name: str) -> str:
    """An index heading whose generational suffix OCR read without its stop (`Thompson, Llewellyn E.,
    Jr` for `Jr.,`: the stop read as the comma after it) gets the stop back: `Jr.`, `Sr.` are always
    abbreviated with one in the indexes of English editions."""
    m = _SUFFIX.match(name)
    if m and m.group("suffix") in ("Jr", "Sr"):
        return name + "."
    return name


def name_variants(name: str) -> list[str]:
    """Other forms of a printed index heading that name the same person: without a generational
    suffix (`Stevenson, Adlai E., III` is also `Stevenson, Adlai E.`: an index prints a suffix after
    the given names where a register may file it in the description), and `Jr.` also without its stop."""
    m = _SUFFIX.match(name)
    if not m or "," not in m.group("base"):
        return []
    out = [m.group("base")]
    if m.group("suffix").endswith("."):
        out.append(name[:-1])
    return out


def _open_entry(entry: str) -> bool:
    """True when an index entry's line goes on in the next one: it names someone (a comma after the
    name) and stops without its numbers, a cross-reference or a full stop (`Bohlen, Charles E.,
    Special Assistant to the`)."""
    entry = entry.rstrip()
    if not entry or "," not in entry or _SEE.match(entry) or _INDEX_NOTE.search(entry):
        return False
    return entry.endswith((",", ";", "(")) or bool(re.search(r"[^\W\d_]$", entry))


def _split_description(name: str) -> tuple[str, str]:
    """`Khrushchev, Nikita S., Chairman of the Council of Ministers` -> the name and what the index says
    of it. The name is the heading's first part and the parts after it that read as given names,
    initials, a suffix or a title (`Stevenson, Adlai E., III`); the description starts at the first
    part with a word in lower case or a digit, or of three words or more with no initial among them."""
    parts = re.split(r",[ \t]+", name)
    for i in range(1, len(parts)):
        words = parts[i].split()
        lower = any(w[:1].islower() and w.casefold() not in _PARTICLES for w in words)
        initials = any(re.fullmatch(r"[^\W\d_]{1,2}\.", w) for w in words)
        if lower or re.search(r"[\d;]", parts[i]) or (len(words) >= 3 and not initials):
            return ", ".join(parts[:i]), ", ".join(parts[i:]).strip()
    return name, ""


def parse_printed_index(text: str, kind: str | None = None) -> list[IndexEntry]:
    """Entries of a printed index (`Хрущёв Н. С. — 1, 5, 12`; `Khrushchev, N. S., 3, 17–19`).

    `kind` says what the numbers are ("documents" or "pages"); without it, the index's own note
    decides (`Numbers refer to documents`, `Цифры означают страницы`), else the Russian practice of a
    dash before document numbers (`— 1, 5`) against the comma before page numbers. An entry set on
    several lines is one (a line that stops without its numbers goes on in the next); what follows the
    name is its description (`Rusk, Dean, Secretary of State, 4 (2)`). An index that gives each
    document's page in parentheses (`4 (2), 7 (9)`) cites only such pairs, so a year in a
    description (`until November 22, 1963, 1 (1)`) is not taken for a number, nor a running head
    with its page number (`INDEX OF PLACES 57`) for an entry.
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    joined: list[str] = []
    for ln in lines:
        if joined and re.fullmatch(r"[\d,\s–—()-]+\.?", ln) and not _INDEX_LINE.match(ln):
            joined[-1] += " " + ln
        elif joined and _open_entry(joined[-1]):
            joined[-1] += " " + ln
        else:
            joined.append(ln)
    if kind is None:
        note = " ".join(joined[:3]).lower()
        if re.search(r"document|документ", note) and re.search(r"refer|означа|указыва|номер|numbers", note):
            kind = "documents"
        elif re.search(r"\bpages?\b|страниц", note):
            kind = "pages"
    matched = [(ln, _INDEX_LINE.match(ln)) for ln in joined]
    with_refs = [m for _, m in matched if m]
    paired = sum(1 for m in with_refs if _PAIR.search(m.group("refs")))
    pairs_only = paired >= 2 and paired >= 0.6 * len(with_refs)
    dashes = commas = 0
    raw: list[tuple[str, str, str, str]] = []
    for ln, m in matched:
        loose = _pairs_at_end(ln) if pairs_only else None
        if pairs_only and loose is None and m:
            continue  # no document with its page: a running head, a stray line
        if loose is not None or m:
            if loose is not None:
                name, refs = loose
            elif m:
                name, refs = m.group("name"), m.group("refs")
            if not name.strip():
                continue
            sep = name[len(name.rstrip(" \t,—–-")):] if m is None or pairs_only else ln[len(m.group("name")):m.start("refs")]
            if "—" in sep or "–" in sep or "-" in sep:
                dashes += 1
            elif "," in sep:
                commas += 1
            raw.append((_trim_name(name), refs, "", ln))
            continue
        s = _SEE.match(ln)
        if s:
            raw.append((_trim_name(s.group("name")), "", _trim_name(s.group("see")), ln))
    if kind is None:
        kind = "documents" if dashes >= commas else "pages"
    out = []
    for name, refs, see, printed in raw:
        head, description = _split_description(name)
        out.append(IndexEntry(_suffix_stop(head), tuple(_expand(refs)), kind, see, description, printed))
    return out


def documents_for_pages(pages: Iterable[int], page_offsets: Sequence[Sequence[int]] | Mapping[int, int],
                        sections: Sequence[Section]) -> list[int]:
    """The numbers of the documents printed on the pages cited (a page index's refs as documents).

    `page_offsets`: `[page, offset]` pairs (the PDF reader's `extra["pages"]`) or {page: offset},
    the offset where each page starts in the text the sections were found in.
    """
    pairs = sorted(page_offsets.items()) if isinstance(page_offsets, Mapping) else sorted(
        (int(p), int(o)) for p, o in page_offsets)
    if not pairs:
        return []
    numbers = [p for p, _ in pairs]
    offsets = [o for _, o in pairs]
    docs = [s for s in sections if s.kind == "document" and s.number is not None]
    out: list[int] = []
    for page in pages:
        i = bisect.bisect_left(numbers, page)
        if i >= len(numbers) or numbers[i] != page:
            continue
        a = offsets[i]
        b = offsets[i + 1] if i + 1 < len(offsets) else math.inf
        for d in docs:
            if d.span[0] < b and d.span[1] > a and d.number not in out:
                out.append(d.number)  # type: ignore[arg-type]
    return sorted(out)


_INDEX_KINDS = (("index_of_names", "person", "p-", "index of names"), ("index_of_places", "place", "pl-", "index of places"))


def apparatus_registers(st: Structure, *, stem: str, file: str = "",
                        pages: Sequence[Sequence[int]] | None = None) -> Registers:
    """Register entries from a dossier's printed apparatus: its index of names and index of places
    (`status: proposed`; the name as filed, the description the index gives, `evidence` the entry as
    printed, `documents` the ids `{stem}-{n:03d}` of the documents it cites — page references mapped
    to documents by `documents_for_pages` with the `[page, offset]` list given, document numbers
    kept when they are documents found) and its list of abbreviations. A cross-reference
    (`Khrushchov, see Khrushchev, N. S.`) points to the entry it names when the index has it.
    `extra["printed_index"]` says which index an entry comes from."""
    from ..model import Abbreviation, RegisterEntry
    from ..text_utils import name_key, slug, unique_id

    regs = Registers()
    found = {s.number for s in st.documents if s.number is not None}
    where = f" of {Path(file).name}" if file else ""
    for attr, kind, prefix, label in _INDEX_KINDS:
        entries: list[IndexEntry] = getattr(st, attr)
        taken: set[str] = set()
        by_name: dict[str, str] = {}
        made: list[tuple[RegisterEntry, str]] = []
        for e in entries:
            if e.kind == "pages":
                numbers = documents_for_pages(e.refs, pages, st.sections) if pages else []
            else:
                numbers = sorted({n for n in e.refs if n in found})
            eid = unique_id(prefix + slug(e.name), taken)
            entry = RegisterEntry(id=eid, kind=kind, name=e.name, variants=name_variants(e.name),  # type: ignore[arg-type]
                                  description=e.description,
                                  status="proposed", evidence=[f"{_squash(e.printed or e.name)}: printed {label}{where}"],
                                  extra={"printed_index": label})
            if numbers:
                entry.extra["documents"] = [f"{stem}-{n:03d}" for n in numbers]
            by_name.setdefault(name_key(e.name), eid)
            made.append((entry, e.see))
        for entry, see in made:
            if see:
                target = by_name.get(name_key(see))
                if target and target != entry.id:
                    entry.see = target
                else:
                    entry.extra["see_as_printed"] = see
            regs.of_kind(kind).append(entry)  # type: ignore[arg-type]
    seen: set[str] = set()
    for abbr, expansion in st.abbreviations.items():
        aid = unique_id("t-" + slug(abbr), seen)
        regs.abbreviations.append(Abbreviation(id=aid, abbr=abbr, expansion=expansion))
    return regs


# --------------------------------------------------------------------------- documents of a whole dossier

_KIND_NAMES = {"toc": "contents", "list_of_documents": "list of documents", "index_of_names": "index of names",
               "index_of_places": "index of places", "abbreviations": "list of abbreviations",
               "appendix": "appendix", "preface": "preface", "chapter": "chapter heading", "other": "other text"}


def _page_range(pages: Sequence[Sequence[int]] | None, start: int, end: int) -> str:
    """`page 3` / `pages 1–6` for the stretch [start, end) of a text whose pages start at the offsets given."""
    if not pages:
        return ""
    pairs = sorted((int(o), int(p)) for p, o in pages)
    offsets = [o for o, _ in pairs]
    first = pairs[max(0, bisect.bisect_right(offsets, start) - 1)][1]
    last = pairs[max(0, bisect.bisect_right(offsets, max(start, end - 1)) - 1)][1]
    return f"page {first}" if first == last else f"pages {first}–{last}"


def left_out(text: str, sections: Sequence[Section], pages: Sequence[Sequence[int]] | None = None
             ) -> list[dict[str, Any]]:
    """The stretches of `text` that no document section covers (front matter, apparatus, chapter
    heads), each with its span, pages, size and what the sections starting in it are."""
    docs = sorted(s.span for s in sections if s.kind == "document")
    gaps: list[tuple[int, int]] = []
    pos = 0
    for a, b in docs:
        if a > pos:
            gaps.append((pos, a))
        pos = max(pos, b)
    if pos < len(text):
        gaps.append((pos, len(text)))
    out: list[dict[str, Any]] = []
    for a, b in gaps:
        piece = text[a:b]
        if not piece.strip():
            continue
        a += len(piece) - len(piece.lstrip())
        b -= len(piece) - len(piece.rstrip())
        kinds = [s for s in sections if s.kind != "document" and a <= s.span[0] < b]
        out.append({"span": [a, b], "pages": _page_range(pages, a, b), "characters": b - a,
                    "sections": [{"kind": s.kind, "title": s.title} for s in kinds]})
    return out


def _describe_left_out(item: dict[str, Any], docs: Sequence[Section]) -> str:
    a, b = item["span"]
    before = next((d.number for d in docs if d.span[0] >= b), None)
    after = next((d.number for d in reversed(docs) if d.span[1] <= a), None)
    where = (f"before document {before}" if after is None else
             f"after document {after}" if before is None else f"between documents {after} and {before}")
    what = ", ".join(dict.fromkeys(_KIND_NAMES.get(s["kind"], s["kind"]) for s in item["sections"]))
    pages = f"{item['pages']}, " if item["pages"] else ""
    return (f"text {where} ({pages}{item['characters']} characters{': ' + what if what else ''}) "
            "is not a numbered document; not imported as one")


def _listed_dates_in_order(facts: Sequence[DocumentFacts], from_list: set[int]) -> None:
    """A date the list of documents gives an undated document whose year breaks the order of a
    dossier in order of date (its own dates, but one pair in ten at most, never go back): when one
    digit of the year read differs from that of the one year that puts the day between the dates of
    the documents either side, the year is taken as misread (`[November 11, 1968]` between November
    6, 1962 and October 10, 1963, a scan's `2` read as `8`) and that year kept."""
    own = [(k, f.date) for k, f in enumerate(facts) if k not in from_list and f.date.start]
    steps = list(zip(own, own[1:], strict=False))
    if len(steps) < 4 or sum(1 for (_, a), (_, b) in steps if str(a.start) <= str(b.start)) < 0.9 * len(steps):
        return
    for k in sorted(from_list):
        d = facts[k].date
        before = next((x for j, x in reversed(own) if j < k), None)
        after = next((x for j, x in own if j > k), None)
        if before is None or after is None or d.start is None or d.end is None:
            continue
        low, high = str(before.start), str(after.start)
        if low <= d.start <= high:
            continue
        read = d.start[:4]
        fits = []
        for year in range(int(low[:4]), int(high[:4]) + 1):
            start = f"{year:04d}{d.start[4:]}"
            if low <= start <= high and sum(a != b for a, b in zip(read, f"{year:04d}", strict=True)) == 1:
                fits.append(year)
        if len(fits) != 1:
            continue
        shift = fits[0] - int(read)
        try:
            facts[k].date = DateRange(f"{int(d.start[:4]) + shift:04d}{d.start[4:]}",
                                      f"{int(d.end[:4]) + shift:04d}{d.end[4:]}", d.precision, d.text, d.inferred)
        except ValueError:
            continue


def documents_from_text(text: str, *, body: str | None = None, stem: str = "document", path: Any = None,
                        lang: str | None = None, pages: Sequence[Sequence[int]] | None = None,
                        report: Any = None, abbreviations: Mapping[str, str] | None = None,
                        registers: Registers | None = None) -> list[Any] | None:
    """`Document`s cut from a whole dossier's text at the document boundaries found, or None.

    The page readers (PDF, scans, Word: `pages.documents_from_text`) call this with one file's text.
    Each document's body is the same stretch of `body` (the text in document markup, line for line
    the same as `text`), so `markup.plain_text` of it is the document's text; ids are
    `{stem}-{n:03d}`; n, heading, type, date, dateline, place, authors, addressees, source and legend
    come from `describe_document` (places resolved through the printed list of abbreviations, then
    `abbreviations`, the project's). `lang` ("ru"/"en") is every document's language; None detects
    each document's own. `pages` (`[page, offset]` in `text`) becomes each document's
    `extra["pages"]`, offsets made relative to the document.

    Text that no document covers — front matter, contents, list of documents, indexes, chapter
    heads — is not a document: when `report` is given, each such stretch is a warning naming its
    pages, size and the apparatus found in it, and is listed in `report.stats["left_out"]` (span,
    pages, characters, sections), so the import report accounts for all of the text. The problems
    `analyze_structure` finds (numbering gaps, listed documents not found) are warnings too.

    `registers`, when given, receives the entries of the printed index of names, index of places and
    list of abbreviations (`apparatus_registers`), and `report.stats["apparatus"]` counts them.

    None when fewer than two documents are found, or when a boundary is not at a line start of
    `body` (then the caller keeps the file as one document).
    """
    from .. import markup
    from ..model import Document

    st = analyze_structure(text, lang)
    docs = st.documents
    if len(docs) < 2:
        return None
    if body is None:
        body = markup.escape(text)
    text_lines = text.split("\n")
    body_lines = body.split("\n")
    if len(text_lines) != len(body_lines):
        return None
    line_starts = [0]
    for ln in text_lines[:-1]:
        line_starts.append(line_starts[-1] + len(ln) + 1)
    fixed = _norm_lang(lang, text) if lang else ""
    places = {**(abbreviations or {}), **st.abbreviations} or None
    file = str(path or stem)
    listed = {x.n: x.heading for x in st.listed}
    described = []
    for sec in docs:
        a = bisect.bisect_right(line_starts, sec.span[0]) - 1
        b = bisect.bisect_left(line_starts, sec.span[1])
        if line_starts[a] != sec.span[0]:
            return None
        piece = "\n".join(body_lines[a:b]).strip("\n")
        own = text[sec.span[0]:sec.span[1]]
        language = fixed or _guess_lang(own)
        described.append((sec, piece, language, describe_document(own, language, places)))
    if st.list_text and any(f.date.is_undated and sec.number not in listed for sec, _, _, f in described):
        # the list's numbers lost (a scan's OCR): its entries found by the documents' headings
        found = entries_by_heading(st.list_text, [f.heading for *_, f in described])
        for (sec, *_), entry in zip(described, found, strict=True):
            if entry is not None and sec.number is not None:
                listed.setdefault(sec.number, entry)
    from_list: set[int] = set()
    for k, (sec, _, language, facts) in enumerate(described):
        entry = listed.get(sec.number) if sec.number is not None else None
        if facts.date.is_undated and entry is not None:
            # the printed list of documents dates what the document's own heading leaves undated
            # (`20. Letter From … [November 4, 1962]`: the editor's date, in brackets as inferred)
            got = _dates.find_date(entry, language)
            if got is not None:
                facts.date = got[2]
                from_list.add(k)
    _listed_dates_in_order([f for *_, f in described], from_list)
    out = []
    for sec, piece, language, facts in described:
        doc = Document(id=f"{stem}-{sec.number:03d}", body=piece, n=sec.number, heading=facts.heading,
                       type=facts.type, date=facts.date, dateline=facts.dateline, place=facts.place,
                       authors=facts.authors, addressees=facts.addressees, language=language,
                       source=facts.source, legend=facts.legend, path=str(path or ""))
        doc.extra["source_offset"] = sec.span[0]
        if pages:
            doc.extra["pages"] = [[p, o - sec.span[0]] for p, o in pages if sec.span[0] <= o < sec.span[1]]
        out.append(doc)
    if report is not None:
        for problem in st.problems:
            report.warn(file, problem)
        rest = left_out(text, st.sections, pages)
        for item in rest:
            report.warn(file, _describe_left_out(item, docs))
        if rest and isinstance(getattr(report, "stats", None), dict):
            report.stats.setdefault("left_out", {})[Path(file).name] = rest
    if registers is not None:
        printed = apparatus_registers(st, stem=stem, file=file, pages=pages)
        registers.persons.extend(printed.persons)
        registers.places.extend(printed.places)
        registers.abbreviations.extend(printed.abbreviations)
        if report is not None and isinstance(getattr(report, "stats", None), dict) and (
                printed.persons or printed.places or printed.abbreviations):
            report.stats.setdefault("apparatus", {})[Path(file).name] = {
                "index_of_names": len(printed.persons), "index_of_places": len(printed.places),
                "abbreviations": len(printed.abbreviations)}
    return out
