"""Styles: how an edition speaks, as data plus a few small functions (`frus`, `soviet`).

What it is for: the one place where the wording rules of a tradition live, so that every renderer
(web, print, TEI, JSON) words a document the same way:

- `get_style(name)` / `STYLES`: the style as data (number form, separators, where the source note goes);
  `UnknownStyle` for a name that does not exist.
- `doc_label(style, n)`: `№ 12.` (soviet) or `12.` (frus).
- `format_date(date, lang, tr)`: a document's date in words with Babel (`23 ноября 1963 г.`,
  `November 23, 1963`, ranges `23–25 ноября 1963 г.` / `November 23–25, 1963`, months, years), an
  editor's (inferred) date in square brackets, "Без даты" / "Undated" (`running=True`: "без даты" /
  "undated", for use after a comma).
- `compose_heading(doc, style, lang, tr)`: the heading composed from the fields when the editor wrote
  none, in the order the rules demand: type, author, addressee, brief content (`summary:`), place,
  date, registry number (`registry:`). Russian: `Телеграмма Н. С. Хрущёва Л. Джонсону. Москва, 23 ноября
  1963 г.` — author in the genitive, addressee in the dative (pymorphy3), initials kept; English:
  `Telegram From Chairman Khrushchev to President Johnson, Moscow, November 23, 1963`.
  `heading_markup(doc, ...)` gives the editor's heading when there is one, else the composed one
  escaped as markup; `heading_is_composed(doc)` says which.
- `legend_line(legend, style, tr)`: an archival legend as printed (`АВП РФ. Ф. 0129. Оп. 47. П. 329.
  Д. 5. Л. 1–3. Подлинник.`; US: `National Archives, RG 59, Lot 77 D 163, Box 3, Folder 2.`);
  `legend_problems(legend)`: what is missing from a structured legend (for `check` and `build`).
- `filing_key(name, lang)`: the order of an index. Russian: ё = е, a surname's forms with initials
  before the forms without, Cyrillic before Latin; English: letter by letter.
- `archives_used(docs, abbreviations)`: the list of archives and fonds (record groups, lot files) used.

Interface words (type words, "From", "to", "Ф.", "Без даты") come from the message catalogs through
the `Translator` a caller passes (`dossier.i18n.translator(lang)`); the style holds only separators
and the order of parts.

What it is not: a renderer (no HTML, no TEI), nor the place that decides whether a document is
printed at all. It never changes an editor's own heading.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton

from .. import markup
from ..i18n import N_
from ..model import Abbreviation, DateRange, Document, SourceLegend


class Gettext(Protocol):
    def gettext(self, message: str) -> str: ...


class UnknownStyle(ValueError):
    """A style name that is not one of `STYLES`."""

    def __init__(self, name: str) -> None:
        super().__init__(f"style {name!r} does not exist (choose {' or '.join(sorted(STYLES))})")
        self.name = name


@dataclass(frozen=True)
class Style:
    """How a tradition words an edition. Words come from the catalogs; this is order and punctuation."""

    name: str
    number_prefix: str  # before the document number: "№ " or ""
    heading_sep: str  # between the heading's words and its place/date: ". " (soviet) or ", " (frus)
    legend_sep: str  # between the parts of an archival citation: ". " or ", "
    index_sep: str  # between an index entry's name and its annotation: " — " or ", "
    source_note_first: bool  # FRUS prints the source note as the first footnote, on the heading
    default_language: str = "en"


STYLES: dict[str, Style] = {
    "frus": Style("frus", "", ", ", ", ", ", ", True, "en"),
    "soviet": Style("soviet", "№\u00a0", ". ", ". ", " — ", False, "ru"),
}


def style_names() -> list[str]:
    return sorted(STYLES)


def get_style(name: str) -> Style:
    """The style called `name`; `UnknownStyle` when there is none."""
    try:
        return STYLES[name]
    except KeyError:
        raise UnknownStyle(name) from None


def is_russian(lang: str) -> bool:
    return (lang or "").lower().replace("_", "-").split("-")[0] == "ru"


def _babel_locale(lang: str) -> str:
    return (lang or "en").replace("-", "_").split("_")[0] or "en"


# --- numbers ----------------------------------------------------------------------------------------


def doc_label(style: Style, n: int | None) -> str:
    """The document's number as printed before its heading: `№ 12.` / `12.`."""
    return "" if n is None else f"{style.number_prefix}{n}."


def short_label(style: Style, n: int | None, tr: Gettext) -> str:
    """The number for a running head: `№ 12` / `No. 12`."""
    if n is None:
        return ""
    return f"№\u00a0{n}" if style.number_prefix else f"{tr.gettext('No.')}\u00a0{n}"


# --- dates ------------------------------------------------------------------------------------------


def _day(d: _dt.date, pattern: str, loc: str) -> str:
    return _babel_date(d, pattern, locale=loc)


def _format_range(start: _dt.date, end: _dt.date, precision: str, lang: str, tr: Gettext) -> str:
    loc = _babel_locale(lang)
    ru = loc == "ru"
    dash = "–"
    if precision == "year":
        if start.year == end.year:
            return tr.gettext("%(year)s") % {"year": start.year}
        return tr.gettext("%(first)s–%(last)s") % {"first": start.year, "last": end.year}
    if precision == "month":
        if (start.year, start.month) == (end.year, end.month):
            return format_skeleton("yMMMM", start, locale=loc)
        if start.year == end.year:
            first = _day(start, "LLLL", loc)
            return f"{first}{dash}{format_skeleton('yMMMM', end, locale=loc)}"
        return f"{format_skeleton('yMMMM', start, locale=loc)} {dash} {format_skeleton('yMMMM', end, locale=loc)}"
    if start == end:
        return _day(start, "long", loc)
    if ru:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}{dash}{_day(end, 'long', loc)}"
        if start.year == end.year:
            return f"{_day(start, 'd MMMM', loc)} {dash} {_day(end, 'long', loc)}"
        return f"{_day(start, 'long', loc)} {dash} {_day(end, 'long', loc)}"
    if loc == "en":
        if (start.year, start.month) == (end.year, end.month):
            return f"{_day(start, 'MMMM d', loc)}{dash}{end.day}, {end.year}"
        if start.year == end.year:
            return f"{_day(start, 'MMMM d', loc)}{dash}{_day(end, 'MMMM d', loc)}, {end.year}"
        return f"{_day(start, 'long', loc)}{dash}{_day(end, 'long', loc)}"
    return f"{_day(start, 'long', loc)} {dash} {_day(end, 'long', loc)}"


def format_date(date: DateRange, lang: str, tr: Gettext, running: bool = False) -> str:
    """A document's date in words in `lang`; an editor's date in [brackets]; the word for undated.

    `running=True` gives the undated word as it reads inside a heading, after a comma."""
    if date.is_undated or date.start is None or date.end is None:
        word = tr.gettext("undated" if running else "Undated")
        return f"[{word}]" if date.inferred else word
    start, end = _dt.date.fromisoformat(date.start), _dt.date.fromisoformat(date.end)
    try:
        text = _format_range(start, end, date.precision, lang, tr)
    except (ValueError, LookupError):  # a language Babel does not know: the ISO dates
        text = date.start if date.start == date.end else f"{date.start}–{date.end}"
    return f"[{text}]" if date.inferred else text


# --- Russian names in the cases a heading needs -----------------------------------------------------

_CYR = re.compile(r"[А-Яа-яЁё]")
_INITIAL = re.compile(r"^[A-ZА-ЯЁ][a-zа-яё]?\.$")
_FEM_SURNAME = re.compile(r"(ова|ева|ёва|ина|ына|ская|цкая|ая)$")
_VOWELS = "аеёиоуыэюяaeiouy"


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _shape(word: str, surface: str) -> str:
    """`word` (pymorphy's lower case) with the capitals of `surface`, and the `ё` it had."""
    out = word.upper() if surface.isupper() and len(surface) > 1 else word[:1].upper() + word[1:] \
        if surface[:1].isupper() else word
    if "ё" not in out and "ё" in surface.lower():
        chars = list(out)
        for i, ch in enumerate(surface.lower()[:len(chars)]):
            if ch == "ё" and chars[i] in "еЕ":
                chars[i] = "ё" if chars[i] == "е" else "Ё"
        out = "".join(chars)
    return out


def _gender_of_first(word: str) -> str:
    for p in _morph().parse(word):
        if "Name" in p.tag and "nomn" in p.tag:
            return "femn" if "femn" in p.tag else "masc"
    return ""


def inflect_surname(word: str, case: str, gender: str = "masc") -> str:
    """A surname in `case` (OpenCorpora `gent`, `datv`, ...): dictionary readings first, then endings.

    Indeclinable surnames (`Кеннеди`, `Громыко`, a woman's surname in a consonant) stay as they are."""
    if not _CYR.search(word) or case == "nomn":
        return word
    if "-" in word:
        return "-".join(inflect_surname(part, case, gender) for part in word.split("-"))
    parses = _morph().parse(word)
    if any("Surn" in p.tag and "Fixd" in p.tag for p in parses) and word[-1].lower() in _VOWELS:
        return word
    for kinds in (("Surn",), ("Name",)):
        for p in parses:
            if any(k in p.tag for k in kinds) and "nomn" in p.tag and "sing" in p.tag and gender in p.tag \
                    and "Fixd" not in p.tag:
                form = p.inflect({case})
                if form is not None:
                    return _shape(form.word, word)
    low = word.lower()
    endings = {"gent": ("а", "я", "ой", "ой"), "datv": ("у", "ю", "ой", "ой"),
               "ablt": ("ом", "ем", "ой", "ой")}.get(case)
    if endings is None:
        return word
    if gender == "femn":
        if _FEM_SURNAME.search(low):
            return word[:-1] + endings[2]
        return word  # a woman's surname ending in a consonant or vowel does not decline
    if low[-1] in _VOWELS:
        return word
    if low[-1] in "ьй":
        return word[:-1] + endings[1]
    return word + endings[0]


def _inflect_word(word: str, case: str, kinds: tuple[str, ...]) -> str:
    for p in _morph().parse(word):
        if (not kinds or any(k in p.tag for k in kinds)) and "nomn" in p.tag and p.tag.POS == "NOUN":
            form = p.inflect({case})
            if form is not None:
                return _shape(form.word, word)
    return word


def inflect_name(name: str, case: str) -> str:
    """A Russian author or addressee (`Н. С. Хрущёв`, `Хрущёв Н. С.`, `Никита Сергеевич Хрущёв`,
    `Председатель Совета Министров СССР Н. С. Хрущёв`, `Посольство США в СССР`) in `case`.

    Initials are kept; the surname is inflected by its gender (from a first name, else by its ending);
    an office or institution before the name has its first word inflected. Latin names stay as written."""
    name = " ".join(name.split())
    if not name or not _CYR.search(name) or case == "nomn":
        return name
    tokens = name.split(" ")
    initials = [i for i, t in enumerate(tokens) if _INITIAL.match(t)]
    out = list(tokens)
    if initials:
        last = initials[-1]
        if last + 1 < len(tokens):  # Н. С. Хрущёв
            surname_at, title_end = last + 1, initials[0]
        else:  # Хрущёв Н. С.
            surname_at = initials[0] - 1
            title_end = surname_at
        if surname_at >= 0:
            gender = "femn" if _FEM_SURNAME.search(tokens[surname_at].lower()) else "masc"
            out[surname_at] = inflect_surname(tokens[surname_at], case, gender)
        if title_end > 0:
            out[0] = _inflect_word(tokens[0], case, ())
        return " ".join(out)
    if all(t[:1].isupper() for t in tokens) and len(tokens) <= 3 and \
            any("Name" in p.tag for p in _morph().parse(tokens[0])):
        # a full name: first name (patronymic) surname
        gender = _gender_of_first(tokens[0]) or "masc"
        for i, t in enumerate(tokens):
            if i == len(tokens) - 1:
                out[i] = inflect_surname(t, case, gender)
            else:
                inflected = _inflect_word(t, case, ("Name", "Patr"))
                out[i] = inflected if not any("Fixd" in p.tag for p in _morph().parse(t)) else t
        return " ".join(out)
    if len(tokens) == 1:
        return inflect_surname(tokens[0], case, "femn" if _FEM_SURNAME.search(tokens[0].lower()) else "masc")
    return " ".join(_inflect_head(tokens, case))


def _inflect_head(tokens: list[str], case: str) -> list[str]:
    """An institution's name in `case`: its leading adjectives and the noun they go with
    (`Государственный департамент США` -> `Государственному департаменту США`); the rest as written."""
    out = list(tokens)
    for i, t in enumerate(tokens):
        parses = [p for p in _morph().parse(t) if "nomn" in p.tag and p.tag.POS in ("ADJF", "NOUN")]
        if not parses:
            break
        p = parses[0]
        if p.tag.POS == "ADJF":
            noun = next((q for w in tokens[i + 1:] for q in _morph().parse(w)
                         if q.tag.POS == "NOUN" and "nomn" in q.tag), None)
            grams = {case, *(g for g in (noun.tag.gender, noun.tag.number) if g)} if noun else {case}
            form = p.inflect(grams)
            if form is not None:
                out[i] = _shape(form.word, t)
            continue
        out[i] = _inflect_word(t, case, ())
        break
    return out


# --- headings ---------------------------------------------------------------------------------------


def _join(names: list[str], tr: Gettext) -> str:
    names = [n for n in names if n.strip()]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {tr.gettext('and')} " + names[-1]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def heading_parts(doc: Document, style: Style, lang: str, tr: Gettext) -> tuple[str, str]:
    """(the words: type, author, addressee, content; the place, date and registry number)."""
    type_word = tr.gettext(doc.type.strip().lower()) if doc.type.strip() else ""
    summary = str(doc.extra.get("summary") or "").strip()
    registry = str(doc.extra.get("registry") or "").strip()
    if is_russian(lang):
        authors = [inflect_name(a, "gent" if type_word else "nomn") for a in doc.authors]
        addressees = [inflect_name(a, "datv") for a in doc.addressees]
        words = [_capital(type_word)] if type_word else []
        if authors:
            words.append(_join(authors, tr))
        if addressees:
            words.append(("— " if not type_word and authors else "") + _join(addressees, tr))
    else:
        words = [_capital(type_word)] if type_word else []
        if doc.authors:
            words.append(f"{tr.gettext('From')} {_join(doc.authors, tr)}")
        if doc.addressees:
            words.append(f"{tr.gettext('to')} {_join(doc.addressees, tr)}")
        if words and not type_word:
            words[0] = _capital(words[0])
    if summary:
        words.append(summary)
    when = [doc.place.strip()] if doc.place.strip() else []
    when.append(format_date(doc.date, lang, tr, running=bool(when)))
    tail = ", ".join(when)
    if registry:
        tail += (f" {registry}" if registry.startswith("№") else f" № {registry}") if is_russian(lang) \
            else f", {tr.gettext('No.')} {registry}"
    return " ".join(words), tail


def compose_heading(doc: Document, style: Style, lang: str, tr: Gettext) -> str:
    """The heading (without the number) composed from the document's fields, as plain text."""
    words, tail = heading_parts(doc, style, lang, tr)
    if not words:
        return _capital(tail)
    return f"{words}{style.heading_sep}{tail}"


def heading_is_composed(doc: Document) -> bool:
    return not doc.heading.strip()


def heading_markup(doc: Document, style: Style, lang: str, tr: Gettext) -> str:
    """The editor's heading as written (markup), or the composed one escaped as markup."""
    if doc.heading.strip():
        return doc.heading
    return markup.escape(compose_heading(doc, style, lang, tr))


# --- legends ----------------------------------------------------------------------------------------

# Russian citation parts in order: (field, catalog message for its label). `papka` (П.) is a key of
# the legend kept in `extra`, as SourceLegend has no field of its own for it.
_RU_PARTS = (("fond", N_("f.")), ("opis", N_("op.")), ("papka", N_("p.")), ("delo", N_("d.")), ("list", N_("l.")))
_US_PARTS = (("collection", ""), ("record_group", N_("RG")), ("lot_file", N_("Lot")), ("box", N_("Box")),
             ("folder", N_("Folder")))
_RANGE = re.compile(r"[–—,-]|\bи\b|\band\b")
# legend keys of `extra` printed as sentences of their own (earlier publications, remarks)
_EXTRA_PROSE = ("language", "published", "note", "features")


def legend_value(legend: SourceLegend, key: str) -> str:
    if hasattr(legend, key) and key != "extra":
        return str(getattr(legend, key)).strip()
    return next((v.strip() for k, v in legend.extra if k == key), "")


def _label(tr: Gettext, message: str, value: str, capital: bool) -> str:
    if not message:  # printed bare (a collection's name)
        return value
    if message == N_("l.") and _RANGE.search(value):
        message = N_("ll.")
    word = tr.gettext(message)
    if capital:
        word = _capital(word)
    if value.lower().startswith(word.lower().rstrip(".")):  # "RG 59", "Lot 77 D 163" given whole
        return value
    return f"{word} {value}"


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = _capital(text)
    return text if text.endswith((".", "!", "?")) else text + "."


def legend_line(legend: SourceLegend, style: Style, tr: Gettext) -> str:
    """The structured citation as one printed line (the prose `text` of a source note is not part of it)."""
    sep = style.legend_sep
    capital = sep.startswith(".")
    parts: list[str] = []
    archive = legend.archive.strip() or legend.repository.strip()
    if archive:
        parts.append(archive.rstrip("."))
    for key, message in _RU_PARTS:
        value = legend_value(legend, key)
        if value:
            parts.append(_label(tr, message, value.rstrip("."), capital))
    if legend.repository.strip() and legend.archive.strip():
        parts.append(legend.repository.strip().rstrip("."))
    for key, message in _US_PARTS:
        value = legend_value(legend, key)
        if value:
            parts.append(_label(tr, message, value.rstrip("."), capital))
    out = [sep.join(parts) + "." if parts else ""]
    out += [_sentence(x) for x in (legend.original, legend.reproduction)]
    out += [_sentence(legend_value(legend, k)) for k in _EXTRA_PROSE]
    return " ".join(x for x in out if x)


def legend_lines(legend: SourceLegend, style: Style, tr: Gettext) -> list[str]:
    """The legend as printed lines: the source note's prose when it has one, then the citation."""
    if legend.is_empty():
        return []
    lines = [legend.text.strip()] if legend.text.strip() else []
    line = legend_line(legend, style, tr)
    if line:
        lines.append(line)
    known = {k for k, _ in _RU_PARTS} | {k for k, _ in _US_PARTS} | set(_EXTRA_PROSE)
    lines += [f"{k}: {v}" for k, v in legend.extra if v.strip() and k not in known]
    return lines


def legend_problems(legend: SourceLegend) -> list[tuple[str, str]]:
    """(legend key, what is missing) for a structured legend that cannot be cited as it stands."""
    if legend.is_empty():
        return []
    problems: list[tuple[str, str]] = []
    ru = [k for k, _ in _RU_PARTS if legend_value(legend, k)]
    us = [k for k, _ in _US_PARTS if k != "collection" and legend_value(legend, k)]
    if ru:
        if not legend.archive.strip():
            problems.append(("archive", f"the legend gives {', '.join(ru)} but no archive"))
        for key in ("fond", "delo"):
            if not legend_value(legend, key):
                problems.append((key, f"the legend names an archive but no {key} (Russian citations need "
                                      "archive, fond, opis, delo, list)"))
    if us and not (legend.repository.strip() or legend.archive.strip()):
        problems.append(("repository", f"the legend gives {', '.join(us)} but no repository"))
    if not ru and not us and not legend.text.strip() and (legend.archive.strip() or legend.repository.strip()) \
            and not (legend.original or legend.reproduction):
        problems.append(("archive", "the legend names only an archive: add fond/opis/delo/list (Russian) or "
                                    "record_group/lot_file/box/folder (US)"))
    return problems


# --- index filing -----------------------------------------------------------------------------------


def _script(ch: str) -> int:
    if "\u0400" <= ch <= "\u04ff":
        return 0
    if ch.isascii() or unicodedata.name(ch, "").startswith("LATIN"):
        return 1
    return 2


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFC", text).replace("ё", "е").replace("Ё", "Е").casefold()
    return re.sub(r"\s+", " ", t).strip()


def filing_key(name: str, lang: str) -> tuple[Any, ...]:
    """How an index files `name`.

    Russian edition: Cyrillic before Latin, ё filed as е, word by word on the surname; of the same
    surname, forms with initials (`Кеннеди Дж.`) before forms without (`Кеннеди`, `Кеннеди Жаклин`).
    English edition: letter by letter (spaces and punctuation ignored: `Newark` before `New York`)."""
    folded = _fold(name)
    letters = re.sub(r"[\W_]+", "", folded)
    if not is_russian(lang):
        return (letters, folded)
    first = next((ch for ch in folded if ch.isalpha()), "")
    words = re.split(r"[\s,]+", folded.strip(" ,"))
    surname, rest = (words[0], words[1:]) if words else ("", [])
    has_initials = any(re.fullmatch(r"\w{1,2}\.", w) for w in rest)
    return (_script(first) if first else 3, re.sub(r"[\W_]+", "", surname), 0 if has_initials or not rest else 1,
            " ".join(rest), folded)


# --- the list of archives and fonds -------------------------------------------------------------------


@dataclass
class ArchiveUse:
    """An archive (or repository) the edition cites, the fonds (record groups, lot files) used, and where."""

    name: str
    expansion: str = ""
    collections: list[str] = field(default_factory=list)  # "Ф. 0129", "RG 59", "Lot 77 D 163"
    documents: list[str] = field(default_factory=list)  # document ids, in edition order


def archives_used(docs: Iterable[Document], abbreviations: Iterable[Abbreviation], style: Style,
                  lang: str, tr: Gettext) -> list[ArchiveUse]:
    """Archives and their fonds as the legends cite them, filed by archive name."""
    expand = {a.abbr.casefold(): a.expansion for a in abbreviations}
    by_name: dict[str, ArchiveUse] = {}
    capital = style.legend_sep.startswith(".")
    for d in docs:
        legend = d.legend
        name = (legend.archive or legend.repository).strip().rstrip(".")
        if not name:
            continue
        use = by_name.setdefault(name.casefold(), ArchiveUse(name, expand.get(name.casefold(), "")))
        if d.id not in use.documents:
            use.documents.append(d.id)
        if legend_value(legend, "fond"):
            coll = _label(tr, N_("f."), legend_value(legend, "fond"), capital)
            opis = legend_value(legend, "opis")
            if opis:
                coll += style.legend_sep + _label(tr, N_("op."), opis, capital)
        elif legend.record_group.strip():
            coll = _label(tr, N_("RG"), legend.record_group.strip(), capital)
        elif legend.lot_file.strip():
            coll = _label(tr, N_("Lot"), legend.lot_file.strip(), capital)
        else:
            coll = ""
        if coll and coll not in use.collections:
            use.collections.append(coll)
    out = sorted(by_name.values(), key=lambda a: filing_key(a.name, lang))
    for a in out:
        a.collections.sort(key=lambda c: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", c)])
    return out


__all__ = ["STYLES", "Style", "UnknownStyle", "ArchiveUse", "archives_used", "compose_heading", "doc_label",
           "filing_key", "format_date", "get_style", "heading_is_composed", "heading_markup", "inflect_name",
           "legend_line", "legend_lines", "legend_problems", "short_label", "style_names"]
