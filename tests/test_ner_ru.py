"""Russian recognition and clustering of names on real sentences and on factRuEval-2016.

Each test runs natasha's real models and pymorphy3's real dictionary; the factRuEval test scores
ours against plain natasha (the anchor) on the same texts in the same run, with the corpus scorer.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from conftest import FACTRU, LETTERS, SHARED
from dossier.enrich.candidates import Candidate, NameParts
from dossier.enrich.names_ru import (
    cluster_russian,
    full_form,
    index_form,
    parse_person,
    restore_yo,
    same_person,
)
from dossier.enrich.ner_ru import natasha_spans, recognize_ru


def persons(text: str) -> list[Candidate]:
    return [c for c in recognize_ru(text) if c.kind == "person"]


def by_surface(cands: list[Candidate]) -> dict[str, Candidate]:
    return {c.text: c for c in cands}


def test_inflected_forms_resolve_to_nominative_keeping_yo() -> None:
    text = ("Послание Хрущёва президенту было передано послом. "
            "Президент встретился с Хрущёвым в Вене.")
    got = by_surface(persons(text))
    assert got["Хрущёва"].parts.surname == "Хрущёв"
    assert got["Хрущёвым"].parts.surname == "Хрущёв"
    assert got["Хрущёвым"].normal == "Хрущёв"  # natasha's own normal form says "Хрущев"
    assert all("Хрущёв" in c.normal for c in got.values())


def test_a_womans_surname_stays_feminine() -> None:
    got = by_surface(persons("Корреспондент ТАСС встретился с Комесаровой в Москве."))
    c = got["Комесаровой"]
    assert c.parts.surname == "Комесарова"
    assert c.parts.gender == "f"
    assert index_form(c.parts) == "Комесарова"


def test_full_name_initials_and_surname_are_one_entry() -> None:
    text = ("Никита Сергеевич Хрущёв прибыл в Вену. Переговоры Н. С. Хрущёва с президентом "
            "продолжались два дня. Хрущёв заявил журналистам, что доволен встречей.")
    cands = recognize_ru(text)
    people = [c for c in cands if c.kind == "person"]
    assert {c.text for c in people} >= {"Никита Сергеевич Хрущёв", "Н. С. Хрущёва", "Хрущёв"}
    keys = cluster_russian({"d1": cands})
    assert len({keys[("d1", c.start)] for c in people}) == 1
    full = next(c for c in people if c.text == "Никита Сергеевич Хрущёв")
    assert full.parts == NameParts("Хрущёв", "Никита", "Сергеевич", "m")
    assert index_form(full.parts) == "Хрущёв Н. С."
    assert full_form(full.parts) == "Хрущёв Никита Сергеевич"


def test_two_persons_run_together_are_split_by_case() -> None:
    # "Хрущёва" (genitive) and "Джонсону" (dative) cannot be one name
    got = by_surface(persons("Телеграмма Н. С. Хрущёва Джонсону была отправлена из Москвы."))
    assert "Н. С. Хрущёва" in got and "Джонсону" in got
    assert got["Н. С. Хрущёва"].parts.surname == "Хрущёв"


def test_latin_gloss_in_parentheses_is_a_separate_mention_of_the_same_entry() -> None:
    # factRuEval book_151
    text = "«Китай пытается противостоять», сказал руководитель КЗЖ Джоэл Саймон (Joel Simon)."
    cands = recognize_ru(text)
    got = by_surface([c for c in cands if c.kind == "person"])
    assert set(got) == {"Джоэл Саймон", "Joel Simon"}
    keys = cluster_russian({"d": cands})
    assert keys[("d", got["Джоэл Саймон"].start)] == keys[("d", got["Joel Simon"].start)]
    assert got["Джоэл Саймон"].role == "руководитель КЗЖ"


def test_title_is_taken_off_and_sergei_is_not_lev() -> None:
    # the printed heading of letter v59_099 and a sentence naming both brothers
    path = LETTERS / "v59_099_Gr_S_N_Tolstomu.xml"
    letters = _letters_module()
    heading = letters.to_text(path).split("\n\n")[0]
    text = heading + "\n\nЛев Николаевич Толстой писал брату. Л. Н. Толстой был тогда в Севастополе."
    cands = recognize_ru(text)
    people = [c for c in cands if c.kind == "person"]
    sergei = next(c for c in people if c.text == "С. Н. Толстому")
    assert sergei.parts.title == "гр."
    assert sergei.parts.surname == "Толстой" and sergei.parts.first == "С."
    keys = cluster_russian({"v59_099": cands})
    lev = [keys[("v59_099", c.start)] for c in people if c.parts.first in ("Лев", "Л.")]
    assert len(set(lev)) == 1
    assert keys[("v59_099", sergei.start)] not in lev


def test_tolstoys_of_one_family_stay_apart() -> None:
    text = ("Лев Николаевич Толстой приехал в Ясную Поляну. Там его ждали брат Сергей Николаевич "
            "Толстой и тётушка Татьяна Александровна. Графиня Татьяна Андреевна Толстая прислала письмо. "
            "Николай Николаевич Толстой уехал на Кавказ. Толстой долго не отвечал.")
    cands = recognize_ru(text)
    people = {c.text: c for c in cands if c.kind == "person"}
    keys = cluster_russian({"d": cands})
    k = {t: keys[("d", c.start)] for t, c in people.items()}
    four = [k["Лев Николаевич Толстой"], k["Сергей Николаевич Толстой"], k["Татьяна Андреевна Толстая"],
            k["Николай Николаевич Толстой"]]
    assert len(set(four)) == 4
    assert people["Татьяна Андреевна Толстая"].parts.gender == "f"
    assert k["Толстой"] in four[:1] + four[1:2] + four[3:]  # a man, never Татьяна


def test_matching_rules() -> None:
    nikita = NameParts("Хрущёв", "Никита", "Сергеевич", "m")
    assert same_person(NameParts("Хрущев", "Н.", "С."), nikita) > 0  # ё = е, initials agree
    assert same_person(NameParts("Хрущёв"), nikita) > 0
    assert same_person(NameParts("Толстой", "Л.", "Н.", "m"), NameParts("Толстой", "С.", "Н.", "m")) == 0
    assert same_person(NameParts("Толстой", gender="m"), NameParts("Толстая", gender="f")) == 0
    assert same_person(NameParts("Толстая", "Т.", gender="f"), NameParts("Толстой", "Татьяна", gender="f")) == 0
    assert same_person(NameParts("Толстой", "Таня", gender="f"), NameParts("Толстой", "Татьяна", gender="f"),
                       loose=True) > 0
    assert parse_person(["Татьяну", "Андреевну", "Толстую"]) == NameParts("Толстая", "Татьяна", "Андреевна", "f")
    assert restore_yo("Хрущев", "Хрущёва") == "Хрущёв"


def test_across_texts_a_lone_surname_joins_the_known_person() -> None:
    a = recognize_ru("Председатель Совета министров СССР Никита Сергеевич Хрущёв выступил в ООН.")
    b = recognize_ru("Речь Хрущёва в Нью-Йорке обсуждали газеты.")
    keys = cluster_russian({"a": a, "b": b})
    ka = {keys[("a", c.start)] for c in a if c.kind == "person"}
    kb = {keys[("b", c.start)] for c in b if c.kind == "person"}
    assert ka == kb == {"per:Хрущёв Н. С."}
    full = next(c for c in a if c.kind == "person")
    assert full.role == "председатель Совета министров СССР"  # as an index describes him


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, SHARED / "eval" / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _letters_module():
    return _load("letters")


@pytest.fixture(scope="module")
def factru_docs():
    if not FACTRU.exists():
        pytest.fail(f"{FACTRU} is missing")
    return _load("factru"), _load("factru").load_gold(Path(FACTRU))


def test_factru_detection_beats_plain_natasha(factru_docs) -> None:
    F, docs = factru_docs
    docs = dict(list(docs.items())[:40])
    anchor, ours = {}, {}
    for stem, (text, _) in docs.items():
        anchor[stem] = [(a, b, t, f"{t}:{n}") for a, b, t, n in natasha_spans(text) if t in ("PER", "LOC")]
        cands = recognize_ru(text)
        ours[stem] = [(c.start, c.end, {"person": "PER", "place": "LOC"}[c.kind], c.normal)
                      for c in cands if c.kind in ("person", "place")]
    sa, so = F.score(docs, anchor), F.score(docs, ours)
    assert so["PER"]["f1"] >= sa["PER"]["f1"], (sa["PER"], so["PER"])
    assert so["LOC"]["f1"] >= sa["LOC"]["f1"], (sa["LOC"], so["LOC"])
    assert so["PER"]["f1"] > 0.9 and so["LOC"]["f1"] > 0.85


def test_names_of_one_state_are_one_place_entry() -> None:
    # factRuEval book_188: `России`, `РФ`, `Российской федерации` are one entity of the gold
    text = (Path(FACTRU) / "book_188.txt").read_text(encoding="utf-8")
    cands = recognize_ru(text)
    keys = cluster_russian({"d": cands})
    russia = {c.text: keys[("d", c.start)] for c in cands if c.kind == "place"
              and c.text in ("России", "РФ", "Российской федерации")}
    assert set(russia) == {"России", "РФ", "Российской федерации"}
    assert len(set(russia.values())) == 1
    moscow = next(keys[("d", c.start)] for c in cands if c.text == "Москве")
    assert moscow not in russia.values()
    # across texts too, with the short names and abbreviations of other states
    more = {"a": recognize_ru("Делегация КНР прибыла в Вашингтон. Власти США ответили."),
            "b": recognize_ru("Китай и Америка договорились о встрече.")}
    k = cluster_russian(more)
    by = {c.text: k[(d, c.start)] for d, cs in more.items() for c in cs if c.kind == "place"}
    assert by["КНР"] == by["Китай"] and by["США"] == by["Америка"] and by["Китай"] != by["США"]


def test_a_hypocoristic_joins_the_full_name_without_replacing_it() -> None:
    # letter v59_042 (to M. N. Tolstaya): `Левочка` is L. N. Tolstoy, named also by initials
    path = LETTERS / "v59_042_Gr_M_N_Tolstojotryvok.xml"
    text = _letters_module().to_text(path)
    cands = recognize_ru(text)
    keys = cluster_russian({"v": cands})
    lev = {keys[("v", c.start)] for c in cands if c.kind == "person" and fold_text(c.text) in (
        "левочка", "л. н. толстого")}
    assert lev == {"per:Толстой Л. Н."}
    assert same_person(NameParts(first="Леонтий", gender="m"), NameParts("Толстой", "Лев", gender="m"),
                       loose=True) == 0
    assert same_person(NameParts(first="Николенька", gender="m"), NameParts("Толстой", "Николай", gender="m"),
                       loose=True) > 0


def test_the_author_of_the_edition_can_be_left_out_of_the_index() -> None:
    text = ("Лев Николаевич Толстой писал брату Сергею Николаевичу Толстому. "
            "Толстой был тогда в Севастополе. Л. Н. Толстой вернулся в Ясную Поляну.")
    cands = recognize_ru(text)
    author = NameParts("Толстой", "Л.", "Н.", "m")
    keys = cluster_russian({"d": cands}, exclude=[author])
    people = [c for c in cands if c.kind == "person"]
    kept = {c.text: keys[("d", c.start)] for c in people if ("d", c.start) in keys}
    assert set(kept) == {"Сергею Николаевичу Толстому"}
    assert kept["Сергею Николаевичу Толстому"] == "per:Толстой С. Н."
    assert len(cluster_russian({"d": cands})) == len(cands)  # without `exclude`, every mention


def fold_text(s: str) -> str:
    return " ".join(s.lower().replace("ё", "е").split())


def test_a_misspelt_surname_with_the_same_first_name_joins_within_a_text() -> None:
    # factRuEval book_154 prints `Михаил Сааакашвили` once beside `Михаил Саакашвили`
    text = (Path(FACTRU) / "book_154.txt").read_text(encoding="utf-8")
    cands = recognize_ru(text)
    keys = cluster_russian({"d": cands})
    got = {keys[("d", c.start)] for c in cands if c.text in ("Михаил Саакашвили", "Михаил Сааакашвили")}
    assert got == {"per:Саакашвили М."}


def _letter_text(stem: str) -> str:
    return _letters_module().to_text(LETTERS / f"{stem}.xml")


def _sentence_with(text: str, needle: str) -> str:
    i = text.index(needle)
    a = max(text.rfind("\n", 0, i), text.rfind(". ", 0, i)) + 1
    b = text.find("\n", i)
    return text[a:b if b > 0 else None].strip()


def test_older_spellings_of_names_are_read_in_modern_form() -> None:
    # letter 93 to Nekrasov greets him `Николай Алексеевичь`; letter 2's petition signs
    # `граф Лев Николаев Толстой` (the patronymic of official usage); letter 372 greets Fet as
    # `Афанасий Афанасьич` (a contracted patronymic)
    greeting = persons(_sentence_with(_letter_text("v59_093_N_A_Nekrasovu"), "Николай Алексеевичь"))
    assert [(c.parts.first, c.parts.patronymic, c.parts.surname) for c in greeting] == [
        ("Николай", "Алексеевич", "")]
    petition = by_surface(persons(_sentence_with(_letter_text("v59_002_RektoruKazanskogouniversiteta"),
                                                 "Лев Николаев Толстой")))
    lev = petition["Лев Николаев Толстой"].parts
    assert (lev.surname, lev.first, lev.patronymic, lev.title) == ("Толстой", "Лев", "Николаевич", "граф")
    fet = persons(_sentence_with(_letter_text("v62_372_A_A_Fetu"), "Афанасий Афанасьич"))
    assert [(c.parts.first, c.parts.patronymic) for c in fet] == [("Афанасий", "Афанасьевич")]
    assert same_person(fet[0].parts, parse_person(["Фет", "А.", "А."]), loose=True) > 0
    assert parse_person(["Павла", "Иваныча", "Чичикова"]).patronymic == "Иванович"
    # letter 54's petition: `граф Лев Николаев сын Толстой`, the formula of official documents
    son = persons(_sentence_with(_letter_text("v59_054_Proshenieobopredeleniinavoennuyusluzhbu"), "Лев Николаев сын"))
    assert [(c.parts.surname, c.parts.first, c.parts.patronymic, c.parts.title) for c in son
            if c.parts.surname == "Толстой"] == [("Толстой", "Лев", "Николаевич", "граф")]
    assert parse_person(["Марья", "Иванова", "Петрова"]).patronymic == "Ивановна"
    # the pre-1918 letters and endings
    assert parse_person(["Левъ", "Николаевичъ", "Толстой"]).patronymic == "Николаевич"


def test_forms_of_address_titles_and_places_are_not_persons() -> None:
    # letter 66: `Милостивый Государь` and the place of writing `Станица Старогладковская`;
    # letter 81 is headed `Докладная Записка`
    text = _letter_text("v59_066_N_A_Nekrasovu")
    found = recognize_ru(text)
    assert not [c for c in found if c.kind == "person" and c.text in ("Государь", "Старогладковская")]
    assert [c.kind for c in recognize_ru("1852 г. Сентября 15. Станица Старогладковская.")] == ["place"]
    assert not persons(_sentence_with(_letter_text("v59_081_Dokladnayazapiskakomanduyushhemuvojskamikn"),
                                      "Докладная Записка"))
    # a person after a place's name in the genitive stays a person
    assert [c.text for c in persons("глава Свердловской области Александр Мишарин заявил")] == ["Александр Мишарин"]


def test_two_persons_run_together_are_split_by_gender_and_across_initials() -> None:
    # letter 15's notes: `О посещении Толстым И. С. Тургенева` (two persons), letter 152's:
    # `Карлом Ивановичем Толстой называет` (a man's instrumental, then Tolstoy in the nominative)
    visit = persons(_sentence_with(_letter_text("v60_015_N_A_NekrasovuiI_F_Gorbunovu"), "Толстым И. С. Тургенева"))
    surfaces = [c.text for c in visit]
    assert "Толстым" in surfaces and "И. С. Тургенева" in surfaces
    assert by_surface(visit)["И. С. Тургенева"].parts == NameParts("Тургенев", "И.", "С.", "m") or \
        by_surface(visit)["И. С. Тургенева"].parts.surname == "Тургенев"
    karl = persons("Карлом Ивановичем Толстой называет здесь своего бывшего гувернера.")
    assert [c.parts.surname for c in karl if c.parts.surname] == ["Толстой"]
    assert all(not (c.parts.first == "Карл" and c.parts.surname) for c in karl)


def test_a_short_form_joins_only_its_own_full_name() -> None:
    sasha, seryozha = parse_person(["Саша"]), parse_person(["Сережи"])
    sergei = parse_person(["С.", "Н.", "Толстого"])
    assert same_person(seryozha, sergei, loose=True) > 0
    assert same_person(sasha, sergei, loose=True) == 0.0  # Саша is Александр
    assert same_person(sasha, parse_person(["Александра", "Андреевна", "Толстая"]), loose=True) > 0
    # a pet name the dictionary lacks (letter 4's `Николенькой`) is a given name, not a surname
    nikolenka = parse_person(["Николенькой"])
    assert (nikolenka.first, nikolenka.surname) == ("Николенька", "")
    assert same_person(nikolenka, parse_person(["Николай", "Николаевич", "Толстой"]), loose=True) > 0


def test_a_family_named_in_the_plural_is_no_one_persons_entry() -> None:
    # letter 4 (to Т. А. Ергольская) speaks of `Толстых`, the family, beside Tolstoys by name
    text = _letter_text("v59_004_T_A_Ergolskoj")
    cands = recognize_ru(text)
    keys = cluster_russian({"v59_004": cands})
    family = [c for c in cands if c.kind == "person" and c.text == "Толстых"]
    assert family and all(("v59_004", c.start) not in keys for c in family)
    assert any(c.text == "Николай Николаевич Толстой" and ("v59_004", c.start) in keys for c in cands)
    # a surname of that shape that the text gives to no one else stays a person's
    lone = recognize_ru("Черных пришёл один.")
    assert [("d", c.start) in cluster_russian({"d": lone}) for c in lone if c.kind == "person"] == [True]


def test_places_known_to_the_dictionary_are_keyed_by_their_nominative() -> None:
    from dossier.enrich.names_ru import place_key

    assert place_key("Нигерии") == place_key("Нигерия") != place_key("Нигере") == place_key("Нигер")
    assert place_key("Кабуле") == place_key("Кабул") and place_key("России") == place_key("Россия")
    assert place_key("Ясной Поляне") == place_key("Ясная Поляна")


def test_a_capital_g_before_one_more_initial_is_an_initial_not_the_title() -> None:
    # letter 165 is headed `Г. А. Ермолаеву` and greets him `Григорий Алексеевич!`
    text = _letter_text("v66_165_G_A_Ermolaevu")
    cands = recognize_ru(text)
    heading = next(c for c in cands if c.kind == "person" and "Ермолаев" in c.text)
    assert heading.text == "Г. А. Ермолаеву" and (heading.parts.first, heading.parts.patronymic) == ("Г.", "А.")
    keys = cluster_russian({"v66_165": cands})
    greeting = next(c for c in cands if c.text == "Григорий Алексеевич")
    assert keys[("v66_165", greeting.start)] == keys[("v66_165", heading.start)]


def test_a_states_several_word_name_is_spelled_as_the_name_lists_spell_it():
    # synthetic sentence: natasha's normal form of the genitive is `Соединённых Штаты Америка`
    from dossier.enrich.cluster import Mention, cluster
    from dossier.enrich.ner_ru import recognize_ru

    text = ("Правительство Соединённых Штатов Америки согласилось. Посол Соединенных Штатов Америки "
            "ответил. Мы говорили о США.")
    (place,) = [c for c in cluster([Mention("d1", "body", c, 0) for c in recognize_ru(text)]) if c.kind == "place"]
    assert place.name == "Соединённые Штаты Америки" and place.variants == ["США"]


def test_a_surname_is_not_a_given_names_plural_vocative_or_suffixless_form() -> None:
    # factRuEval book_324 `Беназир Бхутто`: not the genitive plural of a `Беназира`
    bhutto = [c for c in persons((Path(FACTRU) / "book_324.txt").read_text(encoding="utf-8"))
              if c.parts.surname == "Бхутто" and c.parts.first]
    assert bhutto and {c.parts.first for c in bhutto} == {"Беназир"}
    # letter 179 to С. Д. Толь: `Толь` is her surname as printed, not Толя's vocative
    tol = [c for c in persons(_letter_text("v75_179_S_D_Tol")) if c.text.startswith("С. Д.")]
    assert tol and {c.parts.surname for c in tol} == {"Толь"}
    # letter 29: `графа Валериана Петрова Толстого`, a man's patronymic of official usage in the genitive
    valerian = by_surface(persons(_sentence_with(_letter_text("v59_029_VTulskoedvoryanskoedeputatskoesobranie"),
                                                 "Валериана Петрова Толстого")))
    assert valerian["Валериана Петрова Толстого"].parts.patronymic == "Петрович"


def test_a_lone_given_name_does_not_join_a_longer_surname_and_a_slip_joins_within_a_text() -> None:
    # letter 42: `четверо детей: Петр, умерший в раннем детстве` is no Петров of another letter
    petr = recognize_ru(_sentence_with(_letter_text("v59_042_Gr_M_N_Tolstojotryvok"), "Петр, умерший"))
    petrov = recognize_ru("Письмо И. И. Петрова получено.")
    keys = cluster_russian({"a": petr, "b": petrov})
    k_petr = {keys[("a", c.start)] for c in petr if c.kind == "person" and c.text == "Петр"}
    k_petrov = {keys[("b", c.start)] for c in petrov if c.kind == "person"}
    assert k_petr and k_petrov and not k_petr & k_petrov
    # letter 122 to Popov prints `Шеерману`, `Шеермана` beside `В. И. Шейерману` (and, in a note,
    # `В. А. Шейерман`): the slips join a Шейерман, they make no entry of their own
    text = _letter_text("v81_122_E_I_Popovu")
    cands = recognize_ru(text)
    keys = cluster_russian({"d": cands})
    slips = {keys[("d", c.start)] for c in cands if c.kind == "person" and c.text.startswith("Шеерман")}
    assert slips and all(k.startswith("per:Шейерман") for k in slips), slips


def test_a_role_is_an_office_or_kinship_in_apposition_put_in_the_nominative() -> None:
    heading = persons(_sentence_with(_letter_text("v59_002_RektoruKazanskogouniversiteta"), "Ректору Казанского"))
    assert [(c.text, c.role) for c in heading] == [("Н. И. Лобачевскому", "ректор Казанского университета")]
    # letter 152's notes: `воспитательницей младших детей Александра II` — his children, not his office
    sovereign = persons(_sentence_with(_letter_text("v61_152_A_A_Tolstoj"), "Александра II"))
    assert [c.role for c in sovereign if c.text == "Александра II"] == [""]
    # letter 29: `в числе канцелярских чиновников Графа Льва Николаевича сына Толстого` — a title and a
    # name's formula, no office
    clerk = persons(_sentence_with(_letter_text("v59_029_VTulskoedvoryanskoedeputatskoesobranie"),
                                   "канцелярских чиновников Графа"))
    assert clerk and all(c.role == "" for c in clerk)
    brothers = by_surface(persons(_sentence_with(_letter_text("v59_029_VTulskoedvoryanskoedeputatskoesobranie"),
                                                 "Льву Николаевым")))
    assert brothers["Толстым"].role == ""  # `Льву Николаевым графам Толстым`: Лев is no lion
    # letter 231: `при чтении книг Джорджа` — words before a name that are no office give no role
    george = persons(_sentence_with(_letter_text("v67_231_V_N_Mak_Gaxan"), "при чтении книг"))
    assert george and all(c.role == "" for c in george)
    assert [c.role for c in persons("Чрезвычайному и Полномочному Послу СССР А. Ф. Добрынину.")] == [
        "Чрезвычайный и Полномочный Посол СССР"]


def test_names_of_the_older_editions_notes_are_filed_as_the_index_files_them() -> None:
    # letter 4's notes: `Карлом Ивановичем Остен-Сакеном` (a double surname in the instrumental);
    # letter 42's: `в биографиях Толстого П. И. Бирюкова` (two surnames, the initials the second's);
    # letter 16: `от брата Николая Записки Охотничьи` (a title after the name, no surname);
    # letter 152's notes: `детей Александра II` (a sovereign, filed by name and number);
    # letter 29: `Льву Николаевым` (the old patronymic in the dative) and `Анне Федоровне Майковой`
    def found(stem: str, needle: str) -> dict[str, str]:
        return {c.text: c.normal for c in persons(_sentence_with(_letter_text(stem), needle))}

    assert found("v59_004_T_A_Ergolskoj", "Остен-Сакеном")["Карлом Ивановичем Остен-Сакеном"] == \
        "Карл Иванович Остен-Сакен"
    biographers = found("v59_042_Gr_M_N_Tolstojotryvok", "Толстого П. И. Бирюкова")
    assert biographers["Толстого"] == "Толстой" and biographers["П. И. Бирюкова"] == "П. И. Бирюков"
    assert found("v60_016_N_A_Nekrasovu", "Записки Охотничьи") == {"Николая": "Николай", "Тургеневу": "Тургенев"}
    sovereign = persons(_sentence_with(_letter_text("v61_152_A_A_Tolstoj"), "Александра II"))
    assert [c.parts.surname for c in sovereign if c.text == "Александра II"] == ["Александр II"]
    brothers = by_surface(persons(_sentence_with(_letter_text("v59_029_VTulskoedvoryanskoedeputatskoesobranie"),
                                                 "Льву Николаевым")))
    assert (brothers["Льву Николаевым"].parts.first, brothers["Льву Николаевым"].parts.patronymic) == (
        "Лев", "Николаевич")
    wife = found("v59_029_VTulskoedvoryanskoedeputatskoesobranie", "Анне Федоровне")
    assert wife["Анне Федоровне Майковой"] == "Анна Фёдоровна Майкова"
