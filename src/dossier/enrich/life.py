"""Life dates and a short description stated right after a person's name, as notes give them.

What it is for: `life_after(text, end)` reads what follows a mention ending at `end`:
`Петр Александрович Плетнев (1792—1865) — литературный критик, друг Пушкина` gives
("1792", "1865", "литературный критик"); `(р. 1856)`, `(b. 1917)` a year of birth; `(ум. 1910)`,
`(d. 1963)` a year of death; `John F. Kennedy (1917–1963), President of the United States` the
English form. The description is the first clause after the dates (to a comma, semicolon or full
stop), kept only when it is short, as an annotated index prints it. Annotate gathers these over an
entry's mentions (`dossier annotate`: `born`, `died`, and the description when the documents state
no office).

What it is not: a date parser (`dates`), or the recogniser of offices before a name (`ner_ru`,
`ner_en`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DATES = re.compile(
    r"\s*\(\s*(?:"
    r"(?:р\.|род\.|b\.|born)\s*(?P<by>\d{3,4})(?P<bq>\s*\?)?"      # (р. 1856)
    r"|(?:ум\.|d\.|died)\s*(?P<dy>\d{3,4})(?P<dq>\s*\?)?"          # (ум. 1910)
    r"|(?P<y1>\d{3,4})(?P<q1>\s*\?)?\s*[—–-]\s*(?P<y2>\d{3,4})(?P<q2>\s*\?)?"  # (1792—1865)
    r")\s*(?:гг?\.)?\s*\)")
_DESCRIPTION = re.compile(r"\s*(?:[—–]|-{1,2}|,)\s*(?P<desc>[^.;,()\n]{3,80})")
MAX_DESCRIPTION_WORDS = 8


@dataclass(frozen=True)
class Life:
    born: str = ""
    died: str = ""
    description: str = ""


def life_after(text: str, end: int) -> Life | None:
    """The life dates (and description) printed right after offset `end`, or None."""
    m = _DATES.match(text, end)
    if m is None:
        return None
    if m.group("by"):
        born, died = m.group("by") + ("?" if m.group("bq") else ""), ""
    elif m.group("dy"):
        born, died = "", m.group("dy") + ("?" if m.group("dq") else "")
    else:
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if not 0 < y2 - y1 < 110:
            return None
        born = m.group("y1") + ("?" if m.group("q1") else "")
        died = m.group("y2") + ("?" if m.group("q2") else "")
    desc = ""
    d = _DESCRIPTION.match(text, m.end())
    if d is not None:
        words = d.group("desc").split()
        if words and len(words) <= MAX_DESCRIPTION_WORDS and words[0][:1].isalpha() and _describes(words):
            desc = " ".join(words)
    return Life(born, died, desc)


_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def _describes(words: list[str]) -> bool:
    """A Russian description is a noun phrase in the nominative (`литературный критик`), not a clause
    (`с 17 лет была учительницей`, `с 1882 г. министра`), an oblique case (`прадеда Толстого`) or an
    abbreviation, which the dictionary reads as any case (`рожд.`, `с.`, `г.`);
    the dictionary decides. Other languages are taken as they are."""
    if not _CYRILLIC.search(words[0]):
        return True
    from .names_ru import parses

    first = parses(words[0].lower())
    if not any(p.is_known and p.tag.POS in ("NOUN", "ADJF", "PRTF") and p.tag.case == "nomn" and "Abbr" not in p.tag
               for p in first):
        return False
    return not any(p.tag.POS == "VERB" and p.is_known and p.score > 0.5 for w in words for p in parses(w.lower())[:1])
