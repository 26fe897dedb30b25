"""Expand a name printed as initials (`Я. П.`) from the edition's own text (`Ясной Поляне` → `Ясная Поляна`).

What it is for: editions abbreviate what they print again and again — the place of writing in every
heading (`Я. П.` for Ясная Поляна in Tolstoy's letters), an institution. When the edition's list of
abbreviations does not resolve such a form, the edition usually spells it out somewhere: in notes,
commentary, other documents. `expand_initials(abbr, texts)` finds the multi-word capitalised names
whose words begin with those letters, in any case, and returns the most frequent one in the
nominative (pymorphy3 inflects each word, keeping its gender and number).

What it is not: a list of known abbreviations (there is none in here), nor a guess from a single
letter (`М.` could be anything: at least two initials are needed, and an expansion must be seen at
least twice, or be the only candidate).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

_INITIALS = re.compile(r"^\s*((?:[A-ZА-ЯЁ]\.\s*){2,4})\s*$")


def initials_of(abbr: str) -> str | None:
    """`Я. П.` → `ЯП`; None when `abbr` is not two to four capital initials."""
    m = _INITIALS.match(abbr)
    if not m:
        return None
    return "".join(re.findall(r"[A-ZА-ЯЁ]", m.group(1)))


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=50_000)
def _nominative(word: str) -> str:
    """A word of a name in the nominative, keeping gender and number; unknown words unchanged."""
    if not re.search(r"[а-яё]", word.lower()):
        return word
    for p in _morph().parse(word):
        if {"ADJF", "NOUN"} & set(p.tag.grammemes) and p.tag.case:
            wanted = {"nomn"}
            form = p.inflect(wanted)
            if form is not None:
                w = form.word
                return w[:1].upper() + w[1:] if word[:1].isupper() else w
    return word


def expand_initials(abbr: str, texts: Iterable[str], min_count: int = 2) -> str | None:
    """The most frequent spelled-out name in `texts` whose words start with the initials of `abbr`."""
    letters = initials_of(abbr)
    if letters is None:
        return None
    word = r"[A-ZА-ЯЁ][a-zа-яё\-]+"
    rx = re.compile(r"(?<![\w-])" + r"\s+".join(f"(?={c}){word}" for c in letters) + r"(?![\w-])")
    counts: Counter[str] = Counter()
    for text in texts:
        for m in rx.finditer(text):
            counts[" ".join(_nominative(w) for w in m.group(0).split())] += 1
    if not counts:
        return None
    best, n = counts.most_common(1)[0]
    if n >= min_count or len(counts) == 1:
        return best
    return None


_PERSON_INITIALS = re.compile(r"^\s*(?P<surname>[А-ЯЁ][а-яё\-]+)\s+(?P<i1>[А-ЯЁ])\.\s*(?:(?P<i2>[А-ЯЁ])\.)?\s*$")
_PATRONYMIC = r"[а-яё]*(?:вич|вн|ьич|инич|ичн)[а-яё]*"


def expand_person(name: str, texts: Iterable[str]) -> str | None:
    """`Лобачевский Н. И.` → `Лобачевский Николай Иванович` when the text spells the name out in full
    (in any case and order: `Николаю Ивановичу Лобачевскому`, `Лобачевский Николай Иванович`)."""
    from .names_ru import parse_person

    m = _PERSON_INITIALS.match(name)
    if not m:
        return None
    surname, i1, i2 = m.group("surname"), m.group("i1"), m.group("i2")
    stem = re.escape(surname.replace("ё", "е")[:max(3, len(surname) - 2)])
    first = rf"(?P<first>{i1}[а-яё]{{2,}})"
    patr = rf"\s+(?P<patr>{i2}{_PATRONYMIC})" if i2 else ""
    sur = rf"(?P<sur>{stem}[а-яё]*)"
    patterns = [re.compile(rf"(?<![\w-]){first}{patr}\s+{sur}(?![\w-])"),
                re.compile(rf"(?<![\w-]){sur}\s+{first}{patr}(?![\w-])")]
    counts: Counter[str] = Counter()
    for text in texts:
        folded = text.replace("ё", "е").replace("Ё", "Е")
        for rx in patterns:
            for hit in rx.finditer(folded):
                words = [hit.group("first")] + ([hit.group("patr")] if i2 else []) + [hit.group("sur")]
                parts = parse_person(words)
                if parts.first and not parts.first.endswith(".") and (parts.patronymic or not i2):
                    # the surname stays as the heading gave it (already nominative); the given
                    # name and patronymic come from the text
                    counts[" ".join(x for x in (surname, parts.first, parts.patronymic) if x)] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]
