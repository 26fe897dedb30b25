"""The print edition: a compiled edition as one paged PDF volume, typeset by WeasyPrint.

What it is for: `write_pdf(compiled, out, report)` (called by `dossier build`) writes `edition.pdf`
as a printed documentary volume would be laid out: title page, front matter paged in roman numerals
(contents, preface, abbreviations, list of documents with page numbers), chapters of numbered
documents (heading in the style's form, dateline, text, source note or legend, footnotes at the foot
of the page), appendix, and indices of names, places and organisations giving document numbers and
the pages those documents begin on. Running heads, hyphenation in the document's language, A4 or US
Letter (`paper=` or `meta.extra["paper"]`).

How: Python turns the compiled edition into plain view objects (numbers, words, the body tree);
Jinja2 templates in `print_templates/` (autoescaped) make the HTML and hold the print CSS; WeasyPrint
lays it out. Page numbers come from CSS (`target-counter`), never from a second pass in Python.
WeasyPrint fetches nothing from the network: `LocalOnlyFetcher` refuses every URL that is not a local
file or inline data. The bytes are deterministic: no creation date is written, no random file id.

What it is not: the web edition (`publish.html`), the wording rules of a tradition beyond the few
the print apparatus needs, or a place that changes a document's text: bodies are rendered as given.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .. import i18n, markup
from ..compile.edition import CompiledEdition, IndexEntry
from ..model import ENTITY_KINDS, Document, SourceLegend
from ..report import Report

TEMPLATES = Path(__file__).with_name("print_templates")
PAPERS: dict[str, str] = {"a4": "A4", "letter": "letter", "us-letter": "letter", "usletter": "letter"}

# Interface words of the print apparatus that `dossier.i18n`'s catalogs do not (yet) hold, in Russian.
# The English message id is the English word; a catalog translation, when there is one, wins.
_FALLBACK_RU: dict[str, str] = {
    "Preface": "Предисловие",
    "List of documents": "Перечень документов",
    "Index of names": "Именной указатель",
    "Index of places": "Географический указатель",
    "Index of organisations": "Указатель организаций",
    "Appendix": "Приложение",
    "Other documents": "Другие документы",
    "Translation": "Перевод",
    "Numbers refer to documents; page numbers follow in parentheses.":
        "Цифры означают номера документов; в скобках указаны страницы.",
}

# Legend fields in citation order, with the catalog's message for each label ("" = printed bare).
_LEGEND_RU = (("archive", ""), ("fond", "f."), ("opis", "op."), ("delo", "d."), ("list", "l."))
_LEGEND_US = (("repository", ""), ("record_group", "RG"), ("lot_file", "Lot"), ("box", "Box"), ("folder", "Folder"))

logger = logging.getLogger(__name__)


# --- interface words ------------------------------------------------------------------------------


def translator(lang: str) -> Callable[[str], str]:
    """The `_` the templates call for interface words: `dossier.i18n`'s catalogs, then the words above."""
    return _with_fallback(i18n.translator(lang).gettext, lang)


def _with_fallback(gettext: Callable[[str], str], lang: str) -> Callable[[str], str]:
    words = _FALLBACK_RU if lang.startswith("ru") else {}

    def _(message: str) -> str:
        out = gettext(message)
        if out == message and message in words:
            return words[message]
        return out

    return _


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
    illustrations: list[dict[str, str]]
    translation: str
    list_date: str


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


def _anchor(prefix: str, ident: str) -> str:
    return prefix + re.sub(r"[^\w.\-]", "_", ident)


def _format_date(d: Document, lang: str, _: Callable[[str], str]) -> str:
    """The document's date in words in the edition's language, in brackets when the editor inferred it."""
    date = d.date
    if date.is_undated:
        return date.text or _("Undated")
    try:
        from babel.dates import format_date

        day = _dt.date.fromisoformat(date.start or "")
        fmt = {"day": "long", "month": "LLLL y", "year": "y"}.get(date.precision, "long")
        text = format_date(day, fmt, locale=lang.replace("-", "_") or "en")
        if date.end and date.end != date.start and date.precision == "day":
            text = f"{text} – {format_date(_dt.date.fromisoformat(date.end), fmt, locale=lang.replace('-', '_'))}"
    except Exception:  # noqa: BLE001 - an unknown locale still prints the ISO date
        text = date.start or ""
    return f"[{text}]" if date.inferred else text


def _compose_heading(d: Document, _: Callable[[str], str]) -> str:
    """The heading when the editor wrote none: type, author, addressee, as the tradition orders them."""
    parts = [d.type.capitalize()] if d.type else []
    if d.authors:
        parts.append(("From " if not d.language.startswith("ru") else "") + ", ".join(d.authors))
    if d.addressees:
        parts.append(("to " if not d.language.startswith("ru") else "") + ", ".join(d.addressees))
    return " ".join(parts) or d.id


def _legend_lines(legend: SourceLegend, lang: str, _: Callable[[str], str]) -> list[str]:
    """The archival legend as printed lines: the citation, then original/copy and reproduction."""
    if legend.is_empty():
        return []
    lines: list[str] = []
    if legend.text:
        lines.append(legend.text)
    sep = ". " if lang.startswith("ru") else ", "
    for fields_ in (_LEGEND_RU, _LEGEND_US):
        cite = [(f"{_(label)} " if label else "") + getattr(legend, key).strip()
                for key, label in fields_ if getattr(legend, key).strip()]
        if cite:
            lines.append(sep.join(c.rstrip(".") for c in cite) + ".")
    physical = [x.strip().rstrip(".") for x in (legend.original, legend.reproduction) if x.strip()]
    physical = [x[:1].upper() + x[1:] for x in physical]
    if physical:
        lines.append(". ".join(physical) + ".")
    for key, value in legend.extra:
        if value:
            lines.append(f"{value}" if key in ("note", "published") else f"{key}: {value}")
    return lines


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


def _doc_view(d: Document, style: str, edition_lang: str, _: Callable[[str], str], report: Report) -> DocView:
    lang = d.language or edition_lang
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
    number = 0
    source_note: NoteView | None = None
    # FRUS prints the source note as the first footnote, on the heading; the Soviet tradition prints
    # the legend after the text.
    if style != "soviet" and source_blocks:
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
            report.warn(d.path or d.id, f"note [^{label}] has no text; printed without a footnote")
            continue
        number += 1
        notes[label] = NoteView(number, defs[label])
    n = d.n
    if style == "soviet":
        label, short = (f"№\u00a0{n}." if n is not None else ""), (f"№\u00a0{n}" if n is not None else "")
    else:
        label, short = (f"{n}." if n is not None else ""), (f"{_('No.')}\u00a0{n}" if n is not None else "")
    heading_src = d.heading.strip() or markup.escape(_compose_heading(d, _))
    try:
        heading_inlines = [i for b in markup.parse(heading_src) for i in b.inlines]
    except markup.MarkupError:
        heading_inlines = [markup.Text(d.heading)]
    heading = markup.inline_text(heading_inlines)
    ills = [{"src": i.file if "/" in i.file else "images/" + i.file, "caption": i.caption, "credit": i.credit or i.agency} for i in d.illustrations]
    translation = ""
    if d.translation_of or d.translator:
        translation = _("Translation") + (f" ({d.translator})" if d.translator else "")
    return DocView(
        id=d.id, anchor=_anchor("doc-", d.id), n=n, label=label, short_label=short, heading=heading,
        heading_inlines=heading_inlines,
        dateline=d.dateline.strip(), date_line="" if d.dateline.strip() else _format_date(d, edition_lang, _),
        lang=lang, blocks=body, notes=notes, source_note=source_note, source_blocks=source_blocks,
        legend=_legend_lines(d.legend, edition_lang, _), illustrations=ills, translation=translation,
        list_date=_format_date(d, edition_lang, _),
    )


def _life_dates(e: IndexEntry) -> str:
    if e.born or e.died:
        return f"{e.born or '?'}–{e.died or ''}".rstrip("–") if e.born and not e.died else f"{e.born or '?'}–{e.died}"
    return ""


def _index_sections(compiled: CompiledEdition, anchors: dict[str, tuple[str, int | None]],
                    _: Callable[[str], str]) -> list[IndexSection]:
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
            refs = [IndexRef(*anchors[doc_id]) for doc_id in e.documents if doc_id in anchors]
            if not refs and not see:
                continue
            lines.append(IndexLine(name=e.name, dates=_life_dates(e), description=e.description, see=see,
                                   refs=refs))
        if lines:
            sections.append(IndexSection(anchor=f"index-{kind}", title=titles[kind], lines=lines))
    return sections


def volume(compiled: CompiledEdition, report: Report, paper: str | None = None) -> Volume:
    """The view of the whole volume the templates render."""
    meta = compiled.meta
    lang = (meta.languages or ["en"])[0]
    style = meta.style if meta.style in ("frus", "soviet") else "frus"
    _ = translator(lang)
    chosen = (paper or str(meta.extra.get("paper") or "a4")).strip().lower()
    if chosen not in PAPERS:
        report.warn("dossier.toml", f"paper {chosen!r} is not a4 or letter; the PDF uses A4")
        chosen = "a4"
    chapters = []
    anchors: dict[str, tuple[str, int | None]] = {}
    for c in compiled.chapters:
        docs = [_doc_view(d, style, lang, _, report) for d in c.documents]
        for dv in docs:
            anchors[dv.id] = (dv.anchor, dv.n)
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
    return Volume(lang=lang, style=style, paper=PAPERS[chosen], meta=meta, editors=list(meta.editors),
                  preface=preface, chapters=chapters, indices=_index_sections(compiled, anchors, _),
                  abbreviations=abbreviations, appendix=appendix)


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
