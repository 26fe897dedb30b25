"""Small text helpers every room may use (they import nothing of dossier): one way to fold a name into
a key and an id fragment, one way to guess a text's language.

What it is for: the same name gets the same id whether annotate proposes it (`enrich.annotate`) or the
index makes an entry of an unlinked mark (`compile.edition`), and importers, annotate and the profile
agree on what language a text is in.

What it is not: the search keys (`search_keys`: lossy, across scripts) or name recognition.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_POSSESSIVE = re.compile(r"[’']s$")
_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w]+")


def name_key(text: str) -> str:
    """How the forms of one name are grouped: case, spacing, ё/е and a possessive do not matter."""
    t = unicodedata.normalize("NFC", text).replace("ё", "е").replace("Ё", "Е")
    t = _POSSESSIVE.sub("", t.strip())
    return _SPACES.sub(" ", t).casefold()


def slug(text: str) -> str:
    """An NCName-safe id fragment for a name, in its own script (xml:id allows letters of any script)."""
    return _NOT_WORD.sub("-", name_key(text)).strip("-") or "x"


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ... : the first not in `taken`, which it is added to."""
    found, n = base, 2
    while found in taken:
        found, n = f"{base}-{n}", n + 1
    taken.add(found)
    return found


def _is_cyrillic(c: str) -> bool:
    return "\u0400" <= c <= "\u04ff"


def detect_language(text: str, allowed: list[str] | None = None) -> str:
    """'ru' or 'en' by which letters are more: Cyrillic or Latin (a tie is 'ru'). Without letters:
    the first of `allowed`, else ''. A result not in `allowed` gives the first of `allowed`."""
    cyr = lat = 0
    for c in text:
        if not c.isalpha():
            continue
        if _is_cyrillic(c):
            cyr += 1
        elif c.isascii() or unicodedata.name(c, "").startswith("LATIN"):
            lat += 1
    if not cyr and not lat:
        return allowed[0] if allowed else ""
    lang = "ru" if cyr >= lat else "en"
    if allowed and lang not in allowed:
        return allowed[0]
    return lang


# Letters that look alike in Latin and Cyrillic print, the ones OCR confuses (Tesseract with `rus+eng`
# reads `Хрущёв` as `Xрущёв`, `Москву` as `Mоскву`, `Kohler` as `Кohler`).
_LAT_TO_CYR = str.maketrans("AaBCcEeHKkMOoPpTXxYy", "АаВСсЕеНКкМОоРрТХхУу")
_CYR_TO_LAT = str.maketrans("АаВСсЕеНКкМОоРрТХхУу", "AaBCcEeHKkMOoPpTXxYy")
_MIXED_WORD = re.compile(r"[^\W\d_]+")


def unmix_scripts(text: str) -> str:
    """`text` with each word that mixes Latin and Cyrillic letters written in the script most of its
    letters are in, where the others look alike in both (`Xрущёв` → `Хрущёв`); a word whose odd
    letters have no look-alike, or that is split evenly, is left as it is. Same length, same
    offsets: for reading names in OCR text, not for changing what a document says."""

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        cyr = sum(1 for c in w if _is_cyrillic(c))
        lat = sum(1 for c in w if "a" <= c.lower() <= "z")
        if not cyr or not lat or cyr == lat:
            return w
        out = w.translate(_LAT_TO_CYR if cyr > lat else _CYR_TO_LAT)
        still = sum(1 for c in out if "a" <= c.lower() <= "z") if cyr > lat else sum(1 for c in out if _is_cyrillic(c))
        return out if not still else w

    return _MIXED_WORD.sub(fix, text)


def align_in_order(n: int, m: int, weight: Callable[[int, int], float]) -> list[tuple[int, int]]:
    """Pairs (i, j) of items of two sequences (lengths `n`, `m`) matched in order for the greatest
    total `weight(i, j)`; a pair whose weight is 0 or less is never made (a weighted longest common
    subsequence). Among equal totals the pairs lie as late in the second sequence as they can."""
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(1, n + 1):
        for b in range(1, m + 1):
            w = weight(a - 1, b - 1)
            score[a][b] = max(score[a - 1][b], score[a][b - 1], score[a - 1][b - 1] + w if w > 0 else 0.0)
    pairs: list[tuple[int, int]] = []
    a, b = n, m
    while a and b:
        if score[a][b] == score[a][b - 1]:
            b -= 1
        elif score[a][b] == score[a - 1][b]:
            a -= 1
        else:
            pairs.append((a - 1, b - 1))
            a, b = a - 1, b - 1
    return pairs[::-1]
