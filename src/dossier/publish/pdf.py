"""The print edition: a compiled edition as one paged PDF volume, typeset by WeasyPrint.

What it is for: `write_pdf(compiled, out, report)` (called by `dossier build`) writes `edition.pdf`
as a printed documentary volume would be laid out: title page, front matter paged in roman numerals
(contents, preface, abbreviations, list of documents with page numbers), chapters of numbered
documents (heading in the style's form, dateline, text, source note or legend, footnotes at the foot
of the page), appendix, and indices of names, places and organisations giving document numbers and
the pages those documents begin on. Running heads, hyphenation in the document's language, A4 or US
Letter (`paper=` or `meta.extra["paper"]`). A translation is printed after its original, under its
number, with a "Translation" label and its translator; photographs are figures with caption and
credit; the front matter lists the illustrations (with pages) and the archives and fonds cited.

How: Python turns the compiled edition into plain view objects (numbers, words, the body tree);
Jinja2 templates in `print_templates/` (autoescaped) make the HTML and hold the print CSS; WeasyPrint
lays it out. Page numbers come from CSS (`target-counter`), never from a second pass in Python.
WeasyPrint fetches nothing from the network: `LocalOnlyFetcher` refuses every URL that is not a local
file or inline data. The bytes are deterministic: no creation date is written, no random file id.

What it is not: the web edition (`publish.html`), the wording rules of a tradition (headings, dates,
legends and filing come from `dossier.compile.styles` through the compiled edition), or a place that
changes a document's text: bodies are rendered as given.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .. import i18n, markup
from ..compile import styles
from ..compile.edition import CompiledEdition, IndexEntry
from ..model import ENTITY_KINDS, Document, Illustration
from ..report import Report

TEMPLATES = Path(__file__).with_name("print_templates")
PAPERS: dict[str, str] = {"a4": "A4", "letter": "letter", "us-letter": "letter", "usletter": "letter"}

logger = logging.getLogger(__name__)


# --- interface words ------------------------------------------------------------------------------


def translator(lang: str) -> Callable[[str], str]:
    """The `_` the templates call for interface words: `dossier.i18n`'s catalogs."""
    return i18n.translator(lang).gettext


# --- the network stays shut -----------------------------------------------------------------------


class LocalOnlyFetcher(URLFetcher):
    """WeasyPrint's fetcher for this edition: local files and data: URLs only, never the network.

    Refused URLs are kept in `refused`, so the build can report them; WeasyPrint leaves the resource out.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        scheme = url.split(":", 1)[0].lower()
        if scheme not in ("file", "data"):
            self.refused.append(url)
            raise ValueError(f"dossier's print edition fetches no network resources (refused {url})")
        return super().fetch(url, headers)


# --- view objects ---------------------------------------------------------------------------------


@dataclass
class NoteView:
    number: int
    inlines: list[markup.Inline]


@dataclass
class DocView:
    """One document as the print templates need it."""

    id: str
    anchor: str
    n: int | None
    label: str  # "12." / "№ 12."
    short_label: str  # for the running head: "No. 12" / "№ 12"
    heading: str  # plain text, for the list of documents
    heading_inlines: list[markup.Inline]  # the heading as written (it may hold marks)
    dateline: str
    date_line: str  # the editor's date when no dateline was printed
    lang: str
    blocks: list[markup.Block]
    notes: dict[str, NoteView]
    source_note: NoteView | None
    source_blocks: list[markup.Block]
    legend: list[str]
    illustrations: list[dict[str, Any]]
    translation: str  # the "Translation" label of a translation ("" for an original)
    translator: str  # "Translated by ..." ("" when not known)
    list_date: str
    translations: list[DocView] = field(default_factory=list)  # printed after the original
    composed: bool = False  # the heading was composed by the style (it carries place and date)


@dataclass
class ChapterView:
    anchor: str
    title: str
    n: int | None
    documents: list[DocView]


@dataclass
class IndexRef:
    anchor: str
    n: int | None


@dataclass
class IndexLine:
    name: str
    dates: str
    description: str
    see: str
    refs: list[IndexRef]
    sep: str = ", "  # between the name and its annotation: ", " (frus) or " — " (soviet)


@dataclass
class IndexSection:
    anchor: str
    title: str
    lines: list[IndexLine]


@dataclass
class Volume:
    """Everything the edition template reads."""

    lang: str
    style: str
    paper: str
    meta: Any
    editors: list[dict[str, str]]
    preface: list[markup.Block]
    chapters: list[ChapterView]
    indices: list[IndexSection]
    abbreviations: list[tuple[str, str]]
    appendix: list[dict[str, Any]]
    words: dict[str, str] = field(default_factory=dict)
    illustrations: list[dict[str, Any]] = field(default_factory=list)  # the list of illustrations
    archives: list[dict[str, Any]] = field(default_factory=list)  # the list of archives and fonds


def _anchor(prefix: str, ident: str) -> str:
    return prefix + re.sub(r"[^\w.\-]", "_", ident)


def credit(ill: Illustration) -> str:
    """Photographer and agency as printed: "Фото: Б. Комесаров, ТАСС" (the agency once)."""
    if ill.agency and ill.agency not in ill.credit:
        return ", ".join(x for x in (ill.credit, ill.agency) if x)
    return ill.credit


def _notes_of(blocks: list[markup.Block]) -> tuple[list[markup.Block], dict[str, list[markup.Inline]]]:
    """The body without note definitions, and the definitions by label (fenced divs searched too)."""
    defs: dict[str, list[markup.Inline]] = {}

    def strip(bs: list[markup.Block]) -> list[markup.Block]:
        kept = []
        for b in bs:
            if b.kind == "note":
                defs.setdefault(b.label, b.inlines)
            elif b.kind == "div":
                kept.append(markup.Block("div", blocks=strip(b.blocks), label=b.label, line=b.line))
            else:
                kept.append(b)
        return kept

    return strip(blocks), defs


def _doc_view(d: Document, compiled: CompiledEdition, _: Callable[[str], str], report: Report,
              first_note: int = 0) -> DocView:
    """One document as printed; `first_note`: footnotes continue from there (a translation after its original)."""
    style = compiled.style
    lang = d.language or compiled.lang
    try:
        blocks = markup.parse(d.body)
    except markup.MarkupError as exc:
        report.error(d.path or d.id, f"print edition: {exc.message}", exc.line)
        blocks = [markup.Block("p", [markup.Text(d.body)])]
    body, defs = _notes_of(blocks)
    source_blocks: list[markup.Block] = []
    if d.source:
        try:
            source_blocks = [b for b in markup.parse(d.source) if b.kind != "note"]
        except markup.MarkupError:
            source_blocks = [markup.Block("p", [markup.Text(d.source)])]
    number = first_note
    source_note: NoteView | None = None
    # FRUS prints the source note as the first footnote, on the heading; the Soviet tradition prints
    # the legend after the text.
    if style.source_note_first and source_blocks:
        number += 1
        inlines: list[markup.Inline] = []
        for i, b in enumerate(source_blocks):
            if i:
                inlines.append(markup.Text(" "))
            inlines.extend(b.inlines)
        source_note = NoteView(number, inlines)
        source_blocks = []
    notes: dict[str, NoteView] = {}
    for label, _line in markup.note_refs(body):
        if label in notes:
            continue
        if label not in defs:
            continue  # printed without a footnote; compile reports it (rules.document_problems)
        number += 1
        notes[label] = NoteView(number, defs[label])
    n = d.n
    tr = compiled.tr
    label, short = styles.doc_label(style, n), styles.short_label(style, n, tr)
    heading_src = compiled.heading(d)
    try:
        heading_inlines = [i for b in markup.parse(heading_src) for i in b.inlines]
    except markup.MarkupError:
        heading_inlines = [markup.Text(d.heading)]
    heading = markup.inline_text(heading_inlines)
    # an image that is missing or no image was reported by compile: its caption and credit still print
    ills = [{"src": ("images/" + e.ill.file) if e.ok else "", "caption": e.ill.caption, "anchor": e.anchor,
             "credit": credit(e.ill)} for e in compiled.illustrations_of(d)]
    is_translation = compiled.is_translation(d)
    translation = _("Translation") if is_translation else ""
    translated_by = _("Translated by %(name)s") % {"name": d.translator} if is_translation and d.translator else ""
    return DocView(
        id=d.id, anchor=_anchor("doc-", d.id), n=n, label=label, short_label=short, heading=heading,
        heading_inlines=heading_inlines, dateline=d.dateline.strip(),
        # a composed heading carries the date; an editor's heading without a dateline is followed by it
        # a translation without a date of its own follows its original, whose date stands: no "Undated"
        date_line="" if d.dateline.strip() or compiled.heading_is_composed(d)
        or (is_translation and d.date.is_undated) else compiled.date_text(d),
        lang=lang, blocks=body, notes=notes, source_note=source_note, source_blocks=source_blocks,
        legend=styles.legend_lines(d.legend, style, tr), illustrations=ills, translation=translation,
        translator=translated_by, list_date=compiled.date_text(d), composed=compiled.heading_is_composed(d),
    )


def _life_dates(e: IndexEntry) -> str:
    if e.born or e.died:
        return f"{e.born or '?'}–{e.died or ''}".rstrip("–") if e.born and not e.died else f"{e.born or '?'}–{e.died}"
    return ""


def _index_sections(compiled: CompiledEdition, anchors: dict[str, tuple[str, int | None]],
                    _: Callable[[str], str]) -> list[IndexSection]:
    """The indices. A number is given once (an original and its translation share it), with the page of
    the first of the two that mentions the entry."""
    titles = {"person": _("Index of names"), "place": _("Index of places"), "org": _("Index of organisations")}
    by_id = compiled.entries_by_id()
    sections = []
    for kind in ENTITY_KINDS:
        lines = []
        for e in compiled.index[kind]:
            see = ""
            if e.see:
                target = by_id.get(e.see)
                see = target.name if target else e.see
            refs: list[IndexRef] = []
            for doc_id in e.documents:
                if doc_id in anchors and all(r.n != anchors[doc_id][1] for r in refs):
                    refs.append(IndexRef(*anchors[doc_id]))
            if not refs and not see:
                continue
            lines.append(IndexLine(name=e.name, dates=_life_dates(e), description=e.description, see=see,
                                   refs=refs, sep=compiled.style.index_sep))
        if lines:
            sections.append(IndexSection(anchor=f"index-{kind}", title=titles[kind], lines=lines))
    return sections


def volume(compiled: CompiledEdition, report: Report, paper: str | None = None) -> Volume:
    """The view of the whole volume the templates render."""
    meta = compiled.meta
    lang = compiled.lang
    style = compiled.style.name
    _ = translator(lang)
    chosen = (paper or str(meta.extra.get("paper") or "a4")).strip().lower()
    if chosen not in PAPERS:
        report.warn("dossier.toml", f"paper {chosen!r} is not a4 or letter; the PDF uses A4")
        chosen = "a4"
    chapters = []
    anchors: dict[str, tuple[str, int | None]] = {}
    for c in compiled.chapters:
        docs = []
        for d in c.documents:
            if compiled.is_translation(d):
                continue  # printed after its original
            dv = _doc_view(d, compiled, _, report)
            anchors[dv.id] = (dv.anchor, dv.n)
            last = len(dv.notes) + (1 if dv.source_note else 0)
            for t in compiled.translations_of(d):
                tv = _doc_view(t, compiled, _, report, first_note=last)
                last += len(tv.notes) + (1 if tv.source_note else 0)
                anchors[tv.id] = (tv.anchor, tv.n)
                dv.translations.append(tv)
            docs.append(dv)
        title = c.chapter.title
        if c.chapter.id == "_documents":
            title = _(title)
        chapters.append(ChapterView(anchor=_anchor("ch-", c.chapter.id), title=title, n=c.chapter.n,
                                    documents=docs))
    preface = markup.parse(meta.preface) if meta.preface else []
    appendix = []
    for item in compiled.edition.appendix:
        try:
            blocks, defs = _notes_of(markup.parse(item.body))
        except markup.MarkupError as exc:
            report.error(item.path or item.id, f"print edition: {exc.message}", exc.line)
            continue
        notes = {label: NoteView(i + 1, inl) for i, (label, inl) in enumerate(defs.items())}
        appendix.append({"anchor": _anchor("app-", item.id), "title": item.title, "blocks": blocks,
                         "notes": notes})
    abbreviations = sorted(((a.abbr, a.expansion) for a in compiled.edition.registers.abbreviations),
                           key=lambda x: x[0].casefold())
    illustrations = [{"anchor": e.anchor, "n": e.n, "caption": e.ill.caption or e.ill.file, "credit": credit(e.ill),
                      "label": styles.doc_label(compiled.style, e.doc.n)}
                     for e in compiled.illustrations if e.doc.id in anchors]
    archives = [{"name": a.name, "expansion": a.expansion, "collections": a.collections,
                 "documents": sorted({n for x in a.documents if x in anchors and (n := anchors[x][1]) is not None})}
                for a in compiled.archives]
    return Volume(lang=lang, style=style, paper=PAPERS[chosen], meta=meta, editors=list(meta.editors),
                  preface=preface, chapters=chapters, indices=_index_sections(compiled, anchors, _),
                  abbreviations=abbreviations, appendix=appendix, illustrations=illustrations, archives=archives)


# --- rendering ------------------------------------------------------------------------------------


def _kind(node: object) -> str:
    return type(node).__name__


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["kind"] = _kind
    env.filters["inline_text"] = markup.inline_text
    return env


def render_html(compiled: CompiledEdition, report: Report | None = None, paper: str | None = None) -> str:
    """The HTML of the print edition, with its CSS inline: what WeasyPrint lays out."""
    report = report if report is not None else Report()
    vol = volume(compiled, report, paper)
    _ = translator(vol.lang)
    return environment().get_template("edition.html.j2").render(vol=vol, _=_)


def html_to_pdf(html: str, base_url: str, report: Report | None = None) -> bytes:
    """Lay the HTML out and return the PDF bytes (no dates, no random id: identical for identical HTML)."""
    fetcher = LocalOnlyFetcher()
    # Without the system's HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools, which stamps each
    # font's `head.modified` with the time of day unless SOURCE_DATE_EPOCH is set: fix it, so that the
    # same edition gives the same bytes on any machine.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    data = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
    if report is not None:
        for url in fetcher.refused:
            report.warn("edition.pdf", f"left out {url}: the print edition fetches nothing from the network")
    return bytes(data)


def write_pdf(compiled: CompiledEdition, out: Path, report: Report, paper: str | None = None) -> Path:
    """Write the print edition to `out` (e.g. OUT/edition.pdf)."""
    html = render_html(compiled, report, paper)
    root = Path(compiled.edition.root or ".").resolve()
    data = html_to_pdf(html, base_url=root.as_uri() + "/", report=report)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out
