"""Read Word documents (.docx, Office Open XML): paragraphs, emphasis, line breaks, footnotes.

What it is for: `dossier import letter.docx --into DIR`. The file is a zip; `word/document.xml` holds
the text. Each paragraph (`w:p`) becomes a paragraph of the body; its runs (`w:r`) give the text
(`w:t`), tabs (`w:tab` → a tab character), line breaks (`w:br`, `w:cr` → a hard line break), and
non-breaking hyphens (`w:noBreakHyphen` → `-`); soft hyphens (`w:softHyphen`) are invisible and
dropped. Italic runs become `*..*`, bold runs `**..**` (bold and italic together: `**..**`, as the
markup cannot nest the two marks in one run), the literal text escaped with `markup.escape` and the
marks put around the escaped runs, outside their leading and trailing spaces. A paragraph in a
heading style (`Heading1`…, `Title`) becomes an inner heading (`## `). Footnotes and endnotes
(`word/footnotes.xml`, `word/endnotes.xml`) become `[^n]` at their reference, numbered in order of
reference, with `[^n]: text` blocks at the end. Tracked deletions (`w:del`) are left out, tracked
insertions kept: the text as the author last saw it. Tables give one paragraph per cell.

Why lxml and not python-docx: lxml is already a dependency (the TEI reader uses it), and reading
these few elements from the zip is less code than mapping python-docx's object model back to runs;
python-docx (MIT) exposes no footnotes, which we need. The file is one `Document` (id = file
stem), or its numbered documents when it holds a whole dossier (`pages.documents_from_text`, shared
with the PDF reader; the body in markup is cut at the same lines as the text).

Bad input, each a one-line error naming the file: not a zip (a `.doc` from Word 97–2003 is
recognised and named), a zip without `word/document.xml`, XML that does not parse, a document
without any text.

What it is not: a renderer of Word layout (fonts, sizes, colours, columns, page furniture — headers
and footers are not read), a reader of comments, fields' codes, embedded objects or images, or of
`.doc`/`.odt`/`.rtf`.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from .. import markup
from ..report import DossierError, Report
from .pages import Cleaned, documents_from_text
from .registry import ImportOptions, ImportResult, Reader, register

EXTENSIONS = (".docx", ".docm")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
_HEADING_STYLE = re.compile(r"^(heading\s*\d|title|subtitle|заголовок\s*\d?)$", re.IGNORECASE)
_OFF = {"0", "false", "off", "none"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)


def _on(rpr: Any, tag: str) -> bool:
    if rpr is None:
        return False
    el = rpr.find(W + tag)
    return el is not None and el.get(W + "val", "true").lower() not in _OFF


class _Notes:
    """Footnotes and endnotes by id, numbered in the order the text refers to them."""

    def __init__(self, zf: zipfile.ZipFile, file: str) -> None:
        self.texts: dict[tuple[str, str], Any] = {}
        for kind, name in (("footnote", "word/footnotes.xml"), ("endnote", "word/endnotes.xml")):
            if name not in zf.namelist():
                continue
            root = _parse(zf, name, file)
            for note in root.iter(W + kind):
                if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                self.texts[(kind, note.get(W + "id", ""))] = note
        self.order: list[tuple[str, Any]] = []  # (label, note element)
        self.labels: dict[tuple[str, str], str] = {}

    def ref(self, kind: str, note_id: str) -> str | None:
        key = (kind, note_id)
        if key not in self.texts:
            return None
        if key not in self.labels:
            label = str(len(self.order) + 1)
            self.labels[key] = label
            self.order.append((label, self.texts[key]))
        return self.labels[key]


def _parse(zf: zipfile.ZipFile, name: str, file: str) -> Any:
    try:
        data = zf.read(name)
    except (KeyError, zipfile.BadZipFile, OSError) as exc:
        raise DossierError(file, f"is damaged: {name} cannot be read ({exc})") from None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DossierError(file, f"is damaged: {name} is not well-formed XML ({exc.msg})") from None


def _own_paragraph(el: Any, p: Any) -> bool:
    """True when `el`'s nearest enclosing paragraph is `p` (not a text box's paragraph inside it)."""
    node = el.getparent()
    while node is not None and node is not p:
        if node.tag == W + "p" or node.tag == W + "del":
            return False
        node = node.getparent()
    return node is p


def _runs(p: Any, notes: _Notes) -> list[tuple[str, str]]:
    """(style, text) pieces of a paragraph: style is '', 'em', 'strong', 'br' or 'note'."""
    out: list[tuple[str, str]] = []
    for r in p.iter(W + "r"):
        if not _own_paragraph(r, p):
            continue
        rpr = r.find(W + "rPr")
        style = "strong" if _on(rpr, "b") else "em" if _on(rpr, "i") else ""
        for child in r:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if tag == "t":
                out.append((style, child.text or ""))
            elif tag == "tab" or tag == "ptab":
                out.append((style, "\t"))
            elif tag in ("br", "cr"):
                out.append(("br", ""))  # a page or column break ends the line too
            elif tag == "noBreakHyphen":
                out.append((style, "-"))
            elif tag == "sym":
                char = child.get(W + "char", "")
                try:
                    code = int(char, 16)
                    out.append((style, chr(code - 0xF000 if code >= 0xF000 else code)))
                except ValueError:
                    pass
            elif tag in ("footnoteReference", "endnoteReference"):
                label = notes.ref(tag.replace("Reference", ""), child.get(W + "id", ""))
                if label is not None:
                    out.append(("note", label))
    return out


def _render(pieces: list[tuple[str, str]], marks: bool = True) -> tuple[str, str]:
    """(markup, plain text) of a paragraph's pieces; consecutive pieces of one style are merged.

    An emphasis right after another (`*a***b**`) would not read back, so it goes unmarked."""
    groups: list[tuple[str, str]] = []
    for style, text in pieces:
        if groups and groups[-1][0] == style and style not in ("br", "note"):
            groups[-1] = (style, groups[-1][1] + text)
        else:
            groups.append((style, text))
    body: list[str] = []
    plain: list[str] = []
    marked = False  # the last piece written ends with an emphasis mark
    for style, text in groups:
        if style == "br":
            body.append("\\\n")
            plain.append("\n")
        elif style == "note":
            body.append(f"[^{text}]")
        elif marks and style in ("em", "strong") and text.strip() and not (marked and text[0] == text.lstrip()[0]):
            mark = "**" if style == "strong" else "*"
            core = text.strip()
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
            body.append(markup.escape(lead) + mark + markup.escape(core) + mark + markup.escape(trail))
            plain.append(text)
            marked = not trail
            continue
        else:
            body.append(markup.escape(text))
            plain.append(text)
        marked = False
    return "".join(body), "".join(plain)


def _paragraph_blocks(container: Any, notes: _Notes, marks: bool = True) -> list[tuple[str, str]]:
    """(markup, plain) of each non-empty paragraph in a container (body, note), in document order."""
    out: list[tuple[str, str]] = []
    for p in container.iter(W + "p"):
        if any(a.tag == W + "del" for a in p.iterancestors()):
            continue
        body, plain = _render(_runs(p, notes), marks)
        body, plain = _trim(body, plain)
        if not plain.strip() and "[^" not in body:
            continue
        ppr = p.find(W + "pPr")
        style = ppr.find(W + "pStyle") if ppr is not None else None
        if style is not None and _HEADING_STYLE.match(style.get(W + "val", "")) and "\n" not in plain:
            body = "## " + body
        out.append((body, plain))
    return out


def _trim(body: str, plain: str) -> tuple[str, str]:
    """A paragraph without blank lines inside (the markup would split it) and without edge spaces."""
    plain = re.sub(r"\n\s*\n", "\n", plain).strip()
    body = re.sub(r"\\\n(\s*\\\n)+", "\\\\\n", body).strip()
    while body.endswith("\\\n") or body.endswith("\\"):
        body = body[:-2] if body.endswith("\\\n") else body[:-1]
        body = body.rstrip()
    while body.startswith("\\\n"):
        body = body[2:].lstrip()
    return body, plain


def _compose(body_el: Any, notes: _Notes, marks: bool, file: str) -> tuple[str, str]:
    """(body markup, plain text) of the document: paragraphs, then the notes in order of reference."""
    blocks = _paragraph_blocks(body_el, notes, marks)
    if not any(plain.strip() for _, plain in blocks):
        raise DossierError(file, "has no text (an empty document, or only pictures)")
    note_blocks: list[tuple[str, str]] = []
    done = 0
    while done < len(notes.order):  # a note may refer to another note
        label, note = notes.order[done]
        done += 1
        parts = _paragraph_blocks(note, notes, marks)
        note_body = " ".join(b for b, _ in parts).replace("\\\n", " ")
        note_plain = " ".join(p for _, p in parts).replace("\n", " ")
        note_blocks.append((f"[^{label}]: " + note_body, note_plain))
    body = "\n\n".join(b for b, _ in blocks + note_blocks)
    text = "\n\n".join(p for _, p in blocks + note_blocks)
    return body, text


def read_docx(path: Path, options: ImportOptions, report: Report) -> ImportResult:
    file = str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise DossierError(file, f"cannot be read: {exc.strerror or exc}") from exc
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise DossierError(file, "is an old Word 97–2003 file (.doc), not .docx; save it as .docx and import again")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DossierError(file, "is not a Word .docx file (not a zip archive; damaged or another format)") from None
    with zf:
        if "word/document.xml" not in zf.namelist():
            raise DossierError(file, "is a zip archive without word/document.xml: not a Word .docx document")
        root = _parse(zf, "word/document.xml", file)
        body_el = root.find(W + "body")
        if body_el is None:
            raise DossierError(file, "is damaged: word/document.xml has no w:body")
        notes = _Notes(zf, file)
        body, text = _compose(body_el, notes, True, file)
        try:
            ok = markup.plain_text(body) == text
        except markup.MarkupError:
            ok = False
        if not ok:  # emphasis the markup cannot hold: keep the words, drop the marks
            report.warn(file, "emphasis dropped: its italic/bold runs cannot be written in the document markup")
            notes = _Notes(zf, file)
            body, text = _compose(body_el, notes, False, file)
            if markup.plain_text(body) != text:
                raise DossierError(file, "its text does not survive the document markup unchanged (a dossier bug)")
    extra: dict[str, Any] = {"source_file": path.name}
    if notes.order:
        extra["notes"] = len(notes.order)
    result = ImportResult()
    result.documents = documents_from_text(Cleaned(text=text), path, options, report, extra, body=body,
                                           registers=result.apparatus)
    return result


def score(path: Path) -> float:
    """0.9 for a .docx name on a zip file; 0.5 for the name alone (the content is checked when read)."""
    if path.suffix.lower() not in EXTENSIONS:
        return 0.0
    try:
        with path.open("rb") as fh:
            return 0.9 if fh.read(4) == b"PK\x03\x04" else 0.5
    except OSError:
        return 0.5


def read(path: Path, options: ImportOptions, report: Report) -> ImportResult:
    return read_docx(path, options, report)


READER = register(Reader(name="docx", extensions=EXTENSIONS, score=score, read=read))
