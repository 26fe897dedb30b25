"""Russian names across scripts: one key for the usual spellings, transliterations without stray Cyrillic,
ё and е alike, and one register entry for a person named in Cyrillic and in Latin spellings."""

from __future__ import annotations

import pytest

from dossier.enrich.candidates import Candidate, NameParts
from dossier.enrich.cluster import Mention, cluster
from dossier.enrich.translit import fold_yo, has_cyrillic, similar, skeleton, transliterations

KHRUSHCHEV = ["Хрущёв", "Хрущев", "Khrushchev", "Khrushchov", "Khrushchyov", "Chruschtschow", "Khrouchtchev",
              "Hruŝëv", "Hruščëv", "Khrushchëv", "Khrushchёv", "Khru-shchev"]


@pytest.mark.parametrize("spelling", KHRUSHCHEV)
def test_every_spelling_of_khrushchev_has_one_key(spelling: str) -> None:
    assert skeleton(spelling) == skeleton("Хрущёв")
    assert similar(spelling, "Khrushchev") == 100.0


@pytest.mark.parametrize(("cyrillic", "latin"), [
    ("Громыко", "Gromyko"), ("Добрынин", "Dobrynine"), ("Аджубей", "Adzhubei"), ("Аджубей", "Adjoubei"),
    ("Микоян", "Mikojan"), ("Брежнев", "Breschnew"), ("Анатолий", "Anatoliy"), ("Анатолий", "Anatolij"),
    ("Евгений", "Jewgeni"), ("Королёв", "Korolyov"), ("Щукин", "Chtchoukine"), ("Цветков", "Tsvetkov"),
    ("Чехов", "Tchekhov"), ("Жуков", "Schukow"),
])
def test_general_rules_join_spellings_of_other_names(cyrillic: str, latin: str) -> None:
    assert skeleton(cyrillic) == skeleton(latin)


def test_different_names_keep_different_keys() -> None:
    keys = {skeleton(n) for n in ("Khrushchev", "Kennedy", "Kosygin", "Kozlov", "Gromyko", "Brezhnev")}
    assert len(keys) == 6
    assert similar("Khrushchev", "Kennedy") < 50


def test_transliterations_in_every_scheme_carry_no_cyrillic_yo() -> None:
    t = transliterations("Хрущёв")
    assert t == {"popular": "Khrushchev", "wikipedia": "Khrushchyov", "bgn_pcgn": "Khrushchëv",
                 "ala_lc": "Khrushchëv", "iso_9": "Hruŝëv", "french": "Khrouchtchev"}
    for form in transliterations("Пётр Семёнович Ёлкин").values():
        assert not has_cyrillic(form), form  # iuliia leaves U+0451 in several schemes: mapped


def test_yo_and_ye_match() -> None:
    assert fold_yo("Хрущёв Ёлкин") == "Хрущев Елкин"
    assert skeleton("Королёв") == skeleton("Королев") == skeleton("Korolev")
    assert transliterations("Хрущев")["popular"] == transliterations("Хрущёв")["popular"]


def _m(doc: str, text: str, surname: str, first: str = "", lang: str = "en", order: int = 0,
       middle: str = "") -> Mention:
    return Mention(doc, "body", Candidate(0, len(text), "person", text, text, lang=lang,
                                          parts=NameParts(surname=surname, first=first, patronymic=middle)), order)


def test_one_entry_for_a_person_named_in_russian_and_in_translations() -> None:
    mentions = [
        _m("r1", "Н. С. Хрущёв", "Хрущёв", "Н.", "ru", 0, "С."),
        _m("r1", "Хрущёва", "Хрущёв", "", "ru", 0),
        _m("e1", "N. S. Khrushchev", "Khrushchev", "N.", "en", 1, "S."),
        _m("e2", "Khrushchov", "Khrushchov", "", "en", 2),
        _m("g1", "Chruschtschow", "Chruschtschow", "", "de", 3),
        _m("f1", "Khrouchtchev", "Khrouchtchev", "", "fr", 4),
        _m("e3", "Kennedy", "Kennedy", "", "en", 5),
    ]
    persons = [c for c in cluster(mentions) if c.kind == "person"]
    assert len(persons) == 2
    k = next(c for c in persons if "Хрущёв" in c.name)
    assert k.name == "Хрущёв Н. С."
    assert k.documents == ["r1", "e1", "e2", "g1", "f1"]
    assert k.transliterations["bgn_pcgn"] == "Khrushchëv" and k.transliterations["popular"] == "Khrushchev"
    assert {"N. S. Khrushchev", "Khrushchov", "Chruschtschow", "Khrouchtchev", "Hruŝëv"} <= set(k.variants)
    # other spellings are filed as cross-references to the entry
    assert {"Khrushchov", "Chruschtschow", "Khrouchtchev"} <= set(k.see_forms)
    assert "Khrushchev" not in k.see_forms
