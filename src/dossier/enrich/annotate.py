"""`dossier annotate`: find the persons, places and organisations of a project and propose register entries.

What it is for: `annotate_project(root, report)` reads every document, recognises mentions in its
heading, body and source note (English by `ner_en`, Russian by `ner_ru` when present: the document's
`language`, else its script; the English recogniser never reads a Russian document), clusters them
across the edition (`cluster.cluster`: Russian mentions by `names_ru.cluster_russian`, within each
document and across, then English persons join the Russian entry of their surname's skeleton and given
name, so `Хрущёва`, `Хрущёвым`, `Н. С. Хрущёв` and `Khrushchev` are one entry), reconciles the clusters
with what `registers/` already holds, writes the proposals there (`status: proposed`, with variants,
transliterations, the role stated in the documents as `description`, and `evidence`: each form with
the documents it was seen in) and marks every mention in the documents with its entry
(`[Khrushchev]{person=p-khrushchev-n-s}`) through `markup.mark_spans`, which never alters the text.
Recognition runs per document on all cores or a Dask cluster (`workers`, `scheduler`); the rest runs
here. An entry also takes the life dates and short description a note prints right after the
person's full name (`life.life_after`).
Organisations in a source note are not proposed: there they are the repository a legend cites
(`Department of State, Central Files`; `Kennedy Library`), which an index does not list.
A heading or source note that the body holds word for word (the text importer reads the printed
heading and legend out of the text and keeps them there: `copied_fields`) is neither recognised nor
marked: its names are the body's, and marking both would count every one of them twice.

The editor's decisions are kept when annotate runs again:
  - an accepted entry, or a proposed one the editor renamed (its `name` differs from `proposed_as`),
    is never rewritten: new mentions of it are marked with its id;
  - a rejected entry is never proposed again and its mentions are not marked;
  - a mark already in a document is kept as it is (the editor may have re-pointed it), and the
    recogniser's spans that overlap it are dropped; a mark with no entry (`[Kennedy]{person}`, a
    name an imported edition tagged without a key) is given the entry its recognised reading joins
    when that reading is more than a bare surname (a given name, initials or a title).
A proposal is matched to an existing entry by its clustering key (`annotate_key`), its id, or one of
its full-name forms among the entry's name and variants.

`merge_entries`, `split_entry`, `set_status` are the `dossier register` commands: merge re-points the
marks in every document; split moves the marks of given forms to a new entry.

What it is not: recognition or clustering (their modules), the building of the index from registers
and marks (`compile.edition`), or the check of a project (`check`).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from .. import markup, project
from ..i18n import Translator, interface_translator
from ..model import ENTITY_KINDS, REGISTER_FILES, Document, EntityKind, RegisterEntry, Registers
from ..report import DossierError, Report
from ..text_utils import detect_language, slug, unique_id, unmix_scripts
from .candidates import Candidate
from .cluster import Cluster, Mention, cluster, key
from .life import Life, life_after
from .ner_en import EnContext, learn_context, recognize_en

T = TypeVar("T")
Progress = Callable[[Iterable[T], str, int | None], Iterator[T]]
ID_PREFIX: dict[str, str] = {"person": "p-", "place": "pl-", "org": "o-"}
FIELDS = ("heading", "body", "source")
_CYR = re.compile(r"[А-Яа-яЁё]")
_LAT = re.compile(r"[A-Za-z]")


@dataclass
class Summary:
    """What a run did, for the command's closing line."""

    proposed: Counter[str] = field(default_factory=Counter)  # kind -> new or updated proposals
    kept: int = 0  # accepted / renamed entries left as they were
    suppressed: int = 0  # clusters matching a rejected entry
    marks: int = 0
    unmarked: int = 0
    cross_script: int = 0
    documents: int = 0

    def line(self, tr: Translator | None = None) -> str:
        tr = tr or interface_translator()
        p = self.proposed
        text = tr.gettext("Proposed %(persons)s, %(places)s, %(orgs)s") % {
            "persons": tr.ngettext("%(n)s person", "%(n)s persons", p["person"]) % {"n": p["person"]},
            "places": tr.ngettext("%(n)s place", "%(n)s places", p["place"]) % {"n": p["place"]},
            "orgs": tr.ngettext("%(n)s organisation", "%(n)s organisations", p["org"]) % {"n": p["org"]}}
        if self.cross_script:
            text += " " + tr.gettext("(%(n)s merged across scripts)") % {"n": self.cross_script}
        text += "; " + tr.ngettext("%(n)s mention marked", "%(n)s mentions marked", self.marks) % {"n": self.marks}
        text += " " + tr.ngettext("in %(n)s document", "in %(n)s documents", self.documents) % {"n": self.documents}
        if self.kept or self.suppressed:
            text += tr.gettext("; kept %(kept)s of your entries, left out %(rejected)s rejected") % {
                "kept": self.kept, "rejected": self.suppressed}
        return text + ". " + tr.gettext("Review registers/*.yaml.")


def document_language(doc: Document, text: str, report: Report | None = None) -> str:
    """`ru` or `en`: the document's own language, else the script most of its letters are in
    (`text_utils.detect_language`; no letters: en). A declared language whose script the text
    hardly uses (`language: ru` over English text) gives way to the text's, with a warning: the
    recogniser of the wrong language would find nothing."""
    lang = (doc.language or "").lower()
    declared = "ru" if lang.startswith("ru") else "en" if lang.startswith("en") else ""
    if not declared:
        return detect_language(text) or "en"
    cyr = len(_CYR.findall(text))
    lat = len(_LAT.findall(text))
    seen = "ru" if cyr > 4 * lat else "en" if lat > 4 * cyr else ""
    if seen and seen != declared and cyr + lat >= 40:
        if report is not None:
            report.warn(doc.path or doc.id, f"language: {doc.language}, but the text is in "
                        f"{'Cyrillic' if seen == 'ru' else 'Latin'} script; its names were read as {seen}")
        return seen
    return declared


def _marked_surnames(marks: dict[tuple[str, str], list[tuple[int, int, str, str | None]]],
                     registers: Registers) -> set[str]:
    """Skeletons of the surnames of the persons the documents already mark with their entries
    (`Kennedy, John F.` → `kenedi`; a Russian index form `Хрущёв Н. С.` by its first word)."""
    from .translit import skeleton

    names = {e.id: e.name for e in registers.persons}
    refs = {r for ms in marks.values() for _, _, kind, r in ms if kind == "person" and r}
    out = set()
    for r in refs:
        name = names.get(r, "")
        surname = name.split(",")[0] if "," in name else (name.split() or [""])[0]
        if surname:
            out.add(skeleton(surname))
    return out


def _russian() -> Callable[[str], list[Candidate]] | None:
    try:
        from .ner_ru import recognize_ru
    except Exception:  # the Russian recogniser is optional (its models may be absent)
        return None
    return recognize_ru


def existing_marks(body: str) -> list[tuple[int, int, str, str | None]]:
    """(start, end, kind, ref) of the marks already in a markup text, as offsets into its plain text."""
    out: list[tuple[int, int, str, str | None]] = []
    offset = 0

    def walk(nodes: list[markup.Inline], pos: int) -> int:
        for node in nodes:
            width = len(markup.inline_text([node]))
            if isinstance(node, markup.MentionNode):
                out.append((pos, pos + width, node.kind, node.ref))
            elif isinstance(node, markup.Emph):
                walk(node.children, pos)
            pos += width
        return pos

    for i, leaf in enumerate(markup.iter_blocks(markup.parse(body))):
        if i:
            offset += 2
        walk(leaf.inlines, offset)
        offset += len(markup.inline_text(leaf.inlines))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def copied_fields(heading: str | None, body: str | None, source: str | None) -> list[str]:
    """The fields among heading and source whose text the body holds word for word (a printed heading
    or legend that the text importer read out of the text, which keeps it): their names are the
    body's, recognised and marked there once, so the edition does not count each mention twice."""
    if not body:
        return []
    flat = _squash(body)
    return [name for name, text in (("heading", heading), ("source", source))
            if text and _squash(text) and _squash(text) in flat]


def _field_text(doc: Document, name: str) -> str:
    return str(getattr(doc, name) or "")


def _index(registers: Registers) -> tuple[dict[str, RegisterEntry], dict[tuple[str, str], RegisterEntry],
                                         dict[tuple[str, str], RegisterEntry]]:
    by_id: dict[str, RegisterEntry] = {}
    by_key: dict[tuple[str, str], RegisterEntry] = {}
    by_form: dict[tuple[str, str], RegisterEntry] = {}
    for kind in ENTITY_KINDS:
        for e in registers.of_kind(kind):
            by_id.setdefault(e.id, e)
            ak = e.extra.get("annotate_key")
            if isinstance(ak, str):
                by_key.setdefault((kind, ak), e)
            if e.see:
                continue
            for form in [e.name, *e.variants]:
                by_form.setdefault((kind, key(form)), e)
    return by_id, by_key, by_form


def _match(c: Cluster, cid: str, by_id: dict[str, RegisterEntry], by_key: dict[tuple[str, str], RegisterEntry],
           by_form: dict[tuple[str, str], RegisterEntry]) -> RegisterEntry | None:
    e = by_key.get((c.kind, c.key))
    if e is not None:
        return e
    e = by_id.get(cid)
    if e is not None and e.kind == c.kind:
        return e
    forms = [c.name] + [f for f in c.named_forms() if c.kind != "person" or len(f.split()) > 1]
    for f in forms:
        e = by_form.get((c.kind, key(f)))
        if e is not None:
            return e
    return (_printed_person(c, by_id) or _sole_bearer(c, by_id)) if c.kind == "person" else None


def _printed_person(c: Cluster, by_id: dict[str, RegisterEntry]) -> RegisterEntry | None:
    """The one entry from a printed index (`Khrushchev, Nikita S.`, filed by an import) whose surname
    has the skeleton of the cluster's and whose given name fits the cluster's key (`Khrushchev, N.`:
    the same initial; `Kennedy, John F.`: the same name)."""
    from .translit import skeleton

    surname, _, given = c.key.partition("|")
    if not given:
        return None

    def fits(e: RegisterEntry) -> bool:
        if not e.extra.get("printed_index") or e.see or e.status == "rejected" or "," not in e.name:
            return False
        first = skeleton((e.name.split(",")[1].split() or [""])[0])
        return skeleton(_surname_of(e.name)) == surname and bool(first) and (
            first == given or (len(given) == 1 and first[:1] == given))

    found = {e.id: e for e in by_id.values() if e.kind == "person" and fits(e)}
    return next(iter(found.values())) if len(found) == 1 else None


def _surname_of(name: str) -> str:
    """The surname of a register name: before the comma (`Bundy, McGeorge`), else the first word of
    a Russian one (`Хрущёв Никита Сергеевич`) or the last of any other (`John Kennedy`)."""
    if "," in name:
        return name.split(",")[0].strip()
    words = name.split() or [""]
    return words[0] if _CYR.search(name) else words[-1]


def _sole_bearer(c: Cluster, by_id: dict[str, RegisterEntry]) -> RegisterEntry | None:
    """For a person known only by surname (`Mr. Thompson`): the one person of the registers with
    that surname (`Thompson, Llewellyn E., Jr.`), when there is exactly one and the cluster names no
    given name of its own; else None (two Johnsons: the surname alone does not say which)."""
    if "," in c.name or len(c.name.split()) != 1 or (c.parts is not None and c.parts.first):
        return None
    wanted = key(c.name)
    found = {e.id: e for e in by_id.values()
             if e.kind == "person" and not e.see and e.status != "rejected" and key(e.name) != wanted
             and key(_surname_of(e.name)) == wanted}
    return next(iter(found.values())) if len(found) == 1 else None


def _editor_owns(e: RegisterEntry) -> bool:
    """True when the entry is the editor's: accepted, or a proposal renamed by hand."""
    if e.status == "accepted":
        return True
    proposed_as = e.extra.get("proposed_as")
    return e.status == "proposed" and isinstance(proposed_as, str) and proposed_as != e.name


def _evidence(c: Cluster) -> list[str]:
    where: dict[str, list[str]] = defaultdict(list)
    for m in c.members:
        form = re.sub(r"\s+", " ", m.cand.text).strip()
        if m.doc not in where[form]:
            where[form].append(m.doc)
    return [f"{form}: {', '.join(docs)}" for form, docs in sorted(where.items(), key=lambda kv: kv[0])]


def _life_of(c: Cluster, texts: dict[tuple[str, str], str]) -> Life | None:
    """The life dates (and description) the documents print right after the entry's full name
    (`Петр Александрович Плетнев (1792—1865) — литературный критик`): the dates most of those
    mentions give, None when there are none or two sets as often."""
    found: Counter[tuple[str, str]] = Counter()
    descriptions: Counter[str] = Counter()
    for m in c.members:
        named = bool(m.cand.parts.first) or len(m.cand.text.split()) > 1
        text = texts.get((m.doc, m.field))
        life = life_after(text, m.cand.end) if named and text else None
        if life is not None:
            found[(life.born, life.died)] += 1
            if life.description:
                descriptions[life.description] += 1
    if not found:
        return None
    ranked = found.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    desc = sorted(descriptions.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if descriptions else ""
    return Life(ranked[0][0][0], ranked[0][0][1], desc)


def _no_progress(items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
    return iter(items)


def _recognise_batch(items: list[tuple[str, list[tuple[str, str]], EnContext]]) -> list[list[tuple[str, list[Candidate]]]]:
    """One batch of documents, each (language, [(field, text)], context): [(field, candidates)] per
    document. Module-level, so that a process pool or a Dask worker can run it."""
    ru = _russian()
    out: list[list[tuple[str, list[Candidate]]]] = []
    for lang, fields, ctx in items:
        if lang == "ru":
            out.append([(f, ru(text) if ru is not None else []) for f, text in fields])
        else:
            out.append([(f, recognize_en(text, ctx)) for f, text in fields])
    return out


def _recognise_all(docs: list[Document], texts: dict[tuple[str, str], str], langs: dict[str, str],
                   ctx: EnContext, workers: int | None, scheduler: str | None,
                   step: Progress[Any]) -> list[list[tuple[str, list[Candidate]]]]:
    """The candidates of every document's fields, in document order, on `workers` processes (default:
    all cores) or a Dask cluster. Recognition is independent per document; clustering, which is not,
    runs afterwards in this process. The Russian models are loaded here before the pool starts, so
    forked workers share them instead of each loading its own."""
    from ..parallel import run_batches

    items = [(langs[d.id], [(f, texts[(d.id, f)]) for f in FIELDS if (d.id, f) in texts], ctx) for d in docs]
    if any(lang == "ru" for lang, _, _ in items) and not scheduler:
        _preload_russian()
    return run_batches(_recognise_batch, items, workers=workers, scheduler=scheduler, progress=step,
                       label="Recognising names", batch_size=_RECOGNISE_BATCH)


_RECOGNISE_BATCH = 25  # documents a task: recognition is slow per document, so smaller batches balance


def _preload_russian() -> None:
    try:
        from .names_ru import parses
        from .ner_ru import _models
        _models()
        parses("Москва")  # loads pymorphy3's dictionaries
    except Exception:  # noqa: BLE001 - no Russian models: `_russian` reports none, documents get no candidates
        pass


def annotate_project(root: Path, report: Report, progress: Progress[Any] | None = None, *,
                     workers: int | None = None, scheduler: str | None = None) -> Summary:
    """Recognise, cluster, reconcile with the registers, write proposals and marks. See the module doc.
    `workers`/`scheduler`: where recognition runs (see `parallel.run_batches`)."""
    edition = project.load_project(root, report)
    _refuse_unreadable_registers(root, report)
    docs = edition.documents
    summary = Summary(documents=len(docs))
    step: Progress[Any] = progress or _no_progress
    texts: dict[tuple[str, str], str] = {}
    marks: dict[tuple[str, str], list[tuple[int, int, str, str | None]]] = {}
    langs: dict[str, str] = {}
    for d in docs:
        for f in FIELDS:
            raw = _field_text(d, f)
            if not raw.strip():
                continue
            try:
                # OCR's look-alike letters of the other script are read as the word's own (`Xрущёв`);
                # one letter for one, so the offsets are the document's
                texts[(d.id, f)] = unmix_scripts(markup.plain_text(raw))
                marks[(d.id, f)] = existing_marks(raw)
            except markup.MarkupError as exc:
                report.warn(d.path or d.id, f"{f}: {exc}; not annotated")
        langs[d.id] = document_language(d, " ".join(t for (i, _), t in texts.items() if i == d.id), report)
        for f in copied_fields(texts.get((d.id, "heading")), texts.get((d.id, "body")), texts.get((d.id, "source"))):
            del texts[(d.id, f)]
    en_texts = [t for (i, _), t in texts.items() if langs[i] == "en"]
    ctx = learn_context(en_texts) if en_texts else EnContext()
    mentions: list[Mention] = []
    order = {d.id: i for i, d in enumerate(docs)}
    found = _recognise_all(docs, texts, langs, ctx, workers, scheduler, step)
    for d, by_field in zip(docs, found, strict=True):
        for f, cands in by_field:
            text = texts[(d.id, f)]
            taken = marks.get((d.id, f), [])
            for cand in cands:
                if f == "source" and cand.kind == "org":
                    continue  # a legend's repository and series (`Kennedy Library`): cited, not indexed
                over = [(a, b, k, r) for a, b, k, r in taken if cand.start < b and a < cand.end]
                if not over:
                    mentions.append(Mention(d.id, f, cand, order[d.id]))
                elif len(over) == 1 and over[0][3] is None and over[0][2] == cand.kind and (
                        cand.kind != "person" or cand.parts.first or cand.parts.title):
                    # a name marked without an entry (an edition's untagged name): the recogniser's
                    # reading of it, on the mark's own span, so that the mark is linked, not duplicated.
                    # A bare surname is left as it was: the entries it could join are not all among
                    # the clusters (`With Kennedy`, a book's title, is no mention of Jacqueline Kennedy).
                    a, b = over[0][0], over[0][1]
                    mentions.append(Mention(d.id, f, replace(cand, start=a, end=b, text=text[a:b]), order[d.id]))
    registers = edition.registers
    translations = {d.id: d.translation_of for d in docs if d.translation_of}
    paired = set(translations) | set(translations.values())
    landmarks: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for (doc_id, f), ms in marks.items():
        if doc_id in paired:
            landmarks[doc_id].extend((f, a, r) for a, _, _, r in ms if r)
    clusters = cluster(mentions, marked_surnames=_marked_surnames(marks, registers), translations=translations,
                       marked=landmarks)
    by_id, by_key, by_form = _index(registers)
    used_ids = set(by_id)
    ref_of: dict[int, str] = {}
    for c in clusters:
        base = ID_PREFIX[c.kind] + slug(c.name)
        existing = _match(c, base, by_id, by_key, by_form)
        if existing is not None and existing.status == "rejected":
            summary.suppressed += 1
            continue
        scripts = {bool(_CYR.search(m.cand.text)) for m in c.members if m.cand.normal}
        if len(scripts) > 1:
            summary.cross_script += 1
        if existing is not None and _editor_owns(existing):
            summary.kept += 1
            entry = existing
        else:
            if existing is None:
                cid = unique_id(base, used_ids)
                entry = RegisterEntry(id=cid, kind=c.kind, name=c.name, status="proposed")
                registers.of_kind(c.kind).append(entry)
                by_id[cid] = entry
            else:
                entry = existing
            evidence = _evidence(c)
            life = _life_of(c, texts) if c.kind == "person" else None
            if life is not None:
                entry.born, entry.died = entry.born or life.born, entry.died or life.died
            if existing is not None and (len(existing.evidence) > len(evidence) or existing.extra.get("printed_index")):
                # a re-run that meets only a few mentions left unmarked (the others carry their marks),
                # or an entry an import took from a printed index: they add to the proposal, which
                # keeps its name
                entry.variants += [v for v in c.variants if v not in entry.variants and v != entry.name]
                entry.evidence += [ev for ev in evidence if ev not in entry.evidence]
                entry.description = entry.description or (c.role or (life.description if life else "")
                                                          if c.kind == "person" else "")
            else:
                entry.name = c.name
                entry.variants = list(c.variants)
                entry.description = (c.role or (life.description if life else "")) if c.kind == "person" \
                    else entry.description
                entry.evidence = evidence
                entry.extra["annotate_key"] = c.key
                entry.extra["proposed_as"] = c.name
                if c.transliterations:
                    entry.extra["transliterations"] = dict(c.transliterations)
            summary.proposed[c.kind] += 1
            for form in c.see_forms:
                sid = f"{entry.id}-see-{slug(form)}"
                if sid in by_id:
                    continue
                see = RegisterEntry(id=sid, kind=c.kind, name=form, see=entry.id, status="proposed")
                registers.of_kind(c.kind).append(see)
                by_id[sid] = see
                used_ids.add(sid)
        by_key.setdefault((c.kind, c.key), entry)
        for m in c.members:
            ref_of[id(m)] = entry.id
    spelled = spell_out_correspondents(docs, langs, clusters, mentions, ref_of, by_id)
    # write the marks
    spans: dict[tuple[str, str], list[markup.Span]] = defaultdict(list)
    for m in mentions:
        ref = ref_of.get(id(m))
        if ref is not None:
            spans[(m.doc, m.field)].append(markup.Span(m.cand.start, m.cand.end, m.cand.kind, ref))
    for d in step(docs, "Marking mentions", len(docs)):
        changed = False
        for f in FIELDS:
            wanted = spans.get((d.id, f))
            if not wanted:
                continue
            raw = _field_text(d, f)
            new, skipped = markup.mark_spans(raw, wanted)
            if f != "body":
                new = new.rstrip("\n")
            summary.marks += len(wanted) - len(skipped)
            summary.unmarked += len(skipped)
            if new != raw:
                setattr(d, f, new)
                changed = True
        if changed or d.id in spelled:
            project.write_document(root, d)
    project.write_registers(root, registers)
    return summary


def spell_out_correspondents(docs: list[Document], langs: dict[str, str], clusters: list[Cluster],
                             mentions: list[Mention], ref_of: dict[int, str],
                             by_id: dict[str, RegisterEntry]) -> set[str]:
    """Authors and addressees of Russian documents printed with initials (`Нагорнов Н. М.`) get the
    full name of their index entry (`Нагорнов Николай Михайлович`), as the annotated index gives it,
    when the entry is certain: the one person of the document's own mentions that agrees with the
    printed form and has the given name and patronymic spelled out (the salutation `любезный
    Николай Михайлович` joined the heading's `Н. М. Нагорнову`), else the one such person of the
    whole edition. What the document printed is kept in `authors_as_printed` / `addressees_as_printed`.
    Returns the ids of the documents changed."""
    from .names_ru import full_form, parse_person, same_person

    def spelled_out(c: Cluster) -> bool:
        p = c.parts
        return bool(p and p.surname and len(p.first.rstrip(".")) > 1 and len(p.patronymic.rstrip(".")) > 1)

    full = [c for c in clusters if c.kind == "person" and spelled_out(c)]
    in_doc: dict[str, set[int]] = defaultdict(set)
    owner = {id(m): id(c) for c in full for m in c.members}
    for m in mentions:
        if id(m) in owner:
            in_doc[m.doc].add(owner[id(m)])
    changed: set[str] = set()
    for d in docs:
        if langs.get(d.id) != "ru":
            continue
        for field_name in ("authors", "addressees"):
            if f"{field_name}_as_printed" in d.extra:
                continue  # spelled out before (by import or an earlier run): what stands is the editor's now
            names: list[str] = getattr(d, field_name)
            for i, name in enumerate(names):
                words = name.split()
                if not (2 <= len(words) <= 3 and all(len(w.rstrip(".")) == 1 for w in words[1:])):
                    continue
                printed = parse_person(words)
                if not printed.surname:
                    continue
                fits = [c for c in full if c.parts is not None and same_person(printed, c.parts) > 0]
                own = [c for c in fits if id(c) in in_doc[d.id]]
                pick = own if own else fits
                if len(pick) != 1:
                    continue
                c = pick[0]
                ref = next((ref_of[id(m)] for m in c.members if id(m) in ref_of), None)
                entry = by_id.get(ref) if ref else None
                assert c.parts is not None
                spelled = entry.name if entry is not None and _agrees(entry.name, printed) else full_form(c.parts)
                if spelled and spelled != name:
                    d.extra.setdefault(f"{field_name}_as_printed", list(names))
                    names[i] = spelled
                    changed.add(d.id)
    return changed


def _agrees(name: str, printed: Any) -> bool:
    """Whether a register entry's name (which the editor may have changed) still names the printed person."""
    from .names_ru import parse_person, same_person

    words = name.split()
    return len(words) == 3 and same_person(parse_person([words[1], words[2], words[0]]), printed) > 0


# --- the editor's register commands -------------------------------------------------------------------


def _refuse_unreadable_registers(root: Path, report: Report) -> None:
    """Stop before anything is written when a register file, or an entry of one, could not be read:
    writing the registers back would drop what the editor wrote there."""
    reg_dir = (root / project.REG_DIR).resolve()
    for p in report.errors:
        try:
            inside = Path(p.file).resolve().is_relative_to(reg_dir)
        except (OSError, ValueError):
            inside = False
        if inside:
            raise DossierError(p.file, f"{p.message}; nothing was changed: mend the register and run annotate again",
                               p.line)


def _load_registers(root: Path) -> tuple[Registers, Report]:
    report = Report()
    project.read_metadata(root)
    regs = project.read_registers(root, report)
    if report.problems:
        p = report.problems[0]
        raise DossierError(p.file, p.message, p.line)
    return regs, report


def _register_file(root: Path, kind: EntityKind) -> str:
    return str(root / project.REG_DIR / REGISTER_FILES[kind])


def _find(regs: Registers, entry_id: str, root: Path, kind: EntityKind | None = None) -> RegisterEntry:
    """The entry `entry_id`; a one-line error naming the register file (the kind's when known) if none."""
    for k in ENTITY_KINDS:
        for e in regs.of_kind(k):
            if e.id == entry_id:
                return e
    ids = [e.id for k in ENTITY_KINDS for e in regs.of_kind(k)]
    close = difflib.get_close_matches(entry_id, ids, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    if kind is not None:
        raise DossierError(_register_file(root, kind), f"no entry {entry_id!r} in {REGISTER_FILES[kind]}{hint}")
    files = [REGISTER_FILES[k] for k in ENTITY_KINDS]
    raise DossierError(str(root / project.REG_DIR),
                       f"no entry {entry_id!r} in {', '.join(files[:-1])} or {files[-1]}{hint}")


def _mark_rx(kind: EntityKind, ref: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\\)\[((?:\\.|[^\[\]\\])*)\]\{" + kind + "=" + re.escape(ref) + r"\}")


def _surface(inner: str) -> str:
    return re.sub(r"\\(.)", r"\1", inner)


def _mark_forms(root: Path, kind: EntityKind, ref: str) -> Counter[str]:
    """How often each surface of the marks `{kind=ref}` occurs in the documents."""
    rx = _mark_rx(kind, ref)
    return Counter(_surface(m.group(1)) for path in project.document_files(root)
                   for m in rx.finditer(path.read_text(encoding="utf-8")))


def _repoint(root: Path, kind: EntityKind, old: str, new: str, forms: set[str] | None = None) -> int:
    """Re-point marks `{kind=old}` to `new` in every document (only marks of `forms` when given)."""
    rx = _mark_rx(kind, old)
    count = 0
    for path in project.document_files(root):
        text = path.read_text(encoding="utf-8")

        def sub(m: re.Match[str]) -> str:
            nonlocal count
            inner = m.group(1)
            if forms is not None and key(_surface(inner)) not in forms:
                return m.group(0)
            count += 1
            return f"[{inner}]{{{kind}={new}}}"

        new_text = rx.sub(sub, text)
        if new_text != text:
            path.write_text(new_text, encoding="utf-8")
    return count


def merge_entries(root: Path, keep_id: str, other_ids: list[str]) -> str:
    """Merge entries into `keep_id`: names and variants join it, marks are re-pointed, the others go."""
    regs, _ = _load_registers(root)
    keep = _find(regs, keep_id, root)
    file = _register_file(root, keep.kind)
    if keep_id in other_ids:
        raise DossierError(file, f"cannot merge {keep_id} into itself; name the entries to merge into it", keep.line)
    others = [_find(regs, oid, root, keep.kind) for oid in dict.fromkeys(other_ids)]
    for other in others:
        if other.kind != keep.kind:
            raise DossierError(_register_file(root, other.kind), f"{other.id} is a {other.kind}, {keep_id} a "
                               f"{keep.kind}: only entries of one register merge", other.line)
    moved = 0
    for other in others:
        oid = other.id
        for form in [other.name, *other.variants]:
            if form != keep.name and form not in keep.variants:
                keep.variants.append(form)
        for ev in other.evidence:
            if ev not in keep.evidence:
                keep.evidence.append(ev)
        if not keep.description and other.description:
            keep.description = other.description
        regs.of_kind(other.kind).remove(other)
        for e in regs.of_kind(other.kind):
            if e.see == oid:
                e.see = keep_id
        moved += _repoint(root, other.kind, oid, keep_id)
    project.write_registers(root, regs)
    tr = interface_translator()
    return tr.ngettext("Merged %(ids)s into %(keep)s; %(n)s mark re-pointed.",
                       "Merged %(ids)s into %(keep)s; %(n)s marks re-pointed.", moved) % {
        "ids": ", ".join(other_ids), "keep": keep_id, "n": moved}


def split_entry(root: Path, entry_id: str, forms: list[str], new_id: str, new_name: str) -> str:
    """Move the marks of `forms` (as written in the documents) from an entry to a new accepted entry."""
    regs, _ = _load_registers(root)
    src = _find(regs, entry_id, root)
    file = _register_file(root, src.kind)
    taken = next((e for k in ENTITY_KINDS for e in regs.of_kind(k) if e.id == new_id), None)
    if taken is not None:
        raise DossierError(_register_file(root, taken.kind), f"an entry {new_id!r} exists already; choose "
                           "another --id", taken.line)
    wanted = {key(f) for f in forms}
    seen = _mark_forms(root, src.kind, entry_id)
    if not any(key(form) in wanted for form in seen):
        written = ", ".join(repr(f) for f, _ in seen.most_common(5)) or "none"
        raise DossierError(file, f"no mark of {entry_id} is written {' or '.join(repr(f) for f in forms)}; "
                           f"nothing to split (its marks read: {written})", src.line)
    new = RegisterEntry(id=new_id, kind=src.kind, name=new_name or forms[0],
                        variants=[f for f in forms if f != (new_name or forms[0])], status="accepted")
    src.variants = [v for v in src.variants if key(v) not in wanted]
    src.evidence = [e for e in src.evidence if key(e.split(":")[0]) not in wanted]
    regs.of_kind(src.kind).append(new)
    moved = _repoint(root, src.kind, entry_id, new_id, wanted)
    project.write_registers(root, regs)
    tr = interface_translator()
    return tr.ngettext("Split %(n)s mark of %(forms)s from %(entry)s into %(new)s.",
                       "Split %(n)s marks of %(forms)s from %(entry)s into %(new)s.", moved) % {
        "n": moved, "forms": ", ".join(forms), "entry": entry_id, "new": new_id}


def set_status(root: Path, entry_ids: list[str], status: str) -> str:
    """Accept or reject entries."""
    regs, _ = _load_registers(root)
    for eid in entry_ids:
        _find(regs, eid, root).status = status  # type: ignore[assignment]
    project.write_registers(root, regs)
    tr, n = interface_translator(), len(entry_ids)
    if status == "rejected":
        return tr.ngettext("%(n)s entry rejected.", "%(n)s entries rejected.", n) % {"n": n}
    return tr.ngettext("%(n)s entry accepted.", "%(n)s entries accepted.", n) % {"n": n}
