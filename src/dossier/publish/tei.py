"""Write a compiled edition as one TEI P5 file (`edition.tei.xml`) that validates against `tei_all`.

What it is for: the interchange form of an edition, following the mapping in `docs/standards.md`:

- `teiHeader`: title statement (titles, editors with roles), publication statement, the source
  statement, languages, and one `correspDesc` per document (`@corresp` pointing to the document's
  `div`) with `correspAction type="sent"` (authors, place, date) and `type="received"` (addressees).
- `text/front`: title page, preface, list of documents (`div type="contents"`, links to documents).
- `text/body`: `div type="chapter"` with `head`; in it each document as
  `div type="document" n="12" xml:id="<document id>"` with `head` (the heading), the source note
  (`note type="source"`, holding an `msDesc` when the legend is structured), `dateline` (`placeName`,
  `date` with `@when` or `@notBefore/@notAfter`, `@evidence="conjecture"` for an editor's date), then
  `figure` for each illustration (`graphic`, caption as `head`, `note type="credit"`, `@facs` to its
  `facsimile/surface` when compile found the file to be an image), then
  the body: `p`, inner headings as nested `div type="section"`, `closer` with `salute`/`signed`,
  `hi rend="italic|bold"`, `lb`, notes as `note place="foot" n="…"` at the point of reference,
  every mark as `persName`/`placeName`/`orgName` with `@ref="#<entry id>"`, terms as `term @ref`.
- `text/back`: the list of abbreviations (`list type="abbreviations"`, `label`/`item`) and the
  appendix (`div type="appendix"`).
- translations: a translation is a parallel `div type="document"` right after its original, with the
  same `@n`, its own `@xml:lang` and `@corresp` pointing to the original (which points back to it);
  headings the editor did not write are composed by the style (`dossier.compile.styles`).
- `facsimile`: one `surface` with its `graphic` per photograph that can be shown.
- `standOff`: `listPerson/person`, `listPlace/place`, `listOrg/org`, each `xml:id` = entry id, with
  the filing name, variants (`type="variant"`), life dates, description, `@sameAs` for "see" entries.

The text between the tags inside a document `div` is the document's source text, unaltered and in
order (line breaks are `lb` followed by the newline itself), so the scorers can align names with the
source. Ids: every `xml:id` is unique and a valid NCName. Document ids are kept as they are when
they can be; an id that is not an NCName (e.g. `017`, which starts with a digit) becomes `d017` and
the div keeps a pointer to its file in `@source="documents/017.md"`. Output is deterministic.

What it is not: a validator (tests validate against `tei_all.rng`), a TEI reader (that is
`dossier.ingest.tei`), or the place where headings are worded (the style does that).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lxml import etree

from .. import markup
from ..compile.edition import CompiledEdition, IndexEntry, mention_key
from ..i18n import N_, translator
from ..model import ENTITY_KINDS, DateRange, Document, EntityKind, SourceLegend
from ..report import Report
from .fragments import FragmentStore, context_hash, problems_from_data, problems_to_data

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
SCHEMA_PI = ('href="http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng" '
             'type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"')

NAME_ELEMENT: dict[str, str] = {"person": "persName", "place": "placeName", "org": "orgName"}
LIST_ELEMENT: dict[EntityKind, tuple[str, str]] = {"person": ("listPerson", "person"),
                                                   "place": ("listPlace", "place"), "org": ("listOrg", "org")}
# Elements whose content is elements only: the writer puts line breaks between their children.
# Mixed-content elements (p, head, note, ...) are never touched, so the text stays exactly as it is.
_STRUCTURAL = {"TEI", "teiHeader", "fileDesc", "titleStmt", "publicationStmt", "sourceDesc", "profileDesc",
               "langUsage", "correspDesc", "correspAction", "text", "front", "body", "back", "div", "titlePage",
               "docTitle", "docImprint", "list", "standOff", "listPerson", "person", "listPlace", "place",
               "listOrg", "org", "msDesc", "msIdentifier", "physDesc", "availability", "postscript",
               "floatingText", "figure"}
DOCUMENT_LEVEL = 4  # TEI > text > body > div type="chapter" > div type="document"
HEADER_PIECE_LEVEL = 3  # TEI > teiHeader > profileDesc > correspDesc
CONTENTS_PIECE_LEVEL = 5  # TEI > text > front > div type="contents" > list > item
FRAGMENT_PI = "dossier-fragment"  # where a stored document div goes (never in a written file)
PIECE_PI = "dossier-piece"  # where a correspDesc or an item of the contents goes (see `TeiWriter._piece`)
_PLACEHOLDER = re.compile(rb"<\?(" + FRAGMENT_PI.encode() + rb"|" + PIECE_PI.encode() + rb") (\d+)\?>")
_PIECE = re.compile(rb"<\?" + PIECE_PI.encode() + rb" (\d+)\?>")
_ISO_PART = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LANG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
# Words the writer prints around the documents come from the message catalogs (dossier.i18n).
_WORDS = {"contents": N_("List of documents"), "preface": N_("Preface"), "abbreviations": N_("Abbreviations"),
          "appendix": N_("Appendix"), "unpublished": N_("Not published.")}


def T(tag: str) -> str:
    """The Clark name of a TEI element."""
    return f"{{{TEI_NS}}}{tag}"


def is_ncname(value: str) -> bool:
    """True when `value` may be an xml:id (an XML name without a colon)."""
    try:
        etree.QName(value)
    except ValueError:
        return False
    return True


def _token(value: str) -> str:
    """A value for a TEI attribute of type teidata.enumerated (no spaces)."""
    return re.sub(r"\s+", "-", value.strip())


class IdMap:
    """Hands out unique NCName xml:ids; the same key always gets the same id."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, ...], str] = {}
        self._used: set[str] = set()
        self._log: list[tuple[str, ...]] = []  # keys in the order they were assigned (for `undo`)

    def assign(self, key: tuple[str, ...], wanted: str, prefix: str) -> str:
        if key in self._by_key:
            return self._by_key[key]
        base = wanted if is_ncname(wanted) else prefix + wanted
        if not is_ncname(base):
            base = prefix + "".join(c if is_ncname("a" + c) else "_" for c in wanted)
        candidate, i = base, 1
        while candidate in self._used:
            i += 1
            candidate = f"{base}-{i}"
        self._used.add(candidate)
        self._by_key[key] = candidate
        self._log.append(key)
        return candidate

    def get(self, key: tuple[str, ...]) -> str | None:
        return self._by_key.get(key)

    def mark(self) -> int:
        """A point `undo` can go back to."""
        return len(self._log)

    def undo(self, mark: int) -> None:
        """Forget the ids assigned since `mark`, as if they had never been asked for."""
        while len(self._log) > mark:
            self._used.discard(self._by_key.pop(self._log.pop()))

    def items(self) -> list[tuple[tuple[str, ...], str]]:
        return sorted(self._by_key.items())


def _append_text(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _sub(parent: etree._Element, tag: str, text: str = "", **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, T(tag), {k: v for k, v in attrs.items() if v})
    if text:
        el.text = text
    return el


def inline_markup(text: str) -> list[markup.Inline]:
    """The inlines of a one-line markup field (heading, source note); blocks are joined by a blank line.

    A field that does not parse as markup is taken as plain text."""
    if not text:
        return []
    try:
        blocks = list(markup.iter_blocks(markup.parse(text)))
    except markup.MarkupError:
        return [markup.Text(text)]
    out: list[markup.Inline] = []
    for i, b in enumerate(blocks):
        if i:
            out.append(markup.Text("\n\n"))
        out.extend(b.inlines)
    return out


def date_attributes(date: DateRange) -> dict[str, str]:
    """`@when` for a single day (or a whole month or year), `@notBefore/@notAfter` for an interval."""
    if date.start is None or date.end is None:
        return {}
    attrs: dict[str, str] = {}
    if date.start == date.end:
        attrs["when"] = date.start
    elif date.precision == "month" and date.start[:7] == date.end[:7] and date.start.endswith("-01") \
            and _is_month_end(date.end):
        attrs["when"] = date.start[:7]
    elif date.precision == "year" and date.start[:4] == date.end[:4] and date.start.endswith("-01-01") \
            and date.end.endswith("-12-31"):
        attrs["when"] = date.start[:4]
    else:
        attrs["notBefore"], attrs["notAfter"] = date.start, date.end
    if date.inferred:
        attrs["evidence"] = "conjecture"
    return attrs


def _is_month_end(iso: str) -> bool:
    import datetime as dt

    day = dt.date.fromisoformat(iso)
    return (day + dt.timedelta(days=1)).day == 1


@dataclass
class _DocContext:
    """Per-document state while rendering: note texts by label, and which are placed already."""

    doc_key: str
    path: str
    notes: dict[str, markup.Block] = field(default_factory=dict)
    placed: set[str] = field(default_factory=set)


class _Flow:
    """Places blocks in a div in the order TEI allows: top, paragraphs, subdivisions, closing parts.

    A `## heading` opens a nested `div type="section"`; paragraphs after a closer go into a
    `postscript`; a heading after a closer becomes `p rend="head"`; a closer with nothing before it
    gets an empty `p` first (TEI wants some content before the closing parts). The text stays in
    reading order and no words are added."""

    def __init__(self, el: etree._Element) -> None:
        self.el = el
        self.phase = 1  # 1 paragraphs, 2 subdivisions, 3 closing parts
        self.has_body = False
        self.section: _Flow | None = None
        self.post: etree._Element | None = None

    def common(self) -> etree._Element:
        """Where a paragraph (or other model.common element) goes now."""
        if self.phase == 2 and self.section is not None:
            return self.section.common()
        if self.phase == 3:
            if self.post is None or not len(self.el) or self.el[-1] is not self.post:
                self.post = _sub(self.el, "postscript")
            return self.post
        self.has_body = True
        return self.el

    def bottom(self) -> etree._Element:
        """Where a closing part (closer, signed, postscript) goes now."""
        if self.phase == 2 and self.section is not None:
            return self.section.bottom()
        if not self.has_body:
            _sub(self.el, "p")
            self.has_body = True
        self.phase = 3
        self.post = None
        return self.el

    def new_section(self, kind: str = "section") -> etree._Element | None:
        if self.phase == 3:
            return None
        sec = _sub(self.el, "div", type=kind)
        self.section = _Flow(sec)
        self.phase = 2
        self.has_body = True
        return sec


class TeiWriter:
    """Builds the TEI tree of one compiled edition."""

    def __init__(self, compiled: CompiledEdition, report: Report) -> None:
        self.compiled = compiled
        self.report = report
        self._context = ""  # what every document's div depends on besides itself (see `pieces`)
        self._placeholders: list[bool] = []  # documents whose div `body` leaves to `write_tei`
        self._note_ids: list[list[str]] = []  # the note ids of each document, in order (see `pieces`)
        # where the frame's per-document pieces go (correspDesc, an item of the contents), given the piece
        # and its depth; returns the placeholder's number. None: they are built into the frame
        self._sink: Callable[[etree._Element, int], int] | None = None
        self.meta = compiled.meta
        lang = (self.meta.languages or ["en"])[0]
        tr = translator(lang)
        self.words = {key: tr.gettext(message) for key, message in _WORDS.items()}
        self.ids = IdMap()
        self.entries = compiled.entries_by_id()
        self.rejected = {e.id for k in ENTITY_KINDS for e in compiled.edition.registers.of_kind(k)
                         if e.status == "rejected"} - set(self.entries)
        self.abbreviations = {a.id: a for a in compiled.edition.registers.abbreviations}
        # documents first, so their ids stay exactly the file stems; then index entries and abbreviations.
        # Ids that are NCNames already are taken before any id that has to be changed, so `017` -> `d017`
        # can never take the id of a document that really is called `d017`.
        wanted: list[tuple[tuple[str, ...], str, str]] = [(("doc", d.id), d.id, "d") for d in compiled.documents]
        wanted += [(("entry", e.id), e.id, "e") for kind in ENTITY_KINDS for e in compiled.index[kind]]
        wanted += [(("abbr", a.id), a.id, "t") for a in compiled.edition.registers.abbreviations]
        for key, value, prefix in sorted(wanted, key=lambda w: not is_ncname(w[1])):
            self.ids.assign(key, value, prefix)
        self.name_lookup = self._name_lookup()

    # --- lookups -------------------------------------------------------------------------------

    def _name_lookup(self) -> dict[tuple[str, str], str]:
        """(kind, folded name) -> entry id, from names, variants and forms seen: for header names."""
        out: dict[tuple[str, str], str] = {}
        for kind in ENTITY_KINDS:
            for e in self.compiled.index[kind]:
                for name in [e.name, *e.variants, *e.forms]:
                    out.setdefault((kind, mention_key(name)), e.id)
        return out

    def entry_ref(self, entry_id: str | None) -> str:
        if not entry_id:
            return ""
        nc = self.ids.get(("entry", entry_id))
        return f"#{nc}" if nc else ""

    def ref_for_name(self, kind: str, name: str) -> str:
        entry_id = self.name_lookup.get((kind, mention_key(name)))
        if entry_id is None and kind in NAME_ELEMENT:
            entry_id = self.compiled.entry_for(markup.MentionNode(kind, None, [markup.Text(name)]))
        return self.entry_ref(entry_id)

    def doc_nc(self, doc: Document) -> str:
        nc = self.ids.get(("doc", doc.id))
        assert nc is not None
        return nc

    # --- the whole file ------------------------------------------------------------------------

    def build(self) -> etree._ElementTree:
        root = etree.Element(T("TEI"), nsmap={None: TEI_NS})
        if self.meta.languages and _LANG.match(self.meta.languages[0]):
            root.set(XML_LANG, self.meta.languages[0])
        self.header(root)
        self.facsimile(root)
        text = _sub(root, "text")
        self.front(_sub(text, "front"))
        self.body(_sub(text, "body"))
        back = self.back()
        if back is not None:
            text.append(back)
        self.stand_off(root)
        tree = etree.ElementTree(root)
        root.addprevious(etree.ProcessingInstruction("xml-model", SCHEMA_PI))
        indent_structure(root)
        return tree

    # --- header --------------------------------------------------------------------------------

    def header(self, root: etree._Element) -> None:
        m = self.meta
        header = _sub(root, "teiHeader")
        file_desc = _sub(header, "fileDesc")
        title_stmt = _sub(file_desc, "titleStmt")
        _sub(title_stmt, "title", m.title, type="main")
        for key in ("subtitle", "series", "volume"):
            if getattr(m, key):
                _sub(title_stmt, "title", getattr(m, key), type="sub" if key == "subtitle" else key)
        for ed in m.editors:
            name = ed.get("name") or ed.get("persName") or ""
            if name:
                _sub(title_stmt, "editor", name, role=_token(ed.get("role", "")))
        pub = _sub(file_desc, "publicationStmt")
        if m.publisher or m.place or m.year or m.identifier or m.license:
            if m.publisher:
                _sub(pub, "publisher", m.publisher)
            else:
                _sub(pub, "authority", m.title)
            if m.place:
                _sub(pub, "pubPlace", m.place)
            if m.year:
                _sub(pub, "date", m.year, when=m.year if _ISO_PART.match(m.year) else "")
            if m.identifier:
                _sub(pub, "idno", m.identifier)
            if m.license:
                avail = _sub(pub, "availability")
                _sub(avail, "licence", m.license)
        else:
            _sub(pub, "p", self.words["unpublished"])
        source_desc = _sub(file_desc, "sourceDesc")
        _sub(source_desc, "p", m.source)
        profile = _sub(header, "profileDesc")
        langs = [x for x in dict.fromkeys(m.languages) if _LANG.match(x)]
        if langs:
            usage = _sub(profile, "langUsage")
            for x in langs:
                _sub(usage, "language", x, ident=x)
        for d in self.compiled.documents:
            if not self.compiled.is_translation(d):
                self._piece(profile, lambda holder, d=d: self.corresp_desc(holder, d),  # type: ignore[misc]
                            HEADER_PIECE_LEVEL)
        if not len(profile):
            header.remove(profile)

    def corresp_desc(self, profile: etree._Element, doc: Document) -> None:
        sent = [(self.ref_for_name("person", a), a) for a in doc.authors if a.strip()]
        received = [(self.ref_for_name("person", a), a) for a in doc.addressees if a.strip()]
        if not (sent or received or doc.place or not doc.date.is_undated):
            return
        cd = _sub(profile, "correspDesc", corresp=f"#{self.doc_nc(doc)}")
        if sent or doc.place or not doc.date.is_undated:
            action = _sub(cd, "correspAction", type="sent")
            for ref, name in sent:
                _sub(action, "persName", name, ref=ref)
            if doc.place:
                _sub(action, "placeName", doc.place, ref=self.ref_for_name("place", doc.place))
            if not doc.date.is_undated:
                _sub(action, "date", doc.date.text, **date_attributes(doc.date))
        if received:
            action = _sub(cd, "correspAction", type="received")
            for ref, name in received:
                _sub(action, "persName", name, ref=ref)

    # --- front ---------------------------------------------------------------------------------

    def front(self, front: etree._Element) -> None:
        m = self.meta
        page = _sub(front, "titlePage")
        doc_title = _sub(page, "docTitle")
        for key, kind in (("series", "series"), ("volume", "volume"), ("title", "main"), ("subtitle", "sub")):
            if getattr(m, key):
                _sub(doc_title, "titlePart", getattr(m, key), type=kind)
        editors = [e for e in m.editors if e.get("name") or e.get("persName")]
        if editors:
            byline = _sub(page, "byline")
            for i, ed in enumerate(editors):
                if i:
                    _append_text(byline, ", ")
                _sub(byline, "persName", ed.get("name") or ed.get("persName") or "", role=_token(ed.get("role", "")))
        if m.publisher or m.place or m.year:
            imprint = _sub(page, "docImprint")
            parts: list[tuple[str, str]] = [(t, v) for t, v in (("publisher", m.publisher), ("pubPlace", m.place),
                                                                ("docDate", m.year)) if v]
            for i, (tag, value) in enumerate(parts):
                if i:
                    _append_text(imprint, ", ")
                _sub(imprint, tag, value)
        if m.preface.strip():
            div = _sub(front, "div", type="preface")
            _sub(div, "head", self.words["preface"])
            ctx = _DocContext("preface", "dossier.toml")
            self.blocks(_Flow(div), _parse_or_text(m.preface), ctx)
            self.unplaced_notes(div, ctx)
        if self.compiled.documents:
            div = _sub(front, "div", type="contents")
            _sub(div, "head", self.words["contents"])
            lst = _sub(div, "list", type="documents")
            for d in self.compiled.main_documents():
                self._piece(lst, lambda holder, d=d: self.contents_item(holder, d),  # type: ignore[misc]
                            CONTENTS_PIECE_LEVEL)

    def contents_item(self, lst: etree._Element, d: Document) -> None:
        item = _sub(lst, "item", n=str(d.n) if d.n is not None else "")
        heading = _heading_text(self.compiled.heading(d)) or d.id
        _sub(item, "ref", heading, target=f"#{self.doc_nc(d)}")
        if not d.date.is_undated or d.date.text:
            _append_text(item, " ")
            _sub(item, "date", d.date.text, **date_attributes(d.date))

    def _piece(self, parent: etree._Element, make: Callable[[etree._Element], None], level: int) -> None:
        """What `make` adds to `parent` (one element or none), or with a sink, a placeholder for it: the
        element is made alone and handed to the sink, so the frame never holds every document's."""
        if self._sink is None:
            make(parent)
            return
        holder = etree.Element(parent.tag, nsmap={None: TEI_NS})
        make(holder)
        for el in holder:
            parent.append(etree.ProcessingInstruction(PIECE_PI, str(self._sink(el, level))))

    # --- body ----------------------------------------------------------------------------------

    def body(self, body: etree._Element) -> None:
        if not self.compiled.chapters:
            _sub(body, "p")
            return
        k = 0
        for ch in self.compiled.chapters:
            div = _sub(body, "div", type="chapter", n=str(ch.chapter.n) if ch.chapter.n is not None else "")
            _sub(div, "head", ch.chapter.title)
            for d in ch.documents:
                if k < len(self._placeholders) and self._placeholders[k]:  # spliced in by `write_tei`
                    div.append(etree.ProcessingInstruction(FRAGMENT_PI, str(k)))
                else:
                    self.document(div, d)
                k += 1

    # --- incremental builds: a document's div from the store ------------------------------------

    def shared_context(self) -> str:
        """A hash of everything outside a document that its div shows: ids of documents, entries,
        abbreviations and photographs, names of entries, unlinked marks, the style and languages."""
        return context_hash(
            self.ids.items(), sorted(self.name_lookup.items()), sorted(self.compiled._unlinked.items()),
            sorted(self.rejected), self.meta.languages, self.compiled.style.name, self.compiled.lang)

    def doc_context(self, doc: Document, note_ids: list[str]) -> list[Any]:
        """What the div of `doc` depends on besides the document itself (compared as it is: no hashing)."""
        ills = [[e.n, e.ok, e.kind, e.ill.file, e.ill.caption, e.ill.credit, e.ill.agency]
                for e in self.compiled.illustrations_of(doc)] if self.compiled.illustrations else []
        return [self._context, note_ids, [t.id for t in self.compiled.translations_of(doc)],
                self.compiled.is_translation(doc), ills, self.compiled.heading(doc)]

    def document_piece(self, doc: Document, store: FragmentStore) -> bytes | None:
        """The div of `doc` as it stands in the file: the one stored last time when nothing it depends on
        changed, else rendered now (and stored). Its note ids are assigned as `document` assigns them.
        None when the document cannot be stored (the frame then renders it)."""
        key = store.doc_key(doc)
        if key is None:
            return None
        nc = self.doc_nc(doc)
        record = store.get_fragment("tei", key)
        mark = self.ids.mark()
        if record is not None:
            note_ids = [self.ids.assign(("note", nc, label), f"{nc}-fn{label}", "n") for label in record["labels"]]
            if record["context"] == self.doc_context(doc, note_ids):
                self.report.extend(problems_from_data(record["problems"]))
                self._note_ids.append(note_ids)
                return bytes(record["data"])
            self.ids.undo(mark)  # the document's notes may have changed: let it assign its ids itself
        before = len(self.report.problems)
        data, labels = self.render_piece(doc)
        note_ids = [self.ids.get(("note", nc, label)) or "" for label in labels]
        self._note_ids.append(note_ids)
        store.put_fragment("tei", key, {"labels": labels, "context": self.doc_context(doc, note_ids), "data": data,
                                        "problems": problems_to_data(self.report.problems[before:])})
        return data

    def render_piece(self, doc: Document) -> tuple[bytes, list[str]]:
        """The div of `doc` rendered alone, as the whole file holds it (indented at its depth, the
        namespace declared on the root); and the labels of its notes. Its note ids are assigned."""
        holder = etree.Element(T("div"), nsmap={None: TEI_NS})
        labels = self.document(holder, doc)
        return piece_bytes(holder[0], DOCUMENT_LEVEL), labels

    def assign_surfaces(self) -> None:
        """The ids `facsimile` assigns, in its order (before any document's notes, as in `build`)."""
        for e in self.compiled.illustrations:
            if e.ok:
                self.ids.assign(("surface", str(e.n)), f"facs-{e.n}", "facs-")

    def frame_context(self) -> str:
        """A hash of everything the file holds outside the documents' divs."""
        c = self.compiled
        docs = [[d.id, d.n, c.heading(d), d.date.to_json(), d.place, d.authors, d.addressees, c.is_translation(d)]
                for d in c.documents]
        entries = [[e.kind, e.to_json()] for k in ENTITY_KINDS for e in c.index[k]]
        return context_hash(
            self._context, self._note_ids, self.words, asdict(self.meta), docs, entries,
            [[ch.chapter.id, ch.chapter.n, ch.chapter.title, [d.id for d in ch.documents]] for ch in c.chapters],
            [[e.n, e.ok, e.kind, e.ill.file] for e in c.illustrations],
            [[a.id, a.abbr, a.expansion] for a in c.edition.registers.abbreviations],
            [[a.id, a.title, a.body, a.path] for a in c.edition.appendix])

    def pieces(self, store: FragmentStore, put: Callable[[bytes], int]) -> tuple[bytes, list[int | None]]:
        """(the whole file with a placeholder for each document div, where `put` keeps each div: the
        number it returned, None where the frame holds the div itself). The divs go to `put` one at a
        time, never all held. The frame comes from the store when nothing in it changed."""
        self.assign_surfaces()
        self._context = self.shared_context()
        divs: list[int | None] = []
        for ch in self.compiled.chapters:
            for d in ch.documents:
                data = self.document_piece(d, store)
                divs.append(None if data is None else put(data))
        if any(d is None for d in divs):
            self._placeholders = [d is not None for d in divs]
            return self._frame(), divs
        context = self.frame_context()
        record = store.get_fragment("tei-frame", "frame")
        if record is not None and record["context"] == context:
            self.report.extend(problems_from_data(record["problems"]))
            return bytes(record["data"]), divs
        before = len(self.report.problems)
        self._placeholders = [True] * len(divs)
        data = self._frame()
        store.put_fragment("tei-frame", "frame", {"context": context, "data": data,
                                            "problems": problems_to_data(self.report.problems[before:])})
        return data, divs

    def _frame(self) -> bytes:
        """The frame's bytes, its correspDescs and items of the contents made one at a time (the tree
        never holds them all) and put in as bytes; the divs' placeholders are left."""
        made: list[bytes] = []

        def sink(el: etree._Element, level: int) -> int:
            made.append(piece_bytes(el, level))
            return len(made) - 1

        self._sink = sink
        try:
            frame = to_bytes(self.build())
        finally:
            self._sink = None
        return _PIECE.sub(lambda m: made[int(m.group(1))], frame)

    def document(self, parent: etree._Element, doc: Document) -> list[str]:
        """Render the div of `doc` into `parent`; returns the labels of its notes (in id order)."""
        nc = self.doc_nc(doc)
        div = _sub(parent, "div", type="document", n=str(doc.n) if doc.n is not None else "",
                   subtype=_token(doc.subtype or doc.type))
        div.set(XML_ID, nc)
        if nc != doc.id:
            div.set("source", f"documents/{doc.id}.md")
        translations = self.compiled.translations_of(doc)
        lang = doc.language or ((self.meta.languages or [""])[0] if translations or
                                self.compiled.is_translation(doc) else "")
        if lang and _LANG.match(lang):
            div.set(XML_LANG, lang)
        if doc.translation_of:
            orig = self.ids.get(("doc", doc.translation_of))
            if orig:
                div.set("corresp", f"#{orig}")
        elif translations:
            div.set("corresp", " ".join(f"#{self.doc_nc(t)}" for t in translations))
        try:
            blocks = markup.parse(doc.body)
        except markup.MarkupError as exc:
            self.report.error(doc.path or doc.id, f"body markup: {exc}; written as plain text")
            blocks = [markup.Block("p", [markup.Text(doc.body)])]
        ctx = _DocContext(nc, doc.path or doc.id)
        for b in markup.iter_blocks(blocks):
            if b.kind == "note":
                if b.label in ctx.notes:
                    continue  # the first is used; compile reports it (rules.document_problems)
                ctx.notes[b.label] = b
                self.ids.assign(("note", nc, b.label), f"{nc}-fn{b.label}", "n")
        heading = inline_markup(self.compiled.heading(doc))
        if heading:
            self.inlines(_sub(div, "head"), heading, ctx)
        self.source_note(div, doc, ctx)
        self.dateline(div, doc)
        self.figures(div, doc)
        self.blocks(_Flow(div), blocks, ctx)
        self.unplaced_notes(div, ctx)
        return list(ctx.notes)

    def source_note(self, div: etree._Element, doc: Document, ctx: _DocContext) -> None:
        legend = doc.legend
        structured = {k: v for k, v in legend.__dict__.items() if k not in ("text", "extra") and v}
        text = doc.source or (markup.escape(legend.text) if legend.text else "")
        if not text and not structured and not legend.extra:
            return
        note = _sub(div, "note", type="source")
        if text:
            self.inlines(note, inline_markup(text), ctx)
        if structured or legend.extra:
            self.ms_desc(note, legend)

    def ms_desc(self, parent: etree._Element, legend: SourceLegend) -> None:
        ms = _sub(parent, "msDesc")
        ident = _sub(ms, "msIdentifier")
        repo = legend.archive or legend.repository
        if repo:
            _sub(ident, "repository", repo)
        if legend.record_group:
            _sub(ident, "collection", legend.record_group, type="record-group")
        idnos = [("fond", legend.fond), ("opis", legend.opis), ("delo", legend.delo), ("list", legend.list),
                 ("lot-file", legend.lot_file), ("box", legend.box), ("folder", legend.folder),
                 *[(_token(k), v) for k, v in legend.extra]]
        for kind, value in idnos:
            if value:
                _sub(ident, "idno", value, type=kind)
        if not len(ident):
            _sub(ident, "idno", legend.text or "", type="unknown")
        phys = "; ".join(v for v in (legend.original, legend.reproduction) if v)
        if phys:
            _sub(_sub(ms, "physDesc"), "p", phys)

    def facsimile(self, root: etree._Element) -> None:
        """`facsimile` with a `surface` (and its `graphic`) for every photograph that can be shown."""
        shown = [e for e in self.compiled.illustrations if e.ok]
        if not shown:
            return
        fac = _sub(root, "facsimile")
        for e in shown:
            surface = _sub(fac, "surface")
            surface.set(XML_ID, self.ids.assign(("surface", str(e.n)), f"facs-{e.n}", "facs-"))
            _sub(surface, "graphic", url="images/" + quote(e.ill.file), mimeType=f"image/{e.kind}"
                 if e.kind != "svg" else "image/svg+xml")

    def figures(self, div: etree._Element, doc: Document) -> None:
        """Photographs and facsimiles: `figure` with the image, its caption as `head`, the credit."""
        for entry in self.compiled.illustrations_of(doc):
            ill = entry.ill
            surface = self.ids.get(("surface", str(entry.n))) if entry.ok else None
            fig = _sub(div, "figure", facs=f"#{surface}" if surface else "")
            _sub(fig, "graphic", url="images/" + quote(ill.file))  # named even when missing: report.json says so
            if ill.caption:
                _sub(fig, "head", ill.caption)
            credit = ", ".join(x for x in (ill.credit, ill.agency) if x)
            if credit:
                _sub(fig, "note", credit, type="credit")

    def dateline(self, div: etree._Element, doc: Document) -> None:
        """The dateline as printed, with its place and date marked; empty elements when not printed."""
        printed = doc.dateline
        if not (printed or doc.place or not doc.date.is_undated):
            return
        el = _sub(div, "dateline")
        spans: list[tuple[int, int, str]] = []
        place_at = printed.find(doc.place) if doc.place else -1
        if place_at >= 0:
            spans.append((place_at, place_at + len(doc.place), "place"))
        date_at = printed.find(doc.date.text) if doc.date.text else -1
        if date_at >= 0 and not (place_at >= 0 and date_at < place_at + len(doc.place)
                                 and place_at < date_at + len(doc.date.text)):
            spans.append((date_at, date_at + len(doc.date.text), "date"))
        spans.sort()
        pos = 0
        for a, b, kind in spans:
            _append_text(el, printed[pos:a])
            self.dateline_part(el, kind, printed[a:b], doc)
            pos = b
        _append_text(el, printed[pos:])
        kinds = {k for _, _, k in spans}
        if doc.place and "place" not in kinds:
            self.dateline_part(el, "place", "", doc)
        if not doc.date.is_undated and "date" not in kinds:
            self.dateline_part(el, "date", "", doc)

    def dateline_part(self, el: etree._Element, kind: str, text: str, doc: Document) -> None:
        if kind == "place":
            _sub(el, "placeName", text, ref=self.ref_for_name("place", doc.place))
        else:
            _sub(el, "date", text, **date_attributes(doc.date))

    # --- blocks and inlines --------------------------------------------------------------------

    def blocks(self, flow: _Flow, blocks: Iterable[markup.Block], ctx: _DocContext) -> None:
        for b in blocks:
            if b.kind == "note":
                continue
            if b.kind == "head":
                sec = flow.new_section()
                if sec is None:
                    self.inlines(_sub(flow.common(), "p", rend="head"), b.inlines, ctx)
                else:
                    self.inlines(_sub(sec, "head"), b.inlines, ctx)
            elif b.kind == "p":
                self.inlines(_sub(flow.common(), "p"), b.inlines, ctx)
            elif b.kind == "div":
                self.fenced(flow, b, ctx)

    def fenced(self, flow: _Flow, b: markup.Block, ctx: _DocContext) -> None:
        label = b.label.lower()
        leaves = [x for x in markup.iter_blocks(b.blocks) if x.kind != "note"]
        if label in ("closer", "signed", "salute", "trailer"):
            parent = flow.bottom()
            if label == "closer":
                closer = _sub(parent, "closer")
                for i, leaf in enumerate(leaves):
                    if i:
                        _append_text(closer, "\n")  # the break between the closer's lines, as whitespace
                    salute = i == 0 and len(leaves) > 1 and markup.inline_text(leaf.inlines).rstrip().endswith(",")
                    self.inlines(_sub(closer, "salute" if salute else "signed"), leaf.inlines, ctx)
            else:
                self.joined(_sub(parent, label), leaves, ctx)
        elif label == "postscript":
            post = _sub(flow.bottom(), "postscript")
            for leaf in leaves:
                self.inlines(_sub(post, "p"), leaf.inlines, ctx)
            if not leaves:
                _sub(post, "p")
        elif label == "opener" and flow.phase == 1 and not flow.has_body:
            self.joined(_sub(flow.el, "opener"), leaves, ctx)
        elif label in ("quote", "blockquote"):
            q = _sub(flow.common(), "quote")
            for leaf in leaves:
                self.inlines(_sub(q, "p"), leaf.inlines, ctx)
        else:
            # any other block (an enclosure, an attachment): a text of its own inside the document
            body = _sub(_sub(flow.common(), "floatingText", type=_token(label)), "body")
            self.blocks(_Flow(body), b.blocks, ctx)
            if not len(body):
                _sub(body, "p")

    def joined(self, el: etree._Element, leaves: list[markup.Block], ctx: _DocContext) -> None:
        """Several blocks in one phrase-level element, separated by line breaks."""
        for i, leaf in enumerate(leaves):
            if i:
                _sub(el, "lb").tail = "\n\n"
            self.inlines(el, leaf.inlines, ctx)

    def inlines(self, parent: etree._Element, nodes: Iterable[markup.Inline], ctx: _DocContext) -> None:
        for node in nodes:
            if isinstance(node, markup.Text):
                _append_text(parent, node.value)
            elif isinstance(node, markup.Break):
                _sub(parent, "lb").tail = "\n"
            elif isinstance(node, markup.Emph):
                self.inlines(_sub(parent, "hi", rend="bold" if node.strong else "italic"), node.children, ctx)
            elif isinstance(node, markup.MentionNode):
                self.mention(parent, node, ctx)
            elif isinstance(node, markup.NoteRef):
                self.note_ref(parent, node, ctx)

    def mention(self, parent: etree._Element, node: markup.MentionNode, ctx: _DocContext) -> None:
        if node.kind == "term":
            nc = self.ids.get(("abbr", node.ref)) if node.ref else None
            el = _sub(parent, "term", ref=f"#{nc}" if nc else "")
        else:
            entry_id = self.compiled.entry_for(node)
            if entry_id in self.rejected:
                self.inlines(parent, node.children, ctx)  # the editor said: not a name
                return
            el = _sub(parent, NAME_ELEMENT[node.kind], ref=self.entry_ref(entry_id))
        self.inlines(el, node.children, ctx)

    def note_ref(self, parent: etree._Element, node: markup.NoteRef, ctx: _DocContext) -> None:
        block = ctx.notes.get(node.label)
        nc = self.ids.get(("note", ctx.doc_key, node.label))
        if block is None or nc is None:
            return  # compile reports it (rules.document_problems)
        if node.label in ctx.placed:  # a second reference (or one inside its own note) points to the first
            _sub(parent, "ptr", type="noteAnchor", target=f"#{nc}")
            return
        self.note(parent, node.label, block, ctx)

    def note(self, parent: etree._Element, label: str, block: markup.Block, ctx: _DocContext) -> None:
        nc = self.ids.get(("note", ctx.doc_key, label)) or ""
        el = _sub(parent, "note", place="foot", n=label)
        el.set(XML_ID, nc)
        ctx.placed.add(label)
        self.inlines(el, block.inlines, ctx)

    def unplaced_notes(self, div: etree._Element, ctx: _DocContext) -> None:
        """Notes no reference points to (or only other notes do) go at the end of the document."""
        for label, block in ctx.notes.items():
            if label not in ctx.placed:
                self.note(div, label, block, ctx)

    # --- back and standOff ---------------------------------------------------------------------

    def back(self) -> etree._Element | None:
        back = etree.Element(T("back"))
        abbrs = self.compiled.edition.registers.abbreviations
        if abbrs:
            div = _sub(back, "div", type="abbreviations")
            _sub(div, "head", self.words["abbreviations"])
            lst = _sub(div, "list", type="abbreviations")
            for a in abbrs:
                _sub(lst, "label", a.abbr)
                item = _sub(lst, "item", a.expansion)
                item.set(XML_ID, self.ids.get(("abbr", a.id)) or "")
        if self.compiled.edition.appendix:
            div = _sub(back, "div", type="appendix")
            _sub(div, "head", self.words["appendix"])
            for piece in self.compiled.edition.appendix:
                nc = self.ids.assign(("appendix", piece.id), f"app-{piece.id}", "app-")
                sub = _sub(div, "div", type="appendix-item")
                sub.set(XML_ID, nc)
                ctx = _DocContext(nc, piece.path or piece.id)
                blocks = _parse_or_text(piece.body)
                for b in markup.iter_blocks(blocks):
                    if b.kind == "note" and b.label not in ctx.notes:
                        ctx.notes[b.label] = b
                        self.ids.assign(("note", nc, b.label), f"{nc}-fn{b.label}", "n")
                _sub(sub, "head", piece.title)
                self.blocks(_Flow(sub), blocks, ctx)
                self.unplaced_notes(sub, ctx)
                if len(sub) == 1:
                    _sub(sub, "p")
        return back if len(back) else None

    def stand_off(self, root: etree._Element) -> None:
        stand_off = etree.Element(T("standOff"))
        for kind in ENTITY_KINDS:
            entries = self.compiled.index[kind]
            if not entries:
                continue
            list_tag, item_tag = LIST_ELEMENT[kind]
            lst = _sub(stand_off, list_tag)
            for e in entries:
                self.register_entry(_sub(lst, item_tag), e)
        if len(stand_off):
            root.append(stand_off)

    def register_entry(self, el: etree._Element, e: IndexEntry) -> None:
        el.set(XML_ID, self.ids.get(("entry", e.id)) or "")
        if e.see:
            target = self.entry_ref(e.see)
            if target:
                el.set("sameAs", target)
        name_tag = NAME_ELEMENT[e.kind]
        _sub(el, name_tag, e.name)
        for v in dict.fromkeys(e.variants):
            if v != e.name:
                _sub(el, name_tag, v, type="variant")
        if e.kind == "person":
            for tag, value in (("birth", e.born), ("death", e.died)):
                if value:
                    _sub(el, tag, value, when=value if _ISO_PART.match(value) else "")
        if e.description:
            _sub(el, "note", e.description)


@lru_cache(maxsize=16384)
def _heading_text(heading: str) -> str:
    """A heading's text on one line, for the list of documents."""
    return re.sub(r"\s+", " ", markup.inline_text(inline_markup(heading))).strip()


def _parse_or_text(text: str) -> list[markup.Block]:
    try:
        return markup.parse(text)
    except markup.MarkupError:
        return [markup.Block("p", [markup.Text(text)])]


def indent_structure(el: etree._Element, level: int = 0) -> None:
    """Line breaks and indentation between the children of element-only containers; mixed content
    (where whitespace would be text) is left exactly as built."""
    if etree.QName(el).localname not in _STRUCTURAL or not len(el):
        return
    if (el.text or "").strip() or any((c.tail or "").strip() for c in el):
        return  # mixed content after all (a closer with text): leave it
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        child.tail = pad
        if isinstance(child.tag, str):
            indent_structure(child, level + 1)
    el[-1].tail = "\n" + "  " * level


def to_bytes(tree: etree._ElementTree) -> bytes:
    data: bytes = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    return data + b"\n"


def build_tei(compiled: CompiledEdition, report: Report) -> etree._ElementTree:
    """The TEI tree of a compiled edition."""
    return TeiWriter(compiled, report).build()


def write_tei(compiled: CompiledEdition, path: Path, report: Report, store: FragmentStore | None = None) -> None:
    """Write `edition.tei.xml` (the build calls this). With a `store` (an incremental build) the divs of
    documents that did not change, and the rest of the file when it did not change, are taken from it;
    what is rendered now is kept in it. The bytes are those of a clean build."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = TeiWriter(compiled, report)
    # Pieces (each document's div; in a clean build also each correspDesc and item of the contents) are
    # rendered alone and spooled to a temporary file; then the frame (everything else, with a
    # placeholder per piece) is written with the pieces copied in. Only one document's tree is held at
    # a time, and the frame's tree holds none of the documents' (an incremental build's frame, kept
    # whole in the store, has its correspDescs and items put in as bytes: `TeiWriter._frame`).
    spans: list[tuple[int, int]] = []
    with tempfile.TemporaryFile(dir=path.parent) as spool:
        def put(data: bytes) -> int:
            spans.append((spool.tell(), len(data)))
            spool.write(data)
            return len(spans) - 1

        if store is not None:
            frame, divs = writer.pieces(store, put)
            where: Callable[[int], int | None] = divs.__getitem__  # placeholders number documents
        else:
            writer.assign_surfaces()
            for ch in compiled.chapters:
                for d in ch.documents:
                    put(writer.render_piece(d)[0])
            writer._placeholders = [True] * len(spans)
            writer._sink = lambda el, level: put(piece_bytes(el, level))
            frame = to_bytes(writer.build())
            where = int  # placeholders number the spooled pieces: the divs first, in document order
        parts = _PLACEHOLDER.split(frame)
        del frame
        with path.open("wb") as fh:
            for i in range(0, len(parts), 3):  # text, then the placeholder's kind and number
                fh.write(parts[i])
                if i + 2 >= len(parts):
                    break
                n = int(parts[i + 2])
                at = n if parts[i + 1] == PIECE_PI.encode() else where(n)
                if at is not None:
                    start, size = spans[at]
                    spool.seek(start)
                    fh.write(spool.read(size))


def piece_bytes(el: etree._Element, level: int) -> bytes:
    """An element made alone (under a holder that declares the TEI namespace) as the whole file holds
    it at depth `level`: indented inside as there, no tail, the namespace declared on the root only."""
    indent_structure(el, level)
    data: bytes = etree.tostring(el, encoding="UTF-8", with_tail=False)
    tag = b"<" + etree.QName(el).localname.encode()
    declared = tag + b' xmlns="' + TEI_NS.encode() + b'"'
    if not data.startswith(declared):  # pragma: no cover - lxml always declares it first
        raise ValueError("unexpected serialisation of a piece of the TEI file")
    return tag + data[len(declared):]


__all__: list[str] = ["build_tei", "write_tei", "is_ncname", "date_attributes", "IdMap", "TeiWriter"]
