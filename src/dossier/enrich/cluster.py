"""Clustering of recognised mentions across a whole edition into register entries, in any script.

What it is for: `cluster(mentions)` takes every candidate of every document (`Mention`: document id,
field, `Candidate`) and returns `Cluster`s, one per person, place or organisation, each listing its
members, its index name, its variants and transliterations, its role, its documents.

Persons:
  - mentions group by the phonetic skeleton of the surname (`translit.skeleton`: `Хрущёв`,
    `Khrushchev`, `Khrushchov`, `Chruschtschow` share one); skeletons a little apart (`Kusnetsov` /
    `Kuznetsov`, rapidfuzz ratio >= 90 on names of six letters or more) join the same group;
  - within a group, persons are told apart by given name (`John F. Kennedy` / `Robert Kennedy`); an
    initial attaches to the one full given name it fits (`J. Kennedy` -> John), else stands alone;
  - a bare surname goes to the person of that surname the same document names in full (the nearest
    one before it when several, one whose title fits first: `President Kennedy`), else to the
    person of the edition whose title fits, else to the one mentioned most — unless the documents
    already mark persons of that surname with their entries (`marked_surnames`: those are not
    among the clusters, so the most mentioned of the clusters is no good guess); with none, the
    surname is a person of its own;
  - a title standing for a person (`the President`, `Mr. Chairman`) goes to the one person of that
    title the document names; it is dropped when there is none or more than one.
The index name is `Surname, Given M.` from the fullest form seen (`Khrushchev, N. S.`); a Cyrillic
form, when seen, is the canonical name of a Russian person and its Latin transliterations (popular,
Wikipedia, BGN/PCGN, ALA-LC, ISO 9, French) are listed; other spellings of the surname become
cross-references (`Khrushchov, see Khrushchev, N. S.`).

Places and organisations cluster by their normal form, with case, `ё`/`е` and a possessive folded
(an organisation's also without `the` and `of`: `Government of United States`).

Mentions recognised in Russian text (`Candidate.lang == "ru"`) are clustered by
`names_ru.cluster_russian` instead (a document's heading, body and source one text; persons by name
parts in every case and gender, `Комесаровой` -> `Комесарова`; places with the names of a state made
one). Its entries keep their keys (`per:Хрущёв Н. С.`), their name is the surname with the fullest given
name and patronymic gathered over the mentions (`Хрущёв Никита Сергеевич`). Then, across scripts, each
person cluster of the other texts joins the Russian entry whose surname has the same skeleton (or one
a little apart, as above) and whose given name fits best (the same name, then the same initial, then
none known; among equals the most mentioned). Places of one identity join across scripts and names
(`_merge_places`, `place_identity`: `Куба` / `Cuba`, `USSR` / `Soviet Union`, `Берлин` / `Berlin`);
organisations named in a document and in its translation join through the entries the two share
(`_merge_translated_orgs`: `United Nations` / `Организация Объединённых Наций`).

What it is not: recognition (`ner_en`, `ner_ru`), the register files, or the editor's decisions
(`annotate` reconciles clusters with what the registers already hold).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from ..model import EntityKind
from ..text_utils import align_in_order, name_key
from .candidates import Candidate, NameParts
from .names_ru import cluster_russian, merge_parts, place_key, restore_yo
from .place_identity import body_of_state, identity, same_sound
from .places_ru import spelled_name
from .translit import has_cyrillic, skeleton, transliterations


@dataclass(frozen=True)
class Mention:
    """A candidate where it was found: document id, field (body, heading, source), order in the edition."""

    doc: str
    field: str
    cand: Candidate
    order: int = 0  # document position in the edition


@dataclass
class Cluster:
    """One proposed entry: members, and what the register entry says of it."""

    kind: EntityKind
    key: str
    name: str = ""
    members: list[Mention] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    transliterations: dict[str, str] = field(default_factory=dict)
    see_forms: list[str] = field(default_factory=list)  # other spellings, filed as cross-references
    role: str = ""
    titles: Counter[str] = field(default_factory=Counter)
    parts: NameParts | None = None  # a Russian person's name parts, gathered over its mentions

    @property
    def documents(self) -> list[str]:
        seen: dict[str, int] = {}
        for m in self.members:
            seen.setdefault(m.doc, m.order)
        return sorted(seen, key=lambda d: (seen[d], d))

    def named_forms(self) -> list[str]:
        """Surfaces of the members that are names (not a bare title), most frequent first."""
        c = Counter(_clean(m.cand.text) for m in self.members if m.cand.normal)
        return [f for f, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]


def key(text: str) -> str:
    """Case, spacing, ё/е and a possessive do not matter (the same folding as the index's)."""
    return name_key(text)


def org_key(text: str) -> str:
    """An organisation's key: `key`, the articles and `of` left out, as telegrams drop them
    (`Government of United States` and `Government of the United States` are one body); a state's
    body is keyed by the state and the body, however it is named (`Soviet Government`, `Government
    of the Soviet Union`: `S:SUHH|government`; `place_identity.body_of_state`)."""
    body = body_of_state(text)
    if body is not None:
        return f"{body[0]}|{body[1]}"
    return " ".join(w for w in key(text).split() if w not in ("the", "of")) or key(text)


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().strip("“”\"'‘’")


def _initial(s: str) -> str:
    s = s.strip()
    if not s:
        return ""
    sk = skeleton(s)
    return sk[:1] if sk else s[:1].lower()


def _is_initial(s: str) -> bool:
    s = s.strip()
    return bool(re.fullmatch(r"(?:[^\W\d_]{1,2}\.\s?)+", s)) or len(s) == 1


@dataclass
class _Person:
    surname_sk: str
    first_sk: str = ""  # skeleton of a full given name, or "" when only initials are known
    initial: str = ""
    members: list[Mention] = field(default_factory=list)
    titles: Counter[str] = field(default_factory=Counter)


def _surname_key(c: Candidate) -> str:
    s = c.parts.surname or c.normal
    return skeleton(s)


def cluster(mentions: list[Mention], *, exclude: Iterable[NameParts] = (),
            marked_surnames: Iterable[str] = (), translations: dict[str, str] | None = None,
            marked: dict[str, list[tuple[str, int, str]]] | None = None) -> list[Cluster]:
    """Clusters of persons, places and organisations; deterministic for the same input.

    Mentions recognised in Russian text (`cand.lang == "ru"`) are clustered by
    `names_ru.cluster_russian` (within each document, its fields one text, then across documents;
    `exclude` is passed on), the others as below; then each person cluster of the others joins the
    Russian person whose surname has its skeleton and whose given name fits (`_merge_scripts`).
    `translations`: {translation's document id: its original's}; organisations named in both are
    matched through them (`_merge_translated_orgs`), with the entries the documents already mark
    (`marked`: {document id: [(field, start, entry id)]}) as landmarks too.
    """
    ru = [m for m in mentions if m.cand.lang == "ru"]
    rest = [m for m in mentions if m.cand.lang != "ru"]
    out = _cluster_other(rest, frozenset(marked_surnames))
    if ru:
        out = _merge_scripts(_cluster_ru(ru, exclude), out)
    out = _merge_places(out)
    return _merge_translated_orgs(out, translations, marked or {}) if translations else out


def _merge_translated_orgs(clusters: list[Cluster], translations: dict[str, str],
                           marked: dict[str, list[tuple[str, int, str]]]) -> list[Cluster]:
    """Organisations named in an original and in its translation (`United Nations` / `Организация
    Объединённых Наций`) join: no dictionary gives organisations' names in both languages, but a
    translation names the same bodies in the same places. The two documents' mentions, in order, are
    aligned on the entries they already share (persons and places, matched across scripts by sound
    and by `place_identity`, and the entries the documents mark already); the organisations between
    the same two shared entries, when both documents name as many there in the other script, pair
    in order, each pair one vote that the two are one body. Two organisation entries join when each
    is the other's most voted. The entry of the original's mention keeps its key and name; the
    other's names become its variants."""
    # doc -> (field order, start, cluster index or the id of an entry already marked)
    by_doc: dict[str, list[tuple[int, int, int | str]]] = defaultdict(list)
    for i, c in enumerate(clusters):
        for m in c.members:
            by_doc[m.doc].append((_FIELD_ORDER.get(m.field, 3), m.cand.start, i))
    for doc, marks in marked.items():
        by_doc[doc].extend((_FIELD_ORDER.get(f, 3), start, ref) for f, start, ref in marks)
    votes: dict[int, Counter[int]] = defaultdict(Counter)
    for tr, orig in sorted(translations.items()):
        a = [i for _, _, i in sorted(by_doc.get(orig, []), key=lambda x: x[:2])]
        b = [i for _, _, i in sorted(by_doc.get(tr, []), key=lambda x: x[:2])]
        if not a or not b:
            continue
        pairs = align_in_order(len(a), len(b), _same_at(a, b))
        bounds = [(-1, -1), *pairs, (len(a), len(b))]
        for (a0, b0), (a1, b1) in zip(bounds, bounds[1:], strict=False):
            oa = _runs([i for i in a[a0 + 1:a1] if isinstance(i, int) and clusters[i].kind == "org"])
            ob = _runs([i for i in b[b0 + 1:b1] if isinstance(i, int) and clusters[i].kind == "org"])
            if len(oa) != len(ob):
                continue
            for x, y in zip(oa, ob, strict=True):
                if x != y and has_cyrillic(clusters[x].name) != has_cyrillic(clusters[y].name):
                    votes[x][y] += 1
                    votes[y][x] += 1
    if not votes:
        return clusters

    def best(i: int) -> int | None:
        ranked = sorted(votes[i].items(), key=lambda kv: (-kv[1], kv[0]))
        return ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None

    originals = set(translations.values())
    merged: dict[int, Cluster] = {}
    for i in sorted(votes):
        j = best(i)
        pair = [clusters[i], clusters[j]] if j is not None else []
        if j is None or best(j) != i or i > j or any(id(c) in merged for c in pair):
            continue
        head = sorted(pair, key=lambda c: (-sum(m.doc in originals for m in c.members), -len(c.members), c.key))[0]
        joined = _joined(pair, head)
        merged.update((id(c), joined) for c in pair)
    return _substitute(clusters, merged)


def _same_at(a: list[int | str], b: list[int | str]) -> Callable[[int, int], float]:
    return lambda x, y: 1.0 if a[x] == b[y] else 0.0


def _runs(ids: list[int]) -> list[int]:
    """`ids` with repeats in a row made one (`[3, 3, 5]` -> `[3, 5]`)."""
    return [x for k, x in enumerate(ids) if k == 0 or ids[k - 1] != x]


def _merge_places(clusters: list[Cluster]) -> list[Cluster]:
    """Place clusters that name one place join (`place_identity`): the same state, city or part of the
    world under names in either language (`Куба` / `Cuba`, `USSR` / `Soviet Union`), else a Cyrillic
    and a Latin name of one sound (`Берлин` / `Berlin`) when neither is known as another place. The
    entry with most mentions (then the first key) keeps its key and name; the others' names become
    its variants."""
    places = [c for c in clusters if c.kind == "place"]
    if len(places) < 2:
        return clusters
    parent = list(range(len(places)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    idents = [next((x for x in map(identity, [c.name, *c.variants]) if x), None) for c in places]
    first: dict[str, int] = {}
    for i, ident in enumerate(idents):
        if ident is not None:
            union(i, first.setdefault(ident, i))
    latin: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(places):
        if not has_cyrillic(c.name):
            latin[skeleton(c.name)].append(i)
    for i, c in enumerate(places):
        if has_cyrillic(c.name):
            for j in latin.get(skeleton(c.name), []):
                if same_sound(c.name, places[j].name) and (idents[i] is None or idents[j] is None
                                                          or idents[i] == idents[j]):
                    union(i, j)
    groups: dict[int, list[Cluster]] = defaultdict(list)
    for i, c in enumerate(places):
        groups[find(i)].append(c)
    merged: dict[int, Cluster] = {}
    for cs in groups.values():
        if len(cs) > 1:
            joined = _joined(cs, sorted(cs, key=lambda c: (-len(c.members), c.key))[0])
            merged.update((id(c), joined) for c in cs)
    return _substitute(clusters, merged)


def _joined(cs: list[Cluster], head: Cluster) -> Cluster:
    """One cluster of `cs`: `head`'s key, name and what it says of the entry, every member, and the
    others' names as variants."""
    members = sorted((m for c in cs for m in c.members), key=lambda m: (m.order, m.doc, m.cand.start))
    forms = {f for c in cs for f in (c.name, *c.variants)} - {head.name}
    return replace(head, members=members, variants=sorted(forms))


def _substitute(clusters: list[Cluster], merged: dict[int, Cluster]) -> list[Cluster]:
    """`clusters` in order with each one in `merged` (by `id`) replaced by its joined cluster, once."""
    out: list[Cluster] = []
    seen: set[int] = set()
    for c in clusters:
        kept = merged.get(id(c), c)
        if id(kept) not in seen:
            seen.add(id(kept))
            out.append(kept)
    return out


def _cluster_other(mentions: list[Mention], marked_surnames: frozenset[str] = frozenset()) -> list[Cluster]:
    out: list[Cluster] = []
    out.extend(_cluster_persons([m for m in mentions if m.cand.kind == "person"], marked_surnames))
    for kind in ("place", "org"):
        groups: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            if m.cand.kind == kind:
                groups[key(m.cand.normal or m.cand.text) if kind == "place" else org_key(m.cand.normal or m.cand.text)].append(m)
        if kind == "org":
            with_of = frozenset(k for k, ms in groups.items()
                                if any(" of " in f" {(m.cand.normal or m.cand.text).lower()} " for m in ms))
            for longer, shorter in _affixed_org_keys(set(groups), with_of).items():
                groups[shorter].extend(groups.pop(longer))
        for k in sorted(groups):
            members = groups[k]
            forms = Counter(_clean(m.cand.normal or m.cand.text) for m in members)
            name = sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            out.append(Cluster(kind=kind, key=k, name=name, members=members,
                               variants=sorted(f for f in forms if f != name)))
    return out


_KIND_OF_BODY = frozenset({"news", "agency", "organization", "organisation", "corporation", "company", "inc", "ltd"})
_ABBREVIATION = re.compile(r"^(?:[a-z]\.){2,}$")  # `u.n.`, `u.s.` as `key` folds them


def _affixed_org_keys(keys: set[str], with_of: frozenset[str] = frozenset()) -> dict[str, str]:
    """Organisation keys that are another's with its parent before it, abbreviated or named as an
    organisation of the edition (`U.N. General Assembly`, `United Nations General Assembly` →
    `General Assembly`), or words after it that only say what kind of body it is (`TASS
    News Agency` → `TASS`, `Warsaw Treaty Organization` → `Warsaw Treaty`): the same body named more
    or less fully. A body's part is not its whole (`NATO Council`, `United Nations Committee` stay
    apart). `with_of`: keys of names that put the parent after `of` (`General Assembly of the United
    Nations`: the body is the part before it). A key with two such shorter keys is left alone."""
    out: dict[str, str] = {}
    for k in sorted(keys):
        words = k.split()
        found = set()
        if len(words) > 1 and _ABBREVIATION.match(words[0]) and " ".join(words[1:]) in keys:
            found.add(" ".join(words[1:]))
        for cut in range(2, len(words) - 1):  # the parent named in full: `United Nations Security Council`,
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])  # `General Assembly of the United Nations`
            if head in keys and tail in keys:  # (both of two words or more: `Council` is no parent)
                found.add(head if k in with_of else tail)
        for cut in range(1, len(words)):
            if " ".join(words[:cut]) in keys and all(w in _KIND_OF_BODY for w in words[cut:]):
                found.add(" ".join(words[:cut]))
        if len(found) == 1:
            out[k] = found.pop()
    # a chain (`U.N. General Assembly` → `General Assembly` → …) ends at its shortest key
    return {k: _chain_end(v, out) for k, v in out.items()}


def _chain_end(k: str, links: dict[str, str]) -> str:
    seen = {k}
    while k in links and links[k] not in seen:
        k = links[k]
        seen.add(k)
    return k


def _group_surnames(keys: list[str]) -> dict[str, str]:
    """Surname skeleton -> representative skeleton, joining near spellings of long names."""
    rep: dict[str, str] = {}
    ordered = sorted(set(keys), key=lambda k: (-keys.count(k), k))
    reps: list[str] = []
    for k in ordered:
        best = None
        if len(k) >= 6:
            for r in reps:
                if (len(r) >= 6 and r[0] == k[0] and r.endswith("a") == k.endswith("a")
                        and fuzz.ratio(k, r) >= 90):
                    best = r
                    break
        if best is None:
            reps.append(k)
            best = k
        rep[k] = best
    return rep


def _cluster_persons(mentions: list[Mention], marked_surnames: frozenset[str] = frozenset()) -> list[Cluster]:
    named = [m for m in mentions if m.cand.normal and (m.cand.parts.surname or m.cand.normal)]
    titles_only = [m for m in mentions if not m.cand.normal]
    rep = _group_surnames([_surname_key(m.cand) for m in named])
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in named:
        groups[rep[_surname_key(m.cand)]].append(m)
    persons: list[_Person] = []
    doc_persons: dict[str, list[tuple[int, _Person]]] = defaultdict(list)  # doc -> (position, person)
    assigned: dict[int, _Person] = {}
    for sk in sorted(groups):
        ms = groups[sk]
        full = [m for m in ms if m.cand.parts.first]
        bare = [m for m in ms if not m.cand.parts.first]
        # persons by full given name first, then initials
        by_first: dict[str, _Person] = {}
        for m in sorted(full, key=lambda m: _is_initial(m.cand.parts.first)):
            first = m.cand.parts.first
            if not _is_initial(first):
                fsk = skeleton(first)
                p = by_first.get(fsk)
                if p is None:
                    p = _Person(sk, fsk, _initial(first))
                    by_first[fsk] = p
                    persons.append(p)
            else:
                ini = _initial(first)
                fits = [p for p in by_first.values() if p.initial == ini]
                if len(fits) == 1:
                    p = fits[0]
                else:
                    p = by_first.get("#" + ini)
                    if p is None:
                        p = _Person(sk, "", ini)
                        by_first["#" + ini] = p
                        persons.append(p)
            p.members.append(m)
            if m.cand.parts.title:
                p.titles[m.cand.parts.title.split()[-1].lower()] += 1
            assigned[id(m)] = p
            doc_persons[m.doc].append((m.cand.start, p))
        group_persons = list(by_first.values())
        # a person known by initials only, fitting one full name of another initial-less group: kept apart
        surname_only: _Person | None = None
        for m in bare:
            title = m.cand.parts.title.split()[-1].lower() if m.cand.parts.title else ""
            here = [(pos, p) for pos, p in doc_persons.get(m.doc, []) if p.surname_sk == sk]
            choice: _Person | None = None
            if here:
                cands = {id(p): p for _, p in here}
                if len(cands) == 1:
                    choice = next(iter(cands.values()))
                else:
                    fit = [p for p in cands.values() if title and p.titles.get(title)]
                    if len(fit) == 1:
                        choice = fit[0]
                    else:
                        before = [(pos, p) for pos, p in here if pos <= m.cand.start]
                        choice = max(before, key=lambda x: x[0])[1] if before else \
                            max(cands.values(), key=lambda p: len(p.members))
            elif group_persons and (sk not in marked_surnames or any(p.titles.get(title) for p in group_persons
                                                                    if title)):
                fit = [p for p in group_persons if title and p.titles.get(title)]
                pool = fit or group_persons
                choice = max(pool, key=lambda p: (len(p.members), p.first_sk))
            else:
                if surname_only is None:
                    surname_only = _Person(sk)
                    persons.append(surname_only)
                choice = surname_only
            choice.members.append(m)
            if title:
                choice.titles[title] += 1
            assigned[id(m)] = choice
    # titles standing for persons: the one person of that title the document names
    per_doc: dict[str, set[int]] = defaultdict(set)
    for m in named:
        per_doc[m.doc].add(id(assigned[id(m)]))
    by_id = {id(p): p for p in persons}
    for m in titles_only:
        title = m.cand.parts.title.split()[-1].lower() if m.cand.parts.title else ""
        if not title:
            continue
        fits = [by_id[i] for i in sorted(per_doc.get(m.doc, ()), key=lambda i: by_id[i].surname_sk)
                if by_id[i].titles.get(title)]
        if len(fits) == 1:
            fits[0].members.append(m)
    clusters = [_person_cluster(p) for p in persons if p.members]
    clusters.sort(key=lambda c: (c.key, c.name))
    return clusters


def _given_form(first: str, middle: str) -> str:
    parts = [first, *middle.split()] if middle else [first]
    out = []
    for p in parts:
        p = p.strip()
        if not p:
            continue
        out.append(p if p.endswith(".") or len(p) > 2 else p + ".")
    return " ".join(out)


def _person_cluster(p: _Person) -> Cluster:
    k = p.surname_sk + ("|" + (p.first_sk or p.initial) if (p.first_sk or p.initial) else "")
    return _person_entry(p.members, k, Counter(p.titles))


def _person_entry(members: list[Mention], k: str, titles: Counter[str], parts: NameParts | None = None) -> Cluster:
    """The cluster of a person's mentions; `parts` (a Russian person's) give the surname and given name."""
    named = [m for m in members if m.cand.normal]
    cyr = [m for m in named if has_cyrillic(m.cand.parts.surname or m.cand.normal)]
    pool = cyr or named
    if parts is not None and (parts.surname or parts.first):
        surname = parts.surname
        given = _given_form(parts.first, parts.patronymic) if parts.first else ""
        if not surname:  # a given name (and patronymic) alone
            surname, given = given, ""
    else:
        surnames = Counter(m.cand.parts.surname or m.cand.normal for m in pool)
        surname = sorted(surnames.items(), key=lambda kv: (-kv[1], "-" in kv[0], kv[0]))[0][0]
        # the fullest given name: a full first name beats an initial; then the most frequent
        givens = Counter(_given_form(m.cand.parts.first, m.cand.parts.patronymic) for m in pool
                         if m.cand.parts.first)
        given = ""
        if givens:
            given = sorted(givens.items(), key=lambda kv: (_is_initial(kv[0].split()[0]), -len(kv[0].split()),
                                                           -kv[1], kv[0]))[0][0]
    if has_cyrillic(surname) or (cyr and parts is None):
        name = f"{surname} {given}".strip()
    else:
        name = f"{surname}, {given}" if given else surname
    forms = Counter(_clean(m.cand.text) for m in named)
    variants = sorted(f for f in forms if f and f != name)
    translit: dict[str, str] = {}
    if has_cyrillic(surname):
        for scheme, form in transliterations(surname).items():
            translit[scheme] = form
        for form in translit.values():
            if form not in variants:
                variants.append(form)
    canon = {key(surname)} | ({key(translit["popular"])} if translit else set())
    seen = {m.cand.parts.surname for m in named if m.cand.parts.surname}
    see = sorted(s for s in seen if key(s) not in canon and not re.search(r"-[a-zа-яё]", s))
    roles = Counter(m.cand.role for m in members if m.cand.role and len(m.cand.role.split()) > 1)
    role = sorted(roles.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0] if roles else ""
    return Cluster(kind="person", key=k, name=name, members=members, variants=variants,
                   transliterations=translit, see_forms=[s for s in see if s], role=role, titles=titles,
                   parts=parts)


# --- Russian text: names_ru's clustering, then one step across scripts ---------------------------

_FIELD_ORDER = {"heading": 0, "body": 1, "source": 2}
_FIELD_SPAN = 1 << 40  # offsets of a document's fields, one after another, as one text


def _fuller(p: NameParts) -> tuple[int, int, int, int]:
    return (int(has_cyrillic(p.surname or p.first)), int(bool(p.surname)),
            len(p.first.rstrip(".")) > 1 and 2 or int(bool(p.first)),
            len(p.patronymic.rstrip(".")) > 1 and 2 or int(bool(p.patronymic)))


def _cluster_ru(mentions: list[Mention], exclude: Iterable[NameParts]) -> list[Cluster]:
    """Clusters of mentions recognised in Russian text, as `names_ru.cluster_russian` keys them."""
    per_doc: dict[str, list[Candidate]] = defaultdict(list)
    where: dict[tuple[str, int], list[Mention]] = defaultdict(list)
    for m in mentions:
        shift = _FIELD_ORDER.get(m.field, len(_FIELD_ORDER)) * _FIELD_SPAN
        c = replace(m.cand, start=m.cand.start + shift, end=m.cand.end + shift)
        per_doc[m.doc].append(c)
        where[(m.doc, c.start)].append(m)
    keys = cluster_russian(dict(per_doc), exclude=exclude)
    groups: dict[str, list[Mention]] = defaultdict(list)
    for at, ms in where.items():
        k = keys.get(at)
        if k is not None:
            groups[k].extend(ms)
    out: list[Cluster] = []
    for k in sorted(groups):
        members = sorted(groups[k], key=lambda m: (m.order, _FIELD_ORDER.get(m.field, 9), m.cand.start))
        kind = members[0].cand.kind
        if kind == "person":
            parts = NameParts()
            for m in sorted(members, key=lambda m: _fuller(m.cand.parts), reverse=True):
                if m.cand.parts.surname or m.cand.parts.first:
                    parts = merge_parts(parts, m.cand.parts) if (parts.surname or parts.first) else m.cand.parts
            titles: Counter[str] = Counter(m.cand.parts.title.split()[-1].lower().rstrip(".")
                                           for m in members if m.cand.parts.title)
            out.append(_person_entry(members, k, titles, parts))
        else:
            forms = Counter(_listed(_clean(m.cand.normal or m.cand.text)) if kind == "place"
                            else _clean(m.cand.normal or m.cand.text) for m in members)
            name = sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            out.append(Cluster(kind=kind, key=k, name=name, members=members,
                               variants=sorted(f for f in forms if f != name)))
    return out


def _listed(form: str) -> str:
    """A state's several-word name as the name lists spell it (`Соединённых Штаты Америка`, the
    normaliser's, → `Соединённые Штаты Америки`), else the form as it is."""
    listed = spelled_name(place_key(form), place_key)
    return _yo_like(listed, form) if listed else form


def _yo_like(listed: str, form: str) -> str:
    """`listed` with ё where `form` writes it, else as listed (both spellings are right)."""
    return restore_yo(listed.replace("ё", "е"), form) if "ё" in form else listed


def _given_fit(parts: NameParts, given: str) -> int:
    """How a Russian person's given name fits another cluster's (`first_sk` or initial, "" if none):
    2 the same name, 1 the same initial, 0 one of them has none, -1 they differ."""
    if not parts.first or not given:
        return 0
    first = parts.first.rstrip(".")
    if len(first) > 1 and len(given) > 1:
        return 2 if skeleton(first) == given else -1
    return 1 if _initial(first) == given[:1] else -1


def _merge_scripts(ru: list[Cluster], other: list[Cluster]) -> list[Cluster]:
    """Each person cluster of `other` (English text) joins the Russian person whose surname has its
    skeleton (or one a little apart, as `_group_surnames` joins them) and whose given name fits best:
    the same name, then the same initial, then none known; among equals the most mentioned. The
    Russian entry keeps its key and its Cyrillic name, and gains the other spellings as variants."""
    by_sk: dict[str, list[Cluster]] = defaultdict(list)
    for r in ru:
        if r.kind == "person" and r.parts is not None and r.parts.surname:
            by_sk[skeleton(r.parts.surname)].append(r)
    gained: dict[int, list[Mention]] = defaultdict(list)
    kept: list[Cluster] = []
    for e in other:
        sk, _, given = e.key.partition("|")
        target: Cluster | None = None
        if e.kind == "person" and by_sk:
            pool = list(by_sk.get(sk, []))
            if not pool and len(sk) >= 6:
                for rsk, rs in sorted(by_sk.items()):
                    if (len(rsk) >= 6 and rsk[0] == sk[0] and rsk.endswith("a") == sk.endswith("a")
                            and fuzz.ratio(sk, rsk) >= 90):
                        pool.extend(rs)
            scored = [(_given_fit(r.parts, given), r) for r in pool if r.parts is not None]
            scored = [(s, r) for s, r in scored if s >= 0]
            if scored:
                top = max(s for s, _ in scored)
                target = max((r for s, r in scored if s == top), key=lambda r: (len(r.members), r.key))
        if target is None:
            kept.append(e)
        else:
            gained[id(target)].extend(e.members)
    out: list[Cluster] = []
    for r in ru:
        extra = gained.get(id(r))
        if extra:
            r = _person_entry(r.members + extra, r.key, r.titles + Counter(
                m.cand.parts.title.split()[-1].lower() for m in extra if m.cand.parts.title), r.parts)
        out.append(r)
    out.extend(kept)
    rank = {"person": 0, "place": 1, "org": 2}
    out.sort(key=lambda c: (rank.get(c.kind, 3), c.key, c.name))
    return out
