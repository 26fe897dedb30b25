"""Compile a loaded project into the edition every renderer reads: order, numbers, chapters, apparatus.

What it is for: one `CompiledEdition` holding documents in edition order with their numbers, the
chapters with their documents, the list of documents, the indices of names, places and organisations
(entries with the documents that mention them, variants, cross-references), abbreviations, appendix.
Every mark a renderer meets resolves through `CompiledEdition.entry_for`.

What it is not: recognition of names (that is `dossier.enrich`), wording of headings per tradition
(that is a style), or any output format.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .. import markup
from ..model import ENTITY_KINDS, Chapter, Document, Edition, EntityKind, RegisterEntry
from ..report import Report

# Id prefixes for entries made from unlinked marks (e.g. a FRUS placeName with no @ref).
ID_PREFIX: dict[str, str] = {"person": "p-", "place": "pl-", "org": "o-"}
NO_CHAPTER = "_documents"


@dataclass
class IndexEntry:
    """An entry of an index: the register entry (or one made from unlinked marks) and where it occurs."""

    id: str
    kind: EntityKind
    name: str
    variants: list[str] = field(default_factory=list)
    description: str = ""
    born: str = ""
    died: str = ""
    status: str = "accepted"
    see: str = ""
    documents: list[str] = field(default_factory=list)  # document ids, in edition order
    forms: list[str] = field(default_factory=list)  # the surfaces seen in the documents, sorted

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "variants": self.variants, "description": self.description,
                "born": self.born, "died": self.died, "status": self.status, "see": self.see,
                "forms": self.forms, "documents": self.documents}


@dataclass
class CompiledChapter:
    chapter: Chapter
    documents: list[Document]


@dataclass
class CompiledEdition:
    edition: Edition
    documents: list[Document]
    chapters: list[CompiledChapter]
    index: dict[EntityKind, list[IndexEntry]]
    _unlinked: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def meta(self):  # type: ignore[no-untyped-def]
        return self.edition.meta

    def entries_by_id(self) -> dict[str, IndexEntry]:
        return {e.id: e for kind in ENTITY_KINDS for e in self.index[kind]}

    def entry_for(self, node: markup.MentionNode) -> str | None:
        """The index entry id a mark points to: its own ref, or the entry made from its text."""
        if node.kind == "term":
            return node.ref
        if node.ref:
            return node.ref
        return self._unlinked.get((node.kind, mention_key(markup.inline_text(node.children))))

    def document_by_id(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents}


def mention_key(text: str) -> str:
    """How unlinked marks are grouped: case, spacing, ё/е and a possessive do not matter."""
    t = unicodedata.normalize("NFC", text).replace("ё", "е").replace("Ё", "Е")
    t = re.sub(r"[’']s$", "", t.strip())
    return re.sub(r"\s+", " ", t).casefold()


def slug(text: str) -> str:
    """An NCName-safe id fragment for a name, in its own script (xml:id allows letters of any script)."""
    t = re.sub(r"[^\w]+", "-", mention_key(text)).strip("-")
    return t or "x"


def order_documents(docs: list[Document], chapter_order: list[str]) -> list[Document]:
    """Chapters in the order dossier.toml gives them; within a chapter by number, else by date."""
    rank = {cid: i for i, cid in enumerate(chapter_order)}
    def key(d: Document) -> tuple[int, int, tuple[str, str], str]:
        return (rank.get(d.chapter, len(rank)), d.n if d.n is not None else 10**9, d.date.sort_key(), d.id)
    return sorted(docs, key=key)


def compile_edition(edition: Edition, report: Report) -> CompiledEdition:
    """Order and number documents, group them in chapters, build the indices from registers and marks."""
    chapter_ids = [c.id for c in edition.meta.chapters]
    docs = order_documents(edition.documents, chapter_ids)
    seen_n: dict[int, str] = {}
    next_n = 1
    for d in docs:
        if d.n is None:
            d.n = next_n
            d.extra["_numbered_by_dossier"] = True
        elif d.n in seen_n:
            report.warn(d.path or d.id, f"number {d.n} is also used by {seen_n[d.n]}")
        seen_n.setdefault(d.n, d.id)
        next_n = max(next_n, d.n + 1)
    known_chapters = {c.id: c for c in edition.meta.chapters}
    chapters: list[CompiledChapter] = [CompiledChapter(c, []) for c in edition.meta.chapters]
    by_chapter = {c.chapter.id: c for c in chapters}
    for d in docs:
        cid = d.chapter if d.chapter in known_chapters else NO_CHAPTER
        if d.chapter and d.chapter not in known_chapters:
            report.warn(d.path or d.id, f"chapter {d.chapter!r} is not listed in dossier.toml")
        if cid not in by_chapter:
            title = "Documents" if not chapters else "Other documents"
            by_chapter[cid] = CompiledChapter(Chapter(NO_CHAPTER, title, n=len(chapters) + 1), [])
            chapters.append(by_chapter[cid])
        by_chapter[cid].documents.append(d)
    chapters = [c for c in chapters if c.documents]
    index, unlinked = build_index(edition, docs, report)
    return CompiledEdition(edition, docs, chapters, index, unlinked)


def _entry_from_register(e: RegisterEntry) -> IndexEntry:
    return IndexEntry(id=e.id, kind=e.kind, name=e.name, variants=list(e.variants), description=e.description,
                      born=e.born, died=e.died, status=e.status, see=e.see)


def build_index(edition: Edition, docs: list[Document], report: Report
                ) -> tuple[dict[EntityKind, list[IndexEntry]], dict[tuple[str, str], str]]:
    """Entries from the registers (rejected ones left out) plus entries made from unlinked marks."""
    entries: dict[str, IndexEntry] = {}
    for kind in ENTITY_KINDS:
        for reg in edition.registers.of_kind(kind):
            if reg.status != "rejected":
                entries[reg.id] = _entry_from_register(reg)
    rejected = {r.id for k in ENTITY_KINDS for r in edition.registers.of_kind(k) if r.status == "rejected"}
    unlinked: dict[tuple[str, str], str] = {}
    forms: dict[str, set[str]] = {}
    place_names = {mention_key(form): e.id for e in edition.registers.places if e.status != "rejected"
                   for form in (e.name, *e.variants)}
    for d in docs:
        nodes = markup.mentions(d.body) + (markup.mentions(d.source) if d.source else [])
        # marks in the heading and the dateline count too (FRUS headings name sender and addressee)
        for extra in (d.heading, d.dateline):
            if extra:
                try:
                    nodes += markup.mentions(extra)
                except markup.MarkupError:
                    pass
        # the place of writing counts as a mention of that place (FRUS marks it only in the dateline)
        if d.place and not any(n.kind == "place" and mention_key(markup.inline_text(n.children)) == mention_key(d.place)
                               for n in nodes):
            nodes.append(markup.MentionNode("place", place_names.get(mention_key(d.place)),
                                            [markup.Text(d.place)]))
        for node in nodes:
            if node.kind == "term":
                continue
            text = re.sub(r"\s+", " ", markup.inline_text(node.children)).strip()
            ref = node.ref
            if ref is None:
                key = (node.kind, mention_key(text))
                ref = unlinked.get(key)
                if ref is None:
                    ref = ID_PREFIX[node.kind] + slug(text)
                    while ref in entries and entries[ref].kind != node.kind:
                        ref += "-"
                    unlinked[key] = ref
                    if ref not in entries:
                        entries[ref] = IndexEntry(id=ref, kind=node.kind, name=text, status="unlinked")
            elif ref in rejected:
                continue
            elif ref not in entries:
                report.error(d.path or d.id, f"{node.kind} mark '{text}' points to {ref!r}, which is not in the register",
                             code="unresolved-ref")
                continue
            entry = entries[ref]
            if not entry.documents or entry.documents[-1] != d.id:
                if d.id not in entry.documents:
                    entry.documents.append(d.id)
            forms.setdefault(ref, set()).add(text)
    for ref, fs in forms.items():
        entries[ref].forms = sorted(fs)
    index: dict[EntityKind, list[IndexEntry]] = {k: [] for k in ENTITY_KINDS}
    for e in entries.values():
        index[e.kind].append(e)
    for kind in ENTITY_KINDS:
        index[kind].sort(key=lambda e: (filing_key(e.name), e.id))
    return index, unlinked


def filing_key(name: str) -> str:
    """Alphabetical filing: case and ё/е folded; the style may refine this (initials first, etc.)."""
    return mention_key(name)
