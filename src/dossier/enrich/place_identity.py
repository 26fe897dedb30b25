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
            if code.isalpha() and len(code) == 2:
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
    return out


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
    code = _english_states().get(k)
    return f"S:{code}" if code else _cities()[1].get(k) or _regions()[1].get(k)


def same_sound(a: str, b: str) -> bool:
    """A Cyrillic and a Latin place name whose phonetic skeletons are equal (`Берлин` / `Berlin`);
    names shorter than four letters are not compared this way."""
    if has_cyrillic(a) == has_cyrillic(b):
        return False
    sa, sb = skeleton(a), skeleton(b)
    return len(sa.replace(" ", "")) >= 4 and sa == sb
