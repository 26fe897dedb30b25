"""The static web edition: `write_site(compiled, out, report)` writes OUT/site/ from a compiled edition.

What it is for: turning a `CompiledEdition` into pages a reader opens from disk (relative links only,
no server, no network, system fonts): the title page with the table of contents, a page per chapter
and per document (numbered heading, dateline, text, source note or legend, notes numbered per
document, previous/next), the list of documents, the indexes of names, places and organisations,
the abbreviations and the appendix. Every marked mention links to its index entry, every index entry
links back to the documents by number. Output is deterministic: the same edition gives byte-identical
files (everything sorted, no timestamps).

How: this module prepares plain view data (numbers, relative URLs, parsed markup trees) and hands it
to the Jinja2 templates in `templates/` (autoescaped), which hold all the HTML and walk the markup
tree with macros. Interface words come from the gettext catalogs through `dossier.i18n` in the
edition's first language.

What it is not: the place for HTML strings or interface words (templates and catalogs), for
numbering, ordering or building the indexes (that is `dossier.compile`), or for a server.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .. import markup
from ..compile import styles
from ..compile.edition import CompiledEdition, IndexEntry
from ..i18n import Translator, translator
from ..model import ENTITY_KINDS, Abbreviation, DateRange, Document, EntityKind
from ..report import Problem, Report

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

# Where each index lives in the site, and the template key for its title.
INDEX_PAGES: dict[EntityKind, str] = {"person": "persons.html", "place": "places.html", "org": "organizations.html"}
DOCS_DIR = "documents"
CHAPTERS_DIR = "chapters"
IMAGES_DIR = "images"
STATIC_DIR = "static"
LIST_PAGE = "documents.html"
ABBR_PAGE = "abbreviations.html"
APPENDIX_PAGE = "appendix.html"
ILLUSTRATIONS_PAGE = "illustrations.html"
ARCHIVES_PAGE = "archives.html"
SEARCH_PAGE = "search.html"
HOME = "index.html"


# --- urls ---------------------------------------------------------------------------------------


def relative_url(target: str, page: str, fragment: str = "") -> str:
    """The URL of `target` (a path under the site root) as written in `page` (also under the root)."""
    if fragment and target in ("", page):
        return "#" + quote(fragment, safe="-_.~")
    base = posixpath.dirname(page) or "."
    rel = posixpath.relpath(target, base) if target else posixpath.basename(page)
    url = quote(rel, safe="/.-_~")
    if fragment:
        url += "#" + quote(fragment, safe="-_.~")
    return url


def document_path(doc: Document) -> str:
    return f"{DOCS_DIR}/{doc.id}.html"


def chapter_path(chapter_id: str) -> str:
    return f"{CHAPTERS_DIR}/{chapter_id}.html"


# --- dates --------------------------------------------------------------------------------------


def format_doc_date(date: DateRange, lang: str) -> str:
    """A document's date in words in `lang` (the style's rules: brackets for an editor's date, the word
    for undated); see `dossier.compile.styles.format_date`."""
    return styles.format_date(date, lang, translator(lang))


# --- markup helpers -----------------------------------------------------------------------------


def parse_inlines(text: str) -> list[markup.Inline]:
    """One line of markup (a heading, a dateline) as inline nodes; unreadable markup stays as text."""
    if not text.strip():
        return []
    try:
        blocks = markup.parse(text)
    except markup.MarkupError:
        return [markup.Text(text)]
    nodes: list[markup.Inline] = []
    for i, b in enumerate(markup.iter_blocks(blocks)):
        if i:
            nodes.append(markup.Text(" "))
        nodes.extend(b.inlines)
    return nodes


def parse_blocks(text: str, where: str, report: Report) -> list[markup.Block]:
    if not text.strip():
        return []
    try:
        return markup.parse(text)
    except markup.MarkupError as exc:
        report.warn(where, f"markup not readable, printed as text: {exc}")
        return [markup.Block("p", [markup.Text(text)])]


def _walk_inlines(nodes: list[markup.Inline]) -> list[markup.Inline]:
    out: list[markup.Inline] = []
    for node in nodes:
        out.append(node)
        if isinstance(node, (markup.Emph, markup.MentionNode)):
            out.extend(_walk_inlines(node.children))
    return out


def _strip_number(nodes: list[markup.Inline], n: int | None) -> list[markup.Inline]:
    """Drop a number the heading already carries ("12. Telegram ...") so it is not printed twice."""
    if n is None or not nodes or not isinstance(nodes[0], markup.Text):
        return nodes
    m = re.match(rf"^\s*(?:№\s*)?{n}\.\s+", nodes[0].value)
    if not m:
        return nodes
    return [markup.Text(nodes[0].value[m.end():]), *nodes[1:]]


# --- the renderer a template walks a tree with --------------------------------------------------


@dataclass
class Note:
    n: int
    label: str
    inlines: list[markup.Inline]
    refs: list[str] = field(default_factory=list)  # ids of the references, for back-links
    id: str = ""


class Inlines:
    """What the markup macros ask while walking a tree on one page: where a mark links, a note's number.

    `linked=False` renders marks as plain highlighted text and drops note references (for headings in
    lists, which sit inside a link themselves).
    """

    def __init__(self, site: Site, page: str, notes: dict[str, Note] | None = None, linked: bool = True,
                 note_prefix: str = "") -> None:
        self.site = site
        self.page = page
        self.notes = notes or {}
        self.linked = linked
        self.note_prefix = note_prefix
        self._seen: dict[str, int] = {}

    def mention(self, node: markup.MentionNode) -> dict[str, str]:
        """kind, entry id, title (for hover) and href ('' when it resolves to nothing)."""
        return self.site.mention_link(node, self.page) if self.linked else \
            {"kind": node.kind, "entry": "", "title": "", "href": ""}

    def note_ref(self, label: str) -> dict[str, Any] | None:
        """Number, id and href of a note reference; each call is the next occurrence on the page."""
        if not self.linked:
            return None
        note = self.notes.get(label)
        if note is None:
            return None
        k = self._seen.get(label, 0) + 1
        self._seen[label] = k
        ref_id = f"{self.note_prefix}fnref{note.n}" + (f"-{k}" if k > 1 else "")
        if ref_id not in note.refs:
            note.refs.append(ref_id)
        return {"n": note.n, "id": ref_id, "href": "#" + note.id}

    def url(self, target: str, fragment: str = "") -> str:
        return relative_url(target, self.page, fragment)


def number_notes(blocks: list[markup.Block], extra: list[list[markup.Inline]], prefix: str = ""
                 ) -> dict[str, Note]:
    """Notes numbered 1, 2, ... in the order they are first referred to (heading, text, source)."""
    defs = {b.label: b for b in markup.iter_blocks(blocks) if b.kind == "note"}
    order: list[str] = []
    leaves = [b.inlines for b in markup.iter_blocks(blocks) if b.kind != "note"]
    for inl in [*extra[:1], *leaves, *extra[1:]]:
        for node in _walk_inlines(inl):
            if isinstance(node, markup.NoteRef) and node.label in defs and node.label not in order:
                order.append(node.label)
    # notes referred to from inside notes, then notes never referred to, in file order
    for label in list(order):
        for node in _walk_inlines(defs[label].inlines):
            if isinstance(node, markup.NoteRef) and node.label in defs and node.label not in order:
                order.append(node.label)
    order.extend(label for label in defs if label not in order)
    return {label: Note(i + 1, label, defs[label].inlines, id=f"{prefix}fn{i + 1}") for i, label in enumerate(order)}


# One Jinja environment per interface language for the life of the process: its compiled templates are
# reused by every later build (compiling them costs more than rendering a page).
_ENVIRONMENTS: dict[str, tuple[Translator, Environment]] = {}


def _environment(tr: Translator) -> Environment:
    key = tr.lang or ""
    cached = _ENVIRONMENTS.get(key)
    if cached is not None:
        return cached[1]
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, extensions=["jinja2.ext.i18n"],
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)
    env.install_gettext_callables(tr.gettext, tr.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.tests.update({
        "text_node": lambda n: isinstance(n, markup.Text),
        "break_node": lambda n: isinstance(n, markup.Break),
        "emph_node": lambda n: isinstance(n, markup.Emph),
        "mention_node": lambda n: isinstance(n, markup.MentionNode),
        "noteref_node": lambda n: isinstance(n, markup.NoteRef),
    })
    _ENVIRONMENTS[key] = (tr, env)
    return env


# --- the site -----------------------------------------------------------------------------------


class Site:
    """Everything the pages share: the edition, where each page and entry lives, the language."""

    def __init__(self, compiled: CompiledEdition, report: Report) -> None:
        self.compiled = compiled
        self.report = report
        self.meta = compiled.edition.meta
        self.lang = (self.meta.languages or ["en"])[0] or "en"
        self.tr = translator(self.lang)
        self.locale = self.tr.lang if self.tr.lang else "en"
        self.style = compiled.style.name
        self.entries = compiled.entries_by_id()
        self.docs = compiled.documents
        self.main = compiled.main_documents()  # the numbered series (translations sit beside originals)
        self.doc_by_id = {d.id: d for d in self.docs}
        self.main_at = {d.id: k for k, d in enumerate(self.main)}  # a document's place in the numbered series
        self.abbreviations = sorted(compiled.edition.registers.abbreviations,
                                    key=lambda a: (a.abbr.casefold(), a.abbr, a.id))
        self.abbr_ids = {a.id for a in self.abbreviations}
        self.abbr_by_text: dict[str, Abbreviation] = {}
        for a in self.abbreviations:
            self.abbr_by_text.setdefault(a.abbr.casefold(), a)
        self.abbr_by_id = {a.id: a for a in self.abbreviations}
        self.env = _environment(self.tr)

    # links -------------------------------------------------------------------------------------

    def mention_link(self, node: markup.MentionNode, page: str) -> dict[str, str]:
        if node.kind == "term":
            abbr = self.abbr_by_id.get(node.ref or "") or \
                self.abbr_by_text.get(markup.inline_text(node.children).strip().casefold())
            if abbr is None:
                return {"kind": "term", "entry": "", "title": "",
                        "href": relative_url(ABBR_PAGE, page) if self.abbreviations else ""}
            return {"kind": "term", "entry": "t:" + abbr.id, "title": abbr.expansion,
                    "href": relative_url(ABBR_PAGE, page, abbr.id)}
        entry_id = self.compiled.entry_for(node)
        entry = self.entries.get(entry_id or "")
        if entry is None:
            return {"kind": node.kind, "entry": "", "title": "", "href": ""}
        title = entry.name + (f", {entry.description}" if entry.description else "")
        return {"kind": node.kind, "entry": entry.id, "title": title,
                "href": relative_url(INDEX_PAGES[entry.kind], page, entry.id)}

    def entry_href(self, entry_id: str, page: str) -> str:
        entry = self.entries.get(entry_id)
        return relative_url(INDEX_PAGES[entry.kind], page, entry.id) if entry else ""

    # views -------------------------------------------------------------------------------------

    def doc_summary(self, doc: Document, page: str) -> dict[str, Any]:
        """Number, heading (marks as plain highlights), date and link, for lists and navigation."""
        return {"n": doc.n, "id": doc.id, "href": self.doc_href(doc, page),
                "heading": self.heading_nodes(doc), "date": self.compiled.date_text(doc),
                "subtype": doc.subtype}

    def doc_href(self, doc: Document, page: str) -> str:
        """Where a document is read: its page, or for a translation its place beside the original."""
        orig = self.compiled.original_of(doc)
        if orig is not None:
            return relative_url(document_path(orig), page, f"document-{doc.id}")
        return relative_url(document_path(doc), page)

    def heading_nodes(self, doc: Document) -> list[markup.Inline]:
        """The heading without its number: the editor's, else the one the style composes from the fields."""
        nodes = _strip_number(parse_inlines(self.compiled.heading(doc)), doc.n)
        if not nodes:
            nodes = [markup.Text(doc.type or doc.id)]
        return nodes

    def images(self, doc: Document, page: str) -> list[dict[str, Any]]:
        """The document's photographs; one whose file is missing or no image keeps its caption and credit."""
        return [{"src": relative_url(f"{IMAGES_DIR}/{e.ill.file}", page) if e.ok else "", "n": e.n,
                 "id": e.anchor, "caption": parse_inlines(e.ill.caption), "credit": e.ill.credit,
                 "agency": e.ill.agency if e.ill.agency not in e.ill.credit else ""}
                for e in self.compiled.illustrations_of(doc)]

    def parallel(self, doc: Document, body: list[markup.Block], r: Inlines, page: str
                 ) -> dict[str, Any] | None:
        """The original and its translations side by side, the nth paragraph of each beside the others."""
        translations = self.compiled.translations_of(doc)
        if not translations:
            return None
        columns = [{"id": f"document-{doc.id}", "lang": doc.language or self.lang, "label": self.tr.gettext("Original"),
                    "translator": "", "heading": [], "dateline": [], "r": r, "notes": [], "legend": []}]
        cells = [[b for b in body if b.kind != "note"]]
        for k, t in enumerate(translations, start=1):
            where = t.path or t.id
            t_body = parse_blocks(t.body, where, self.report)
            t_source = parse_blocks(t.source, where, self.report)
            prefix = f"t{k}-"
            heading = _strip_number(parse_inlines(t.heading), t.n) if t.heading.strip() else []
            notes = number_notes(t_body, [heading, *[b.inlines for b in markup.iter_blocks(t_source)]], prefix)
            columns.append({
                "id": f"document-{t.id}", "lang": t.language or self.lang, "label": self.tr.gettext("Translation"),
                "translator": self.tr.gettext("Translated by %(name)s") % {"name": t.translator} if t.translator else "",
                "heading": heading, "dateline": parse_inlines(t.dateline), "source": t_source,
                "r": Inlines(self, page, notes, note_prefix=prefix),
                "notes": sorted(notes.values(), key=lambda n: n.n),
                "legend": styles.legend_lines(t.legend, self.compiled.style, self.compiled.tr)})
            cells.append([b for b in t_body if b.kind != "note"])
        rows = [list(row) for row in zip_longest(*cells)]
        return {"columns": columns, "rows": rows}

    def chapter_of(self) -> dict[str, Any]:
        return {d.id: c for c in self.compiled.chapters for d in c.documents}

    def nav(self, page: str) -> dict[str, str]:
        """The links of the header on every page (only to sections that exist)."""
        links = {"home": relative_url(HOME, page), "list": relative_url(LIST_PAGE, page)}
        for kind in ENTITY_KINDS:
            if self.compiled.index[kind]:
                links[kind] = relative_url(INDEX_PAGES[kind], page)
        if self.abbreviations:
            links["abbreviations"] = relative_url(ABBR_PAGE, page)
        if self.compiled.edition.appendix:
            links["appendix"] = relative_url(APPENDIX_PAGE, page)
        if self.compiled.illustrations:
            links["illustrations"] = relative_url(ILLUSTRATIONS_PAGE, page)
        if self.compiled.archives:
            links["archives"] = relative_url(ARCHIVES_PAGE, page)
        links["search"] = relative_url(SEARCH_PAGE, page)
        return links

    def common(self, page: str) -> dict[str, Any]:
        return {"meta": self.meta, "lang": self.lang, "style": self.style, "page": page,
                "nav": self.nav(page), "css": relative_url(f"{STATIC_DIR}/edition.css", page),
                "js": relative_url(f"{STATIC_DIR}/edition.js", page), "plain": Inlines(self, page, linked=False)}

    # pages -------------------------------------------------------------------------------------

    def home(self) -> dict[str, Any]:
        page = HOME
        chapters = []
        for c in self.compiled.chapters:
            nums = [d.n for d in c.documents if d.n is not None]
            chapters.append({"n": c.chapter.n, "title": c.chapter.title, "href": relative_url(chapter_path(c.chapter.id), page),
                             "first": min(nums) if nums else None, "last": max(nums) if nums else None,
                             "count": len(c.documents)})
        preface = parse_blocks(self.meta.preface, "dossier.toml", self.report)
        notes = number_notes(preface, [], "pref-")
        return {**self.common(page), "chapters": chapters, "preface": preface,
                "r": Inlines(self, page, notes, note_prefix="pref-"),
                "notes": sorted(notes.values(), key=lambda n: n.n),
                "editors": [{"name": e.get("name", ""), "role": e.get("role", "")} for e in self.meta.editors],
                "volume_is_number": bool(re.fullmatch(r"[0-9IVXLCDM]+[a-z]?", self.meta.volume.strip())),
                "counts": {k: len(self.compiled.index[k]) for k in ENTITY_KINDS}, "documents": len(self.docs)}

    def chapter(self, i: int) -> tuple[str, dict[str, Any]]:
        c = self.compiled.chapters[i]
        page = chapter_path(c.chapter.id)
        prev_c = self.compiled.chapters[i - 1] if i > 0 else None
        next_c = self.compiled.chapters[i + 1] if i + 1 < len(self.compiled.chapters) else None

        def link(ch: Any) -> dict[str, Any] | None:
            return None if ch is None else {"title": ch.chapter.title, "n": ch.chapter.n,
                                            "href": relative_url(chapter_path(ch.chapter.id), page)}
        return page, {**self.common(page), "chapter": c.chapter,
                      "documents": [self.doc_summary(d, page) for d in c.documents],
                      "prev": link(prev_c), "next": link(next_c)}

    def document(self, i: int, chapters: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        doc = self.docs[i]
        page = document_path(doc)
        where = doc.path or doc.id
        body = parse_blocks(doc.body, where, self.report)
        source = parse_blocks(doc.source, where, self.report)
        heading = self.heading_nodes(doc)
        dateline = parse_inlines(doc.dateline)
        notes = number_notes(body, [heading, *[b.inlines for b in markup.iter_blocks(source)]])
        # a reference without its note is reported by compile (rules.document_problems), with its file line
        ch = chapters.get(doc.id)
        translation_of = self.doc_by_id.get(doc.translation_of) if doc.translation_of else None
        r = Inlines(self, page, notes)
        at = self.main_at.get(doc.id, -1)
        prev_doc = self.main[at - 1] if at > 0 else None
        next_doc = self.main[at + 1] if 0 <= at < len(self.main) - 1 else None
        return page, {
            **self.common(page), "doc": doc, "heading": heading, "dateline": dateline,
            # a composed heading carries the date already
            "date": "" if self.compiled.heading_is_composed(doc) and not doc.dateline else
            self.compiled.date_text(doc), "composed": self.compiled.heading_is_composed(doc),
            "body": body, "source": source,
            "source_text": markup.plain_text(source).strip(),
            "legend": doc.legend, "has_legend": not doc.legend.is_empty(),
            "legend_lines": styles.legend_lines(doc.legend, self.compiled.style, self.compiled.tr),
            "notes": sorted(notes.values(), key=lambda n: n.n),
            "r": r, "images": self.images(doc, page),
            "viewer_js": relative_url(f"{STATIC_DIR}/viewer.js", page),
            "viewer_css": relative_url(f"{STATIC_DIR}/viewer.css", page),
            "parallel": self.parallel(doc, body, r, page),
            "chapter": None if ch is None else {"title": ch.chapter.title, "n": ch.chapter.n,
                                                "href": relative_url(chapter_path(ch.chapter.id), page)},
            "prev": self.doc_summary(prev_doc, page) if prev_doc is not None else None,
            "next": self.doc_summary(next_doc, page) if next_doc is not None else None,
            "translation_of": None if translation_of is None else self.doc_summary(translation_of, page),
        }

    def translation_stub(self, doc: Document) -> dict[str, Any]:
        """A translation's own address leads to its column beside the original."""
        page = document_path(doc)
        orig = self.compiled.original_of(doc)
        return {**self.common(page), "doc": doc, "heading": self.heading_nodes(doc),
                "target": self.doc_href(doc, page), "original": self.doc_summary(orig, page) if orig else None}

    def illustrations_page(self) -> dict[str, Any]:
        page = ILLUSTRATIONS_PAGE
        items = []
        for e in self.compiled.illustrations:
            items.append({"n": e.n, "id": e.anchor, "caption": parse_inlines(e.ill.caption), "credit": e.ill.credit,
                          "agency": e.ill.agency if e.ill.agency not in e.ill.credit else "",
                          "src": relative_url(f"{IMAGES_DIR}/{e.ill.file}", page) if e.ok else "",
                          "doc": self.doc_summary(e.doc, page),
                          "href": relative_url(document_path(self.compiled.original_of(e.doc) or e.doc), page, e.anchor)})
        return {**self.common(page), "items": items}

    def archives_page(self) -> dict[str, Any]:
        page = ARCHIVES_PAGE
        items = []
        for a in self.compiled.archives:
            docs: list[dict[str, Any]] = []
            for doc_id in a.documents:
                d = self.doc_by_id.get(doc_id)
                if d is not None and all(x["n"] != d.n for x in docs):
                    docs.append({"n": d.n, "href": self.doc_href(d, page)})
            items.append({"name": a.name, "expansion": a.expansion, "collections": a.collections, "documents": docs})
        return {**self.common(page), "items": items}

    def document_list(self) -> dict[str, Any]:
        page = LIST_PAGE
        groups = [{"chapter": c.chapter, "href": relative_url(chapter_path(c.chapter.id), page),
                   "documents": [self.doc_summary(d, page) for d in c.documents if not self.compiled.is_translation(d)]}
                  for c in self.compiled.chapters]
        return {**self.common(page), "groups": groups}

    def index_page(self, kind: EntityKind) -> dict[str, Any]:
        page = INDEX_PAGES[kind]
        letters: list[dict[str, Any]] = []
        for entry in self.compiled.index[kind]:
            letter = _initial(entry.name)
            if not letters or letters[-1]["letter"] != letter:
                letters.append({"letter": letter, "id": "letter-" + str(len(letters) + 1), "entries": []})
            letters[-1]["entries"].append(self.entry_view(entry, page))
        return {**self.common(page), "kind": kind, "letters": letters,
                "count": len(self.compiled.index[kind])}

    def entry_view(self, entry: IndexEntry, page: str) -> dict[str, Any]:
        docs: list[dict[str, Any]] = []
        for doc_id in entry.documents:  # an original and its translation share a number: given once
            doc = self.doc_by_id.get(doc_id)
            if doc is not None and all(x["n"] != doc.n for x in docs):
                docs.append({"n": doc.n, "href": self.doc_href(doc, page)})
        see = None
        if entry.see:
            target = self.entries.get(entry.see)
            see = {"name": target.name if target else entry.see, "href": self.entry_href(entry.see, page)}
        name_key = markup.inline_text([markup.Text(entry.name)]).casefold()
        variants = sorted({v for v in entry.variants if v.strip() and v.casefold() != name_key},
                          key=lambda v: (v.casefold(), v))
        return {"id": entry.id, "name": entry.name, "description": entry.description, "born": entry.born,
                "died": entry.died, "variants": variants, "documents": docs, "see": see,
                "status": entry.status}

    def abbreviations_page(self) -> dict[str, Any]:
        return {**self.common(ABBR_PAGE), "abbreviations": self.abbreviations}

    def appendix_page(self) -> dict[str, Any]:
        page = APPENDIX_PAGE
        items = []
        for k, item in enumerate(self.compiled.edition.appendix):
            blocks = parse_blocks(item.body, item.path or item.id, self.report)
            prefix = f"a{k + 1}-"
            notes = number_notes(blocks, [], prefix)
            items.append({"id": item.id, "title": item.title, "blocks": blocks,
                          "notes": sorted(notes.values(), key=lambda n: n.n), "r": Inlines(self, page, notes, note_prefix=prefix)})
        return {**self.common(page), "items": items}

    # writing -----------------------------------------------------------------------------------

    def render(self, template: str, context: dict[str, Any]) -> str:
        return self.env.get_template(template).render(context)

    def search_page(self) -> dict[str, Any]:
        page = SEARCH_PAGE
        return {**self.common(page), "manifest": relative_url("search/manifest.js", page),
                "search_js": relative_url(f"{STATIC_DIR}/search.js", page)}

    def page_plan(self) -> list[tuple[str, str, Callable[[], dict[str, Any]]]]:
        """(path under the site root, template, a function making its context) of every page, in order."""
        plan: list[tuple[str, str, Callable[[], dict[str, Any]]]] = [
            (HOME, "home.html", self.home), (LIST_PAGE, "documents.html", self.document_list)]
        for i in range(len(self.compiled.chapters)):
            plan.append((chapter_path(self.compiled.chapters[i].chapter.id), "chapter.html",
                         lambda i=i: self.chapter(i)[1]))  # type: ignore[misc]
        chapters = self.chapter_of()
        for i in range(len(self.docs)):
            if self.compiled.is_translation(self.docs[i]):
                plan.append((document_path(self.docs[i]), "translation.html",
                             lambda i=i: self.translation_stub(self.docs[i])))  # type: ignore[misc]
                continue
            plan.append((document_path(self.docs[i]), "document.html",
                         lambda i=i: self.document(i, chapters)[1]))  # type: ignore[misc]
        for kind in ENTITY_KINDS:
            if self.compiled.index[kind]:
                plan.append((INDEX_PAGES[kind], "register.html", lambda kind=kind: self.index_page(kind)))  # type: ignore[misc]
        if self.abbreviations:
            plan.append((ABBR_PAGE, "abbreviations.html", self.abbreviations_page))
        if self.compiled.edition.appendix:
            plan.append((APPENDIX_PAGE, "appendix.html", self.appendix_page))
        if self.compiled.illustrations:
            plan.append((ILLUSTRATIONS_PAGE, "illustrations.html", self.illustrations_page))
        if self.compiled.archives:
            plan.append((ARCHIVES_PAGE, "archives.html", self.archives_page))
        plan.append((SEARCH_PAGE, "search.html", self.search_page))
        return plan

    def pages(self) -> list[tuple[str, str]]:
        """(path under the site root, HTML) of every page, in a fixed order."""
        return [(rel, self.render(template, make())) for rel, template, make in self.page_plan()]


class PageStore(Protocol):
    """What an incremental build offers `write_site` (see `dossier.cache`): which pages are current."""

    def current(self, rel: str) -> list[Problem] | None:
        """The problems rendering `rel` reported last time if the page on disk is up to date, else None."""

    def rendered(self, rel: str, problems: list[Problem]) -> None:
        """`rel` was rendered now, reporting `problems`."""

    def search_terms(self) -> tuple[MutableMapping[str, Any], dict[str, str]] | None:
        """(cache of each document's search terms by content hash, document id -> content hash)."""

    def search_state(self) -> Path | None:
        """A file where the search index keeps its postings between builds (None: none)."""


def _no_progress(items: Iterable[Any], label: str, total: int | None = None) -> Iterator[Any]:
    yield from items


def _initial(name: str) -> str:
    """The letter an index entry is filed under (ё under е, as the filing key does)."""
    for ch in name:
        if ch.isalpha():
            up = ch.upper()
            return "Е" if up == "Ё" else up
    return "#"


def write_site(compiled: CompiledEdition, out: Path, report: Report,
               progress: Callable[[Iterable[Any], str, int | None], Iterator[Any]] = _no_progress,
               store: PageStore | None = None) -> None:
    """Write the static site into `out` (OUT/site): HTML pages, static files, the documents' images and
    the search index. With a `store` (an incremental build), pages it says are current are not
    rendered again; files whose bytes did not change are never rewritten."""
    from .static_search import write_if_changed, write_index

    site = Site(compiled, report)
    plan = site.page_plan()
    out.mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    rendered = 0
    for rel, template, make in progress(plan, "Pages", len(plan)):
        written.add(rel)
        cached = store.current(rel) if store is not None and (out / rel).exists() else None
        if cached is not None:
            report.extend(cached)
            continue
        before = len(report.problems)
        html = site.render(template, make())
        write_if_changed(out / rel, html)
        rendered += 1
        if store is not None:
            store.rendered(rel, report.problems[before:])
    # pages of documents or chapters that are gone from the edition would be dead ends: remove them
    for sub in (DOCS_DIR, CHAPTERS_DIR):
        for old in sorted((out / sub).glob("*.html")):
            if f"{sub}/{old.name}" not in written:
                old.unlink()
    (out / STATIC_DIR).mkdir(exist_ok=True)
    for src in sorted(STATIC.iterdir()):
        if src.is_file():
            _copy_if_changed(src, out / STATIC_DIR / src.name)
    root = Path(compiled.edition.root) if compiled.edition.root else None
    for e in compiled.illustrations:  # compile reported the files that are missing or no image
        if e.ok and root is not None:
            dest = out / IMAGES_DIR / e.ill.file
            dest.parent.mkdir(parents=True, exist_ok=True)
            _copy_if_changed(root / IMAGES_DIR / e.ill.file, dest)
    terms, keys = (store.search_terms() if store is not None else None) or (None, None)
    counts = write_index(compiled, out, site.locale, terms, keys,
                         state_path=store.search_state() if store is not None else None)
    if store is not None:
        report.stats.setdefault("cache", {}).update({"pages_rendered": rendered, "pages_reused": len(plan) - rendered,
                                                     **counts})


def _copy_if_changed(src: Path, dest: Path) -> None:
    try:
        if dest.stat().st_size == src.stat().st_size and dest.read_bytes() == src.read_bytes():
            return
    except FileNotFoundError:
        pass
    shutil.copyfile(src, dest)
