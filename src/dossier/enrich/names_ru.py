"""Russian personal names: morphology of name parts, matching of mentions, and index entries.

What it is for: turning the words of a recognised person mention (any case, either gender) into
nominative `NameParts`, deciding whether two mentions can be the same person, clustering the person
mentions of an edition into index entries, and writing an entry's Russian filing form.

Stable interface (used by `ner_ru` and by the cross-script clustering in `cluster.py`):

    fold(s: str) -> str
        lower case, `ё` → `е`, whitespace collapsed: the key for comparing names.
    restore_yo(normal: str, surface: str) -> str
        put back the `ё` of the surface into a normal form that lost it (`Хрущев`, `Хрущёва` → `Хрущёв`).
    parse_person(words: list[str], cases: list[str | None] | None = None) -> NameParts
        the words of one person mention (initials as `Н.`) → nominative parts with gender.
    same_person(a: NameParts, b: NameParts, loose: bool = False) -> float
        0.0 when the two cannot be one person (surname, gender, first name or initials conflict),
        else a positive score that grows with the parts they share. `loose` also lets a first name
        match a hypocoristic of it by a shared stem (`Таня`/`Татьяна`); use it within one text only.
    index_form(parts: NameParts) -> str      `Хрущёв Н. С.`  (surname, then initials)
    full_form(parts: NameParts) -> str       `Хрущёв Никита Сергеевич` (as much as is known)
    cluster_russian(mentions_per_doc: dict[str, list[Candidate]], *, exclude=()) -> dict[tuple[str, int], str]
        (doc id, mention start) → entry key, for every candidate given (but the mentions of the
        persons in `exclude`, e.g. the edition's author). Persons are clustered by name parts within
        each text and then across texts; places and organisations are keyed by `place_key` of their
        normal form, the names of a state made one (`places_ru.place_alias`: `Россия`, `РФ`,
        `Российская Федерация`), and an abbreviation joins the multi-word name whose initials it is.
        Keys of persons are `per:` + the entry's index form.

What it is not: recognition (that is `ner_ru.recognize_ru`), transliteration or matching across
scripts (`translit.py`, `cluster.py`), or the register files.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Levenshtein

from .candidates import Candidate, NameParts
from .places_ru import place_alias

# Universal Dependencies case names (natasha) → OpenCorpora grammemes (pymorphy3).
UD_CASE = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}
CASES = frozenset(UD_CASE.values()) | {"voct", "gen2", "acc2", "loc2"}
_CASE_BASE = {"gen2": "gent", "acc2": "accs", "loc2": "loct", "voct": "nomn"}

# Latin letters that OCR and old editions put in place of Cyrillic capitals in initials.
LOOKALIKE_LATIN = "ABCEHKMOPTXY"
LOOKALIKE_TO_CYRILLIC = str.maketrans(LOOKALIKE_LATIN, "АВСЕНКМОРТХУ")
_CYR = re.compile(r"[А-Яа-яЁё]")
_INITIAL = re.compile(r"^([A-ZА-ЯЁ])\.?$")
_PATR_END = re.compile(r"(вич|вна|ична|инична|ьич|ич)$")


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


# Letters of the pre-1918 orthography and their modern replacements (the 1918 reform).
_OLD_LETTERS = str.maketrans({"ѣ": "е", "Ѣ": "Е", "і": "и", "І": "И", "ѳ": "ф", "Ѳ": "Ф", "ѵ": "и", "Ѵ": "И"})


def modern_spelling(word: str) -> str:
    """A word of pre-1918 or idiosyncratic older spelling in the modern one, for the dictionary:
    the reformed letters (`ѣ`, `і`, `ѳ`, `ѵ`), a final hard sign (`Толстой`ъ), a soft sign after a
    final `ч` (`Алексеевичь`), and the old adjectival genitive `-аго/-яго` (`Своекоштнаго`)."""
    w = word.translate(_OLD_LETTERS)
    if len(w) > 2 and w[-1] in "ъЪ":
        w = w[:-1]
    low = w.lower()
    if len(low) > 3 and low.endswith("чь"):
        w = w[:-1]
    elif len(low) > 5 and low.endswith(("аго", "яго")):
        w = w[:-3] + ("ого" if low.endswith("аго") else "его")
    return w


# The spoken, contracted patronymics of letters and dialogue (`Афанасьич`, `Иваныч`, `Сергеич`,
# `Николаич`) and the endings of their full forms (`Афанасьевич`, `Иванович`, `Сергеевич`).
_COLLOQUIAL_PATR = ((re.compile(r"^(.+ь)ич(а|у|ем|е)?$", re.I), "евич"), (re.compile(r"^(.+)ыч(а|у|ем|е)?$", re.I), "ович"),
                    (re.compile(r"^(.+[еа])ич(а|у|ем|е)?$", re.I), "евич"))


def full_patronymic(word: str) -> str:
    """`Афанасьич` → `Афанасьевич`, `Иваныча` → `Ивановича`: the full form of a contracted
    patronymic when the dictionary knows it as one, else ''."""
    for rx, ending in _COLLOQUIAL_PATR:
        m = rx.match(word)
        if m:
            stem = m.group(1)
            cand = stem + (ending if not stem.endswith("а") else ending[1:].replace("в", "ев", 1)) + (m.group(2) or "")
            if any("Patr" in p.tag and p.is_known for p in _morph().parse(cand)):
                return cand
    return ""


@lru_cache(maxsize=200_000)
def parses(word: str) -> tuple[Any, ...]:
    """pymorphy3 parses of a word, cached (the same names recur through a corpus). A word the
    dictionary does not know is looked up in modern spelling when it differs (`modern_spelling`),
    and a contracted patronymic as its full form (`full_patronymic`), so pre-reform texts and
    letters get the same analysis: the parses are then those of that form."""
    found = tuple(_morph().parse(word))
    if not any(p.is_known for p in found):
        modern = modern_spelling(word)
        for other in (modern, full_patronymic(modern)):
            if other and other != word:
                again = tuple(_morph().parse(other))
                if any(p.is_known for p in again):
                    return again
    return found


def fold(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("ё", "е").replace("Ё", "Е")).strip().lower()


def restore_yo(normal: str, surface: str) -> str:
    """Give `normal` the `ё` that `surface` has at the same place (inflection changes only endings)."""
    if "ё" not in surface and "Ё" not in surface:
        return normal
    out = list(normal)
    n_words, s_words = normal.split(" "), surface.split(" ")
    if len(n_words) == len(s_words):
        pos = 0
        for nw, sw in zip(n_words, s_words, strict=False):
            for i, (a, b) in enumerate(zip(nw, sw, strict=False)):
                if b in "ёЁ" and a in "еЕ":
                    out[pos + i] = "ё" if a == "е" else "Ё"
                elif fold(a) != fold(b):
                    break
            pos += len(nw) + 1
        return "".join(out)
    for i, (a, b) in enumerate(zip(normal, surface, strict=False)):
        if b in "ёЁ" and a in "еЕ":
            out[i] = "ё" if a == "е" else "Ё"
        elif fold(a) != fold(b):
            break
    return "".join(out)


def shape_like(word: str, surface: str) -> str:
    """`word` (lower case) with the capitalisation of `surface`, hyphen part by hyphen part."""
    if surface.isupper() and len(surface) > 1:
        return word.upper()
    w_parts, s_parts = word.split("-"), surface.split("-")
    if len(w_parts) != len(s_parts):
        return word[:1].upper() + word[1:]
    return "-".join((w[:1].upper() + w[1:]) if s[:1].isupper() else w for w, s in zip(w_parts, s_parts, strict=False))


def _gender(tag: Any) -> str:
    if "femn" in tag:
        return "f"
    if "masc" in tag:
        return "m"
    return ""


def _case(tag: Any) -> str:
    c = tag.case or ""
    return _CASE_BASE.get(c, c)


def grammatical_case(tag: Any) -> str:
    """The case of a pymorphy3 tag, the second genitive, accusative and locative folded into the first."""
    return _case(tag)


def possible_cases(word: str, kinds: tuple[str, ...] = ("Name", "Surn", "Patr")) -> frozenset[str]:
    """Cases a name word can be in, judged by its name readings (any noun reading if it has none)."""
    ps = parses(word)
    named = [p for p in ps if any(k in p.tag for k in kinds)]
    use = named or [p for p in ps if p.tag.POS in ("NOUN", "ADJF")]
    if not use or any("Fixd" in p.tag for p in use):
        return CASES
    return frozenset(_case(p.tag) for p in use if p.tag.case)


def _singular_cases(word: str) -> frozenset[str]:
    """Cases of a word's singular name readings (`Николаевым`: instrumental only; its plural dative
    is no case of one person); every case when it has none or is indeclinable."""
    named = [p for p in parses(word) if p.is_known and any(k in p.tag for k in ("Name", "Surn", "Patr"))]
    if any("Fixd" in p.tag for p in named):
        return CASES
    return frozenset(_case(p.tag) for p in named if p.tag.case and p.tag.number != "plur") or CASES


def case_genders(word: str) -> frozenset[tuple[str, str]]:
    """(case, gender) pairs of a word's name readings in the dictionary (gender '' when the reading
    has none); empty when it has none (a guess for an unknown word says little of its gender)."""
    return frozenset((_case(p.tag), _gender(p.tag)) for p in parses(word)
                     if p.is_known and p.tag.case and any(k in p.tag for k in ("Name", "Surn", "Patr")))


def name_role(word: str) -> str:
    """'Patr', 'Name', 'Surn' or '' by the word's best name reading; patronymic endings win."""
    ps = parses(word)
    best: dict[str, float] = {}
    for p in ps:
        for k in ("Patr", "Name", "Surn"):
            if k in p.tag:
                best[k] = max(best.get(k, 0.0), p.score)
    if any("Patr" in p.tag and p.is_known for p in ps):
        return "Patr"
    if _PATR_END.search(fold(word)) and not any(p.is_known for p in ps):
        return "Surn"  # an unknown -вич word is a surname (Шендерович, Статкевич), not a patronymic
    best.pop("Patr", None)
    if not best:
        return ""
    return max(best, key=lambda k: best[k])


# Endings of the possessive surnames (-ов, -ев, -ин) and the adjectival ones (-ский, -цкий), by
# case and gender: the regular Russian declension, used for surnames the dictionary lacks.
_POSS = re.compile(r"^(.*(?:ов|ев|ёв|ин|ын))(а|у|ым|е|ой|ою|ы|ых|ыми)?$", re.IGNORECASE)
_POSS_END = {
    "": {("m", "nomn")}, "а": {("m", "gent"), ("m", "accs"), ("f", "nomn")}, "у": {("m", "datv"), ("f", "accs")},
    "ым": {("m", "ablt")}, "е": {("m", "loct")}, "ой": {("f", "gent"), ("f", "datv"), ("f", "ablt"), ("f", "loct")},
    "ою": {("f", "ablt")},
}
_ADJ = re.compile(r"^(.*(?:ск|цк))(ий|ого|ому|им|ом|ая|ой|ую|ою)$", re.IGNORECASE)
_ADJ_END = {
    "ий": {("m", "nomn")}, "ого": {("m", "gent"), ("m", "accs")}, "ому": {("m", "datv")}, "им": {("m", "ablt")},
    "ом": {("m", "loct")}, "ая": {("f", "nomn")}, "ой": {("f", "gent"), ("f", "datv"), ("f", "ablt"), ("f", "loct")},
    "ую": {("f", "accs")}, "ою": {("f", "ablt")},
}


def surname_by_ending(word: str, case: str | None, gender: str) -> tuple[str, str] | None:
    """Nominative and gender of a `-ов/-ев/-ин` or `-ский/-цкий` surname by its ending, or None."""
    for rx, table, nom in ((_ADJ, _ADJ_END, {"m": "ий", "f": "ая"}), (_POSS, _POSS_END, {"m": "", "f": "а"})):
        m = rx.match(word)
        if not m or len(m.group(1)) < 3:
            continue
        end = (m.group(2) or "").lower()
        if end not in table:
            continue
        readings = table[end]
        if gender:
            readings = {r for r in readings if r[0] == gender} or readings
        if case:
            readings = {r for r in readings if r[1] == case} or readings
        g = "m" if any(r[0] == "m" for r in readings) else "f"
        genders = {r[0] for r in readings}
        return m.group(1) + nom[g], (g if len(genders) == 1 else "")
    return None


def _pick(word: str, kind: str, case: str | None, gender: str) -> Any | None:
    """The parse of `word` as a `kind` name part that best agrees with the case and gender given."""
    ps = parses(word)
    cands = [p for p in ps if kind in p.tag]
    if not cands and kind == "Surn":
        cands = [p for p in ps if "Name" in p.tag] or [
            p for p in ps if p.tag.POS in ("NOUN", "ADJF") and "Geox" not in p.tag and "Abbr" not in p.tag
        ]
    if not cands:
        return None
    # one person's name is singular and not a vocative (`Беназир` is not the genitive plural of
    # `Беназира`), unless the dictionary has no other reading
    cands = [p for p in cands if p.tag.number != "plur" and p.tag.case != "voct"] or cands
    if case:
        agree = [p for p in cands if _case(p.tag) == case]
        cands = agree or cands
    if not gender:
        # no evidence of gender: keep the gender the readings favour in total (Хрущёва: a man's
        # genitive/accusative outweighs a woman's nominative)
        total: dict[str, float] = defaultdict(float)
        for p in cands:
            total[_gender(p.tag)] += p.score
        g_best = max(total, key=lambda g: total[g])
        cands = [p for p in cands if _gender(p.tag) == g_best]
    declinable = any("Fixd" not in p.tag for p in cands)

    def weight(p: Any) -> float:
        w = p.score + 0.01
        if case and _case(p.tag) == case:
            w *= 3
        g = _gender(p.tag)
        if gender and g == gender:
            w *= 4
        elif gender and g and g != gender:
            w *= 0.1
        if kind == "Surn" and "Surn" in p.tag:
            w *= 2
        if kind == "Name" and "Fixd" in p.tag and declinable:
            w *= 0.1  # `Анне`: the dative of Анна before the indeclinable foreign Анне
        return w

    return max(cands, key=weight)


def _nominative(word: str, p: Any | None, kind: str) -> tuple[str, str]:
    """(nominative form shaped like `word`, gender) for the chosen parse."""
    if p is None:
        return word, ""
    g = _gender(p.tag)
    if kind == "Name":
        form = p.normal_form
    else:
        inf = p.inflect({"nomn", "sing"}) if "Fixd" not in p.tag else None
        form = inf.word if inf is not None else p.word
    form = restore_yo(shape_like(form, word), word)
    return form, g


_FOREIGN_END = re.compile(r"^(.*[бвгдзклмнпрстфхцчшщ])(а|у|ом|е)$", re.IGNORECASE)


def nominative_surname(w: str, case: str | None, gender: str) -> tuple[str, str]:
    """(nominative, gender) of a word in surname position, by the first of: the dictionary's
    surname readings; the regular declension of `-ов/-ин/-ский` surnames; a reading as a noun that
    agrees in case and gender; a foreign masculine surname's ending (`Клинсмана`, `Рейсманом`)."""
    ps = parses(w)
    if any("Surn" in p.tag and p.is_known for p in ps):
        return _nominative(w, _pick(w, "Surn", case, gender), "Surn")
    by_end = surname_by_ending(w, case, gender)
    if by_end is not None:
        return restore_yo(by_end[0], w), by_end[1]
    if "-" in w.strip("-") and not any(p.is_known for p in ps):
        return _hyphenated_surname(w, case, gender)
    if any("Surn" in p.tag for p in ps):  # predicted for an unknown word
        return _nominative(w, _pick(w, "Surn", case, gender), "Surn")
    if any("Name" in p.tag and p.is_known and p.tag.case != "voct" and p.tag.number == "sing" for p in ps):
        # a given name's vocative or plural (`Толь`: Толя in informal speech, or `Толей`) is no case of
        # one person's surname
        return _nominative(w, _pick(w, "Surn", case, gender), "Surn")
    if not any(p.is_known for p in ps) and gender != "f" and (case is None or case != "nomn"):
        m = _FOREIGN_END.match(w)
        if m and len(m.group(1)) >= 3:
            return m.group(1), "m" if gender == "m" else ""
    if _keeps_form(w):
        return w, ""
    return _nominative(w, _pick(w, "Surn", case, gender), "Surn")


def _hyphenated_surname(w: str, case: str | None, gender: str) -> tuple[str, str]:
    """A double surname the dictionary lacks, in the nominative: its last part declines as a surname of
    its own (`Остен-Сакеном` → `Остен-Сакен`, `Мак-Гахану` → `Мак-Гахан`); a first part declines only
    when it is itself a regular `-ов/-ин/-ский` surname in the same case (`Римского-Корсакова` →
    `Римский-Корсаков`), else it stays as written (`Остен-`, `Мак-`)."""
    head, _, last = w.rpartition("-")
    nom_last, g = nominative_surname(last, case, gender)
    by_end = surname_by_ending(head, case, gender or g)
    if by_end is not None and "-" not in head and fold(by_end[0]) != fold(head):
        head = restore_yo(by_end[0], head)
    return f"{head}-{nom_last}", g


def _keeps_form(word: str) -> bool:
    """A surname-position word the dictionary knows only as a common noun or a first name, which
    already reads as a nominative singular (`Толь`, `Бооль`): keep it as written."""
    ps = parses(word)
    return any(p.tag.case == "nomn" and p.tag.number == "sing" and fold(p.word) == fold(word) for p in ps)


def ambiguous_gender(word: str) -> bool:
    """True when the surname form reads both as a man's oblique case and a woman's nominative
    (`Хрущёва`, `Толстой`): without other evidence its gender is unknown."""
    gs = {_gender(p.tag) for p in parses(word) if "Surn" in p.tag and p.score > 0.02}
    gs.discard("")
    return len(gs) > 1


def initial_of(s: str) -> str:
    return (s[:1].upper() + ".") if s else ""


def is_initial(s: str) -> bool:
    return bool(_INITIAL.match(s)) and (len(s) <= 2)


def old_style_patronymic(word: str, masculine: bool = False, oblique: bool = False) -> str:
    """The patronymic of older Russian official usage, written like a possessive (`Лев Николаев
    Толстой`, `Иван Петров сын Сидоров`, `Марья Иванова дочь`), in its modern form (`Николаевич`,
    `Петрович`, `Ивановна`); '' when `word` is not one: it must be `-ов/-ев/-ин(а)` formed on a
    known man's name. `masculine`: the given name before it is a man's, so `-ова` is its genitive
    (`Валериана Петрова Толстого`: Петрович), not a woman's `Иванова дочь`. `oblique`: the other
    case forms of the possessive too (`Льву Николаевым`, the plural of `сыновьям ... Николаевым`)."""
    f = fold(modern_spelling(word))
    m = re.fullmatch(r"([а-я]{2,})(ов|ев|ин)(а?)", f) or (
        re.fullmatch(r"([а-я]{2,})(ов|ев|ин)()(?:у|ым|ом|е|ых|ыми|ы)", f) if oblique else None)
    if not m:
        return ""
    stem, suffix, fem = m.groups()
    names = ([stem, stem + "й"] if suffix in ("ов", "ев") else [stem + "а", stem + "я"])
    for cand in names:
        if any("Name" in p.tag and "masc" in p.tag and p.is_known and p.tag.case == "nomn"
               and fold(p.normal_form) == cand for p in parses(cand)):
            if fem and not masculine:  # `Марья Иванова дочь`: Ивановна, Ильинична
                out = stem + suffix + "на" if suffix != "ин" else stem + "инична"
            else:
                out = stem + suffix + "ич" if suffix != "ин" else stem + "ич"
            return shape_like(out, word)
    return ""


def parse_person(words: list[str], cases: list[str | None] | None = None) -> NameParts:
    """Name parts of one person mention.

    `words`: its word tokens in order (initials as `Н.` or `Н`), honorifics already removed.
    `cases`: optional case of each word from a tagger in context (OpenCorpora: `gent`, ...), used
    as a hint when the words themselves are ambiguous.
    """
    return parse_person_words(words, cases)[0]


def parse_person_words(words: list[str], cases: list[str | None] | None = None) -> tuple[NameParts, list[str]]:
    """`parse_person`, and each word's nominative form in the order of the text (`normal`)."""
    if not words:
        return NameParts(), []
    cyr = any(_CYR.search(w) for w in words)
    ws = [w.translate(LOOKALIKE_TO_CYRILLIC) if cyr and is_initial(w) else w for w in words]
    hints = list(cases or [None] * len(ws))
    initials = [i for i, w in enumerate(ws) if is_initial(w)]
    full = [i for i, w in enumerate(ws) if not is_initial(w)]
    roles: dict[int, str] = {i: name_role(ws[i]) for i in full}
    if len(initials) >= 2 and len(full) == 1 and roles[full[0]] == "Patr":
        roles[full[0]] = "Surn"  # `С. В. Данилевичу`: the initials are name and patronymic, so this is the surname

    # case agreement of the whole mention: the cases every full word can be in
    common: set[str] = set(CASES)
    for i in full:
        common &= possible_cases(ws[i])
    case = next(iter(common)) if len(common) == 1 else None
    if case is None:
        for i, h in enumerate(hints):
            if h and h in common and i in roles:
                case = h
                break

    # assign roles: surname, first, patronymic
    surname_i = first_i = patr_i = None
    patrs = [i for i in full if roles[i] == "Patr"]
    old_patr = ""
    if not patrs and len(full) == 3 and not initials and roles[full[0]] == "Name":
        man = not any("Name" in p.tag and "femn" in p.tag and p.is_known for p in parses(ws[full[0]]))
        old_patr = old_style_patronymic(ws[full[1]], masculine=man)
        if old_patr:
            ws[full[1]] = old_patr
            roles[full[1]] = "Patr"
            patrs = [full[1]]
    elif (not patrs and len(full) == 2 and not initials and roles[full[0]] == "Name"
          and not _singular_cases(ws[full[0]]) & _singular_cases(ws[full[1]])):
        # a given name and a possessive in `-ов/-ев/-ин` that cannot be one man's name in one case:
        # the old patronymic in the plural of a list of brothers (`Льву Николаевым графам Толстым`)
        man = not any("Name" in p.tag and "femn" in p.tag and p.is_known for p in parses(ws[full[0]]))
        old_patr = old_style_patronymic(ws[full[1]], masculine=man, oblique=True)
        if old_patr:
            ws[full[1]] = old_patr
            roles[full[1]] = "Patr"
            patrs = [full[1]]
    if patrs:
        patr_i = patrs[0]
    rest = [i for i in full if i != patr_i]
    if len(rest) == 1:
        i = rest[0]
        if patr_i is not None and i == patr_i - 1 and roles[i] != "Surn":
            first_i = i
        elif (roles[i] == "Name" and not initials and patr_i is None and len(full) == 1
              and surname_by_ending(ws[i], None, "") is None
              and any("Name" in p.tag and (p.is_known or is_hypocoristic(p.normal_form)) for p in parses(ws[i]))):
            first_i = i  # a known given name, or the shape of a pet name (`Николенькой`)
        else:
            surname_i = i
    elif len(rest) >= 2:
        if patr_i is not None and patr_i - 1 in rest:
            first_i = patr_i - 1
            others = [i for i in rest if i != first_i]
            surname_i = others[-1] if others[-1] > patr_i else others[0]
        elif roles[rest[0]] == "Surn" and roles[rest[-1]] == "Name" and not initials:
            surname_i, first_i = rest[0], rest[-1]
        else:
            first_i, surname_i = rest[0], rest[-1]

    gender = ""
    first = patronymic = surname = ""
    forms = list(ws)
    if patr_i is not None:
        p = _pick(ws[patr_i], "Patr", case or hints[patr_i], "")
        patronymic, gender = _nominative(ws[patr_i], p, "Patr")
        patronymic = full_patronymic(patronymic) or patronymic  # `Иваныч` is filed as `Иванович`
        forms[patr_i] = patronymic
    if first_i is not None:
        p = _pick(ws[first_i], "Name", case or hints[first_i], gender)
        first, g = _nominative(ws[first_i], p, "Name")
        gender = gender or g
        forms[first_i] = first
    if surname_i is not None:
        w = ws[surname_i]
        surname, g = nominative_surname(w, case or hints[surname_i], gender)
        forms[surname_i] = surname
        if not gender:
            gender = "" if (ambiguous_gender(w) and not first and not patronymic) else g
    # initials: before the surname they are first (+ patronymic); after it, the same
    ini = [ws[i][:1].upper() + "." for i in initials]
    for i in initials:
        forms[i] = ws[i][:1].upper() + "."
    if ini:
        if not first:
            first = ini.pop(0)
        if ini and not patronymic:
            patronymic = ini.pop(0)
    return NameParts(surname=surname, first=first, patronymic=patronymic, gender=gender), forms


# --- matching -----------------------------------------------------------------------------------

_FEM_PAIRS = (("ский", "ская"), ("цкий", "цкая"), ("ской", "ская"), ("ой", "ая"), ("ый", "ая"), ("ий", "яя"))


def _gender_swaps(s: str) -> list[tuple[str, str, str]]:
    """How a folded surname turns into the other gender's form, by its regular ending: (the gender of
    that form, the ending to cut, the ending to put), for each pair its ending belongs to (`ланская`:
    both `ланский` and `ланской`)."""
    out = []
    for m, f in _FEM_PAIRS:
        if s.endswith(m):
            out.append(("f", m, f))
        elif s.endswith(f):
            out.append(("m", f, m))
    if re.search(r"(ов|ев|ин|ын)$", s):
        out.append(("f", "", "а"))
    elif re.search(r"(ова|ева|ина|ына)$", s):
        out.append(("m", "а", ""))
    return out


def surname_forms(surname: str) -> set[str]:
    """Folded forms of a surname for either gender (Толстой ↔ Толстая, Хрущёв ↔ Хрущёва)."""
    s = fold(surname)
    return {s} | {s[: len(s) - len(cut)] + put for _, cut, put in _gender_swaps(s)}


def gendered_surname(surname: str, gender: str) -> str:
    """A surname of unknown gender (`Толстой`, read from `С. А. Толстой`) in the form of `gender`
    (`Толстая`), by the first regular pair of `surname_forms`; as it is when it has no other form."""
    for g, cut, put in _gender_swaps(fold(surname)):
        if g == gender:
            return surname[: len(surname) - len(cut)] + put
    return surname


def near_forms(x: str, y: str) -> bool:
    """Folded forms that differ only in a case ending left on one of them (`рейсман`/`рейсманом`)."""
    if x == y:
        return True
    n = 0
    for a, b in zip(x, y, strict=False):
        if a != b:
            break
        n += 1
    return (n >= 3 and n >= max(len(x), len(y)) - 2 and n >= min(len(x), len(y)) - 1
            and x[n:] in _CASE_TAILS and y[n:] in _CASE_TAILS)  # not `уильям`/`уильямс`


# What inflection leaves after the stem a surname and its case form share (`рейсман`/`рейсманом`,
# `гогол|ь`/`гогол|я`): vowels and the endings of two letters, never another consonant.
_CASE_TAILS = frozenset({"", "а", "я", "у", "ю", "е", "и", "ы", "о", "ь", "й", "ом", "ем", "ём", "ым", "им",
                         "ой", "ей", "ою", "ею", "ая", "яя", "ую", "юю", "ий", "ый"})


def surnames_match(a: NameParts, b: NameParts) -> bool:
    sa, sb = fold(a.surname), fold(b.surname)
    if not sa or not sb:
        return False
    if a.gender and b.gender and a.gender != b.gender:
        return False
    if sa == sb:
        return True
    if near_forms(sa, sb) and not (surname_forms(a.surname) & surname_forms(b.surname) - {sa, sb}):
        return True
    if a.gender and b.gender:
        return False  # same gender, different strings
    return sb in surname_forms(a.surname) or sa in surname_forms(b.surname)


def _part_score(x: str, y: str, loose: bool) -> float:
    """-1 conflict, 0 unknown on a side, 0.5 initial agrees, 1 full match."""
    fx, fy = fold(x).rstrip("."), fold(y).rstrip(".")
    if not fx or not fy:
        return 0.0
    if len(fx) == 1 or len(fy) == 1:
        short, other = (fx, fy) if len(fx) == 1 else (fy, fx)
        if other in HYPOCORISTICS:  # `С.` and `Саша` (Александр): the initial is the full name's
            return 0.3 if loose and any(n[0] == short for n in HYPOCORISTICS[other]) else -1.0
        if is_hypocoristic(other) and not (_HYPO_LONG.search(other) and len(other) >= 6):
            return 0.0  # a short form's initial need not be the full name's (`Шура`); a suffixed one keeps it
        return 0.5 if fx[0] == fy[0] else -1.0
    if fx == fy or near_forms(fx, fy):
        return 1.0
    if fx[0] == fy[0] and min(len(fx), len(fy)) >= 5 and Levenshtein.normalized_similarity(fx, fy) >= 0.75:
        return 0.8  # spelling variants of one foreign name (Биньямин/Беньямин)
    if loose and hypocoristic_of(fx, fy):
        return 0.3  # a hypocoristic sharing the stem: Таня/Татьяна, Лёва/Лев
    return -1.0


# Endings of Russian hypocoristic given names: the affectionate suffixes (`Николенька`, `Лёвочка`,
# `Андрюша`) and the short forms in -а/-я after the consonants they take (`Таня`, `Соня`, `Петя`,
# `Саша`, `Серёжа`, `Коля`, `Лёва`). The regular word formation of Russian given names.
_HYPO_LONG = re.compile(r"(енька|онька|очка|ечка|ушка|юшка|юша|уша|еша|оша|уля|уся|юня|уня|ик|ек)$")
_HYPO_SHORT = re.compile(r"^[^\W\d_]{1,4}(ня|ся|тя|ша|жа|ча|ля|дя|ря|ка|ва)$")


# The everyday short forms of common Russian given names whose first letters differ from the full
# name's, or are shared with other names (`Саша` is Александр, not Сергей): general usage, as any
# grammar of Russian names lists it. Keys folded (`ё` → `е`), full names as spelled.
HYPOCORISTICS: dict[str, tuple[str, ...]] = {
    "саша": ("александр", "александра"), "шура": ("александр", "александра"), "ваня": ("иван",),
    "женя": ("евгений", "евгения"), "маша": ("мария", "марья"), "соня": ("софья", "софия"),
    "лева": ("лев",), "коля": ("николай",), "сережа": ("сергей",), "митя": ("дмитрий",),
    "дима": ("дмитрий",), "петя": ("пётр",), "паша": ("павел",), "алеша": ("алексей",),
    "варя": ("варвара",), "катя": ("екатерина",), "лиза": ("елизавета",), "гриша": ("григорий",),
    "миша": ("михаил",), "наташа": ("наталья", "наталия"), "оля": ("ольга",), "надя": ("надежда",),
    "люба": ("любовь",), "дуня": ("евдокия",), "дуняша": ("евдокия",), "илюша": ("илья",),
    "таня": ("татьяна",), "костя": ("константин",), "степа": ("степан",), "федя": ("фёдор",),
    "володя": ("владимир",), "вова": ("владимир",), "юра": ("юрий",), "толя": ("анатолий",),
    "тоня": ("антонина", "антон"), "леля": ("елена", "ольга"), "андрюша": ("андрей",),
    "сеня": ("семён",), "ганя": ("гавриил",), "груша": ("агриппина", "аграфена"), "глаша": ("глафира",),
    "параша": ("прасковья",), "поля": ("полина", "пелагея"), "вася": ("василий",), "нюша": ("анна",),
    "аня": ("анна",), "настя": ("анастасия",), "ксюша": ("ксения",), "даша": ("дарья",),
}


def is_hypocoristic(name: str) -> bool:
    """Whether a given name has the shape of a hypocoristic (`Таня`, `Лёвочка`), not of a full name
    (`Татьяна`, `Леонтий`)."""
    f = fold(name)
    if len(f) < 3:
        return False
    if _HYPO_LONG.search(f) and len(f) >= 5:
        return True
    return bool(_HYPO_SHORT.match(f)) and len(f) <= 6 and not f.endswith(("нна", "вна"))


def hypocoristic_of(x: str, y: str) -> bool:
    """One folded given name is a hypocoristic of the other: it has a hypocoristic's shape, the other
    a full name's, and they begin alike (two letters for the short forms, three for the suffixed)."""
    for h, f in ((x, y), (y, x)):
        if h in HYPOCORISTICS:
            if f in {fold(n) for n in HYPOCORISTICS[h]}:
                return True
            continue  # a known short form: only its own full names
        if is_hypocoristic(h) and not is_hypocoristic(f) and len(f) >= 3:
            need = 3 if _HYPO_LONG.search(h) and len(h) >= 6 else 2
            if h[:need] == f[:need] and h != f:
                return True
    return False


def same_person(a: NameParts, b: NameParts, loose: bool = False) -> float:
    """0.0 if `a` and `b` cannot name one person; else a score (higher = more parts shared)."""
    score = 0.0
    if a.surname and b.surname:
        if not surnames_match(a, b):
            return 0.0
        score += 1.0
    elif a.gender and b.gender and a.gender != b.gender:
        return 0.0
    for x, y in ((a.first, b.first), (a.patronymic, b.patronymic)):
        s = _part_score(x, y, loose)
        if s < 0:
            return 0.0
        score += s
    if score == 0.0:
        return 0.0
    return score


def index_form(parts: NameParts) -> str:
    """Russian filing form: surname, then initials (`Хрущёв Н. С.`); a name without a surname as written."""
    if not parts.surname:
        return " ".join(x for x in (parts.first, parts.patronymic) if x)
    ini = " ".join(initial_of(x) for x in (parts.first, parts.patronymic) if x)
    return f"{parts.surname} {ini}".strip()


def full_form(parts: NameParts) -> str:
    """Surname, first name, patronymic as far as known (`Хрущёв Никита Сергеевич`)."""
    if not parts.surname:
        return " ".join(x for x in (parts.first, parts.patronymic) if x)
    return " ".join(x for x in (parts.surname, parts.first, parts.patronymic) if x)


def _implied_first(a: NameParts, b: NameParts) -> NameParts:
    """`a` with its initial spelled out when `b`'s first name is a known short form of exactly one
    full name with that initial (`С.` and `Серёжа` → `Сергей`), so that another short form of the
    same letter (`Соня`) no longer fits the entry."""
    fa, fb = fold(a.first).rstrip("."), fold(b.first)
    if len(fa) != 1 or fb not in HYPOCORISTICS:
        return a
    full = [n for n in HYPOCORISTICS[fb] if n[0] == fa]
    if len(full) != 1:
        return a
    name = full[0].capitalize()
    return NameParts(a.surname, name, a.patronymic, a.gender, a.title)


def merge_parts(a: NameParts, b: NameParts) -> NameParts:
    """The fuller of each part (a full name beats an initial), for an entry that gathers both."""

    def pick(x: str, y: str) -> str:
        if len(x.rstrip(".")) >= len(y.rstrip(".")) and x:
            return x if len(x.rstrip(".")) > 1 or not y else (y if len(y.rstrip(".")) > 1 else x)
        return y or x

    a, b = _implied_first(a, b), _implied_first(b, a)
    surname = a.surname or b.surname
    if a.surname and b.surname and a.gender != b.gender:
        surname = a.surname if a.gender else b.surname
    if a.surname and b.surname and "ё" in b.surname and "ё" not in a.surname and fold(a.surname) == fold(b.surname):
        surname = b.surname
    return NameParts(
        surname=surname,
        first=(a.first if b.first and is_hypocoristic(b.first) and a.first else
               b.first if a.first and is_hypocoristic(a.first) and b.first else pick(a.first, b.first)),
        patronymic=pick(a.patronymic, b.patronymic),
        gender=a.gender or b.gender,
        title=a.title or b.title,
    )


# --- clustering ---------------------------------------------------------------------------------


@dataclass
class _Entry:
    parts: NameParts
    mentions: list[tuple[str, int]] = field(default_factory=list)
    last: int = -1
    merged_into: _Entry | None = None

    def root(self) -> _Entry:
        e = self
        while e.merged_into is not None:
            e = e.merged_into
        return e

    def add(self, parts: NameParts, key: tuple[str, int], merge: bool = True) -> None:
        if merge:
            self.parts = merge_parts(self.parts, parts)
        else:
            # a hypocoristic joined (`Серёжи` to `С. Н. Толстой`): the entry keeps its name, but
            # the initial it implies is spelled out and its gender taken, so that another short form
            # of the same letter (`Сони`) no longer fits
            implied = _implied_first(self.parts, parts)
            if not implied.gender and parts.gender:
                implied = replace(implied, gender=parts.gender, surname=gendered_surname(implied.surname, parts.gender))
            self.parts = implied
        self.mentions.append(key)
        self.last = max(self.last, key[1])


def _completeness(p: NameParts) -> tuple[int, int, int]:
    return (int(bool(p.surname)), int(len(p.first.rstrip(".")) > 1) + int(bool(p.first)),
            int(len(p.patronymic.rstrip(".")) > 1) + int(bool(p.patronymic)))


def _best(cands: list[_Entry], parts: NameParts, pos: int | None, loose: bool = False) -> _Entry | None:
    """Among compatible entries: the best-matching, then the most frequent, then the nearest before."""
    scored = [(same_person(parts, e.parts, loose), e) for e in cands]
    scored = [(s, e) for s, e in scored if s > 0]
    if not scored:
        return None
    top = max(s for s, _ in scored)
    scored = [(s, e) for s, e in scored if s == top]
    if len(scored) == 1:
        return scored[0][1]

    def rank(item: tuple[float, _Entry]) -> tuple[int, int]:
        e = item[1]
        recent = e.last if pos is None or e.last <= pos else -1
        return (len(e.mentions), recent)

    return max(scored, key=rank)[1]


def _as_surname(p: NameParts) -> NameParts:
    """A lone word read as a first name (`Джонсону` → first `Джонсон`) read as a surname instead."""
    return NameParts(surname=p.first, gender=p.gender)


def _is_latin(s: str) -> bool:
    return bool(re.search(r"[A-Za-z]", s)) and not _CYR.search(s)


def _misspelt(entries: list[_Entry], p: NameParts) -> _Entry | None:
    """Within one text, the entry of the same first name whose long surname differs from `p`'s by a
    slip of the pen or of the typesetter (`Михаил Сааакашвили`, `Леван Гацелицадзе`)."""
    if len(p.first.rstrip(".")) < 2:
        return None
    for e in entries:
        q = e.parts
        if fold(q.first) == fold(p.first) and fold(q.surname) != fold(p.surname) and _slip_apart(q, p):
            return e
    return None


def _slip_apart(a: NameParts, b: NameParts) -> bool:
    """Long surnames (seven letters or more) that differ by a slip: the same first letter, a
    Levenshtein similarity of .8 or more, no clash of gender."""
    x, y = fold(a.surname), fold(b.surname)
    return (len(a.surname) >= 7 and len(b.surname) >= 7 and x[0] == y[0]
            and Levenshtein.normalized_similarity(x, y) >= 0.8 and not (a.gender and b.gender and a.gender != b.gender))


def _misspelt_surname(entries: list[_Entry], p: NameParts) -> str:
    """Within one text, for a surname alone: the long surname of the text's entries that differs from
    it by a slip (`Шеермана` beside `В. И. Шейерману`); '' when none, or two different ones, are that
    near."""
    near = {fold(e.parts.surname): e.parts.surname for e in entries if _slip_apart(e.parts, p)}
    return next(iter(near.values())) if len(near) == 1 else ""


_PET_SUFFIX = re.compile(r"^(.{4,}?)(чик|ик|ок|ушка|юшка|енька|онька)$")
_SURNAME_SUFFIX = re.compile(r"^(.{4,}?)(ов|ев|ин|ын)$")


def _pet_surname(entries: list[_Entry], p: NameParts) -> _Entry | None:
    """Within one text, the one entry whose `-ов/-ев/-ин` surname has the stem that a word of
    endearment formed on it shares (`любезный Горбунчик` in a letter to И. Ф. Горбунов)."""
    m = _PET_SUFFIX.match(fold(p.surname))
    if not m or p.first or p.patronymic:
        return None
    found = [e for e in entries if (s := _SURNAME_SUFFIX.match(fold(e.parts.surname))) and s.group(1) == m.group(1)]
    return found[0] if len(found) == 1 else None


def is_family_form(word: str) -> bool:
    """A surname in the plural only (`Толстых`, `Ивановы`, `у Хрущёвых`): a family, not a person."""
    surn = [p for p in parses(word) if "Surn" in p.tag and p.is_known]
    return bool(surn) and all(p.tag.number == "plur" for p in surn)


def _family_mentions(cands: list[Candidate]) -> set[int]:
    """Starts of the one-word mentions of a family (`Толстых`) in a text that also names a person of
    that surname: they belong to no one person's entry, so they get none (a surname of the plural
    form that the text gives no one, like `Черных`, stays a person's)."""
    persons = [c for c in cands if c.kind == "person"]
    out: set[int] = set()
    for c in persons:
        if len(c.text.split()) != 1 or not is_family_form(c.text):
            continue
        forms = surname_forms(c.parts.surname) if c.parts.surname else set()
        if any(o is not c and o.parts.surname and not is_family_form(o.text.split()[-1])
               and surname_forms(o.parts.surname) & forms for o in persons):
            out.add(c.start)
    return out


def _author_rather(e: _Entry, p: NameParts, authors: list[NameParts]) -> bool:
    """Whether a lone surname of known gender (`Толстого`) should be left to the edition's author, a
    person of every text, rather than join this text's entry of that surname whose gender is unknown
    and which is not the author (`О. К. Толстой`, a woman's genitive or a man's nominative)."""
    if not p.gender or e.parts.gender or not e.parts.first:
        return False
    return any(same_person(p, x) > 0 and fold(e.parts.first)[:1] != fold(x.first)[:1] for x in authors)


def _cluster_doc(doc: str, cands: list[Candidate], authors: list[NameParts] | None = None) -> list[_Entry]:
    persons = sorted((c for c in cands if c.kind == "person"), key=lambda c: c.start)
    entries: list[_Entry] = []
    alias: dict[int, int] = {}  # start of a Latin alias → start of the Cyrillic mention it glosses
    for prev, cur in zip(persons, persons[1:], strict=False):
        if _is_latin(cur.text) and not _is_latin(prev.text) and 0 < cur.start - prev.end <= 3:
            alias[cur.start] = prev.start
    where: dict[int, _Entry] = {}

    def tier(c: Candidate) -> int:
        p = c.parts
        if p.surname and p.first:
            return 0
        if p.surname:
            return 1
        return 2

    # full names first (in order), then surnames alone, then first names / patronymics alone
    for t in (0, 1, 2):
        for c in persons:
            if tier(c) != t or c.start in alias:
                continue
            p = c.parts
            if not (p.surname or p.first or p.patronymic):
                p = NameParts(surname=c.normal or c.text)
            key = (doc, c.start)
            if t == 0:
                # merge with an entry that agrees and does not conflict; prefer the fullest match
                e = _best([x for x in entries if x.parts.surname and x.parts.first], p, c.start)
                if e is None:
                    e = _misspelt(entries, p)
            elif t == 1:
                e = _best([x for x in entries if x.parts.surname], p, c.start)
                if e is not None and authors and _author_rather(e, p, authors):
                    e = _Entry(p)
                    entries.append(e)
                near = _misspelt_surname(entries, p) if e is None else None
                if near:
                    e = _best([x for x in entries if x.parts.surname], replace(p, surname=near), c.start)
                if e is None:
                    e = _pet_surname(entries, p)
            else:
                e = None
                if p.first and not p.patronymic:
                    # a word that is the very surname of an entry of the text is that surname (`Толь`
                    # beside `С. Д. Толь`), before any given name it might be a short form of
                    e = _best([x for x in entries if x.parts.surname and fold(p.first) in surname_forms(x.parts.surname)],
                              _as_surname(p), c.start)
                e = e or _best(entries, p, c.start, loose=True)
                if e is None and p.first and not p.patronymic:
                    e = _best([x for x in entries if x.parts.surname], _as_surname(p), c.start)
            if e is None:
                e = _Entry(p)
                entries.append(e)
            # a hypocoristic (`Лёвочка`) joins the entry of the full name without replacing it
            e.add(p, key, merge=not e.mentions or same_person(p, e.parts) > 0)
            where[c.start] = e
    for a_start, base in alias.items():
        e = where.get(base)
        if e is not None:
            e.mentions.append((doc, a_start))
    return entries


_ENDING = re.compile(r"(иями|ями|ами|ыми|ими|ого|его|ому|ему|ией|иям|ием|ии|ия|ию|ие|ые|ой|ей|ом|ем|ым|им|ью|ам|ям|ах|ях|ых|их|ую|юю|ая|яя|ое|ее|ый|ий|а|я|ы|и|е|у|ю|о|ь)$")


def place_key(name: str) -> str:
    """A key for a place or organisation name that ignores case endings (`Эритрее`/`Эритрея`)."""
    out = []
    for w in fold(name).split():
        stem = _ENDING.sub("", w) if _CYR.search(w) else w
        if _CYR.search(w) and len(name.split()) == 1:
            # a place the dictionary knows is keyed by its nominative, so that two names with one
            # stem stay apart (`Нигерии` → нигерия, `Нигере` → нигер)
            geo = sorted({fold(p.normal_form) for p in parses(w.capitalize()) if "Geox" in p.tag and p.is_known})
            if len(geo) == 1:
                stem = geo[0]
        out.append(stem if len(stem) >= 3 else w)
    return " ".join(out)


def cluster_russian(mentions_per_doc: dict[str, list[Candidate]], *,
                    exclude: Iterable[NameParts] = ()) -> dict[tuple[str, int], str]:
    """(doc id, start) → entry key for every candidate, persons clustered by name parts.

    `exclude`: persons the edition does not index — as editions of an author's works leave the
    author out of the index of names (`NameParts("Толстой", "Л.", "Н.")`). An entry with a surname
    and a first name (or initial) that agrees with one of them is excluded after clustering, with
    every mention gathered into it (the lone surnames included); its mentions get no key. Without
    `exclude` every candidate gets a key.

    Within a text: full names merge when compatible (`Н. С. Хрущёв` with `Никита Сергеевич
    Хрущёв`), a lone surname attaches to the compatible entry (the most frequent, then the most
    recent, when several), a lone first name or name + patronymic likewise. Across texts: entries with
    a first name or initials merge when compatible, preferring the fullest and then the most
    frequent; surname-only and name-only entries attach to the most frequent compatible entry of the
    edition, or stay entries of their own. A Latin gloss in parentheses right after a Cyrillic name
    (`Джошуа Вольф (Joshua Wolf)`) joins that name's entry.
    """
    out: dict[tuple[str, int], str] = {}
    excluded = [x for x in exclude if x.surname and x.first]
    local: list[_Entry] = []
    expansions: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for cands in mentions_per_doc.values():
        for c in cands:
            if c.kind != "person":
                words = (c.normal or c.text).split()
                if len(words) > 1 and all(w[:1].isupper() for w in words):
                    expansions[(c.kind, "".join(w[0] for w in words).upper())][place_key(c.normal or c.text)] += 1
    for doc, cands in mentions_per_doc.items():
        for c in cands:
            if c.kind != "person":
                k0 = place_key(c.normal or c.text)
                k = place_alias(k0, place_key) if c.kind == "place" else k0
                abbr = (c.normal or c.text).strip()
                if k == k0 and abbr.isupper() and 2 <= len(abbr) <= 6:
                    for cand in (abbr, abbr[:-1]):
                        if expansions.get((c.kind, cand)):
                            k = expansions[(c.kind, cand)].most_common(1)[0][0]
                            k = place_alias(k, place_key) if c.kind == "place" else k
                            break
                out[(doc, c.start)] = f"{c.kind}:{k}"
        families = _family_mentions(cands)
        local.extend(_cluster_doc(doc, [c for c in cands if c.start not in families], excluded))

    glob: list[_Entry] = []
    by_surname: dict[str, list[_Entry]] = defaultdict(list)

    def surname_bucket(p: NameParts) -> Iterable[str]:
        return {f[:4] for f in surname_forms(p.surname)} if p.surname else ()

    def place(e: _Entry, pool: list[_Entry]) -> None:
        g = _best(pool, e.parts, None)
        if g is None:
            g = _Entry(e.parts)
            glob.append(g)
            for s in surname_bucket(e.parts):
                by_surname[s].append(g)
        g.parts = merge_parts(g.parts, e.parts)
        g.mentions.extend(e.mentions)
        e.merged_into = g

    ordered = sorted(local, key=lambda e: (_completeness(e.parts), len(e.mentions)), reverse=True)
    full = [e for e in ordered if e.parts.surname and e.parts.first]
    for e in full:
        pool = [g for s in surname_bucket(e.parts) for g in by_surname[s] if g.parts.first]
        place(e, list({id(g): g for g in pool}.values()))
    for e in (e for e in ordered if e.parts.surname and not e.parts.first):
        pool = [g for s in surname_bucket(e.parts) for g in by_surname[s]]
        place(e, list({id(g): g for g in pool}.values()))
    named = [g for g in glob if g.parts.first and len(g.parts.first.rstrip(".")) > 1]
    for e in (e for e in ordered if not e.parts.surname):
        if e.parts.first and e.parts.patronymic and len(e.parts.patronymic.rstrip(".")) > 1:
            # a name and patronymic joins an entry of another text that has a patronymic to agree
            # with, not any of the same given name (`Ивану Дмитриевичу` is not `Иване Дураке`)
            place(e, [g for g in named if g.parts.patronymic])
        elif e.parts.first and not e.parts.patronymic and by_surname.get(fold(e.parts.first)[:4]):
            # a lone word read as a first name may be a surname (`Джонсону`): the same word in either
            # gender's form, or with a case ending left on it (`Рейсманом`), not a shorter word that
            # only the surname's suffix lengthens (`Петр` is not `Петров`)
            g = _best(by_surname[fold(e.parts.first)[:4]], _as_surname(e.parts), None)
            word = fold(e.parts.first)
            if g is not None and word not in surname_forms(g.parts.surname) and len(word) <= len(fold(g.parts.surname)):
                g = None
            if g is None:
                g = _Entry(e.parts)
                glob.append(g)
            g.mentions.extend(e.mentions)
            e.merged_into = g
        else:
            g = _Entry(e.parts, list(e.mentions))
            glob.append(g)
            e.merged_into = g

    def is_excluded(g: _Entry) -> bool:
        p = g.parts
        return bool(p.surname and p.first) and any(
            same_person(p, x) > 0 and fold(p.first)[:1] == fold(x.first)[:1] for x in excluded)

    # keys: index form, disambiguated when two entries share it
    seen: Counter[str] = Counter()
    for g in sorted(glob, key=lambda g: -len(g.mentions)):
        if excluded and is_excluded(g):
            for m in g.mentions:
                out.pop(m, None)
            continue
        base = index_form(g.parts) or "?"
        if not g.parts.surname:
            base = f"{g.mentions[0][0]}:{base}"  # a first name alone: an entry of its text
        seen[base] += 1
        key = "per:" + base + (f"#{seen[base]}" if seen[base] > 1 else "")
        for m in g.mentions:
            out[m] = key
    return out

