"""Compile a loaded project into the edition every renderer reads: order, numbers, chapters, apparatus.

What it is for: one `CompiledEdition` holding documents in edition order with their numbers, the
chapters with their documents, the list of documents, the indices of names, places and organisations
(entries with the documents that mention them, variants, cross-references), abbreviations, appendix.
Every mark a renderer meets resolves through `CompiledEdition.entry_for`.

Translations: a document with `translation_of: <id>` is paired with that original. It is not numbered
on its own: it shares its original's number and follows it directly (in its chapter, in every list),
and `CompiledEdition.translations_of(original)` gives it to the renderers, which print it beside the
original (web), after it (print) or as a parallel `div` (TEI). A translation whose original is missing
is reported and stands as a document of its own.

Photographs: every illustration of every document is checked here once (the file exists under
`images/`, its first bytes are those of a PNG, JPEG, GIF, WebP or SVG image); `illustrations` is the
list of illustrations in edition order, each with the problem that keeps it from being shown, if any.
Legends are checked for completeness (`styles.legend_problems`) and collected into `archives`.

What it is not: recognition of names (that is `dossier.enrich`), wording of headings, dates and
legends per tradition (that is `dossier.compile.styles`), or any output format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import cast

from .. import markup
from ..i18n import Translator, translator
from ..model import ENTITY_KINDS, Chapter, Document, Edition, EntityKind, Illustration, RegisterEntry
from ..report import Problem, Report
from ..text_utils import name_key, slug
from . import rules, styles

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
class IllustrationEntry:
    """One entry of the list of illustrations: the photograph, its document, and whether it can be shown."""

    n: int  # its number in the list of illustrations
    doc: Document
    ill: Illustration
    kind: str = ""  # png, jpeg, gif, webp, svg ("" when it is no image)
    problem: str = ""  # why it cannot be shown ("" = it can)

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def anchor(self) -> str:
        return f"ill-{self.n}"


# The first bytes of the image formats browsers and WeasyPrint both show.
_MAGIC: tuple[tuple[bytes, str], ...] = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"),
                                         (b"GIF87a", "gif"), (b"GIF89a", "gif"))


def image_kind(path: Path) -> str:
    """'png', 'jpeg', 'gif', 'webp', 'svg' by the file's first bytes; '' when it is none of them."""
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError:
        return ""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in head):
        return "svg"
    return ""


def illustration_problem(root: Path | None, file: str) -> tuple[str, str, str]:
    """(kind, problem, code) for an illustration file named in a document: '' problem when it can be shown."""
    if root is None:
        return "", f"illustration {file!r}: the project folder is unknown", "image-missing"
    images = (root / "images").resolve()
    target = (images / file).resolve()
    if images not in target.parents:
        return "", f"illustration {file!r} lies outside images/", "image-outside"
    if not target.is_file():
        return "", f"illustration {file!r} is not in images/ (put the file there or correct the name)", \
            "image-missing"
    kind = image_kind(target)
    if not kind:
        return "", (f"illustration {file!r} is not an image (PNG, JPEG, GIF, WebP or SVG expected by its "
                    "first bytes); the document is built without it"), "image-not-image"
    return kind, "", ""


@dataclass
class CompiledEdition:
    edition: Edition
    documents: list[Document]
    chapters: list[CompiledChapter]
    index: dict[EntityKind, list[IndexEntry]]
    _unlinked: dict[tuple[str, str], str] = field(default_factory=dict)
    illustrations: list[IllustrationEntry] = field(default_factory=list)
    archives: list[styles.ArchiveUse] = field(default_factory=list)
    _headings: dict[str, str] = field(default_factory=dict, repr=False)
    _translations: tuple[int, dict[str, list[Document]]] | None = field(default=None, repr=False)

    @property
    def meta(self):  # type: ignore[no-untyped-def]
        return self.edition.meta

    # the style, the language and the wording of headings -------------------------------------------

    @property
    def style(self) -> styles.Style:
        return styles.STYLES.get(self.edition.meta.style) or styles.STYLES[default_style(self.lang)]

    @property
    def lang(self) -> str:
        return (self.edition.meta.languages or ["en"])[0] or "en"

    @property
    def tr(self) -> Translator:
        return translator(self.lang)

    def heading(self, doc: Document) -> str:
        """The document's heading as markup, without its number: the editor's, else composed by the style."""
        key = f"{doc.id}\x00{doc.heading}\x00{self.style.name}"
        if key not in self._headings:
            self._headings[key] = styles.heading_markup(doc, self.style, self.lang, self.tr)
        return self._headings[key]

    def heading_is_composed(self, doc: Document) -> bool:
        return styles.heading_is_composed(doc)

    def date_text(self, doc: Document, running: bool = False) -> str:
        return styles.format_date(doc.date, self.lang, self.tr, running)

    def label(self, doc: Document) -> str:
        return styles.doc_label(self.style, doc.n)

    # translations ----------------------------------------------------------------------------------

    def is_translation(self, doc: Document) -> bool:
        """A translation paired with its original (one whose original is missing stands on its own)."""
        return bool(doc.extra.get("_original"))

    def original_of(self, doc: Document) -> Document | None:
        orig = doc.extra.get("_original")
        return self.document_by_id().get(orig) if orig else None

    def translations_of(self, doc: Document) -> list[Document]:
        if self._translations is None or self._translations[0] != len(self.documents):
            found: dict[str, list[Document]] = {}
            for d in self.documents:
                if d.extra.get("_original"):
                    found.setdefault(d.extra["_original"], []).append(d)
            self._translations = (len(self.documents), found)
        return list(self._translations[1].get(doc.id, []))

    def main_documents(self) -> list[Document]:
        """The numbered series: every document but the translations printed with their originals."""
        return [d for d in self.documents if not self.is_translation(d)]

    def illustrations_of(self, doc: Document) -> list[IllustrationEntry]:
        return [i for i in self.illustrations if i.doc.id == doc.id]

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


# How unlinked marks are grouped (case, spacing, ё/е and a possessive do not matter) and the id fragment
# of a name: the same functions annotate uses, so a name gets the same id from both.
mention_key = lru_cache(maxsize=1 << 16)(name_key)


@lru_cache(maxsize=1 << 16)
def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def order_documents(docs: list[Document], chapter_order: list[str]) -> list[Document]:
    """Chapters in the order dossier.toml gives them; within a chapter by number, else by date."""
    rank = {cid: i for i, cid in enumerate(chapter_order)}
    def key(d: Document) -> tuple[int, int, tuple[str, str], str]:
        return (rank.get(d.chapter, len(rank)), d.n if d.n is not None else 10**9, d.date.sort_key(), d.id)
    return sorted(docs, key=key)


def default_style(lang: str) -> str:
    """The style an edition without a (valid) style gets: soviet for a Russian edition, else frus."""
    return "soviet" if styles.is_russian(lang) else "frus"


def _check_style(edition: Edition, report: Report) -> None:
    """An unknown style is reported against dossier.toml; the edition is built in the default style."""
    meta = edition.meta
    if meta.style in styles.STYLES:
        return
    fallback = default_style((meta.languages or ["en"])[0])
    line = 0
    toml = Path(edition.root) / "dossier.toml" if edition.root else None
    if toml is not None and toml.is_file():
        for i, text in enumerate(toml.read_text(encoding="utf-8").splitlines(), start=1):
            if re.match(r"\s*style\s*=", text):
                line = i
                break
    report.error(str(toml) if toml else "dossier.toml",
                 f"{styles.UnknownStyle(meta.style)}; the edition is built in the {fallback} style", line,
                 code="style-unknown")
    meta.style = fallback


def pair_translations(docs: list[Document], report: Report) -> tuple[list[Document], dict[str, list[Document]]]:
    """(the documents that are not paired translations, original id -> its translations in order).

    A translation names its original by `translation_of`; a missing original, a translation of itself or
    of another translation is reported and the document stands on its own."""
    by_id = {d.id: d for d in docs}
    pairs: dict[str, list[Document]] = {}
    for d in docs:
        d.extra.pop("_original", None)
    for d in docs:
        orig_id = d.translation_of.strip()
        if not orig_id:
            continue
        where = d.path or d.id
        orig = by_id.get(orig_id)
        if orig_id == d.id:
            report.error(where, f"translation_of {orig_id!r} names the document itself; printed as a document "
                         "of its own", code="translation-unresolved")
        elif orig is None:
            report.error(where, f"translation_of {orig_id!r}: no such document (documents/{orig_id}.md); the "
                         "translation is printed as a document of its own", code="translation-unresolved")
        elif orig.translation_of.strip() and orig.translation_of.strip() in by_id:
            report.error(where, f"translation_of {orig_id!r} is itself a translation; name the original "
                         f"({orig.translation_of.strip()!r}) instead", code="translation-chain")
        else:
            pairs.setdefault(orig_id, []).append(d)
            d.extra["_original"] = orig_id
    return [d for d in docs if "_original" not in d.extra], pairs


DocumentRules = Callable[[Document, rules.Targets], list[Problem]]


def compile_edition(edition: Edition, report: Report, document_rules: DocumentRules | None = None,
                    marks_of: MarksOf | None = None) -> CompiledEdition:
    """Order and number documents, group them in chapters, build the indices from registers and marks.

    `document_rules` stands in for `rules.document_problems` (an incremental build passes one that
    remembers each document's problems by its content and the registers'), `marks_of` for
    `document_marks` (one that remembers each document's marks)."""
    _check_style(edition, report)
    chapter_ids = [c.id for c in edition.meta.chapters]
    words = translator((edition.meta.languages or ["en"])[0] or "en")
    originals, pairs = pair_translations(edition.documents, report)
    docs = order_documents(originals, chapter_ids)
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
    docs = _with_translations(docs, pairs, report)
    known_chapters = {c.id: c for c in edition.meta.chapters}
    chapters: list[CompiledChapter] = [CompiledChapter(c, []) for c in edition.meta.chapters]
    by_chapter = {c.chapter.id: c for c in chapters}
    chapter_of: dict[str, str] = {}
    for d in docs:
        cid = d.chapter if d.chapter in known_chapters else NO_CHAPTER
        if d.extra.get("_original") in chapter_of:  # a translation stays with its original
            cid = chapter_of[d.extra["_original"]]
        elif d.chapter and d.chapter not in known_chapters:
            report.warn(d.path or d.id, f"chapter {d.chapter!r} is not listed in dossier.toml")
        if cid not in by_chapter:
            # the chapter of documents no chapter of dossier.toml holds, titled in the edition's language
            title = words.gettext("Documents") if not chapters else words.gettext("Other documents")
            by_chapter[cid] = CompiledChapter(Chapter(NO_CHAPTER, title, n=len(chapters) + 1), [])
            chapters.append(by_chapter[cid])
        by_chapter[cid].documents.append(d)
        chapter_of[d.id] = cid
    chapters = [c for c in chapters if c.documents]
    lang = (edition.meta.languages or ["en"])[0] or "en"
    targets = rules.Targets.of(edition.registers, Path(edition.root) if edition.root else None)
    for d in docs:
        report.extend((document_rules or rules.document_problems)(d, targets))
    unchecked = rules.unchecked_problem(targets)
    if unchecked is not None:
        report.problems.append(unchecked)
    index, unlinked = build_index(edition, docs, report, lang, marks_of)
    root = Path(edition.root) if edition.root else None
    illustrations = _illustrations(docs, root, report)
    style = styles.STYLES[edition.meta.style]
    for d in docs:
        for _key, message in styles.legend_problems(d.legend):
            report.warn(d.path or d.id, f"legend: {message}", code="legend-incomplete")
    archives = styles.archives_used(docs, edition.registers.abbreviations, style, lang, translator(lang))
    return CompiledEdition(edition, docs, chapters, index, unlinked, illustrations, archives)


def _with_translations(docs: list[Document], pairs: dict[str, list[Document]], report: Report) -> list[Document]:
    """The numbered documents with each original's translations right after it, sharing its number."""
    out: list[Document] = []
    for d in docs:
        out.append(d)
        for t in pairs.get(d.id, []):
            if t.n is not None and t.n != d.n and not t.extra.get("_numbered_by_dossier"):
                report.warn(t.path or t.id, f"a translation shares the number of its original ({d.n}); "
                            f"its own n: {t.n} is not used", code="translation-number")
            t.n = d.n
            t.extra["_numbered_by_dossier"] = True
            out.append(t)
    return out


def _illustrations(docs: list[Document], root: Path | None, report: Report) -> list[IllustrationEntry]:
    """The list of illustrations in edition order; files that are missing or no image are reported."""
    out: list[IllustrationEntry] = []
    for d in docs:
        for ill in d.illustrations:
            kind, problem, code = illustration_problem(root, ill.file)
            if problem:
                report.warn(d.path or d.id, problem, code=code)
            out.append(IllustrationEntry(len(out) + 1, d, ill, kind, problem))
    return out


def _entry_from_register(e: RegisterEntry) -> IndexEntry:
    return IndexEntry(id=e.id, kind=e.kind, name=e.name, variants=list(e.variants), description=e.description,
                      born=e.born, died=e.died, status=e.status, see=e.see)


def document_marks(d: Document) -> list[markup.MentionNode]:
    """The marks of a document the index counts: body, source note, heading and dateline."""
    nodes = markup.mentions(d.body) + (markup.mentions(d.source) if d.source else [])
    # marks in the heading and the dateline count too (FRUS headings name sender and addressee)
    for extra in (d.heading, d.dateline):
        if extra:
            try:
                nodes += markup.mentions(extra)
            except markup.MarkupError:
                pass
    return nodes


MarksOf = Callable[[Document], list[markup.MentionNode]]


def build_index(edition: Edition, docs: list[Document], report: Report, lang: str = "en",
                marks_of: MarksOf | None = None
                ) -> tuple[dict[EntityKind, list[IndexEntry]], dict[tuple[str, str], str]]:
    """Entries from the registers (rejected ones left out) plus entries made from unlinked marks.

    `marks_of` stands in for `document_marks` (an incremental build remembers them per document)."""
    entries: dict[str, IndexEntry] = {}
    for kind in ENTITY_KINDS:
        for reg in edition.registers.of_kind(kind):
            if reg.status != "rejected":
                entries[reg.id] = _entry_from_register(reg)
    rejected = {r.id for k in ENTITY_KINDS for r in edition.registers.of_kind(k) if r.status == "rejected"}
    unlinked: dict[tuple[str, str], str] = {}
    forms: dict[str, set[str]] = {}
    doc_sets: dict[str, set[str]] = {}
    place_names = {mention_key(form): e.id for e in edition.registers.places if e.status != "rejected"
                   for form in (e.name, *e.variants)}
    for d in docs:
        nodes = list(marks_of(d)) if marks_of is not None else document_marks(d)
        # the place of writing counts as a mention of that place (FRUS marks it only in the dateline)
        if d.place and not any(n.kind == "place" and mention_key(markup.inline_text(n.children)) == mention_key(d.place)
                               for n in nodes):
            nodes.append(markup.MentionNode("place", place_names.get(mention_key(d.place)),
                                            [markup.Text(d.place)]))
        for node in nodes:
            if node.kind == "term":
                continue
            text = _one_line(markup.inline_text(node.children))
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
                        kind = cast(EntityKind, node.kind)  # a term mark was left out above
                        entries[ref] = IndexEntry(id=ref, kind=kind, name=text, status="unlinked")
            elif ref in rejected:
                continue
            elif ref not in entries:
                continue  # reported with its line by rules.document_problems
            entry = entries[ref]
            if not entry.documents or entry.documents[-1] != d.id:
                listed = doc_sets.setdefault(ref, set(entry.documents))  # a set: a list scan per mark is O(n²)
                if d.id not in listed:
                    listed.add(d.id)
                    entry.documents.append(d.id)
            forms.setdefault(ref, set()).add(text)
    for ref, fs in forms.items():
        entries[ref].forms = sorted(fs)
    index: dict[EntityKind, list[IndexEntry]] = {k: [] for k in ENTITY_KINDS}
    for e in entries.values():
        index[e.kind].append(e)
    for kind in ENTITY_KINDS:
        index[kind].sort(key=lambda e: (styles.filing_key(e.name, lang), e.id))
    return index, unlinked
