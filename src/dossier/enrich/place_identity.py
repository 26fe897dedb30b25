"""Which place a name stands for, whether it is written in Russian or in English.

What it is for: `identity(name)` gives one key for the names of one place in either language, so
that the index of places of a bilingual edition has one entry for `Куба` and `Cuba`, `СССР`,
`Soviet Union` and `USSR`, `Нью-Йорк` and `New York`:
  - states: `S:` and the ISO 3166-1 code (alpha-4 for a former state, `S:SUHH` for the USSR). The
    Russian names are `places_ru`'s (CLDR, pycountry's iso-codes translations, its `EXTRA`); the
    English ones come from the same sources in English (Babel's CLDR territories, pycountry's short,
    official and common names, the short and official halves of a former state's name) and from
    `EXTRA_EN`, the usual informal names of the period (`America`, `Britain`, `West Germany`); a name
    that two states share is left out, and a former state's name never displaces a current one
    (`France, Metropolitan` does not take `France`);
  - parts of the world: `R:` and CLDR's code (`Европа` / `Europe`, `Латинская Америка`);
  - cities: `C:` and the English name of a city CLDR names in both languages (the exemplar cities of
    its time zones: `Москва` / `Moscow`, `Гавана` / `Havana`, `Варшава` / `Warsaw`; about 400).
`same_sound(ru, en)` is the fallback for other places: the phonetic skeletons of a Cyrillic name and
a Latin one are equal (`Берлин` / `Berlin`, `Вашингтон` / `Washington`).

What it is not: a gazetteer (no coordinates, no hierarchy, nothing about towns CLDR does not name),
or a recogniser of places (`ner_ru`, `ner_en`); organisations are not matched across languages.
Nothing is downloaded: Babel and pycountry are installed packages with their data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from ..text_utils import name_key
from .names_ru import place_key
from .places_ru import code_table
from .translit import has_cyrillic, skeleton

# Usual English names of states that neither CLDR nor iso-codes gives, by code; general usage of the
# period's English (diplomatic and press), not of any one text.
EXTRA_EN: dict[str, tuple[str, ...]] = {
    "US": ("America", "USA", "U.S.A.", "U.S.", "United States of America", "the States"),
    "GB": ("Britain", "Great Britain", "England", "UK", "U.K."),
    "SUHH": ("Soviet Union", "USSR", "U.S.S.R.", "Union of Soviet Socialist Republics"),
    "DE": ("West Germany", "FRG", "Federal Republic of Germany"),
    "DDDE": ("East Germany", "GDR", "German Democratic Republic"),
    "CN": ("Communist China", "Red China", "Mainland China", "People's Republic of China", "PRC"),
    "KP": ("North Korea",),
    "KR": ("South Korea",),
    "NL": ("Holland",),
    "CSHH": ("Czechoslovakia",),
    "YUCS": ("Yugoslavia",),
    "VDVN": ("North Vietnam", "North Viet-Nam"),
}

# English adjectives of nationality not formed from the state's name (general English).
IRREGULAR_ADJECTIVES: dict[str, str] = {
    "french": "FR", "polish": "PL", "dutch": "NL", "swiss": "CH", "danish": "DK", "greek": "GR",
    "finnish": "FI", "irish": "IE", "czech": "CZ", "czechoslovak": "CSHH", "yugoslav": "YUCS",
    "filipino": "PH", "thai": "TH", "lao": "LA", "burmese": "MM", "afghan": "AF", "british": "GB",
    "english": "GB", "scottish": "GB", "welsh": "GB", "american": "US", "turkish": "TR",
    "rumanian": "RO", "saudi": "SA",
}

# CLDR territory codes that name no state (`United Nations`, `European Union`, `Unknown Region`).
NOT_STATES = {"UN", "EU", "EZ", "QO", "XA", "XB", "ZZ"}

# The endings of English adjectives of nationality formed from the state's name.
_ADJECTIVE_END = ("an", "ese", "ish", "i", "ic", "ine")

# CLDR's codes of the parts of the world whose names are in common use in both languages.
REGIONS = ("002", "005", "009", "013", "029", "142", "150", "419")

_LEAD_THE = re.compile(r"^the\s+", re.I)


def _en_key(name: str) -> str:
    return name_key(_LEAD_THE.sub("", name.strip()))


@lru_cache(maxsize=1)
def _english_states() -> dict[str, str]:
    """{key of an English name of a state: code}, in tiers: a later tier never takes a name an
    earlier one has; within a tier a name of two states is left out."""
    tiers: list[dict[str, set[str]]] = [defaultdict(set) for _ in range(3)]
    try:
        from babel import Locale

        for code, name in Locale("en").territories.items():
            if code.isalpha() and len(code) == 2 and code not in NOT_STATES:
                tiers[0][_en_key(name)].add(code)
    except Exception:  # noqa: BLE001 - Babel without CLDR data: the other sources remain
        pass
    for code, names in EXTRA_EN.items():
        for extra in names:
            tiers[0][_en_key(extra)].add(code)
    try:
        import pycountry

        for c in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(c, attr, None)
                if value:
                    tiers[1][_en_key(str(value))].add(c.alpha_2)
        for h in pycountry.historic_countries:
            short, _, official = h.name.partition(", ")
            tiers[2][_en_key(short)].add(h.alpha_4)
            if official and not official.endswith(" of") and official[:1].isupper():
                tiers[2][_en_key(official)].add(h.alpha_4)
    except Exception:  # noqa: BLE001 - pycountry missing: CLDR's names remain
        pass
    out: dict[str, str] = {}
    for tier in tiers:
        for k, codes in tier.items():
            if k not in out and len(codes) == 1:
                out[k] = next(iter(codes))
    # telegram style drops articles and `of`: `United States America`
    for k, code in list(out.items()):
        out.setdefault(_bare(k), code)
    return out


def _bare(key: str) -> str:
    return " ".join(w for w in key.split() if w not in ("of", "the")) or key


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, str], dict[str, str]]:
    """({place key of a Russian city name: id}, {key of an English city name: id}) from CLDR's
    exemplar cities, the id being `C:` and the English key. A name two cities share is left out."""
    ru: dict[str, set[str]] = defaultdict(set)
    en: dict[str, set[str]] = defaultdict(set)
    try:
        from babel import Locale
        from babel.dates import get_global

        ru_zones, en_zones = Locale("ru").time_zones, Locale("en").time_zones
        for tz in sorted(get_global("meta_zones")):
            ru_city = ru_zones.get(tz, {}).get("city")
            if not ru_city:
                continue
            en_city = en_zones.get(tz, {}).get("city") or tz.rsplit("/", 1)[-1].replace("_", " ")
            ident = "C:" + _en_key(en_city)
            ru[place_key(ru_city)].add(ident)
            en[_en_key(en_city)].add(ident)
    except Exception:  # noqa: BLE001 - Babel without its time-zone data: no cities
        pass
    return ({k: next(iter(v)) for k, v in ru.items() if len(v) == 1},
            {k: next(iter(v)) for k, v in en.items() if len(v) == 1})


@lru_cache(maxsize=1)
def _regions() -> tuple[dict[str, str], dict[str, str]]:
    """({place key of a Russian name: id}, {key of an English name: id}) of the `REGIONS`."""
    try:
        from babel import Locale

        ru, en = Locale("ru").territories, Locale("en").territories
        return ({place_key(ru[c]): f"R:{c}" for c in REGIONS if c in ru},
                {_en_key(en[c]): f"R:{c}" for c in REGIONS if c in en})
    except Exception:  # noqa: BLE001 - Babel without CLDR data
        return {}, {}


def identity(name: str) -> str | None:
    """`S:` + a state's code, `C:` + a city's English key, `R:` + a part of the world's CLDR code, or
    None when the name is none of these."""
    if not name.strip():
        return None
    if has_cyrillic(name):
        k = place_key(name)
        code = code_table(place_key).get(k)
        return f"S:{code}" if code else _cities()[0].get(k) or _regions()[0].get(k)
    k = _en_key(name)
    code = _english_states().get(k) or _english_states().get(_bare(k))
    return f"S:{code}" if code else _cities()[1].get(k) or _regions()[1].get(k)


def body_of_state(name: str) -> tuple[str, str] | None:
    """(identity of the state, the body's words) for an English name of a state's body written in
    any of the usual ways: `Soviet Government`, `U.S. Government`, `Government of the Soviet Union`,
    `Government of United States America` → (`S:SUHH` / `S:US`, `government`); None for a name of
    no state's body (`United Nations General Assembly`, `Organization of American States`)."""
    words = name.replace("’", "'").split()
    if len(words) < 2 or has_cyrillic(name):
        return None
    low = [w.lower() for w in words]
    if "of" in low:
        i = low.index("of")
        place = " ".join(words[i + 1:])
        ident = identity(place)
        if ident and ident.startswith("S:") and i > 0:
            return ident, " ".join(low[:i])
        return None
    for j in range(len(words) - 1, 0, -1):
        ident = identity(" ".join(words[:j]))
        if ident and ident.startswith("S:"):
            return ident, " ".join(low[j:])
    ident = state_of_adjective(words[0])
    if ident:
        return ident, " ".join(low[1:])
    return None


def state_of_adjective(word: str) -> str | None:
    """The state an English adjective of nationality names (`Cuban`, `American`, `Laotian`, `Soviet`),
    as `identity` gives it, or None. By word formation: the adjective begins as a one-word name of
    a state does, sharing all of it but at most its last three letters (`Cuba`/`Cuban`,
    `Laos`/`Laotian`, `Britain`/`British`; the longest share wins: `Chinese` is China, not Chile),
    or is the first word of a two-word name whose second is `Union`; the few that are formed
    otherwise are listed (`IRREGULAR_ADJECTIVES`: `French`, `Dutch`)."""
    w = word.strip()
    if len(w) < 4 or not w[:1].isupper() or has_cyrillic(w):
        return None
    return _adjective_state(w.lower())


@lru_cache(maxsize=1)
def _one_word_states() -> tuple[list[str], dict[str, str]]:
    """(keys of one-word English state names, {first word of an `X Union`: identity})."""
    names = sorted(k for k in _english_states() if k.isalpha() and len(k) >= 4)
    unions = {k.split()[0]: f"S:{c}" for k, c in _english_states().items() if k.endswith(" union")}
    return names, unions


@lru_cache(maxsize=4096)
def _adjective_state(adj: str) -> str | None:
    names, unions = _one_word_states()
    found: dict[str, int] = {}
    if adj in IRREGULAR_ADJECTIVES:
        found[f"S:{IRREGULAR_ADJECTIVES[adj]}"] = 99
    elif adj in unions:
        found[unions[adj]] = 99
    for name in names if adj.endswith(_ADJECTIVE_END) else ():
        lcp = 0
        for a, b in zip(name, adj, strict=False):
            if a != b:
                break
            lcp += 1
        if lcp >= 3 and lcp >= len(name) - 3 and adj != name:
            ident = f"S:{_english_states()[name]}"
            found[ident] = max(found.get(ident, 0), lcp)
    best = max(found.values(), default=0)
    top = [i for i, n in found.items() if n == best]
    return top[0] if len(top) == 1 else None


def same_sound(a: str, b: str) -> bool:
    """A Cyrillic and a Latin place name whose phonetic skeletons are equal (`Берлин` / `Berlin`);
    names shorter than four letters are not compared this way."""
    if has_cyrillic(a) == has_cyrillic(b):
        return False
    sa, sb = skeleton(a), skeleton(b)
    return len(sa.replace(" ", "")) >= 4 and sa == sb
