"""Search keys: fold text and reduce each word to a key that is the same across scripts and spellings.

What it is for: the catalog indexes, and `dossier search` looks up, one key per word, so that a name
typed in one script or transliteration finds it in another: `Chruschtschow`, `Khrushchev`,
`Khrushchov`, `Хрущёв`, `Хрущёва` all give `xruxev`. A key is made by (1) taking a Russian word's
dictionary form (pymorphy3), (2) folding case and ё/е, (3) transliterating Cyrillic to Latin
(iuliia, Wikipedia scheme), (4) reducing Latin spellings of Slavic sounds to one skeleton: the
hushing and velar spellings of German, French and English (sch, tsch, chtch, shch, kh, ch, sh, zh)
become `x`/`z`, `ou` becomes `u`, `w`/`ff` at the end become `v`, y/j/i become `i`, doubled letters
single, `h` is dropped, and an `o` after a hushing sound becomes `e` (the ё of Хрущёв
written as o). An unknown Russian surname keeps its -ов/-ин base (`Мастюкова` → `Мастюков`).

A word that OCR wrote with look-alike letters of the other script (`Xрущёв` with a Latin X) is keyed
as the word it is (`text_utils.unmix_scripts`).

What it is not: a transliteration for display (register variants use iuliia's schemes in
`dossier.enrich.translit`), nor a stemmer for English: English words are only folded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .text_utils import unmix_scripts

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)  # as FTS5's unicode61 splits: at - and ' too
_CYR = re.compile(r"[\u0400-\u04FF]")

# Latin spellings of Slavic sounds, longest first: each becomes one skeleton letter.
_SKELETON = [
    ("schtsch", "x"), ("shtsh", "x"), ("shch", "x"), ("chtch", "x"), ("tsch", "x"), ("tch", "x"),
    ("sch", "x"), ("dzh", "i"), ("kh", "x"), ("ch", "x"), ("sh", "x"), ("zh", "z"), ("dj", "i"),
    ("ou", "u"), ("ks", "x"), ("ts", "c"), ("tz", "c"),
    ("ph", "f"), ("w", "v"), ("y", "i"), ("j", "i"), ("h", ""), ("q", "k"),
]
_SKELETON_RX = re.compile("|".join(re.escape(a) for a, _ in _SKELETON))
_SKELETON_MAP = dict(_SKELETON)


def fold(text: str) -> str:
    """Case folded, ё→е, NFC: what `text` search compares."""
    t = unicodedata.normalize("NFC", text)
    return t.replace("ё", "е").replace("Ё", "Е").casefold()


@lru_cache(maxsize=1)
def _morph():  # type: ignore[no-untyped-def]
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=1)
def _translit():  # type: ignore[no-untyped-def]
    import iuliia

    return iuliia.WIKIPEDIA


def _strip_marks(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def skeleton(latin: str) -> str:
    """The phonetic skeleton of a Latin word (lower case, no diacritics)."""
    s = _SKELETON_RX.sub(lambda m: _SKELETON_MAP[m.group(0)], latin)
    s = re.sub(r"ff$|v+$", "v", s)
    s = re.sub(r"(.)\1+", r"\1", s)
    s = re.sub(r"(?<=[xz])o", "e", s)
    return s


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """The search key of one word (see the module docstring)."""
    w = fold(unmix_scripts(word)).replace("’", "'")  # OCR's `Xрущёв` keyed as `Хрущёв`
    if _CYR.search(w):
        w = _translit().translate(fold(lemma_ru(w))).lower()
    w = _strip_marks(w).replace("'", "")
    w = re.sub(r"[^a-z]", "", w)
    return skeleton(w) if w else ""


_SURNAME = re.compile(r"^(.+(?:ов|ев|ёв|ин|ын))(?:а|у|ым|ом|е|ой|ою|ы|ых|ым|ыми)?$")


def lemma_ru(word: str) -> str:
    """A Russian word's dictionary form; a surname pymorphy3 does not know keeps its -ов/-ин base."""
    morph = _morph()
    parses = morph.parse(word)
    if not parses:
        return word
    top = parses[0]
    if {"Surn", "Name", "Patr"} & set(top.tag.grammemes):
        return str(top.normal_form)
    for p in parses:
        if p.normal_form == word and "nomn" in p.tag and p.score >= top.score - 1e-9:
            return word
    if morph.word_is_known(top.normal_form):
        return str(top.normal_form)
    m = _SURNAME.match(word)
    return m.group(1) if m else str(top.normal_form)


def words(text: str) -> list[str]:
    return WORD.findall(text)


def text_keys(text: str, lang: str = "") -> str:
    """The keys of every word of `text`, in order (so phrases still match), space separated."""
    return " ".join(k for k in (word_key(w) for w in words(text)) if k)


def keys_batch(items: list[tuple[str, str]]) -> list[str]:
    """`text_keys` for a batch of (text, language) pairs: the unit of parallel work."""
    return [text_keys(text, lang) for text, lang in items]
