"""Read a TEI P5 edition in the FRUS encoding into dossier documents, metadata and registers.

What it is for: the `tei` reader of the ingest registry. It bids for `.xml` files whose root element
is TEI (namespace http://www.tei-c.org/ns/1.0) and turns each `div[@type='document']` of a volume of
*Foreign Relations of the United States* (HistoryAtState/frus) into a `model.Document`:

- number, heading (without its printed number and without the source note), type of document,
  date interval from `@frus:doc-dateTime-min/max` (else the dateline's `date/@when`,
  `@notBefore/@notAfter`), dateline and place as printed, senders and addressees from the heading's
  `persName`/`gloss[@type='from'|'to']`, chapter, source note, pages spanned (`extra["pages"]`);
- the body in `dossier.markup`: paragraphs, inner headings, the closer as a `::: closer` block,
  emphasis, hard breaks, footnotes as `[^N]` with their text at the end, and the editors' tagging
  of names kept as mention marks (`persName[@corresp]` -> `[..]{person=ID}`, `placeName` ->
  `{place}`, `orgName` -> `{org}`, `gloss[@target]` -> `{term=ID}`).

Every piece of source text goes through the markup writer's escaping, so `markup.plain_text(body)`
is the document's text, word for word (whitespace normalised). The header gives the title page; the
List of Names (`div[@xml:id='persons']`) and List of Abbreviations (`div[@xml:id='terms']`) become
registers. A TEI file without `div[@type='document']` becomes one document (its `text/body`, dated
and addressed from `correspDesc`): a fallback, not a reader tuned to any letters edition.

What it is not: a validator of TEI, a general TEI-to-anything converter, or a writer of any output.
It never resolves entities, never fetches from the network, and never processes XInclude: an
`xi:include` in the input is ignored, whatever it points to.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import markup
from ..markup import Block, Break, Emph, Inline, MentionNode, NoteRef, Text
from ..model import (
    Abbreviation,
    Chapter,
    DateRange,
    Document,
    Metadata,
    ModelError,
    Precision,
    RegisterEntry,
    Registers,
    valid_id,
)
from ..report import DossierError, Report
from .registry import ImportOptions, ImportResult, Reader, register

TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XI_NS = "http://www.w3.org/2001/XInclude"
NS = {"t": TEI_NS, "frus": FRUS_NS}
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
FRUS_MIN = f"{{{FRUS_NS}}}doc-dateTime-min"
FRUS_MAX = f"{{{FRUS_NS}}}doc-dateTime-max"

# Elements that always stand as blocks of their own (a paragraph, or a container of paragraphs).
_PARAGRAPHS = {"p", "ab", "signed", "salute", "byline", "dateline", "docAuthor", "docDate", "trailer",
               "l", "addrLine", "argument", "epigraph", "docImprint"}
_CONTAINERS = {"div", "closer", "opener", "postscript", "floatingText", "list", "item", "table", "row",
               "lg", "figure", "body", "front", "back", "sp", "address"}
_BLOCKS = _PARAGRAPHS | _CONTAINERS | {"head"}
# Fenced blocks of the markup that a TEI element becomes.
_FENCED = {"closer": "closer", "opener": "opener", "postscript": "postscript"}
_MENTION_KINDS = {"persName": "person", "placeName": "place", "orgName": "org"}
_ITALIC = {"italic", "i", "italics", "underline"}
_STRONG = {"strong", "bold", "b"}
_CONNECTOR = re.compile(r"\s+(?:from|to|by|for|between|with)\s+", re.IGNORECASE)
_OF = re.compile(r"\s+of\s+", re.IGNORECASE)
_WS = re.compile(r"\s+")
_ISO_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# Placeholders that stand for a mention in the heading while its type is worked out.
_MARK_OPEN, _MARK_CLOSE = "\x01", "\x02"


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _is_tei(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and el.tag.startswith(f"{{{TEI_NS}}}")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _ref(value: str | None) -> str | None:
    """An id from a pointer attribute ('#p_KNS2' -> 'p_KNS2'); None when it is no usable id."""
    if not value:
        return None
    first = value.split()[0]
    ref = first[1:] if first.startswith("#") else first
    return ref if ref and valid_id(ref) and "/" not in ref else None


# --- bidding ------------------------------------------------------------------------------------


def _root_tag(path: Path) -> tuple[str, bytes] | None:
    """The root element's name and attributes, read from the first bytes (no parsing)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError:
        return None
    # skip the declaration, comments, processing instructions and a doctype
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", b"", head, flags=re.DOTALL)
    m = re.search(rb"<([A-Za-z_][\w.\-:]*)([^>]*)>", head, re.DOTALL)
    if not m:
        return None
    return m.group(1).decode("ascii", "replace"), m.group(2)


def score(path: Path) -> float:
    """0.9 for a TEI file, 0.95 when it also speaks the FRUS vocabulary; 0.01 for other XML."""
    if path.suffix.lower() not in (".xml", ".tei"):
        return 0.0
    root = _root_tag(path)
    if root is None:
        return 0.01
    name, attrs = root
    prefix, _, local = name.rpartition(":")
    if local not in ("TEI", "teiCorpus"):
        return 0.01
    decl = b"xmlns" + (b":" + prefix.encode() if prefix else b"")
    if not re.search(re.escape(decl) + rb"\s*=\s*[\"']" + re.escape(TEI_NS.encode()) + rb"[\"']", attrs):
        return 0.01
    return 0.95 if FRUS_NS.encode() in attrs else 0.9


# --- parsing ------------------------------------------------------------------------------------


def parse_tei(path: Path) -> etree._ElementTree:
    """The file's tree, parsed safely; DossierError (file, one line, line number) when malformed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False,
                             dtd_validation=False, remove_comments=False)
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        message = (exc.msg or str(exc)).splitlines()[0].strip() if (exc.msg or str(exc)) else "syntax error"
        raise DossierError(str(path), f"not well-formed XML: {message}", exc.lineno or 0) from exc
    except OSError as exc:
        raise DossierError(str(path), f"cannot be read: {exc}") from exc
    root = tree.getroot()
    if _local(root) not in ("TEI", "teiCorpus") or not _is_tei(root):
        raise DossierError(str(path), f"the root element is {root.tag!r}, not TEI ({TEI_NS})",
                           root.sourceline or 0)
    return tree


# --- inline normalisation -----------------------------------------------------------------------


def _text_of(nodes: Iterable[Inline]) -> str:
    return markup.inline_text(nodes)


def _merge(nodes: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            if not node.value:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].value + node.value)
                continue
        out.append(node)
    return out


def _tidy(nodes: list[Inline]) -> list[Inline]:
    """Collapse whitespace, move spaces at the edge of a mark outside it, drop empty marks."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(Text(_WS.sub(" ", node.value)))
        elif isinstance(node, (Emph, MentionNode)):
            children = _tidy(node.children)
            first = children[0] if children else None
            lead = isinstance(first, Text) and first.value.startswith(" ")
            if isinstance(first, Text) and lead:
                children[0] = Text(first.value[1:])
            last = children[-1] if children else None
            trail = isinstance(last, Text) and last.value.endswith(" ")
            if isinstance(last, Text) and trail:
                children[-1] = Text(last.value[:-1])
            children = _merge(children)
            if lead:
                out.append(Text(" "))
            if not _text_of(children).strip():
                out.extend(children)  # an empty mark keeps only what it held (a note reference)
            else:
                node.children = children
                out.append(node)
            if trail:
                out.append(Text(" "))
        else:
            out.append(node)
    merged = _merge(out)
    squeezed: list[Inline] = []
    for node in merged:
        if isinstance(node, Text):
            value = _WS.sub(" ", node.value)
            if squeezed and _ends_with_space(squeezed[-1]) and value.startswith(" "):
                value = value[1:]
            if value:
                squeezed.append(Text(value))
        else:
            squeezed.append(node)
    return _merge(squeezed)


def _ends_with_space(node: Inline) -> bool:
    return isinstance(node, (Text, Break)) and (isinstance(node, Break) or node.value.endswith(" "))


def _strip_edges(nodes: list[Inline]) -> list[Inline]:
    """A block's inlines without spaces at its start, its end, or around hard breaks."""
    nodes = _tidy(nodes)
    for i, node in enumerate(nodes):
        if not isinstance(node, Text):
            continue
        value = node.value
        if i == 0 or isinstance(nodes[i - 1], Break):
            value = value.lstrip(" ")
        if i == len(nodes) - 1 or isinstance(nodes[i + 1], Break):
            value = value.rstrip(" ")
        nodes[i] = Text(value)
    nodes = _merge(nodes)
    while nodes and isinstance(nodes[0], Break):
        nodes.pop(0)
    while nodes and isinstance(nodes[-1], Break):
        nodes.pop()
    return nodes


def _flatten_emphasis(nodes: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Emph):
            out.extend(_flatten_emphasis(node.children))
        elif isinstance(node, MentionNode):
            node.children = _flatten_emphasis(node.children)
            out.append(node)
        else:
            out.append(node)
    return _merge(out)


def _safe_inlines(nodes: list[Inline]) -> list[Inline]:
    """Inlines whose written markup reads back as the same text; emphasis is given up if it would not."""
    if _reads_back(nodes):
        return nodes
    flat = _flatten_emphasis(nodes)
    return flat


def _reads_back(nodes: list[Inline]) -> bool:
    written = markup.serialize_inlines(nodes)
    try:
        blocks = markup.parse(written)
    except markup.MarkupError:
        return False
    back = "\n\n".join(markup.inline_text(b.inlines) for b in markup.iter_blocks(blocks))
    return back == _text_of(nodes) and len(markup.mentions(blocks)) == _count_mentions(nodes)


def _count_mentions(nodes: Iterable[Inline]) -> int:
    n = 0
    for node in nodes:
        if isinstance(node, MentionNode):
            n += 1 + _count_mentions(node.children)
        elif isinstance(node, Emph):
            n += _count_mentions(node.children)
    return n


# --- converting a document ----------------------------------------------------------------------


@dataclass
class _Flow:
    """Blocks being built for one container, and the paragraph being filled."""

    blocks: list[Block] = field(default_factory=list)
    cur: list[Inline] = field(default_factory=list)

    def text(self, value: str | None) -> None:
        if value:
            self.cur.append(Text(value))

    def flush(self, kind: str = "p") -> None:
        inlines = _strip_edges(self.cur)
        self.cur = []
        if not inlines:
            return
        if (all(isinstance(n, NoteRef) for n in inlines) and self.blocks
                and self.blocks[-1].kind in ("p", "head")):
            # a note reference standing after a block (e.g. after the signature) belongs to it
            self.blocks[-1].inlines.extend(inlines)
            return
        self.blocks.append(Block(kind, _safe_inlines(inlines)))


class _Converter:
    """Turns the TEI of one document into markup blocks, collecting its notes and pages."""

    def __init__(self, page: str | None) -> None:
        self.page = page
        self.pages: list[str] = []
        self.notes: list[tuple[str, list[Inline]]] = []
        self.skip: list[etree._Element] = []  # elements read elsewhere (the source note, the dateline)
        self._labels: set[str] = set()

    # pages: a page counts once text printed on it is met
    def _touch(self, value: str | None) -> None:
        if value and value.strip() and self.page is not None and self.page not in self.pages:
            self.pages.append(self.page)

    def _text(self, flow: _Flow, value: str | None) -> None:
        self._touch(value)
        flow.text(value)

    def content(self, el: etree._Element, flow: _Flow) -> None:
        """el's text and children into `flow` (elements in `self.skip` left out, their tails kept)."""
        self._text(flow, el.text)
        for child in el:
            if not any(child is s for s in self.skip):
                self.child(child, flow)
            self._text(flow, child.tail)

    def is_block(self, el: etree._Element) -> bool:
        name = _local(el)
        if not name or name == "note" or el.tag == f"{{{XI_NS}}}include":
            return False
        if name in _BLOCKS:
            return True
        return any(self.is_block(c) for c in el)

    def child(self, el: etree._Element, flow: _Flow) -> None:
        if isinstance(el, etree._Entity):
            self._text(flow, el.text)  # an unresolved entity reference stays as written
            return
        if not isinstance(el.tag, str) or el.tag == f"{{{XI_NS}}}include":
            return  # comments, processing instructions, XInclude: never content
        name = _local(el)
        if name == "pb":
            self.page = el.get("n") or self.page
            return
        if name == "note":
            flow.cur.append(self.note(el))
            return
        if name == "choice":
            # one reading of alternatives: the regularised, corrected or expanded one
            kids = {_local(c): c for c in el if isinstance(c.tag, str)}
            pick = next((kids[k] for k in ("reg", "corr", "expan") if k in kids), None)
            if pick is None and kids:
                pick = next(iter(kids.values()))
            if pick is not None:
                flow.cur.extend(self.inline(pick))
            return
        if self.is_block(el):
            flow.flush()
            self.block(el, flow)
            return
        flow.cur.extend(self.inline(el))

    def note(self, el: etree._Element) -> NoteRef:
        label = re.sub(r"[^A-Za-z0-9_.\-]", "", el.get("n") or "") or str(len(self.notes) + 1)
        base, k = label, 1
        m = re.search(r"(\d+)$", el.get(XML_ID) or "")
        if label in self._labels and m and m.group(1) not in self._labels:
            label = m.group(1)  # a number printed twice (FRUS d75 has two notes "1"): the id tells them apart
        while label in self._labels:
            k += 1
            label = f"{base}.{k}"
        self._labels.add(label)
        self.notes.append((label, self.one_block(el)))
        return NoteRef(label)

    def one_block(self, el: etree._Element) -> list[Inline]:
        """el's content as one block: its paragraphs joined by hard breaks."""
        sub = _Flow()
        self.content(el, sub)
        sub.flush()
        joined: list[Inline] = []
        for b in markup.iter_blocks(sub.blocks):
            if joined:
                joined.append(Break())
            joined.extend(b.inlines)
        return _safe_inlines(joined)

    def inline(self, el: etree._Element) -> list[Inline]:
        name = _local(el)
        if name == "lb":
            inner = _Flow()
            self.content(el, inner)
            return [Break(), *inner.cur]
        inner = _Flow()
        self.content(el, inner)
        children = inner.cur
        if not _is_tei(el):
            return children
        if name in _MENTION_KINDS:
            return [MentionNode(_MENTION_KINDS[name], _ref(el.get("corresp") or el.get("ref")), children)]
        if name == "name" and el.get("type") in ("person", "place", "org"):
            kind = str(el.get("type"))
            return [MentionNode(kind, _ref(el.get("corresp") or el.get("ref")), children)]
        if name == "gloss" and el.get("target"):
            return [MentionNode("term", _ref(el.get("target")), children)]
        if name in ("hi", "emph", "title", "foreign", "term"):
            rend = set((el.get("rend") or ("italic" if name == "emph" else "")).lower().split())
            if rend & _STRONG:
                children = [Emph(_unnest(children, True), strong=True)]
            if rend & _ITALIC:
                children = [Emph(_unnest(children, False), strong=False)]
        return children

    def block(self, el: etree._Element, flow: _Flow) -> None:
        name = _local(el)
        if name == "head":
            self.content(el, flow)
            flow.flush("head")
        elif name in _FENCED:
            sub = _Flow()
            self.content(el, sub)
            sub.flush()
            if sub.blocks:
                flow.blocks.append(Block("div", blocks=sub.blocks, label=_FENCED[name]))
        elif name == "list":
            self.list(el, flow)
        elif name == "table":
            self.table(el, flow)
        else:
            self.content(el, flow)
            flow.flush()

    def list(self, el: etree._Element, flow: _Flow) -> None:
        """One paragraph per item; a label is printed before its item."""
        self._text(flow, el.text)
        labelled = False
        for child in el:
            name = _local(child)
            if name == "label":
                if labelled:
                    flow.flush()
                self.content(child, flow)
                flow.text(" ")
                labelled = True
            elif name == "item":
                self.content(child, flow)
                flow.flush()
                labelled = False
            else:
                if labelled and self.is_block(child):
                    flow.flush()
                    labelled = False
                self.child(child, flow)
            self._text(flow, child.tail)
        flow.flush()

    def table(self, el: etree._Element, flow: _Flow) -> None:
        """One paragraph per row, the cells joined by ' | '."""
        for child in el:
            name = _local(child)
            if name == "row":
                first = True
                for cell in child:
                    if _local(cell) != "cell":
                        self.child(cell, flow)
                        continue
                    if not first:
                        flow.text(" | ")
                    first = False
                    flow.cur.extend(self.one_block(cell))
                flow.flush()
            else:
                self.child(child, flow)
                flow.flush()


def _unnest(nodes: list[Inline], strong: bool) -> list[Inline]:
    """Children of an emphasis without emphasis of the same kind inside (it would not read back)."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Emph) and node.strong == strong:
            out.extend(_unnest(node.children, strong))
        else:
            out.append(node)
    return out


# --- dates, types, names ------------------------------------------------------------------------


def _day_bounds(value: str) -> tuple[str, str, Precision] | None:
    """First and last day of an ISO date, month or year ('1963-10' -> Oct 1 .. Oct 31, month)."""
    m = _ISO_PREFIX.match(value.strip())
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        if d:
            return f"{y}-{mo}-{d}", f"{y}-{mo}-{d}", "day"
        if mo:
            last = calendar.monthrange(int(y), int(mo))[1]
            return f"{y}-{mo}-01", f"{y}-{mo}-{last:02d}", "month"
    except (ValueError, calendar.IllegalMonthError):
        return None
    return f"{y}-01-01", f"{y}-12-31", "year"


def precision_of(start: str, end: str) -> Precision:
    """day within one day; month or year when the interval is exactly one; else day (a span of days)."""
    if start == end:
        return "day"
    y1, m1, d1 = start.split("-")
    y2, m2, d2 = end.split("-")
    if y1 == y2 and m1 == m2 and d1 == "01" and int(d2) == calendar.monthrange(int(y2), int(m2))[1]:
        return "month"
    if y1 == y2 and (m1, d1) == ("01", "01") and (m2, d2) == ("12", "31"):
        return "year"
    return "day"


def document_date(div: etree._Element, date_el: etree._Element | None) -> DateRange:
    """The date interval: FRUS's doc-dateTime attributes, else the dateline's date, else undated."""
    text = _norm("".join(date_el.itertext())) if date_el is not None else ""
    inferred = date_el is not None and "inferred" in (date_el.get("ana") or "")
    candidates: list[tuple[str | None, str | None]] = [(div.get(FRUS_MIN), div.get(FRUS_MAX))]
    if date_el is not None:
        when = date_el.get("when") or date_el.get("when-iso")
        candidates.append((when, when))
        candidates.append((date_el.get("notBefore") or date_el.get("from"),
                           date_el.get("notAfter") or date_el.get("to")))
    for lo, hi in candidates:
        if not lo and not hi:
            continue
        a, b = _day_bounds(lo or hi or ""), _day_bounds(hi or lo or "")
        if a is None or b is None:
            continue
        start, end = a[0], b[1]
        # one value ('1963-10') keeps its own precision; an interval gets the precision of its extent
        precision: Precision = a[2] if lo == hi else precision_of(start, end)
        try:
            # no date printed: the interval is the editors' (e.g. an editorial note)
            return DateRange(start, end, precision, text, inferred or not text)
        except ModelError:
            continue
    return DateRange(text=text)


def document_type(heading: list[Inline], subtype: str) -> str:
    """The kind of document, from the heading's first words: 'Letter From X to Y' -> 'letter'.

    The type is what comes before the first of from/to/by/for/between/with, or before 'of' when a
    name or 'the ...' follows it ('Message of Chairman K.'), not in 'Memorandum of Conversation'.
    An editorial note (FRUS subtype) is one whatever its heading says."""
    if subtype and subtype not in ("historical-document", "document"):
        return subtype.replace("-", " ").replace("_", " ").lower()
    flat = "".join(_MARK_OPEN + markup.inline_text([n]) + _MARK_CLOSE if isinstance(n, MentionNode)
                   else markup.inline_text([n]) for n in heading)
    flat = _norm(flat.replace("\n", " "))
    m = _CONNECTOR.search(flat)
    head = flat[:m.start()] if m else flat
    om = _OF.search(head)
    if om:
        after = head[om.end():]
        if _MARK_OPEN in after or re.match(r"(?:the|a|an)\s", after, re.IGNORECASE):
            head = head[:om.start()]
    head = head.replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "")
    return head.strip(" .,;:").lower()


def _names(head: etree._Element, kind: str, skip: etree._Element | None) -> list[str]:
    """Senders ('from') or addressees ('to') named in the heading, as printed.

    A name without @type joined by 'and' or a comma to a typed one shares its role
    ('Chairmen Khrushchev and Brezhnev', where FRUS types only the first)."""
    out = []
    tags = (f"{{{TEI_NS}}}persName", f"{{{TEI_NS}}}gloss", f"{{{TEI_NS}}}orgName")
    els = list(head.iter(*tags))  # held, so that each element keeps one proxy
    role: dict[int, str] = {}
    for el in els:
        prev = el.getprevious()
        if el.get("type"):
            role[id(el)] = str(el.get("type"))
        elif (prev is not None and id(prev) in role and prev.tag in tags
              and _norm(prev.tail or "") in ("and", ",", ", and", "&")):
            role[id(el)] = role[id(prev)]
    for el in els:
        if role.get(id(el)) != kind:
            continue
        if skip is not None and any(a is skip for a in el.iterancestors()):
            continue
        name = _norm("".join(el.itertext()))
        if name:
            out.append(name)
    return out


def _strip_number(nodes: list[Inline], n: str) -> list[Inline]:
    """The heading without its printed number ('118. ')."""
    if nodes and isinstance(nodes[0], Text):
        pattern = rf"^\s*{re.escape(n)}\.\s*" if n else r"^\s*\d+[A-Za-z]?\.\s+"
        value = re.sub(pattern, "", nodes[0].value, count=1)
        return _merge([Text(value), *nodes[1:]])
    return nodes


# --- the reader ---------------------------------------------------------------------------------


def _first(el: etree._Element, path: str) -> etree._Element | None:
    found = el.xpath(path, namespaces=NS)
    return found[0] if found else None


def _text(el: etree._Element | None) -> str:
    return _norm("".join(el.itertext())) if el is not None else ""


def _start_pages(root: etree._Element) -> dict[str, str | None]:
    """For each document div (by xml:id), the page in effect where it begins."""
    page: str | None = None
    out: dict[str, str | None] = {}
    pb, div = f"{{{TEI_NS}}}pb", f"{{{TEI_NS}}}div"
    for el in root.iter(pb, div):
        if el.tag == pb:
            page = el.get("n") or page
        elif el.get("type") == "document":
            out[el.get(XML_ID) or f"n{el.get('n')}"] = page
    return out


def _page_value(p: str) -> int | str:
    return int(p) if p.isdigit() else p


def read_document(div: etree._Element, page: str | None, file: str) -> Document:
    """One `div[@type='document']` as a Document."""
    n_attr = (div.get("n") or "").strip()
    doc_id = div.get(XML_ID) or (f"d{n_attr}" if n_attr else "")
    conv = _Converter(page)
    head = _first(div, "t:head")
    dateline = _first(div, "t:dateline")
    source_el = _first(head, ".//t:note[@type='source']") if head is not None else None
    heading: list[Inline] = []
    source = ""
    if head is not None:
        conv.skip = [source_el] if source_el is not None else []
        heading = _strip_number(conv.one_block(head), n_attr)
        heading = _safe_inlines(_strip_edges(heading))
        conv.skip = []
    if source_el is not None:
        source = markup.serialize_inlines(conv.one_block(source_el))
    date_el = _first(dateline, ".//t:date") if dateline is not None else None
    place_el = _first(dateline, ".//t:placeName") if dateline is not None else None
    dateline_text = ""
    if dateline is not None:
        dateline_text = _norm("".join(t for t in dateline.xpath(".//text()[not(ancestor::t:note)]", namespaces=NS)))
        for note in dateline.iter(f"{{{TEI_NS}}}note"):
            conv.note(note)  # a note on the dateline keeps its text among the notes
        conv._touch(dateline_text)
    flow = _Flow()
    conv.skip = [x for x in (head, dateline) if x is not None]
    conv.content(div, flow)
    conv.skip = []
    flow.flush()
    blocks = flow.blocks + [Block("note", inl, label=label) for label, inl in conv.notes]
    subtype = div.get("subtype") or ""
    try:
        n = int(n_attr) if n_attr else None
    except ValueError:
        n = None
    try:
        doc = Document(
            id=doc_id,
            n=n,
            body=markup.serialize(blocks),
            heading=markup.serialize_inlines(heading),
            type=document_type(heading, subtype),
            date=document_date(div, date_el),
            dateline=dateline_text,
            place=_text(place_el),
            authors=_names(head, "from", source_el) if head is not None else [],
            addressees=_names(head, "to", source_el) if head is not None else [],
            language=_lang(div),
            chapter=_chapter_id(div),
            source=source,
            subtype=subtype,
        )
    except ModelError as exc:
        raise DossierError(file, f"document {doc_id or n_attr!r}: {exc}", div.sourceline or 0) from exc
    if conv.pages:
        doc.extra["pages"] = [_page_value(p) for p in conv.pages]
    return doc


def _lang(el: etree._Element) -> str:
    for a in (el, *el.iterancestors()):
        if a.get(XML_LANG):
            return str(a.get(XML_LANG))
    return ""


def _language(root: etree._Element) -> str:
    """The text's language: xml:lang on the text, else the header's langUsage."""
    text = _first(root, "t:text")
    lang = _lang(text) if text is not None else _lang(root)
    if lang:
        return lang
    idents = root.xpath("t:teiHeader//t:langUsage/t:language/@ident", namespaces=NS)
    return str(idents[0]) if idents else ""


def _chapter_of(div: etree._Element) -> etree._Element | None:
    for a in div.iterancestors(f"{{{TEI_NS}}}div"):
        if a.get("type") in ("compilation", "chapter") and a.get(XML_ID):
            return a
    return None


def _chapter_id(div: etree._Element) -> str:
    ch = _chapter_of(div)
    return str(ch.get(XML_ID)) if ch is not None else ""


def _chapter_title(ch: etree._Element) -> str:
    head = _first(ch, "t:head")
    if head is None:
        return str(ch.get(XML_ID))
    return _norm("".join(head.xpath(".//text()[not(ancestor::t:note)]", namespaces=NS)))


def read_metadata(root: etree._Element, path: Path, chapters: list[Chapter]) -> Metadata:
    """The title page from teiHeader, and where the text comes from."""
    hdr = _first(root, "t:teiHeader")
    if hdr is None:
        return Metadata(title=path.stem, chapters=chapters)

    def title(kind: str) -> str:
        return _text(_first(hdr, f"t:fileDesc/t:titleStmt/t:title[@type='{kind}']"))

    complete = title("complete") or _text(_first(hdr, "t:fileDesc/t:titleStmt/t:title"))
    series = ", ".join(x for x in (title("series"), title("sub-series")) if x)
    roles = {"primary": "editor", "general": "general editor"}
    editors = []
    for ed in hdr.xpath("t:fileDesc/t:titleStmt/t:editor", namespaces=NS):
        entry = {"name": _text(ed)}
        role = ed.get("role")
        if role:
            entry["role"] = roles.get(role, role)
        editors.append(entry)
    pub = _first(hdr, "t:fileDesc/t:publicationStmt")
    frus_id = _text(_first(pub, "t:idno[@type='frus']")) if pub is not None else ""
    identifier = frus_id or (_text(_first(pub, "t:idno")) if pub is not None else "") or str(root.get(XML_ID) or "")
    year = ""
    publisher = place = ""
    if pub is not None:
        year = _text(_first(pub, "t:date[@type='publication-date']")) or _text(_first(pub, "t:date"))
        publisher = _text(_first(pub, "t:publisher"))
        place = _text(_first(pub, "t:pubPlace"))
    is_frus = bool(frus_id) or str(root.get(XML_ID) or "").startswith("frus")
    extra: dict[str, object] = {}
    if pub is not None:
        for idno in pub.xpath("t:idno[@type]", namespaces=NS):
            if idno.get("type") != "frus":
                extra[f"idno_{idno.get('type').replace('-', '_')}"] = _text(idno)
    if is_frus:
        source = (f"{complete} ({publisher}, {place}, {year}). US Department of State, Office of the "
                  f"Historian. A work of the US Government, in the public domain. TEI text from the "
                  f"repository HistoryAtState/frus, volumes/{path.name}.")
        license_ = "Public domain (a work of the United States Government)."
    else:
        availability = _text(_first(pub, "t:availability")) if pub is not None else ""
        source = f"{complete}. TEI file {path.name}." + (f" {availability}" if availability else "")
        license_ = availability
    return Metadata(
        title=title("volume") or complete or path.stem,
        series=series,
        volume=title("volume-number"),
        editors=editors,
        publisher=publisher,
        place=place,
        year=year,
        identifier=identifier,
        style="soviet" if not is_frus and _language(root) == "ru" else "frus",
        languages=["en"] if is_frus else [x for x in [_language(root)] if x] or ["en"],
        chapters=chapters,
        source=source,
        license=license_,
        extra=extra,
    )


def read_registers(root: etree._Element) -> Registers:
    """The List of Names (div xml:id='persons') and the List of Abbreviations (div xml:id='terms')."""
    regs = Registers()
    for item in root.xpath("//t:div[@xml:id='persons']//t:item[.//t:persName[@xml:id]]", namespaces=NS):
        name_el = item.xpath(".//t:persName[@xml:id]", namespaces=NS)[0]
        name = _text(name_el)
        rest = _rest_after(item, name_el)
        regs.persons.append(RegisterEntry(id=str(name_el.get(XML_ID)), kind="person", name=name,
                                          description=rest, status="accepted", line=item.sourceline or 0))
    for item in root.xpath("//t:div[@xml:id='terms']//t:item[.//t:term[@xml:id]]", namespaces=NS):
        term = item.xpath(".//t:term[@xml:id]", namespaces=NS)[0]
        regs.abbreviations.append(Abbreviation(id=str(term.get(XML_ID)), abbr=_text(term),
                                               expansion=_rest_after(item, term), line=item.sourceline or 0))
    return regs


def _rest_after(item: etree._Element, name_el: etree._Element) -> str:
    """The text of an index item after its name, without the comma that follows the name."""
    texts: list[str] = []
    seen = False
    for t in item.xpath(".//text()"):
        parent = t.getparent()
        inside = parent is name_el or any(a is name_el for a in parent.iterancestors())
        if t.is_tail and parent is name_el:
            inside = False
        if inside:
            seen = True
            continue
        if seen:
            texts.append(str(t))
    return _norm("".join(texts)).lstrip(",;: ").strip()


def _single_document(root: etree._Element, path: Path) -> Document:
    """A TEI file without document divs: its body as one document, dated from correspDesc."""
    body_el = _first(root, "t:text/t:body")
    conv = _Converter(None)
    flow = _Flow()
    if body_el is not None:
        conv.content(body_el, flow)
    flow.flush()
    blocks = flow.blocks + [Block("note", inl, label=label) for label, inl in conv.notes]
    sent = _first(root, "t:teiHeader//t:correspAction[@type='sent' or @type='sending']")
    received = _first(root, "t:teiHeader//t:correspAction[@type='received' or @type='receiving']")
    date_el = _first(sent, "t:date") if sent is not None else None
    title = _first(root, "t:teiHeader/t:fileDesc/t:titleStmt/t:title[@type='main']")
    heading = _text(title if title is not None else _first(root, "t:teiHeader/t:fileDesc/t:titleStmt/t:title"))
    doc_id = path.stem if valid_id(path.stem) else "d1"
    return Document(
        id=doc_id,
        body=markup.serialize(blocks),
        heading=markup.escape(heading),
        date=dataclasses.replace(document_date(root, date_el), inferred=False),  # the header's date
        place=_text(_first(sent, "t:placeName")) if sent is not None else "",
        authors=[_text(p) for p in sent.xpath("t:persName", namespaces=NS)] if sent is not None else [],
        addressees=[_text(p) for p in received.xpath("t:persName", namespaces=NS)] if received is not None else [],
        language=_language(root),
        extra={"pages": [_page_value(p) for p in conv.pages]} if conv.pages else {},
    )


def read(path: Path, options: ImportOptions, report: Report) -> ImportResult:
    """Documents, metadata and registers of one TEI file."""
    tree = parse_tei(path)
    root = tree.getroot()
    file = str(path)
    divs = root.xpath("//t:div[@type='document']", namespaces=NS)
    starts = _start_pages(root)
    documents: list[Document] = []
    seen: dict[str, int] = {}
    for div in divs:
        try:
            doc = read_document(div, starts.get(div.get(XML_ID) or f"n{div.get('n')}"), file)
        except DossierError as exc:
            p = exc.problem
            report.reject(div.get(XML_ID) or str(div.get("n")), p.file, p.message, p.line)
            continue
        if doc.id in seen:
            report.reject(doc.id, file, f"document id {doc.id!r} is used twice (see line {seen[doc.id]})",
                          div.sourceline or 0)
            continue
        seen[doc.id] = div.sourceline or 0
        doc.path = file
        documents.append(doc)
    if not divs:
        doc = _single_document(root, path)
        doc.path = file
        documents.append(doc)
    chapters: list[Chapter] = []
    known: set[str] = set()
    for div in divs:
        ch = _chapter_of(div)
        if ch is not None and ch.get(XML_ID) not in known:
            known.add(str(ch.get(XML_ID)))
            chapters.append(Chapter(id=str(ch.get(XML_ID)), title=_chapter_title(ch), n=len(chapters) + 1))
    meta = read_metadata(root, path, chapters)
    return ImportResult(documents=documents, registers=read_registers(root), metadata=meta)


READER = register(Reader(name="tei", extensions=(".xml", ".tei"), score=score, read=read))
