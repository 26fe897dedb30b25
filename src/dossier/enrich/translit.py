"""Russian names across scripts: transliterations in the schemes readers meet, and one matching key.

What it is for:
  - `transliterations(cyrillic)`: the Latin forms of a Cyrillic name in the schemes `standards.md`
    asks for: popular (Wikipedia, with `ё` written `е` as English texts do: `Khrushchev`), Wikipedia
    (`Khrushchyov`), BGN/PCGN (`Khrushchëv`), ALA-LC (`Khrushchëv`), ISO 9 / GOST 7.79 (`Hruŝëv`), and
    the French spelling of the MVD scheme (`Khrouchtchev`). iuliia's schemes emit Cyrillic `ё` inside
    Latin output (`Khrushchёv`): mapped to `ë` here; input is NFC-normalised.
  - `skeleton(name)`: a phonetic key that spellings of one Russian name in English, German, French,
    Polish or scholarly transliteration share (`Хрущёв`, `Khrushchev`, `Khrushchov`, `Chruschtschow`,
    `Khrouchtchev`, `Hruščëv` -> `xruŝev`). Cyrillic goes through ISO 9 first; Latin spellings are
    folded by general rules (tsch/tch/cz/č -> č, shch/schtsch/chtch/ŝ -> ŝ, kh/ch before r or l/h -> x,
    zh/ž/dj -> ž, sch/sh/š -> š, ou -> u, w -> v, ff/ow -> v at the end, y/j -> i, yo/ë and o after a
    hushing consonant -> e, ж and ш one letter as German writes both `sch`, doubled letters single).
  - `similar(a, b)`: rapidfuzz's ratio over skeletons (transliterate first, then compare: raw
    Jaro-Winkler gives `Chruschtschow`/`Khrushchev` only 0.70).
  - `fold_yo(s)`: `ё`/`е` fold, for keys and search.

What it is not: Latin -> Cyrillic transliteration (no scheme reverses reliably), declension (that is
`names_ru`), or a decision that two persons are one: callers compare given names and initials too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import iuliia
from rapidfuzz import fuzz

_CYR = re.compile(r"[\u0400-\u04FF]")

# scheme label -> iuliia schema; "popular" is Wikipedia over the text with ё written е.
SCHEMES: dict[str, iuliia.Schema] = {
    "wikipedia": iuliia.WIKIPEDIA,
    "bgn_pcgn": iuliia.BGN_PCGN,
    "ala_lc": iuliia.ALA_LC,
    "iso_9": iuliia.GOST_779,
    "french": iuliia.MVD_310_FR,
}


def fold_yo(s: str) -> str:
    """`ё` -> `е` (and `Ё` -> `Е`): the two must match each other in keys and search."""
    return s.replace("ё", "е").replace("Ё", "Е")


def has_cyrillic(s: str) -> bool:
    return bool(_CYR.search(s))


def _fix_latin(s: str) -> str:
    """iuliia leaves Cyrillic ё (U+0451) inside Latin output for several schemes: make it Latin ë."""
    return unicodedata.normalize("NFC", s.replace("ё", "ë").replace("Ё", "Ë"))


@lru_cache(maxsize=65536)
def transliterate(cyrillic: str, scheme: str = "popular") -> str:
    """One Latin form of a Cyrillic string. `scheme` is "popular" or a key of `SCHEMES`."""
    text = unicodedata.normalize("NFC", cyrillic)
    if scheme == "popular":
        return _fix_latin(iuliia.WIKIPEDIA.translate(fold_yo(text)))
    return _fix_latin(SCHEMES[scheme].translate(text))


def transliterations(cyrillic: str) -> dict[str, str]:
    """The name in every scheme this module knows, in a fixed order (popular first)."""
    out = {"popular": transliterate(cyrillic, "popular")}
    for key in SCHEMES:
        out[key] = transliterate(cyrillic, key)
    return out


# Placeholders (upper case, since the input is lowered first) for sounds with many spellings.
_X, _SHCH, _CH, _ZH, _SH, _TS = "X", "W", "C", "Z", "S", "T"
_DIACRITICS = {"ŝ": _SHCH, "š": _SH, "č": _CH, "ž": _ZH, "ĉ": _CH, "ẑ": _ZH, "ç": "s", "ë": "e", "ǒ": "o"}
# ж and ш fold into one letter: German writes both `sch` (Breschnew, Schukow), French `j`/`ch`.
_OUT = str.maketrans({_X: "x", _SHCH: "ŝ", _CH: "č", _ZH: "š", _SH: "š", _TS: "c"})
_RULES: list[tuple[re.Pattern[str], str]] = [(re.compile(a), b) for a, b in (
    (r"x", "ks"),
    (r"schtsch|sjtsj|shtch|chtch|shch|szcz|SC", _SHCH),
    (r"tsch|tch|cz", _CH),
    (r"dzh|dsch|dj|dZ", "d" + _ZH),
    (r"zh|ž", _ZH),
    (r"sch|sh|sz", _SH),
    (r"kh|ch(?=[rl])", _X),
    (r"ch", _CH),
    (r"h", _X),
    (r"ts|tz|c(?=[eiy])", _TS),
    (r"ck|c|q", "k"),
    (r"ou", "u"),
    (r"ph", "f"),
    (r"w", "v"),
    (r"(?:ff|v|f)$", "v"),
    (r"[yj]", "i"),
    (r"(?<=[bcdfgklmnprstvzXWCZST])io", "e"),
    (r"(?<=[WCZS])[oe]", "e"),
    (r"^i[eo]", "e"),
    (r"ine$", "in"),
    (r"(.)\1+", r"\1"),
)]


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """The phonetic key of a (Russian) name in any script: equal for its usual spellings."""
    text = unicodedata.normalize("NFC", name.strip())
    if re.search(r"[A-Za-z]", text):
        text = _fix_latin(text)  # a Latin spelling with iuliia's stray Cyrillic ё
    if has_cyrillic(text):
        # ISO 9 is one letter for one letter; its c is always ц, which Latin spellings write ts
        text = iuliia.ISO_9_1968.translate(text).replace("c", "ts").replace("C", "Ts")
    text = _fix_latin(text).lower()
    text = "".join(_DIACRITICS.get(c, c) for c in text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = []
    for word in re.findall(r"[a-zXWCZST]+", re.sub(r"[’'ʹʺ\-]", "", text)):
        for rx, rep in _RULES:
            word = rx.sub(rep, word)
        words.append(word.translate(_OUT))
    return " ".join(words)


def similar(a: str, b: str) -> float:
    """0..100: how alike two spellings are once both are reduced to their skeletons."""
    ka, kb = skeleton(a), skeleton(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 100.0
    return float(fuzz.ratio(ka, kb))
