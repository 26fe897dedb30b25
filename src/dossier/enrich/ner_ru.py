"""Russian name recognition: persons, places and organisations in a document's plain text.

What it is for: `recognize_ru(text) -> list[Candidate]`, the Russian recogniser behind the
`Candidate` interface (`candidates.py`). natasha (Segmenter, NewsMorphTagger, NewsNERTagger; models
bundled with the package, loaded once, lazily, per process) finds PER/LOC/ORG spans; this module then
  - splits spans natasha joins wrongly: at punctuation inside a span (`Овечкин, Фёдоров`), at a Latin
    gloss in parentheses (`Джошуа Вольфа (Joshua Wolf)` is two mentions), and where two name words
    cannot be in one case (`Хрущёва Джонсону` is two persons);
  - takes honorifics and common nouns off a person span (`Гр. С. Н. Толстому` → title `гр.`,
    person `С. Н. Толстой`; `Телеграмма Н. С. Хрущёва` → `Н. С. Хрущёва`) and drops spans that are
    no name at all (a sentence-initial common noun);
  - gives each person nominative `NameParts` by pymorphy3 and case agreement over the whole mention
    (`Комесаровой` → `Комесарова`, `Хрущёвым` → `Хрущёв`), keeping `ё` where the text has it;
  - records the title (`гр.`, `граф`) and the role stated before the name (`председатель Совета
    министров СССР`) on the candidate;
  - widens a place to the geographic term that heads it (`города Феникс`), as names of places are
    cited with it.

Stable interface: `recognize_ru(text: str) -> list[Candidate]` (offsets into `text`, sorted; kinds
person/place/org; `lang="ru"`), and `natasha_spans(text)` (the plain natasha spans, for comparison).
Clustering of the candidates into index entries is in `names_ru.cluster_russian`.

What it is not: English recognition (`ner_en.py`), transliteration, or writing marks into documents.
Nothing is downloaded: natasha's models ship inside the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..model import EntityKind
from .candidates import Candidate, NameParts
from .names_ru import (
    LOOKALIKE_LATIN,
    UD_CASE,
    case_genders,
    fold,
    grammatical_case,
    is_initial,
    modern_spelling,
    name_role,
    old_style_patronymic,
    parse_person_words,
    parses,
    place_key,
    possible_cases,
    restore_yo,
    shape_like,
)

KIND: dict[str, EntityKind] = {"PER": "person", "LOC": "place", "ORG": "org"}

# Honorifics and ranks written before a name (abbreviated or not). General Russian usage.
HONORIFICS = {
    "гр", "граф", "графиня", "графу", "графа", "графине", "графини", "кн", "князь", "князю", "князя",
    "княгиня", "княгине", "княгини", "княжна", "бар", "барон", "баронесса", "г", "г-н", "г-жа", "гн",
    "господин", "госпожа", "господину", "госпоже", "тов", "товарищ", "товарищу", "св", "свящ",
    "о", "м-ль", "м-м", "mr", "mrs", "ms", "dr", "sir", "m-me", "mme", "m-r", "mlle",
}
# Titles of nobility and forms of address, by lemma, so that every case form is one (`Графиня`,
# `графиней`, `княгиню`, `баронессы`): a title before a name is never a name part. General usage.
TITLE_LEMMAS = {
    "граф", "графиня", "князь", "княгиня", "княжна", "барон", "баронесса", "маркиз", "маркиза", "герцог",
    "герцогиня", "виконт", "господин", "госпожа", "товарищ", "мистер", "миссис", "сэр",
}
_TITLE_HEADS = {t[:3] for t in TITLE_LEMMAS}
_ROMAN = re.compile(r"^(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
# Geographic terms that head a place name and belong to its mention (`города Феникс`).
GEO_TERMS = {
    "город", "село", "деревня", "посёлок", "поселок", "станица", "область", "край", "республика",
    "район", "округ", "штат", "провинция", "губерния", "уезд", "волость", "улица", "площадь",
    "проспект", "переулок", "бульвар", "набережная", "шоссе", "река", "озеро", "море", "остров",
    "полуостров", "гора", "залив", "пролив", "станция", "аэропорт", "порт",
}
_SPLIT_PUNCT = set("(),;•·—–:/«»\"“”„[]{}|")
_WORD = re.compile(r"[^\W\d_]", re.UNICODE)
_LATIN = re.compile(r"[A-Za-z]")
_CYR = re.compile(r"[А-Яа-яЁё]")
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n")


@dataclass
class _Tok:
    text: str
    start: int
    stop: int
    pos: str
    feats: dict[str, str]


@lru_cache(maxsize=1)
def _models() -> tuple[Any, Any, Any, Any]:
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    emb = NewsEmbedding()
    return Segmenter(), NewsMorphTagger(emb), NewsNERTagger(emb), MorphVocab()


def _natasha_doc(text: str) -> Any:
    """natasha's segmentation and names, with morphology for the sentences that hold a name only: the
    recogniser reads case, part of speech and the words before a name in its own sentence, never
    elsewhere, and the morphological tagger is half of natasha's time (it tags each sentence on its
    own, so a sentence's tags do not depend on which others are tagged with it)."""
    from natasha import Doc

    seg, morph, ner, _ = _models()
    doc = Doc(text)
    doc.segment(seg)
    doc.tag_ner(ner)
    named = [s for s in doc.sents if any(sp.start < s.stop and s.start < sp.stop for sp in doc.spans)]
    if named:
        for sent, tagged in zip(named, morph.map([[t.text for t in s.tokens] for s in named]), strict=True):
            for token, source in zip(sent.tokens, tagged.tokens, strict=True):
                token.pos, token.feats = source.pos, source.feats
    return doc


def natasha_spans(text: str) -> list[tuple[int, int, str, str]]:
    """Plain natasha: (start, stop, PER/LOC/ORG, normal form) — the anchor we compare against."""
    doc = _natasha_doc(text)
    vocab = _models()[3]
    out = []
    for sp in doc.spans:
        sp.normalize(vocab)
        out.append((sp.start, sp.stop, sp.type, sp.normal or sp.text))
    return out


@lru_cache(maxsize=50_000)
def _honorific(word: str) -> bool:
    """A title or form of address (`гр.`, `Графиня`, `князю`), by its form or its lemma."""
    f = fold(word)
    if f in HONORIFICS:
        return True
    return len(word) > 2 and f[:3] in _TITLE_HEADS and any(p.is_known and p.tag.POS == "NOUN" and p.normal_form in TITLE_LEMMAS
                                 for p in parses(word))


def _is_word(t: _Tok) -> bool:
    return bool(_WORD.search(t.text))


def _name_like(word: str) -> bool:
    """Has a name reading (first name, surname, patronymic, place) or is not in the dictionary."""
    ps = parses(word)
    if any(k in p.tag for p in ps for k in ("Name", "Surn", "Patr", "Geox", "Orgn", "Trad")):
        return True
    return not any(p.is_known for p in ps)


def _adjective(word: str) -> bool:
    """A common adjective or participle (`Милостивый`, `Докладная`), not a name."""
    return any(p.tag.POS in ("ADJF", "PRTF") for p in parses(word)) and not _name_like(word)


def _common_noun(word: str) -> bool:
    return not _name_like(word) and not is_initial(word)


def _segments(toks: list[_Tok], text: str = "") -> list[list[_Tok]]:
    """Split a span's tokens at punctuation that cannot be inside one name (a dot after an initial
    or an abbreviation can; a hyphen can) and at a paragraph break (a blank line); a regnal number
    after a Cyrillic name (`Александра II`) is no change of script."""
    segs: list[list[_Tok]] = [[]]
    prev: _Tok | None = None
    for t in toks:
        gap = text[prev.stop:t.start] if text and prev is not None else ""
        prev = t
        if "\n" in gap and _PARAGRAPH.search(gap):
            if segs[-1]:
                segs.append([])
        if t.text in _SPLIT_PUNCT or (not _is_word(t) and t.text not in (".", "-", "'", "’")):
            if segs[-1]:
                segs.append([])
            continue
        segs[-1].append(t)
    out = []
    for s in segs:
        while s and not _is_word(s[0]):
            s = s[1:]
        while s and s[-1].text in ("-", "'", "’"):
            s = s[:-1]
        if s:
            out.append(s)
    # a script change is a boundary (a Latin form beside a Cyrillic one)
    res: list[list[_Tok]] = []
    for s in out:
        cur: list[_Tok] = []
        script = None
        for t in s:
            sc = "lat" if _LATIN.search(t.text) and not _CYR.search(t.text) else ("cyr" if _CYR.search(t.text) else script)
            if sc == "lat" and (script == "cyr" and _ROMAN.match(t.text) or len(t.text) == 1 and t.text in LOOKALIKE_LATIN):
                sc = script  # `Александра II`; `H. Н. Гусева`, a Latin capital for its Cyrillic twin
            if cur and sc and script and sc != script:
                res.append(cur)
                cur = []
            cur.append(t)
            script = sc or script
        if cur:
            res.append(cur)
    return res


def _words(seg: list[_Tok]) -> list[list[_Tok]]:
    """Group tokens into words: an initial or abbreviation keeps its following dot."""
    out: list[list[_Tok]] = []
    for t in seg:
        if t.text == "." and out and _is_word(out[-1][-1]) and t.start == out[-1][-1].stop:
            out[-1].append(t)
        elif t.text == ".":
            continue
        else:
            out.append([t])
    return out


def _case_break(a: str, b: str) -> bool:
    """Two name words that cannot be one person's: no case they can share (`Хрущёва Джонсону`), or
    only in different genders (`Карлом Ивановичем` + `Толстой`, a man's instrumental and a
    woman's, so `Толстой` is a man in the nominative: another person)."""
    if is_initial(a) or is_initial(b):
        return False
    ra, rb = name_role(a), name_role(b)
    if not ra or not rb:
        return False
    ca, cb = possible_cases(a), possible_cases(b)
    if not (ca & cb):
        return True
    ga, gb = case_genders(a), case_genders(b)
    if not ga or not gb or ra == rb == "Name":
        return False  # two given names (`Коста Рика`) say nothing of one another's gender
    if (all(g == "f" for _, g in ga) and fold(b)[-1:] not in "аяеиоуыэюй"
            and not any("Surn" in p.tag and p.is_known for p in parses(b))):
        return False  # a woman's surname ending in a consonant does not decline (`Софья Дмитриевна Толь`)
    return not any(c1 == c2 and (not g1 or not g2 or g1 == g2) for c1, g1 in ga for c2, g2 in gb)


def _two_surnames(a: str, b: str) -> bool:
    """Two words read as surnames, neither a given name or patronymic: with initials between them
    they are two persons, as one person's initials stand before or after the surname, not inside."""
    return all(name_role(w) == "Surn" and not any(k in p.tag for p in parses(w) for k in ("Name", "Patr"))
               for w in (a, b))


def _person_pieces(words: list[list[_Tok]]) -> list[tuple[list[list[_Tok]], str]]:
    """Split person words into mentions, each with the honorific taken off its front."""
    title = ""
    i = 0
    # honorifics and common nouns in front (`Гр.`, `Телеграмма`, `Фото`)
    while i < len(words) - 1:
        w = words[i][0].text
        nxt = words[i + 1][0].text
        if len(w) == 1 and w.isupper() and is_initial(nxt) and (i + 2 >= len(words) or not is_initial(words[i + 2][0].text)):
            break  # `Г. А. Ермолаеву`: a capital one-letter `Г.` before one more initial is his own initial
        if _honorific(w):
            title = w.lower() + ("." if words[i][-1].text == "." else "")
            i += 1
        elif _common_noun(w):
            i += 1
        else:
            break
    words = words[i:]
    pieces: list[tuple[list[list[_Tok]], str]] = []
    cur: list[list[_Tok]] = []
    for n, word in enumerate(words):
        w = word[0].text
        if n + 1 < len(words) and not is_initial(w) and _honorific(w):
            # a title inside the span begins another mention (`Я. П. Графиня Софья Дмитриевна`)
            if cur:
                pieces.append((cur, title))
            cur, title = [], w.lower() + ("." if word[-1].text == "." else "")
            continue
        if cur and _case_break(cur[-1][0].text, w):
            pieces.append((cur, title))
            cur, title = [], ""
        elif cur and is_initial(cur[-1][0].text) and not is_initial(w):
            # initials between two names belong to the second when the two cannot agree
            # (`Толстым И. С. Тургенева`), or when both are surnames (`Толстого П. И. Бирюкова`)
            k = len(cur)
            while k > 0 and is_initial(cur[k - 1][0].text):
                k -= 1
            if k > 0 and (_case_break(cur[k - 1][0].text, w) or _two_surnames(cur[k - 1][0].text, w)):
                pieces.append((cur[:k], title))
                cur, title = cur[k:], ""
        cur.append(word)
    if cur:
        pieces.append((cur, title))
    return pieces


def _role_before(toks: list[_Tok], idx: int, text: str, cases: frozenset[str] = frozenset()) -> tuple[str, str]:
    """(title, role) stated right before the token at idx: an honorific, and the office, occupation or
    kinship in apposition to the name (`председатель Совета министров СССР`, `Ректору Казанского
    университета` → `ректор Казанского университета`), in the nominative. The role's head is a noun
    for a person (animate) in a case the name can be in (`cases`; any when empty), with the adjectives
    before it that agree and only genitive complements after it; words before a role that are not part of it (`в чтении книг`,
    `на подлиннике рукой`) give none."""
    j = idx - 1
    title = ""
    if j >= 0 and toks[j].text == "." and j - 1 >= 0 and _honorific(toks[j - 1].text):
        if not (j >= 2 and toks[j - 2].text[-1:].isdigit() and len(toks[j - 1].text) == 1):
            title = toks[j - 1].text.lower() + "."  # not `1879 г.`: the year's
        j -= 2
    elif j >= 0 and _honorific(toks[j].text):
        title = toks[j].text.lower()
        j -= 1
    run: list[_Tok] = []
    while j >= 0 and len(run) < 7:
        t = toks[j]
        if (t.text == "и" and run and run[0].pos == "ADJ" and j > 0 and toks[j - 1].pos == "ADJ"):
            run.insert(0, t)  # `Чрезвычайному и Полномочному Послу`
            j -= 1
            continue
        if not _is_word(t) or t.pos not in ("NOUN", "ADJ", "PROPN"):
            break
        run.insert(0, t)
        j -= 1
    return title, _role_phrase(run, text, cases)


def _role_phrase(run: list[_Tok], text: str, cases: frozenset[str]) -> str:
    """The role in `run`, the words before a name (see `_role_before`), or ''."""
    found = next(((k, p) for k, t in enumerate(run) if t.pos in ("NOUN", "PROPN")
                  for p in [_person_noun(t.text, cases)] if p is not None), None)
    if found is None or _honorific(run[found[0]].text):
        return ""  # a title is no office (`Графа Льва Николаевича сына Толстого`: the formula of a name)
    head, hp = found
    if any(not _complement(t) for t in run[head + 1:]):
        return ""
    first = head
    while first > 0 and (run[first - 1].pos == "ADJ" and _agreeing_adjective(run[first - 1].text, hp) is not None
                         or run[first - 1].text == "и" and first > 1):
        first -= 1
    if run[first].text == "и":
        first += 1
    out = []
    for t in run[first:head]:
        adj = _agreeing_adjective(t.text, hp)
        form = adj.inflect({"nomn"} | ({hp.tag.gender} if hp.tag.number == "sing" and hp.tag.gender else {"plur"})) \
            if adj is not None else None
        out.append(shape_like(form.word, t.text) if form is not None else t.text)
    nom = hp.inflect({"nomn", hp.tag.number or "sing"})
    out.append(shape_like(nom.word, run[head].text) if nom is not None else run[head].text)
    rest = text[run[head].stop:run[-1].stop] if head + 1 < len(run) else ""
    phrase = " ".join(out) + rest
    if phrase[:1].isupper() and not out[0].isupper() and not any(w[:1].isupper() for w in out[1:]):
        # an index's descriptions begin in lower case; a title capitalised throughout (`Чрезвычайный и
        # Полномочный Посол`) stays as printed
        phrase = phrase[:1].lower() + phrase[1:]
    return phrase


def _person_noun(word: str, cases: frozenset[str]) -> Any | None:
    """The reading of `word` as a noun for a person (animate, not a name) in one of `cases` (any, when
    empty), in the singular: one person's role is (`младших детей Александра II` are his children, not
    his office); never a capitalised word that is also a name."""
    everything = parses(word)
    if word[:1].isupper() and any(p.is_known and any(k in p.tag for k in ("Name", "Surn", "Patr")) for p in everything):
        return None  # a capitalised name is a name (`Льву Николаевым`: Лев, not a lion)
    ps = [p for p in everything if p.tag.POS == "NOUN" and p.tag.animacy == "anim" and p.is_known
          and p.tag.number != "plur" and not any(k in p.tag for k in ("Name", "Surn", "Patr"))]
    if cases:
        ps = [p for p in ps if p.tag.case in cases]
    return max(ps, key=lambda p: p.score) if ps else None


def _agreeing_adjective(word: str, head: Any) -> Any | None:
    ps = [p for p in parses(word) if p.tag.POS in ("ADJF", "PRTF") and p.tag.case == head.tag.case
          and p.tag.number == head.tag.number and (head.tag.number != "sing" or p.tag.gender in (head.tag.gender, None))]
    return max(ps, key=lambda p: p.score) if ps else None


def _complement(t: _Tok) -> bool:
    """A word that can follow a role's head: a genitive (`Совета министров`), a proper name or an
    abbreviation (`СССР`)."""
    if t.pos == "PROPN" or t.text.isupper():
        return True
    return any(p.tag.case == "gent" for p in parses(t.text))


def recognize_ru(text: str) -> list[Candidate]:
    """Person, place and organisation mentions in Russian `text`, with nominative forms and name parts."""
    if not text.strip():
        return []
    doc = _natasha_doc(text)
    vocab = _models()[3]
    toks: list[_Tok] = []
    sent_first: set[int] = set()
    for s in doc.sents:
        first = True
        for t in s.tokens:
            toks.append(_Tok(t.text, t.start, t.stop, t.pos or "", dict(t.feats or {})))
            if first and _is_word(toks[-1]):
                sent_first.add(t.start)
                first = False
    index = {t.start: i for i, t in enumerate(toks)}
    out: list[Candidate] = []
    for sp in doc.spans:
        kind = KIND.get(sp.type)
        if kind is None:
            continue
        stoks = [toks[index[t.start]] for t in sp.tokens if t.start in index]
        if kind == "person" and (_after_geo_term(toks, index, stoks) or _before_geo_term(toks, index, stoks)):
            kind = "place"  # `станица Старогладковская`, `в селе Ивановке`: a place named like a person
        if kind == "person":
            out.extend(_persons(stoks, toks, index, sent_first, text))
        else:
            out.extend(_places_orgs(sp, stoks, toks, index, kind, vocab, text))
    out.sort(key=lambda c: (c.start, c.end))
    return _latin_names(_join_son_of(_persons_that_are_places(out), text), toks, index, text)


@lru_cache(maxsize=50_000)
def _word_key(word: str) -> str:
    return place_key(modern_spelling(word))


def _persons_that_are_places(cands: list[Candidate]) -> list[Candidate]:
    """A 'person' whose every word is a place the same text names (`Сызран Сызранъ станция` a place,
    then `Сызрану` a person) and none of them a given name or patronymic, nor a surname the text
    gives a person with a given name (`Егора Свиридова`), is that place: one place mention per word."""
    heads = {fold(w)[:4] for c in cands if c.kind == "place" for w in (c.text, c.normal)}
    if not any(fold(w)[:4] in heads for c in cands if c.kind == "person" for w in c.text.split()):
        return cands
    places: dict[str, str] = {}
    for c in cands:
        if c.kind == "place" and len(c.normal.split()) == 1:
            places.setdefault(_word_key(c.normal), c.normal)
            if len(c.text.split()) == 1:
                places.setdefault(_word_key(c.text), c.normal)
    if not places:
        return cands
    named = {_word_key(w) for c in cands if c.kind == "person" and (c.parts.first or c.parts.patronymic)
             for w in c.text.split()}
    out: list[Candidate] = []
    for c in cands:
        if c.kind == "person":
            words = [(m.start(), m.group()) for m in re.finditer(r"[^\W\d_][^\W\d_'’-]*(?:-[^\W\d_]+)*", c.text)]
            if words and all(_word_key(w) in places and _word_key(w) not in named and not any(
                    ("Name" in p.tag or "Patr" in p.tag) and p.is_known for p in parses(w)) for _, w in words):
                out.extend(Candidate(c.start + at, c.start + at + len(w), "place", w, places[_word_key(w)], lang="ru")
                           for at, w in words)
                continue
        out.append(c)
    return out


# Russian words for offices and forms of address that stand before a person's name (lemmas).
PERSON_TITLES_RU = {
    "посол", "президент", "председатель", "министр", "госсекретарь", "секретарь", "господин", "госпожа",
    "мистер", "миссис", "сенатор", "генерал", "премьер", "премьер-министр", "канцлер", "король", "королева",
    "маршал", "адмирал", "губернатор", "мэр", "советник", "помощник", "заместитель", "поверенный",
    "журналист", "корреспондент", "фотограф", "писатель", "профессор", "доктор", "товарищ",
}


def _latin_names(cands: list[Candidate], toks: list[_Tok], index: dict[int, int], text: str) -> list[Candidate]:
    """Names written in Latin letters inside Russian text (`Посол Dobrynin передал ... президенту
    Kennedy в Washington`), which the Russian tagger reads poorly: a known place is a place, a name
    after a Russian title of office or address is a person, and both are handed to the English side
    of the clustering (`lang="en"`), which joins them to their Russian entries across scripts. A
    Latin gloss in parentheses right after a Russian name stays with it (`Вольфа (Joshua Wolf)`)."""
    from .ner_en import places as en_places

    out: list[Candidate] = []
    prev_end = -10
    for c in cands:
        gloss = 0 <= prev_end <= c.start and re.fullmatch(r"\s*\(\s*", text[prev_end:c.start]) is not None
        if not _LATIN.search(c.text) or _CYR.search(c.text) or gloss:
            out.append(c)
            prev_end = c.end
            continue
        i = index.get(c.start, 0) - 1
        before = {p.normal_form for p in parses(toks[i].text)} if i >= 0 and _CYR.search(toks[i].text) else set()
        words = c.text.split()
        if c.text in en_places():
            out.append(Candidate(c.start, c.end, "place", c.text, c.text, lang="en"))
        elif before & PERSON_TITLES_RU and all(w[:1].isupper() for w in words):
            out.append(Candidate(c.start, c.end, "person", c.text, c.text, lang="en",
                                 parts=NameParts(surname=words[-1], first=words[0] if len(words) > 1 else "",
                                                 patronymic=" ".join(words[1:-1]))))
        else:
            out.append(Candidate(c.start, c.end, c.kind, c.text, c.normal, lang="en", parts=c.parts, role=c.role))
        prev_end = c.end
    return out


_SON_OF = re.compile(r"\s+(?:сын|дочь|сына|сыну|дочери)\s+$")


def _join_son_of(cands: list[Candidate], text: str) -> list[Candidate]:
    """The formula of older official documents, `Лев Николаев сын Толстой` (given name, patronymic
    in `-ов/-ев/-ин`, `сын`/`дочь`, surname), which the tagger reads as two persons: one person,
    Лев Николаевич Толстой."""
    out: list[Candidate] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        b = cands[i + 1] if i + 1 < len(cands) else None
        words = a.text.split()
        if (b is not None and a.kind == b.kind == "person" and len(words) == 2 and len(b.text.split()) == 1
                and _SON_OF.match(text[a.end:b.start] + " ") and old_style_patronymic(words[1].rstrip(".,"))):
            parts, normal = parse_person_words([words[0], words[1], b.text])
            if parts.surname and parts.first and parts.patronymic:
                out.append(Candidate(a.start, b.end, "person", text[a.start:b.end], " ".join(normal), lang="ru",
                                     parts=NameParts(parts.surname, parts.first, parts.patronymic, parts.gender,
                                                     a.parts.title), role=a.role))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _after_geo_term(toks: list[_Tok], index: dict[int, int], stoks: list[_Tok]) -> bool:
    """Whether a span follows a geographic term (`станица`, `в селе`) or begins with one, the name
    agreeing with it in case (`в селе Ивановке`; not `области Александр Мишарин`) and not a
    first name or patronymic."""
    first = index.get(stoks[0].start) if stoks else None
    if first is None:
        return False
    pairs = ([(toks[first - 1], stoks[0])] if first > 0 else []) + ([(stoks[0], stoks[1])] if len(stoks) > 1 else [])
    for head, name in pairs:
        if not _is_word(head) or name_role(name.text) in ("Name", "Patr"):
            continue
        cases = {grammatical_case(p.tag) for p in parses(head.text)
                 if p.tag.POS == "NOUN" and p.normal_form in GEO_TERMS and p.tag.number == "sing"}
        if cases & possible_cases(name.text, ("Name", "Surn", "Geox")):
            return True
    return False


def _before_geo_term(toks: list[_Tok], index: dict[int, int], stoks: list[_Tok]) -> bool:
    """Whether a span is followed by a geographic term in apposition that it can agree with in case
    (`Сызран станция Симбирской губернии`), its last word no first name or patronymic."""
    last = index.get(stoks[-1].start) if stoks else None
    if last is None or last + 1 >= len(toks):
        return False
    term, name = toks[last + 1], stoks[-1]
    if not term.text[:1].islower():
        return False
    cases = {grammatical_case(p.tag) for p in parses(term.text)
             if p.tag.POS == "NOUN" and p.normal_form in GEO_TERMS and p.tag.number == "sing"}
    return bool(cases & possible_cases(name.text, ("Name", "Surn", "Geox"))) and not any(
        name_role(t.text) in ("Name", "Patr") for t in stoks if _is_word(t))


def _persons(stoks: list[_Tok], toks: list[_Tok], index: dict[int, int], sent_first: set[int],
             text: str) -> list[Candidate]:
    out = []
    for seg in _segments(stoks, text):
        words = _words(seg)
        for piece, title in _person_pieces(words):
            names = [w for w in piece if not (len(w) == 1 and not _is_word(w[0]))]
            if not names:
                continue
            forms = ["".join(t.text for t in w if _is_word(t)) + ("." if w[-1].text == "." else "") for w in names]
            bare = [f.rstrip(".") if is_initial(f) or len(f) > 2 else f for f in forms]
            if len(names) > 1 and _heads_title(bare[-1], toks, index.get(names[-1][0].start)):
                # a common noun with its adjective after it is a title, not a surname (`брата Николая
                # Записки Охотничьи`: the brother Николай's notes)
                names, bare = names[:-1], bare[:-1]
            start, end = names[0][0].start, names[-1][-1].stop
            i0 = index[names[0][0].start]
            after_adj = i0 > 0 and toks[i0 - 1].text[:1].isupper() and _adjective(toks[i0 - 1].text)
            # the first word of a line is capitalised by its place, as a sentence's first is
            line_first = i0 == 0 or "\n" in text[toks[i0 - 1].stop:start]
            if all(is_initial(f) for f in bare) or _junk_person(bare, start in sent_first or line_first, after_adj):
                continue
            cases = [UD_CASE.get(w[0].feats.get("Case", "")) for w in names]
            regnal = bare[-1] if len(bare) > 1 and _ROMAN.match(bare[-1]) else ""
            parts, normal_words = parse_person_words(bare[:-1] if regnal else bare, cases)
            if regnal:
                # a sovereign (`Александра II`): the given name and number are the name filed
                if parts.first and not parts.surname and not parts.patronymic:
                    parts = NameParts(surname=f"{parts.first} {regnal}", gender=parts.gender)
                normal_words = [*normal_words, regnal]
            name_cases = frozenset.intersection(*(possible_cases(w) for w in bare if not is_initial(w))) if any(
                not is_initial(w) for w in bare) else frozenset()
            t0, role = _role_before(toks, index[names[0][0].start], text, name_cases)
            parts = NameParts(parts.surname, parts.first, parts.patronymic, parts.gender, title or t0)
            out.append(Candidate(start, end, "person", text[start:end], " ".join(normal_words),
                                 lang="ru", parts=parts, role=role))
    return out


def _heads_title(word: str, toks: list[_Tok], i: int | None) -> bool:
    """Whether the last word of a name is a common noun (no name reading) that the capitalised
    adjective after it agrees with in the plural (`Записки Охотничьи`), as in the title of a work,
    which one person's name cannot (it is singular)."""
    if i is None or i + 1 >= len(toks) or not toks[i + 1].text[:1].isupper():
        return False
    ps = parses(word)
    if any(k in p.tag for p in ps for k in ("Name", "Surn", "Patr", "Geox")):
        return False
    nouns = {grammatical_case(p.tag) for p in ps if p.is_known and p.tag.POS == "NOUN" and p.tag.number == "plur"}
    return bool(nouns) and any(p.tag.POS == "ADJF" and p.tag.number == "plur" and grammatical_case(p.tag) in nouns
                               for p in parses(toks[i + 1].text))


def _pronoun(word: str) -> bool:
    """A pronoun capitalised in address (`Вы`, `Вашим`, `Ваше`, `Тебе`), with no name reading."""
    ps = parses(word)
    return any(p.tag.POS == "NPRO" or "Apro" in p.tag for p in ps if p.is_known) and not any(
        k in p.tag for p in ps for k in ("Name", "Surn", "Patr", "Geox"))


def _junk_person(words: list[str], sentence_initial: bool, after_adjective: bool = False) -> bool:
    """A one-word 'person' that is a common word with no name reading: at the start of a sentence
    (`Супруга`, `Маэстро`) or after a capitalised adjective, a form of address or a title
    (`Милостивый Государь`, `Докладная Записка`, `Коллежский Регистратор`); a pronoun of address
    (`Вашим`); or a lower-case word."""
    if len(words) != 1:
        return False
    w = words[0]
    if not w[:1].isupper() or _honorific(w) or _pronoun(w):
        return True
    return (sentence_initial or after_adjective) and _common_noun(w)


def _head_nominative(normal: str, surface: str, seg: list[_Tok]) -> str:
    """An organisation's name with only its head put in the nominative: the words up to its first
    noun as normalised, the rest as printed (`Организации Объединённых Наций` → `Организация
    Объединённых Наций`, not `… Объединённые Нации`; `Международного комитета Красного Креста` →
    `Международный комитет Красного Креста`). The normaliser's form when the words do not line up."""
    norm, surf = normal.split(), surface.split()
    words = [t for t in seg if _is_word(t)]
    if len(norm) != len(surf) or len(words) != len(surf):
        return normal
    head = next((i for i, t in enumerate(words) if t.pos in ("NOUN", "PROPN")), None)
    if head is None:
        return normal
    return " ".join(norm[:head + 1] + surf[head + 1:])


def _places_orgs(sp: Any, stoks: list[_Tok], toks: list[_Tok], index: dict[int, int], kind: EntityKind,
                 vocab: Any, text: str) -> list[Candidate]:
    segs = _segments(stoks, text)
    out = []
    whole = len(segs) == 1 and segs[0][0].start == sp.start and segs[0][-1].stop == sp.stop
    for seg in segs:
        start, end = seg[0].start, seg[-1].stop
        surface = text[start:end]
        words = [t.text for t in seg if _is_word(t)]
        if not whole and (not any(w[:1].isupper() for w in words) or len(words) == 1 and not _name_like(words[0])
                          and not any(p.tag.POS == "NOUN" for p in parses(words[0]))):
            continue  # a piece split off that names nothing (`Землю\n\nВсе`: `Все`)
        if whole:
            sp.normalize(vocab)
            normal = sp.normal or surface
            if kind == "org":
                normal = _head_nominative(normal, surface, seg)
        else:
            normal = surface
        if len(words) > 1 and len({_word_key(w) for w in words}) == 1:
            normal = modern_spelling(words[0])  # one name in two spellings (`Сызран Сызранъ`)
        normal = restore_yo(normal, surface)
        if kind == "place":
            i = index.get(start, 0) - 1
            if i >= 0 and toks[i].text[:1].islower() and toks[i].pos == "NOUN":
                lemma = {p.normal_form for p in parses(toks[i].text) if p.tag.POS == "NOUN"}
                if lemma & GEO_TERMS:
                    start = toks[i].start
        out.append(Candidate(start, end, kind, text[start:end], normal, lang="ru"))
    return out
