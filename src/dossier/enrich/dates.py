"""Read dates as archival editions print them, in Russian and English, into `DateRange` intervals.

What it is for: turning a printed date or date interval — in a heading, a dateline, the first lines
of a letter or telegram — into a `DateRange` (from, to, precision, text as printed, inferred), with
the character span where it was found. Forms covered (see `tests/test_dates.py` for each):

* day dates: `23 ноября 1963 г.` / `года`, `November 23, 1963`, `23 November 1963`, `the 23rd of
  November, 1963`, `25.11.1963`, `25.XI.1963` (Roman month), `1963-11-23`; a time after the date
  (`Washington, November 23, 1963, 7 p.m.`) is left out of the match;
* intervals, the end kept: `November 23–25, 1963`, `23–25 ноября 1963 года`, cross-month
  (`30 ноября — 2 декабря 1963 г.`, `November 30–December 2, 1963`), cross-year, month to month
  (`Сентябрь — ноябрь`), year to year (`1961–1963`, `1961–63`), `с … по …`, `from … to …`,
  `between … and …`; connectors `-` `–` `—` `―` `...` `…` `to` `through` `until`; `или` / `or`
  gives the interval of both alternatives and marks it uncertain; `и` / `and` joins two following
  days (`Января 3 и 4`), otherwise it makes a list and the first date borrows the year printed once
  (`23 ноября и 25 декабря 1963 г.` is two dates); `с` / `от` / `from` without an end are left out
  of the date's text;
* month and year dates: `ноябрь 1963`, `ноября 1963 г.`, `November 1963`, `XI.1963` → the whole month;
  `1963`, `1963 г.` → the whole year; decades `1890-е`, `1890-х годов`, `1890s` → the ten years;
* the year-first style of the Tolstoy edition headings: `1874 г. Марта 20—21?`, `1845 г. Августа
  25 ... 28`, `1854 г. ? Апреля 30?`, `1856 г. Февраля конец`, `1887 г. Сентябрь — ноябрь`;
  a day and month without a year (`Марта 20.`) take the year passed as `year=` (a year printed
  earlier, e.g. in a section heading); without one they are not a date;
* parts of a month, year or decade (`конец 1890-х`, `Февраля конец`, `вторая половина`, `начало`,
  `середина`, `early`, `late`, `mid-`, `end of`): the interval is the whole unit (as the Tolstoy
  edition's own TEI does: `Февраля конец` → 1–29 February), the part is reported in `DateMatch.part`;
* `Не ранее 5 мая 1901 г.`, `не позднее`, `not before`, `not after`, `no later than`, `около`,
  `circa`, `ca.`: the interval is the date named; the bound is reported in `DateMatch.qualifier`
  (a `DateRange` has no open ends);
* editor's dates in square brackets, whole or in part (`[23 ноября 1963 г.]`, `23 [ноября] 1963`)
  → `inferred=True`; a `?` or `(?)` attached to the date (`Марта 20—21?`), or alternatives
  (`22 или 23`), mean the editor's conjecture: `inferred=True` too, and `DateMatch.uncertain`;
* the old official form `Августа 3 дня 1844 года`; `1862/1863 гг.` (two years: a span, not a pair
  of calendars); seasons `весна`, `лето`, `осень` (winter, across two years, is not read);
* old-style / new-style dual dates (`10/23 октября 1917 г.`, `Февраля 17/марта 1`, `Августа 1/13`):
  the first printed date (the old style in Russian use) is the date; the second is kept in
  `DateMatch.alternative`;
* `без даты`, `б. д.`, `Undated`, `n.d.`, `no date` → an undated `DateRange` with the text as printed.

Month names come from dateparser's locale data (Russian and English, with all Russian cases
generated from the nominative); the grammar — intervals, Roman months, year-first order,
brackets, qualifiers — is this module's own. Latin look-alike letters inside Cyrillic words and
pre-reform letters (`І`, `ѳ`, `ѣ`) are folded before matching; spans always point into the text
as given. English month names must be capitalised (`may`, `march` are words); Russian ones may
be either. Nothing is ever filled from today: a date without a year is no date.

`parse_date` falls back to `dateparser` (other languages, unusual word orders) only when the
grammar finds nothing and the text holds a four-digit year; `find_date` and `find_dateline`
never call it.

What it is not: no I/O, no calendar conversion (an old-style date stays as printed), no times
of day, no relative dates (`yesterday`, `на прошлой неделе`), no weekday checking, and no reading
of dates in running prose beyond "the first date in this text".
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, NamedTuple

from ..model import DateRange

__all__ = ["DateMatch", "Dateline", "find_date", "find_dateline", "iter_dates", "parse_date"]


# --------------------------------------------------------------------------- month names

_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")


def _russian_cases(nominative: str) -> set[str]:
    """All case forms of a Russian month name from its nominative (январь, май, март)."""
    if nominative.endswith(("ь", "й")):
        stem = nominative[:-1]
        return {nominative, stem + "я", stem + "е", stem + "ю", stem + "ем", stem + "ём"}
    return {nominative, nominative + "а", nominative + "е", nominative + "у", nominative + "ом"}


def _month_table() -> dict[str, tuple[int, str]]:
    """Lower-cased month word -> (month number, language), built from dateparser's locales."""
    from dateparser.languages.loader import default_loader

    table: dict[str, tuple[int, str]] = {}
    for lang in ("en", "ru"):
        info = default_loader.get_locale(lang).info
        for number, key in enumerate(_MONTH_KEYS, start=1):
            forms = {f.lower() for f in info.get(key, []) if f.isalpha()}
            if lang == "ru":
                for form in list(forms):
                    if len(form) > 4 and form[-1] in "ьйт":
                        forms |= _russian_cases(form)
            for form in forms:
                table.setdefault(form, (number, lang))
    table.setdefault("sept", (9, "en"))
    return table


_MONTHS = _month_table()
_FULL_MONTH_FORMS = {w for w in _MONTHS if len(w) > 4 or w in ("may", "june", "july", "май", "мая", "мае", "маю")}

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
          "XI": 11, "XII": 12}

# --------------------------------------------------------------------------- text folding

# One character to one character, so that offsets in the folded text are offsets in the original.
_LATIN_TO_CYRILLIC = str.maketrans("AaBCcEeHKMOoPpTXxyIi", "АаВСсЕеНКМОоРрТХхуИи")
_OLD_LETTERS = str.maketrans("ІіѲѳѢѣ", "ИиФфЕе")
_MIXED_WORD = re.compile(r"[^\W\d_]+")
_CYR = re.compile(r"[А-Яа-яЁё]")
_LAT = re.compile(r"[A-Za-z]")


def _fold(text: str) -> str:
    """Fold pre-reform letters and Latin look-alikes inside Cyrillic words (same length as `text`)."""
    text = text.translate(_OLD_LETTERS)
    if not _LAT.search(text) or not _CYR.search(text):
        return text

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        return w.translate(_LATIN_TO_CYRILLIC) if _CYR.search(w) and _LAT.search(w) else w

    return _MIXED_WORD.sub(fix, text)


# --------------------------------------------------------------------------- tokens

_RN = r"[IVXІХ]{1,4}"  # Roman month, Latin or Cyrillic look-alike letters
_L = r"(?![^\W\d_])"  # not followed by a letter
_TOKEN = re.compile(
    "|".join([
        r"(?P<undated>(?<!\w)(?:без\s+даты|б\.\s?д\.|б/д|не\s+датирован\w*|undated|n\.\s?d\.|no\s+date)" + _L + ")",
        r"(?P<qual>(?<!\w)(?:не\s+ранее|не\s+раньше|не\s+позднее|не\s+позже|около|ок\.|приблизительно|примерно"
        r"|not\s+before|not\s+after|not\s+earlier\s+than|not\s+later\s+than|no\s+earlier\s+than"
        r"|no\s+later\s+than|circa|ca\.|c\.(?=\s*\d))" + _L + ")",
        r"(?P<part>(?<!\w)mid-(?=[^\W\d_])|(?<!\w)(?:(?:в\s+)?(?:начал[оаеу]|конц[аеу]|конец|середин[аыеу]"
        r"|(?:перв|втор)(?:ая|ой|ую)\s+половин[аыеу])"
        r"|(?:the\s+)?(?:beginning|end|middle|first\s+half|second\s+half)\s+of|early|late|mid)" + _L + ")",
        r"(?P<iso>(?<!\d)\d{4}-\d{2}-\d{2}(?!\d))",
        r"(?P<nd>(?<![\d.])\d{1,2}(?P<ndsep>[./])(?:\d{1,2}|" + _RN + r")(?P=ndsep)\d{4}(?!\d))",
        r"(?P<rnd>(?<!\d)\d{1,2}\s+" + _RN + r"\s+\d{4}(?!\d))",
        r"(?P<rmy>(?<!\w)" + _RN + r"\.\d{4}(?!\d))",
        r"(?P<time>(?<!\d)\d{1,2}(?::\d{2})?\s*[ap]\.\s?m\.|(?<!\d)\d{1,2}(?::\d{2})?\s*[ap]m\b"
        r"|(?<!\d)\d{1,2}:\d{2}(?!\d)|(?<!\d)\d{1,2}\s*ч\.(?:\s*\d{1,2}\s*м(?:ин)?\.)?)",
        r"(?P<decade>(?<!\d)\d{3}0(?:-?(?:х|е|ые|ых|ми)" + _L + r"|’?'?s\b)(?:\s+год(?:ов|ы|ах|ам)" + _L + ")?)",
        r"(?P<year>(?<!\d)\d{4}(?!\d)(?:\s*(?:гг?\.|гг?" + _L + r"|год(?:а|у|ом|ов)?" + _L + "))?)",
        r"(?P<num>(?<!\d)\d{1,2}(?!\d)(?:-?(?:го|е|м|ого)" + _L + r"|(?:st|nd|rd|th)\b)?)",
        r"(?P<digits>\d+)",
        r"(?P<q>\(\?\)|\?)",
        r"(?P<lbr>\[)",
        r"(?P<rbr>\])",
        r"(?P<dash>\.(?:\s?\.){2,}|…|[-‐‑‒–—―−])",
        r"(?P<slash>/)",
        r"(?P<comma>,)",
        r"(?P<dot>\.)",
        r"(?P<word>[^\W\d_]+)",
        r"(?P<other>\S)",
    ]),
    re.IGNORECASE,
)

_PART_VALUES = (("перв", "first_half"), ("втор", "second_half"), ("first", "first_half"),
                ("second", "second_half"), ("начал", "beginning"), ("beginning", "beginning"),
                ("early", "beginning"), ("кон", "end"), ("end", "end"), ("late", "end"),
                ("серед", "middle"), ("middle", "middle"), ("mid", "middle"))
_QUAL_VALUES = (("ранее", "not_before"), ("раньше", "not_before"), ("before", "not_before"),
                ("earlier", "not_before"), ("позднее", "not_after"), ("позже", "not_after"),
                ("after", "not_after"), ("later", "not_after"))
_FROM_WORDS = {"с": "from", "со": "from", "от": "from", "from": "from", "между": "between", "between": "between"}
_WEAK_RANGE = {"или": "or", "or": "or", "to": "to", "through": "to", "thru": "to", "until": "to", "till": "to",
               "по": "from", "до": "from", "и": "between", "and": "between"}
_FILL_WORDS = {"of", "the", "дня", "числа"}  # `Августа 3 дня 1844 года`
# Seasons as spans of months; winter, which straddles two years, is left out on purpose.
_SEASONS: dict[str, tuple[int, int]] = {}
for _forms, _span in ((("весна", "весной", "весны", "весне", "весну", "spring"), (3, 5)),
                      (("лето", "летом", "лета", "лете", "summer"), (6, 8)),
                      (("осень", "осенью", "осени", "autumn", "fall"), (9, 11))):
    _SEASONS.update(dict.fromkeys(_forms, _span))
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


@dataclass(frozen=True)
class _Tok:
    kind: str
    start: int
    end: int
    value: Any = None


def _tokens(original: str, folded: str, lang: str | None) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN.finditer(folded):
        kind = m.lastgroup or "other"
        if kind == "ndsep":  # the named separator inside `nd`
            kind = "nd"
        s, e = m.span()
        raw = m.group(0)
        value: Any = None
        if kind == "word":
            low = raw.lower()
            month = _MONTHS.get(low)
            if month and (lang is None or month[1] == lang):
                # English month names are capitalised; a lower-case `may` or `march` is a word.
                if month[1] == "ru" or original[s].isupper():
                    if low not in _FULL_MONTH_FORMS and e < len(folded) and folded[e] == ".":
                        e += 1  # an abbreviation's full stop belongs to it: `Nov.`, `дек.`
                    out.append(_Tok("month", s, e, month[0]))
                    continue
            if low in _SEASONS:
                out.append(_Tok("season", s, e, _SEASONS[low]))
            elif low in _FROM_WORDS:
                out.append(_Tok("from", s, e, _FROM_WORDS[low]))
            elif low in _WEAK_RANGE:
                out.append(_Tok("weak", s, e, _WEAK_RANGE[low]))
            elif low in _FILL_WORDS:
                out.append(_Tok("fill", s, e))
            else:
                out.append(_Tok("word", s, e))
            continue
        if kind in ("iso", "nd", "rnd", "rmy"):
            parts = _numeric_date(kind, raw, lang)
            out.append(_Tok("numdate", s, e, parts) if parts else _Tok("digits", s, e))
            continue
        if kind == "year":
            y = int(raw[:4])
            if 1000 <= y <= 2100:
                out.append(_Tok("year", s, e, (y, len(raw) > 4)))
            else:
                out.append(_Tok("digits", s, e))
            continue
        if kind == "decade":
            out.append(_Tok("decade", s, e, int(raw[:4])))
            continue
        if kind == "num":
            out.append(_Tok("num", s, e, int(re.match(r"\d+", raw).group(0))))  # type: ignore[union-attr]
            continue
        if kind == "part":
            low = raw.lower()
            value = next(v for key, v in _PART_VALUES if key in low)
        elif kind == "qual":
            low = raw.lower()
            value = next((v for key, v in _QUAL_VALUES if key in low), "circa")
        out.append(_Tok(kind, s, e, value))
    return out


def _numeric_date(kind: str, raw: str, lang: str | None) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) of an all-numeric date token, or None when it is no date."""
    if kind == "iso":
        y, m, d = (int(x) for x in raw.split("-"))
    elif kind == "rmy":
        rn, year = raw.split(".")
        m, y, d = _roman(rn), int(year), None
    else:
        bits = re.split(r"[./\s]+", raw.strip())
        d, y = int(bits[0]), int(bits[2])
        m = _roman(bits[1]) if not bits[1].isdigit() else int(bits[1])
        if kind == "nd" and "/" in raw and bits[1].isdigit():
            # 11/23/1963: month first in American use, or whenever the first number cannot be a day.
            if (lang == "en" and d <= 12) or int(bits[1]) > 12:
                d, m = m, d
    if not m or not 1 <= m <= 12 or not 1000 <= y <= 2100:
        return None
    if d is not None and not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return (y, m, d)


def _roman(rn: str) -> int:
    return _ROMAN.get(rn.upper().replace("І", "I").replace("Х", "X"), 0)


# --------------------------------------------------------------------------- elements

# The orders in which year (Y), month (M) and day (D) may follow each other in one printed date.
# DY only as the end of an interval whose month is printed at its start (`November 23–25, 1963`).
_ORDERS = frozenset({"D", "DM", "DMY", "M", "MD", "MDY", "MY", "Y", "YM", "YMD", "DY"})
_FILLERS = frozenset({"comma", "fill", "lbr", "rbr"})


@dataclass
class _El:
    """One printed date (point), perhaps partial: the pieces seen and the tokens it covers."""

    first: int
    last: int = -1
    y: int | None = None
    m: int | None = None
    d: int | None = None
    seq: str = ""
    decade: bool = False
    marked: bool = False  # a year with г./года, a decade, or a numeric date: surely a date
    uncertain: bool = False
    bracket: bool = False
    part: str | None = None
    qualifier: str | None = None
    season: tuple[int, int] | None = None
    y_inherited: bool = False


def _comp(tok: _Tok) -> str | None:
    if tok.kind in ("year", "decade"):
        return "Y"
    if tok.kind in ("month", "season"):
        return "M"
    if tok.kind == "num" and 1 <= tok.value <= 31:
        return "D"
    return None


def _joined(text: str, a: _Tok, b: _Tok) -> bool:
    """Tokens `a` and `b` belong to one date only if no blank line separates them."""
    return not _BLANK_LINE.search(text, a.end, b.start)


def _element(toks: list[_Tok], j: int, text: str) -> _El | None:
    """The longest printed date starting at token `j` (see `_ORDERS`), or None."""
    el = _El(first=j)
    n = len(toks)
    k = j
    while k < n:
        t = toks[k]
        if k > j and not _joined(text, toks[k - 1], t):
            break
        if t.kind == "numdate" and not el.seq:
            el.y, el.m, el.d = t.value
            el.seq = "DMY" if el.d else "MY"
            el.marked = True
            el.last = k
            k += 1
            continue
        c = _comp(t)
        if c:
            if el.seq + c in _ORDERS and toks[el.first].kind != "numdate":
                _add(el, c, t)
                el.last = k
                k += 1
                continue
            break
        if t.kind == "q" and el.seq:
            el.uncertain = True
            el.last = k
            k += 1
            continue
        if t.kind == "part" and el.seq and el.seq[-1] in "MY" and el.part is None:
            el.part = t.value  # Tolstoy style: `Февраля конец`, `Апреля вторая половина`
            el.last = k
            k += 1
            continue
        if (t.kind in _FILLERS or t.kind in ("part", "qual")) and el.seq:
            k2 = _skip(toks, k, text, _FILLERS)
            if k2 > k and k2 < n and toks[k2].kind == "part" and el.seq[-1] in "MY" and el.part is None \
                    and _skip(toks, k2 + 1, text, _FILLERS | {"part", "qual"}) == k2 + 1 \
                    and not (k2 + 1 < n and _comp(toks[k2 + 1]) and _joined(text, toks[k2], toks[k2 + 1])):
                el.part = toks[k2].value  # `Ноябрь, начало`
                el.last = k2
                k = k2 + 1
                continue
            k2 = _skip(toks, k, text, _FILLERS | {"part", "qual"})
            nxt = _comp(toks[k2]) if k2 < n else None
            if nxt and el.seq + nxt in _ORDERS and _joined(text, toks[k2 - 1], toks[k2]):
                for x in range(k, k2):
                    if toks[x].kind in ("lbr", "rbr"):
                        el.bracket = True
                    elif toks[x].kind == "part":
                        el.part = toks[x].value
                    elif toks[x].kind == "qual":
                        el.qualifier = toks[x].value
                k = k2
                continue
        break
    if not el.seq:
        return None
    return el


def _skip(toks: list[_Tok], k: int, text: str, kinds: frozenset[str]) -> int:
    """The first token from `k` on that is not of `kinds` (or is cut off by a blank line)."""
    while k < len(toks) and toks[k].kind in kinds and (k == 0 or _joined(text, toks[k - 1], toks[k])):
        k += 1
    return k


def _add(el: _El, c: str, t: _Tok) -> None:
    el.seq += c
    if c == "Y":
        if t.kind == "decade":
            el.y, el.decade, el.marked = t.value, True, True
        else:
            el.y, marked = t.value
            el.marked = el.marked or marked
    elif c == "M" and t.kind == "season":
        el.season = t.value
        el.m = t.value[0]
    elif c == "M":
        el.m = t.value
    else:
        el.d = t.value


def _fill_from(a: _El, b: _El) -> _El:
    """`a` with the coarser parts it lacks (year, month) taken from `b`: `23`–`25 ноября 1963`."""
    a = replace(a)
    if a.m is None and a.d is not None:
        a.m = b.m
    if a.y is None and (a.m is not None or a.d is not None) and b.y is not None and not b.decade:
        a.y = b.y
        a.y_inherited = True
    return a


def _bounds(el: _El) -> tuple[_dt.date, _dt.date, str] | None:
    """First day, last day and precision of a complete element, or None when it names no real date."""
    if el.y is None:
        return None
    try:
        if el.decade:
            return _dt.date(el.y, 1, 1), _dt.date(el.y + 9, 12, 31), "year"
        if el.season is not None:
            if el.d is not None:
                return None
            first, last = el.season
            return _dt.date(el.y, first, 1), _dt.date(el.y, last, calendar.monthrange(el.y, last)[1]), "month"
        if el.m is None:
            if el.d is not None:
                return None
            return _dt.date(el.y, 1, 1), _dt.date(el.y, 12, 31), "year"
        if el.d is None:
            return _dt.date(el.y, el.m, 1), _dt.date(el.y, el.m, calendar.monthrange(el.y, el.m)[1]), "month"
        day = _dt.date(el.y, el.m, el.d)
        return day, day, "day"
    except ValueError:
        return None


_COARSER = {"day": 0, "month": 1, "year": 2}


# --------------------------------------------------------------------------- matches


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text: its span, the `DateRange`, and what the range cannot say.

    `uncertain`: printed with `?` or as alternatives (`22 или 23`); `qualifier`: "not_before",
    "not_after" or "circa"; `part`: "beginning", "middle", "end", "first_half", "second_half" of the
    unit named; `alternative`: the second date of an old-style/new-style pair (`Августа 1/13`).
    """

    start: int
    end: int
    date: DateRange
    uncertain: bool = False
    bracketed: bool = False
    qualifier: str | None = None
    part: str | None = None
    alternative: DateRange | None = None


def _match_at(toks: list[_Tok], i: int, text: str, year: int | None,
              strict: bool) -> tuple[DateMatch | None, int] | None:
    """A date starting at token `i`, with the index of the token after it; None if none starts there.

    (None, index) when a full date is printed there but names no real day (`31 февраля 1963 г.`):
    its pieces are then no date either."""
    n = len(toks)
    k = i
    bracket = False
    qualifier: str | None = None
    part: str | None = None
    opener: str | None = None
    after_opener = i  # where a single date starts: `от 6 апреля 1853 г.` is the date `6 апреля 1853 г.`
    while k < n and toks[k].kind in ("lbr", "qual", "part", "from"):
        if k > i and not _joined(text, toks[k - 1], toks[k]):
            return None
        t = toks[k]
        if t.kind == "lbr":
            bracket = True
        elif t.kind == "qual":
            qualifier = t.value
        elif t.kind == "part":
            part = t.value
        else:
            opener = t.value
            after_opener = k + 1
        k += 1
    if k >= n or (k > i and not _joined(text, toks[k - 1], toks[k])):
        return None
    if toks[k].kind == "undated":
        last = k
        if bracket and last + 1 < n and toks[last + 1].kind == "rbr":
            last += 1
        s, e = toks[i].start, toks[last].end
        return DateMatch(s, e, DateRange(text=text[s:e], inferred=bracket), bracketed=bracket), last + 1
    e1 = _element(toks, k, text)
    if e1 is None:
        return None
    bracket = bracket or e1.bracket
    qualifier = qualifier or e1.qualifier
    uncertain = e1.uncertain
    part = part or e1.part
    last = e1.last
    e2: _El | None = None
    dual: _El | None = None
    listed = False
    c = last + 1
    if c + 1 < n and _joined(text, toks[last], toks[c]) and _joined(text, toks[c], toks[c + 1]):
        conn = toks[c]
        ok = conn.kind in ("dash", "slash") or (
            conn.kind == "weak" and (conn.value in ("or", "to", "between") or conn.value == opener))
        if ok:
            cand = _element(toks, c + 1, text)
            if cand is None and e1.seq == "Y" and toks[c + 1].kind == "num" and conn.kind == "dash":
                cand = _two_digit_year(e1, toks, c + 1)
            if cand is not None:
                if conn.kind == "slash":
                    dual = cand
                else:
                    e2 = cand
                    if conn.kind == "weak" and conn.value == "or":
                        uncertain = True
    if e2 is not None or dual is not None:
        other = e2 if e2 is not None else dual
        assert other is not None
        a, b = _fill_from(e1, other), _fill_from(other, e1)
        a, b = _with_year(a, year), _with_year(b, year)
        ba, bb = _bounds(a), _bounds(b)
        if ba and bb and ba[0] > bb[1]:
            # The year printed once belongs to the other end: 30 декабря — 2 января 1964 г.
            if a.y_inherited and a.y is not None:
                a.y -= 1
            elif b.y_inherited and b.y is not None:
                b.y += 1
            ba, bb = _bounds(a), _bounds(b)
        # `и` / `and` without `между` / `between` joins only two following days (`Января 3 и 4`):
        # elsewhere it is a list of dates (`23 ноября и 25 декабря 1963 г.`), not an interval.
        two_days = a.d is not None and b.d is not None and (a.y, a.m) == (b.y, b.m) and b.d == a.d + 1
        loose_and = toks[c].kind == "weak" and toks[c].value == "between" and opener != "between"
        if loose_and and not two_days:
            if ba and _complete_pair(a, a) and not a.decade:
                e1 = a  # the first of a list borrows the year (and month) printed once at its end
                listed = True
        elif ba and bb and ba[0] <= bb[1] and _complete_pair(a, b):
            if dual is not None and not (a.seq == "Y" and b.seq == "Y"):
                e1 = a
                alt = _range(bb, b, text, toks)
                first = ba
                end_tok = b.last
            else:
                e1 = a
                alt = None
                first = (ba[0], bb[1], max(ba[2], bb[2], key=_COARSER.__getitem__))
                end_tok = b.last
            uncertain = uncertain or other.uncertain
            bracket = bracket or other.bracket
            part = part or other.part
            last = end_tok
            return _finish(toks, i, last, text, first, bracket, uncertain, qualifier, part, alt)
    # A single date.
    if not listed and not _acceptable_alone(e1, strict, year, bracket or qualifier is not None or part is not None):
        return None
    e1 = _with_year(e1, year)
    b1 = _bounds(e1)
    if b1 is None:
        return (None, last + 1) if e1.y is not None and e1.m is not None and e1.d is not None else None
    return _finish(toks, after_opener, last, text, b1, bracket, uncertain, qualifier, part, None)


def _two_digit_year(e1: _El, toks: list[_Tok], j: int) -> _El | None:
    """`1961–63`: the end of a span of years printed with its last two digits."""
    assert e1.y is not None
    end = e1.y // 100 * 100 + toks[j].value
    if toks[j].end - toks[j].start == 2 and end > e1.y:
        return _El(first=j, last=j, y=end, seq="Y", marked=True)
    return None


def _with_year(el: _El, year: int | None) -> _El:
    if el.y is None and year is not None and (el.m is not None):
        el = replace(el, y=year, y_inherited=True)
    return el


def _complete_pair(a: _El, b: _El) -> bool:
    # A lone day may start or end an interval only when the month is printed at the other end.
    return a.y is not None and b.y is not None and (a.d is None or a.m is not None) and (b.d is None or b.m is not None)


def _acceptable_alone(el: _El, strict: bool, year: int | None, flagged: bool) -> bool:
    if el.seq in ("D", "DY"):
        return False
    if el.seq == "M":
        return not strict and year is not None
    if el.seq == "Y":
        return not strict or el.marked or flagged
    if el.y is None:
        return year is not None
    return True


def _range(b: tuple[_dt.date, _dt.date, str], el: _El, text: str, toks: list[_Tok]) -> DateRange:
    s, e = toks[el.first].start, toks[el.last].end
    return DateRange(b[0].isoformat(), b[1].isoformat(), b[2], text[s:e])  # type: ignore[arg-type]


def _finish(toks: list[_Tok], i: int, last: int, text: str, b: tuple[_dt.date, _dt.date, str], bracket: bool,
            uncertain: bool, qualifier: str | None, part: str | None,
            alt: DateRange | None) -> tuple[DateMatch, int]:
    n = len(toks)
    # Trailing marks that belong to the date: a closing bracket, a question mark.
    while last + 1 < n and _joined(text, toks[last], toks[last + 1]):
        nxt = toks[last + 1]
        if nxt.kind == "rbr" and _open_brackets(toks, i, last) > 0:
            bracket = True
        elif nxt.kind == "q":
            uncertain = True
        else:
            break
        last += 1
    s, e = toks[i].start, toks[last].end
    date = DateRange(b[0].isoformat(), b[1].isoformat(), b[2], text[s:e],  # type: ignore[arg-type]
                     inferred=bracket or uncertain)
    return DateMatch(s, e, date, uncertain=uncertain, bracketed=bracket, qualifier=qualifier, part=part,
                     alternative=alt), last + 1


def _open_brackets(toks: list[_Tok], i: int, last: int) -> int:
    depth = 0
    for t in toks[i:last + 1]:
        if t.kind == "lbr":
            depth += 1
        elif t.kind == "rbr":
            depth -= 1
    return depth


_STARTS = frozenset({"lbr", "qual", "part", "from", "undated", "numdate", "year", "decade", "month", "season",
                     "num"})


def _iter(text: str, lang: str | None, year: int | None, strict: bool) -> Iterator[DateMatch]:
    lang = _norm_lang(lang)
    toks = _tokens(text, _fold(text), lang)
    i, n = 0, len(toks)
    while i < n:
        if toks[i].kind in _STARTS:
            found = _match_at(toks, i, text, year, strict)
            if found is not None:
                if found[0] is not None:
                    yield found[0]
                i = found[1]
                continue
        i += 1


def _norm_lang(lang: str | None) -> str | None:
    if not lang:
        return None
    lang = lang.lower().split("-")[0].split("_")[0]
    return lang if lang in ("ru", "en") else None


# --------------------------------------------------------------------------- public API


def iter_dates(text: str, lang: str | None = None, *, year: int | None = None) -> Iterator[DateMatch]:
    """Every date in `text`, in order, with spans and the flags a `DateRange` cannot hold.

    `lang` ("ru"/"en", None = both) limits the month names and decides `11/12/1963` (en: month
    first); `year` is a year printed earlier (a section heading) for dates printed without one.
    Only sure dates are taken: a bare four-digit number is no year unless marked (`1963 г.`),
    bracketed, qualified, or part of an interval.
    """
    return _iter(text, lang, year, strict=True)


def find_date(text: str, lang: str | None = None, *, year: int | None = None) -> tuple[int, int, DateRange] | None:
    """The first date in `text` (a heading, a dateline, the first lines of a letter): (start, end, date)."""
    for m in _iter(text, lang, year, strict=True):
        return m.start, m.end, m.date
    return None


def parse_date(text: str, lang: str | None = None, *, year: int | None = None) -> DateRange | None:
    """A date or interval as printed (`23–25 ноября 1963 года`, `1874 г. Марта 20—21?`) as a `DateRange`.

    Unlike `find_date`, a bare year (`1963`) and, given `year`, a bare month are dates here. Falls
    back to dateparser for what the grammar does not read, if the text holds a four-digit year.
    """
    first = next(_iter(text, lang, year, strict=False), None)
    if first is not None and not (first.date.precision == "year" and first.qualifier is None and first.part is None
                                  and _LETTERS.search(text[:first.start] + " " + text[first.end:])):
        return first.date
    # Nothing read, or only a year among words the grammar does not know (`23 novembre 1963`).
    fallback = _dateparser_fallback(text, _norm_lang(lang))
    if first is None:
        return fallback
    if fallback is not None and fallback.start and fallback.start[:4] == (first.date.start or "")[:4] \
            and fallback.precision != "year":
        return fallback
    return first.date


_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_LETTERS = re.compile(r"[^\W\d_]{3,}")


def _dateparser_fallback(text: str, lang: str | None) -> DateRange | None:
    if not _HAS_YEAR.search(text):
        return None  # nothing to anchor the date; dateparser would fill the rest from today
    data = _dateparser(lang).get_date_data(text)
    when, period = data["date_obj"], data["period"]
    if when is None:
        return None
    d = when.date()
    if str(d.year) not in text:
        return None
    if period == "year":
        return DateRange(f"{d.year}-01-01", f"{d.year}-12-31", "year", text.strip())
    if period == "month":
        last = calendar.monthrange(d.year, d.month)[1]
        return DateRange(d.replace(day=1).isoformat(), d.replace(day=last).isoformat(), "month", text.strip())
    if period in ("day", "time"):
        return DateRange(d.isoformat(), d.isoformat(), "day", text.strip())
    return None


@lru_cache(maxsize=4)
def _dateparser(lang: str | None) -> Any:
    from dateparser.date import DateDataParser

    settings = {"PREFER_DAY_OF_MONTH": "first", "PREFER_MONTH_OF_YEAR": "first", "REQUIRE_PARTS": ["year"],
                "PREFER_DATES_FROM": "past"}
    languages = [lang] if lang else None
    return DateDataParser(languages=languages, settings=settings)


# --------------------------------------------------------------------------- datelines


class Dateline(NamedTuple):
    """A dateline: the place as printed (None when only a date is printed), the date, the span."""

    place: str | None
    date: DateRange
    span: tuple[int, int]


_PLACE_WORD = r"(?:(?:г|с|д|ст|пос|дер)\.\s*)?[A-ZА-ЯЁ][\w'’\-]*\.?"  # `г. Москва` keeps its `г.`
_PLACE_LINK = r"(?:[A-ZА-ЯЁ][\w'’\-]*\.?|на|под|при|у|р\.|г\.|д\.|с\.|de|du|la|le|am|an|bei|upon|on|sur)"
_PLACE = _PLACE_WORD + r"(?:\s+" + _PLACE_LINK + r"){0,5}"


def _weekdays() -> str:
    from dateparser.languages.loader import default_loader

    names = {f for lang in ("en", "ru")
             for key in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
             for f in default_loader.get_locale(lang).info.get(key, []) if len(f) > 3}
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


_WEEKDAY = _weekdays()
# Place, date: `Moscow, November 23, 1963.` / `…соболезнованием. Москва, 23 ноября 1963 г.`;
# a weekday between them is neither (`Moscow, Sunday, November 24, 1963`).
_PLACE_BEFORE = re.compile(r"(?:^|(?<=[.:;!?»)])\s+|^\s*)(?P<place>" + _PLACE + r")\s*,\s*"
                           r"(?:(?i:" + _WEEKDAY + r")\s*,?\s*)?$")
_ONLY_WEEKDAY = re.compile(r"^\s*(?:(?:" + _WEEKDAY + r")\s*,?\s*)?$", re.IGNORECASE)
_IS_WEEKDAY = re.compile(r"^(?:" + _WEEKDAY + r")$", re.IGNORECASE)
# Date, place: `1874 г. Марта 20—21? Я. П.` / `23 ноября 1963 г. Москва.`
_PLACE_AFTER = re.compile(r"^[\s.,]*(?P<place>" + _PLACE + r")(?P<q>\?)?[\s.]*$")
_TIME = (r"(?:\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?|hours)|\d{1,2}:\d{2}(?:\s*[ap]\.?\s?m\.?)?"
         r"|\d{1,2}\s*ч\.(?:\s*\d{1,2}\s*м(?:ин)?\.)?|noon|midnight)")
# What may follow the date on a dateline: a time, or a span of times (`12:45–3:15 p.m.`).
_AFTER_DATE = re.compile(r"^[\s.,;]*(?:" + _TIME + r"(?:\s*[-–—]\s*" + _TIME + r")?[\s.,;]*)?$", re.IGNORECASE)
_LINES = re.compile(r"[^\n]+")


def find_dateline(text: str, lang: str | None = None, *, year: int | None = None,
                  lines: int = 4) -> Dateline | None:
    """A dateline (place and date) among the first or the last `lines` non-blank lines of `text`.

    A line is a dateline when, besides the date, it holds only a place before it (`Moscow,`), a
    time after it, or a place after it (the Tolstoy headings: `… 1874 г. Марта 20—21? Я. П.`).
    The place is returned as printed, without a closing full stop (kept after an initial: `Я. П.`).
    """
    found = [m for m in _LINES.finditer(text) if m.group(0).strip()]
    order = found[:lines] + [m for m in reversed(found[-lines:]) if m not in found[:lines]]
    for line in order:
        hit = _dateline_in(line.group(0), lang, year)
        if hit is not None:
            place, date, (s, e) = hit
            return Dateline(place, date, (line.start() + s, line.start() + e))
    return None


def _dateline_in(line: str, lang: str | None, year: int | None) -> Dateline | None:
    for m in _iter(line, lang, year, strict=True):
        before, after = line[:m.start], line[m.end:]
        if _AFTER_DATE.match(after):
            pb = _PLACE_BEFORE.search(before)
            if pb and not _IS_WEEKDAY.match(pb.group("place")):
                return Dateline(pb.group("place"), m.date, (pb.start("place"), m.end))
            if not before.strip(" \t*[(.—–-") or _ONLY_WEEKDAY.match(before):
                return Dateline(None, m.date, (m.start, m.end))
        pa = _PLACE_AFTER.match(after)
        if pa:
            place = pa.group("place")
            if pa.group("q"):
                place += "?"
            elif place.endswith(".") and not re.search(r"(?:^|\s)\w\.$", place):
                place = place[:-1]
            end = m.end + pa.start("place") + len(place)
            return Dateline(place, m.date, (m.start, end))
        return None  # only the first date of a line can make it a dateline
    return None
