"""Russian names of states and a few major places that are one place under several names.

What it is for: `place_alias(key)`: the canonical key of a place whose folded, ending-stripped key
(`names_ru.place_key`) is one of the names of a state — its common name, its ISO 3166 short and
official names, the abbreviation of a multi-word official name, or a usual short name — so that
`Россия`, `Российская Федерация` and `РФ`, or `Китай`, `КНР` and `Китайская Народная Республика`, are
one entry of the index of places.

Sources (nothing is downloaded; both are installed packages):
  - Babel's CLDR data (`Locale("ru").territories`; Unicode licence): the common Russian name of
    each state (`Россия`, `КНДР`, `ОАЭ`, `Великобритания`);
  - pycountry's translations of ISO 3166-1 and ISO 3166-3 (Debian iso-codes, LGPL-2.1): the short
    and official names in Russian (`Российская Федерация`, `Китайская Народная Республика`,
    `Союз Советских Социалистических Республик`), from which the initial abbreviations are derived
    (`РФ`, `КНР`, `США`, `ФРГ`, `ОАЭ`, `КНДР`, `СССР`, `ГДР`); an abbreviation two states share
    (`РК`: Корея, Казахстан) is dropped;
  - `EXTRA`: usual short and informal names of states and Russian regions that neither lists
    (`Америка`, `Британия`, `Советский Союз`, `Белоруссия`, `Чечня` ...), general knowledge.

What it is not: a gazetteer (no coordinates, no towns beyond a handful of renamed or shortened
capitals), or a recogniser of places (`ner_ru`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

# Usual Russian short or informal names of states, and short names of Russian regions, by ISO code
# (regions: ISO 3166-2). General knowledge; the first name of a region is its canonical name.
EXTRA: dict[str, tuple[str, ...]] = {
    "US": ("Америка", "Соединённые Штаты", "Соединенные Штаты Америки", "Штаты"),
    "GB": ("Британия", "Англия", "Соединённое Королевство"),
    "SUHH": ("Советский Союз", "СССР", "Союз ССР"),
    "CSHH": ("Чехословакия", "ЧССР"),
    "YUCS": ("Югославия", "СФРЮ"),
    "DDDE": ("Восточная Германия",),
    "NL": ("Голландия",),
    "BY": ("Белоруссия", "Белорусь"),
    "MD": ("Молдавия",),
    "KG": ("Киргизия",),
    "TM": ("Туркмения",),
    "KP": ("Северная Корея",),
    "KR": ("Южная Корея",),
    "AE": ("Эмираты",),
    "CN": ("Поднебесная",),
    "JP": ("Страна восходящего солнца",),
    "VA": ("Ватикан",),
    "MK": ("Македония",),
    "CI": ("Кот-д'Ивуар",),
    "CZ": ("Чехия", "Чешская Республика"),
    "DE": ("ФРГ", "Федеративная Республика Германия"),
    "RU-CE": ("Чечня", "Чеченская Республика"),
    "RU-MOS": ("Подмосковье", "Московская область"),
    "RU-LEN": ("Ленинградская область", "Ленобласть"),
    "RU-PRI": ("Приморье", "Приморский край"),
    "RU-STA": ("Ставрополье", "Ставропольский край"),
    "RU-KDA": ("Кубань", "Краснодарский край"),
    "RU-SPE": ("Санкт-Петербург", "Петербург"),
    "KURILS": ("Курилы", "Курильские острова"),
}
_SMALL = {"и", "и.", "of", "the"}
# A name that opens with the kind of state (`Республика Корея`) gives no abbreviation: `РК` is as
# much Казахстан, `РБ` Беларусь or Башкортостан.
_GENERIC_HEAD = {"республика", "королевство", "государство", "княжество", "содружество", "остров", "острова"}


def _clean(s: str) -> str:
    """Without stress marks (`Респу́блика`) and with straight apostrophes."""
    s = unicodedata.normalize("NFD", s).replace("\u0301", "").replace("\u0300", "")
    return unicodedata.normalize("NFC", s).replace("’", "'")


def initials(name: str) -> str:
    """`Китайская Народная Республика` → `КНР`, `Корейская Народно-Демократическая Республика` → `КНДР`."""
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in _SMALL]
    if not words or words[0].lower() in _GENERIC_HEAD:
        return ""
    return "".join(w[0] for w in words).upper() if len(words) >= 2 else ""


@lru_cache(maxsize=1)
def state_names() -> dict[str, tuple[str, ...]]:
    """{code: (canonical Russian name, other names ...)} for the states and the `EXTRA` places."""
    return {code: tuple(n for n, _ in ns) for code, ns in _names().items()}


@lru_cache(maxsize=1)
def _names() -> dict[str, list[tuple[str, bool]]]:
    """{code: [(name, is an official long form)]}, the common name first."""
    names: dict[str, dict[str, bool]] = defaultdict(dict)
    try:
        from babel import Locale

        for code, name in Locale("ru").territories.items():
            if code.isalpha() and len(code) == 2 and code not in ("UN", "EU", "EZ", "QO", "XA", "XB", "ZZ"):
                names[code].setdefault(_clean(name), False)
    except Exception:  # noqa: BLE001 - Babel missing or without CLDR data: the other sources remain
        pass
    try:
        import gettext

        import pycountry

        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)
        for c in pycountry.countries:
            for attr in ("name", "official_name"):
                en = getattr(c, attr, None)
                if en and tr.gettext(en) != en:
                    names[c.alpha_2].setdefault(_clean(tr.gettext(en)), attr == "official_name")
        tr3 = gettext.translation("iso3166-3", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)
        for h in pycountry.historic_countries:
            ru = tr3.gettext(h.name)
            if ru != h.name:  # by the four-letter code: `CS` was Czechoslovakia and Serbia and Montenegro
                names[h.alpha_4].setdefault(_clean(ru), False)
    except Exception:  # noqa: BLE001 - pycountry missing: Babel's names and EXTRA remain
        pass
    for code, extra in EXTRA.items():
        for x in extra:
            names[code].setdefault(_clean(x), False)
    return {code: list(ns.items()) for code, ns in names.items() if ns}


@lru_cache(maxsize=4)
def code_table(key_fn: Callable[[str], str]) -> dict[str, str]:
    """{key of a name or abbreviation: code of the state (ISO 3166-1 alpha-2; alpha-4 for a former
    state)}. A name of two states is left out; of an abbreviation two states share, the one from a
    short (not official) name is kept (`РФ`: Российская Федерация, not Республика Фиджи)."""
    table: dict[str, set[str]] = defaultdict(set)
    abbrs: dict[str, dict[bool, set[str]]] = defaultdict(lambda: defaultdict(set))
    for code, ns in _names().items():
        for n, official in ns:
            table[key_fn(n)].add(code)
            a = initials(n)
            if a:
                abbrs[key_fn(a)][official].add(code)
    out = {k: next(iter(cs)) for k, cs in table.items() if len(cs) == 1}
    for k, by in abbrs.items():
        cs = by.get(False) or by.get(True) or set()
        if len(cs) == 1 and k not in table:
            out[k] = next(iter(cs))
    return out


@lru_cache(maxsize=4)
def _alias_table(key_fn: Callable[[str], str]) -> dict[str, str]:
    """{key of a name or abbreviation: key of the canonical name} (see `code_table`)."""
    names = _names()
    return {k: key_fn(names[code][0][0]) for k, code in code_table(key_fn).items()}


def place_alias(key: str, key_fn: Callable[[str], str]) -> str:
    """The canonical key of the place `key` names (itself when it is no known name of a state).

    `key_fn` is the key function the caller uses for place names (`names_ru.place_key`); the table
    of names is keyed with it once.
    """
    return _alias_table(key_fn).get(key, key)


@lru_cache(maxsize=4)
def _spelled(key_fn: Callable[[str], str]) -> dict[str, str]:
    names: dict[str, set[str]] = defaultdict(set)
    for ns in _names().values():
        for n, _official in ns:
            if " " in n:
                names[key_fn(n)].add(n)
    # one key, one name; of spellings that differ only in ё, the one with it
    return {k: sorted(v, key=lambda n: (-n.count("ё"), n))[0] for k, v in names.items()
            if len({n.replace("ё", "е") for n in v}) == 1}


def spelled_name(key: str, key_fn: Callable[[str], str]) -> str | None:
    """The name of a state as the name lists spell it, for a several-word name whose key (`key_fn`,
    endings left out) is one of them: `Соединённых Штатов Америки` → `Соединенные Штаты Америки`,
    where the normaliser's `Соединённых Штаты Америка` would be wrong; None for any other name."""
    return _spelled(key_fn).get(key)
