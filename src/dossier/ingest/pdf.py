"""Read PDFs: the text layer where a page has one, OCR where it has only a scan, page by page.

What it is for: `dossier import FILE.pdf --into DIR [--lang ru+en]`. Each page's text comes from its
text layer (pypdf); a page without one that shows an image (a scan) is rasterised at 300 dpi with
poppler's `pdftoppm` and read by Tesseract (`dossier.ingest.pages`: OMP_THREAD_LIMIT=1, pages in
parallel processes, rotated pages read upright). The pages are cleaned together (`pages.clean_pages`:
running heads and page numbers dropped, words split at line ends joined, paragraphs found) into one
text, which becomes the body (`markup.escape`, paragraphs separated by blank lines), so
`markup.plain_text(body)` is that text exactly. `extra["pages"]` keeps `[page number, offset]` of
each page's start in it; a PDF with OCR'd pages is its own facsimile (copied into `images/`, named in
`extra["facsimiles"]`).

Paragraphs: pypdf gives lines, not paragraphs; where each line stands (pypdf's `visitor_text`:
position and font size of every run) says where a paragraph starts — a gap above the line wider
than the usual line pitch, a change of font size, a note's text (a raised small number first), a
first-line indent, a heading set off the margin at a page's top — and a blank line is put there
before cleaning. The characters are pypdf's `extract_text()`, unchanged.

A whole dossier (a volume of numbered documents) becomes its documents, a single document one,
id = file stem: `pages.documents_from_text`, through `dossier.ingest.structure.documents_from_text`
(ids `{stem}-{n:03d}`; front matter and apparatus are reported with their pages, not imported).

PDF library: pypdf (BSD-3-Clause). It is permissively licensed, so dossier (MIT) can be used and
redistributed by anyone without copyleft terms; it is pure Python (no wheels to build, nothing
pulled in beside it) and it was already a dependency. pymupdf is faster (about 0.8 ms a page
against pypdf's tens of milliseconds; see benchmarks/bench_ocr.py for our figure) but AGPL, and its
default install pulls onnxruntime; pdfplumber is MIT but slower still (it is built on pdfminer) and
gives the same text. Text extraction is a small share of an import that OCRs anything: a scanned
page costs Tesseract seconds. The file is opened as a stream, not read whole into memory, and
pages are visited one at a time; rasters exist only inside the OCR workers, one page each.

Bad input, each with a one-line message naming the file: not a PDF; truncated (no `%%EOF` at the end
— an incomplete copy); damaged beyond what pypdf repairs; encrypted with a password (the empty
password is tried first, as viewers do; give a decrypted copy). A page with neither text nor
image is blank: a warning names it, and `Report.stats["pages"]` accounts for every page (`read` =
`text` + `ocr` + the `empty` list, totals and per file).

Footnotes (`take_foot_notes`): lines set smaller than the body below all of a page's body lines,
each starting with a raised label, are the page's notes; each is matched in order with a raised mark
of the same label in the text above (or on the page before, when the typesetter carried the note
over), leaves the page's text, and becomes a note of the document its mark is in (`[^label]` where
the mark was, `[^label]: text` after the text: `pages.attach_notes`); a note whose text is a source
note (`Source: ...`) gives a document without one its `source`. Notes and marks that do not match
stay in the text as printed; `Report.stats["notes"]` counts them. Scanned pages get the same
treatment from their OCR'd lines (`ocr_lines`: Tesseract's hOCR of the same run gives each line's
x-height for its size, its baseline for its place, and the glyph boxes for raised marks); OCR may
misread a raised `1` as `!` or `'`, so there a mark matches a note loosely (`_labels_match`), in order.

What it is not: a layout analyser (columns and tables come as the text layer orders them),
a reader of PDF forms, annotations or attachments, or the finder of document boundaries
(dossier.ingest.structure).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import re
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..report import DossierError, Report
from ..text_utils import align_in_order
from . import pages
from .registry import ImportOptions, ImportResult, Reader, no_progress, register

EXTENSIONS = (".pdf",)
MAGIC = b"%PDF-"
MIN_LETTERS = 1  # a page whose text layer has fewer letters than this has no text layer
DRAWN = 4000  # bytes of drawing in a page without text or images: vector text, worth OCR


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _pypdf_warnings() -> Iterator[_Collect]:
    """pypdf's log warnings (repairs of a damaged file) collected instead of printed."""
    log = logging.getLogger("pypdf")
    handler = _Collect()
    old = log.propagate
    log.addHandler(handler)
    log.propagate = False
    try:
        yield handler
    finally:
        log.removeHandler(handler)
        log.propagate = old


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _check_bytes(path: Path, fh: IO[bytes]) -> None:
    file = str(path)
    head = fh.read(1024)
    if not head:
        raise DossierError(file, "is empty (0 bytes): no PDF to import")
    if MAGIC not in head:
        raise DossierError(file, "is not a PDF (it does not start with %PDF-)")
    fh.seek(0, 2)
    size = fh.tell()
    fh.seek(max(0, size - 2048))
    if b"%%EOF" not in fh.read():
        raise DossierError(file, f"is truncated: it does not end with %%EOF ({size} bytes); "
                                 "an incomplete download or copy — get the whole file")
    fh.seek(0)


def open_pdf(path: Path, fh: IO[bytes]) -> Any:
    """A pypdf reader over an open file, decrypted with the empty password when it can be."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    file = str(path)
    _check_bytes(path, fh)
    try:
        reader = PdfReader(fh)
    except DependencyError as exc:
        raise DossierError(file, f"is encrypted in a way this installation cannot open ({_one_line(exc)}); "
                                 "give a decrypted copy (e.g. qpdf --decrypt)") from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DossierError(file, f"is damaged and cannot be read as a PDF: {_one_line(exc)}") from None
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except DependencyError as exc:
            raise DossierError(file, f"is encrypted in a way this installation cannot open ({_one_line(exc)}); "
                                     "give a decrypted copy (e.g. qpdf --decrypt)") from None
        except Exception as exc:  # noqa: BLE001 - any failure to decrypt is the same story for the user
            raise DossierError(file, f"is encrypted and cannot be decrypted: {_one_line(exc)}; "
                                     "give a decrypted copy") from None
        if ok == PasswordType.NOT_DECRYPTED:
            raise DossierError(file, "is encrypted with a password; give a decrypted copy")
    return reader


def _has_picture(page: Any) -> bool:
    """True when a page draws an image or form XObject, or much vector drawing (outlined text)."""
    try:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        xobjects = resources.get("/XObject") if resources else None
        if xobjects is not None and len(xobjects.get_object()):
            return True
        contents = page.get_contents()
        return contents is not None and len(contents.get_data()) > DRAWN
    except Exception:  # noqa: BLE001 - a page we cannot inspect is worth an OCR attempt
        return True


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


# --- the text layer's lines and where they stand -------------------------------------------------

GAP = 1.3  # a line further below the one before than GAP × the usual line pitch starts a paragraph
SIZE_CHANGE = 0.12  # a change of font size by more than this share starts a paragraph
SUPERSCRIPT = 0.85  # a run smaller than this share of its line's size, raised above it, is a note mark
_NOTE_LABEL = re.compile(r"\d{1,3}|[*†‡§]{1,3}")  # what a note mark or a footnote's label reads
FOOT_SIZE = 0.92  # lines smaller than this share of the body's size below all body lines: a page's foot


@dataclass
class _Line:
    """One line of a page's text layer: its text, the start of its first run, its baseline and size
    (of the run with the most characters, in points), and whether it starts with a raised small run."""

    text: str
    x: float = 0.0
    y: float = 0.0
    size: float = 0.0
    raised_start: bool = False
    refs: list[tuple[int, int, str]] = field(default_factory=list)  # raised small labels after a word: start, end, label
    lead: int = 0  # characters of raised label at the line's start, when OCR's glyph boxes say so (any reading)
    par: int = 0  # an OCR'd line's paragraph on its page


def ocr_lines(lines: list[pages.OcrLine]) -> list[_Line]:
    """An OCR'd page's lines as the text layer's are (y upward, size the x-height), for `take_foot_notes`."""
    return [_Line(ln.text, x=ln.x, y=-ln.y, size=ln.size, raised_start=ln.lead > 0, refs=list(ln.refs),
                  lead=ln.lead, par=ln.par) for ln in lines]


def ocr_pitch(pages_lines: list[list[_Line]]) -> float:
    """The usual distance between an OCR'd paragraph's lines, as a multiple of their x-height (the
    median over lines of one Tesseract paragraph and about one size); infinite when too few."""
    ratios = [(prev.y - cur.y) / cur.size for lines in pages_lines
              for prev, cur in zip(lines, lines[1:], strict=False)
              if prev.par == cur.par and cur.size > 0 and abs(prev.size - cur.size) <= 0.1 * cur.size
              and 0 < prev.y - cur.y < 6 * cur.size]
    return statistics.median(ratios) if len(ratios) >= 5 else math.inf


def ocr_page_text(lines: list[_Line], pitch: float = math.inf) -> str:
    """An OCR'd page's text from its lines: a line each, a blank line between Tesseract's paragraphs
    and before a line set further below the one before than GAP × the usual pitch (a dateline under
    a heading that Tesseract reads as one paragraph)."""
    out: list[str] = []
    for k, ln in enumerate(lines):
        if k:
            prev = lines[k - 1]
            if ln.par != prev.par or prev.y - ln.y > GAP * pitch * max(prev.size, ln.size):
                out.append("")
        out.append(ln.text)
    return "\n".join(out)


# What OCR reads for a raised `1` it cannot make out (`Kennedy!`, `Kennedy'`)
_MISREAD_ONE = frozenset("!|lIi'’`ı")


def _norm_label(text: str) -> str:
    """A raised label as OCR read it, in the form its foot note prints: `!`, `'` ... read for `1`."""
    return "".join("1" if c in _MISREAD_ONE else c for c in text.strip())


def _labels_match(mark: str, label: str, later: set[str], loose: bool) -> bool:
    """Whether a raised mark in the text stands for the note labelled `label`. Exactly, in a text
    layer; in OCR'd lines (`loose`), also when the glyphs were misread: the mark or the label read as
    no number (`!`, `’`, `?`, `*`), or the mark as another number that no later note of the page prints.

    A glyph read for a number is read for any number: `!` and `’` are what a raised `1` often
    becomes, but as often a raised `3` (`Sincerely,’` for `Sincerely,³`, from one resampling of the
    page and `?` from another), so they count as `1` only in preferring it (`_align_marks`), never
    in ruling another note out; only marks read as figures are held to the notes the page prints later."""
    if mark == label:
        return True
    if not loose:
        return False
    mark, label = mark.strip(), label.strip()
    if _norm_label(mark) == _norm_label(label):
        return True
    if not mark.isdigit():
        return len(mark) <= max(1, len(label))
    if not label.isdigit():  # the label misread (`?` for a `2`): its place in the order decides
        return len(label) <= max(1, len(mark))
    return len(mark) == len(label) and mark not in later


def _align_marks(groups: list[tuple[str, list[int]]], refs: list[tuple[tuple[int, int], tuple[int, int, str]]]
                 ) -> dict[int, int]:
    """OCR'd notes matched with the marks in the text above, both in order: the notes' labels and the
    marks as read (`_labels_match`), the most pairs, then the most that read alike. Where a label and
    its mark are both misread (`?` for a raised `2` whose mark reads `’`), a first-come match would
    give the note a later mark that fits and leave the notes after it none. Returns the index of the
    group (a note) -> the index of its mark in `refs`."""
    notes = [(g, label) for g, (label, _) in enumerate(groups) if label]
    n, m = len(notes), len(refs)
    if not n or not m:
        return {}
    labels = [lb for _, lb in notes]
    later = [{_norm_label(lb) for lb in labels[a + 1:]} for a in range(n)]

    def weight(a: int, b: int) -> float:
        mark = refs[b][1][2]
        if not _labels_match(mark, labels[a], later[a], True):
            return 0
        return 10 + (_norm_label(mark) == _norm_label(labels[a]))

    return {notes[a][0]: b for a, b in align_in_order(n, m, weight)}


def _page_lines(page: Any) -> list[_Line]:
    """The page's text as pypdf extracts it (`extract_text()`, same characters in the same order),
    split into lines that know where they stand on the page (pypdf's `visitor_text`)."""
    runs: list[tuple[str, float, float, float]] = []  # text, x, y (up), size in points

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
        runs.append((text, x, y, float(size) * (scale or 1.0)))

    page.extract_text(visitor_text=visit)
    lines: list[_Line] = []
    parts: list[str] = []
    # visible characters, x, y, size of each run; its start in the line's text and its text
    marks: list[tuple[int, float, float, float, int, str]] = []

    def raised(run: tuple[int, float, float, float, int, str], main: tuple[int, float, float, float, int, str]
               ) -> bool:
        return run is not main and run[3] < SUPERSCRIPT * main[3] and run[2] > main[2] + 0.1 * main[3]

    def flush() -> None:
        text = "".join(parts)
        line = _Line(text)
        if marks:
            main = max(marks, key=lambda m: m[0])
            line.x, line.y, line.size = marks[0][1], main[2], main[3]
            first = marks[0]
            line.raised_start = raised(first, main)
            for run in marks[1:]:
                start = run[4] + len(run[5]) - len(run[5].lstrip())
                label = run[5].strip()
                if raised(run, main) and _NOTE_LABEL.fullmatch(label) and start > 0:
                    line.refs.append((start, start + len(label), label))
        lines.append(line)
        parts.clear()
        marks.clear()

    for text, x, y, size in runs:
        pieces = text.split("\n")
        for k, piece in enumerate(pieces):
            if k:
                flush()
            if piece:
                offset = sum(len(p) for p in parts)
                parts.append(piece)
                visible = len(piece.strip())
                if visible:
                    marks.append((visible, x, y, size, offset, piece))
    if parts:
        flush()
    return lines


def _pitch(pages_lines: list[list[_Line]]) -> float:
    """The usual distance between lines of one paragraph, as a share of the font size (the median
    over lines that follow a line of the same size just below it); 1.2 when there are too few."""
    ratios = []
    for lines in pages_lines:
        filled = [ln for ln in lines if ln.text.strip() and ln.size > 0]
        for prev, cur in zip(filled, filled[1:], strict=False):
            dy = prev.y - cur.y
            if abs(prev.size - cur.size) < 0.01 * cur.size and 0 < dy < 3 * cur.size:
                ratios.append(dy / cur.size)
    return statistics.median(ratios) if len(ratios) >= 5 else 1.2


def _paragraph_starts(lines: list[_Line], pitch: float) -> list[bool]:
    """For each line, whether the page's layout starts a paragraph there: a gap above it wider than
    GAP × the usual pitch, a change of font size, a note's text (a raised number first), a line
    indented from the page's left margin after one at the margin (a first-line indent), or a line
    that stands higher than the one before (another column, or text the PDF draws out of order)."""
    filled = [ln for ln in lines if ln.text.strip() and ln.size > 0]
    if not filled:
        return [False] * len(lines)
    body_size = statistics.mode(sorted(round(ln.size, 1) for ln in filled))
    lefts = [round(ln.x) for ln in filled if abs(ln.size - body_size) < 0.1 * body_size]
    left = statistics.mode(sorted(lefts)) if lefts else round(filled[0].x)
    out = []
    prev: _Line | None = None
    for ln in lines:
        start = False
        if ln.text.strip() and ln.size > 0:
            if prev is not None:
                size = max(prev.size, ln.size)
                dy = prev.y - ln.y
                indent = 0.5 * ln.size
                at_margin = abs(prev.x - left) < indent
                same_indent = abs(prev.x - ln.x) < 1.0
                start = (dy <= 0 or dy > GAP * pitch * size
                         or abs(prev.size - ln.size) > SIZE_CHANGE * size
                         or ln.raised_start
                         or (ln.x - left > indent and (at_margin or same_indent)))
            else:  # the page's first line: a heading (larger, or set off the margin) or an indented first line
                start = ln.size > (1 + SIZE_CHANGE) * body_size or ln.x - left > 0.5 * ln.size
            prev = ln
        out.append(start)
    return out


def _body_size(pages_lines: list[list[_Line]]) -> float:
    """The size of the body text: the commonest line size of the file (0 without lines)."""
    sizes = [round(ln.size, 1) for lines in pages_lines for ln in lines if ln.text.strip() and ln.size > 0]
    return statistics.mode(sorted(sizes)) if sizes else 0.0


_FOOT_LABEL = re.compile(r"^[ \t]*(\d{1,3}|[*†‡§]{1,3})(?:[ \t\u00a0]+|(?=[^\w\s])|$)")
_FOOT_LABEL_PLAIN = re.compile(r"^[ \t]*(\d{1,3}|[*†‡§]{1,3})[.)]?[ \t\u00a0]+")
_FURNITURE = re.compile(r"[\W\d_]*|[\W_]*[ivxlcdm]+[\W_]*", re.IGNORECASE)


def _lead(ln: _Line, raised: bool) -> tuple[int, str] | None:
    """Where the label at a line's start ends, and the label: the raised glyphs OCR's boxes found
    (whatever they read), else a printed label (`_FOOT_LABEL` when the line starts raised, else
    `_FOOT_LABEL_PLAIN`)."""
    if ln.lead:
        end = ln.lead + len(ln.text[ln.lead:]) - len(ln.text[ln.lead:].lstrip(" \t\u00a0"))
        return end, ln.text[:ln.lead]
    m = _FOOT_LABEL.match(ln.text) if raised else _FOOT_LABEL_PLAIN.match(ln.text)
    return (m.end(), m.group(1)) if m else None


def take_foot_notes(pages_lines: dict[int, list[_Line]], notes: list[pages.FootNote], loose: bool = False
                    ) -> dict[int, list[_Line]]:
    """The pages' lines without the notes printed at their feet, which are added to `notes`.

    A page's foot is the lines set smaller than the body (under FOOT_SIZE of its size) standing below
    every line of body size (a line without letters there, far below the others, is a page number);
    a note there starts with its label, raised (or, set level, followed by `.`/`)`/a space, when the
    text above has a mark of that label); foot lines before the first label continue the last note
    of the page before (one that did not end a sentence). Each note is matched, in order, with the
    next raised mark of the same label in the text above (`Kennedy¹`) — or of the page before, whose
    notes the typesetter may carry over — and the mark becomes `pages.note_mark(k)`, k the note's
    place in `notes`. A note without a mark, and a mark without a note, stay in the text as printed.

    `loose`: the lines are OCR's (`ocr_lines`: size is the x-height, raised glyphs found from their
    boxes), whose labels may be misread (`!` or `'` for a raised `1`): the page's notes and marks are
    then matched in order as `_align_marks` says (the most pairs that `_labels_match` allows), and
    the note takes the label its mark or its own label reads as a number (else the number after the
    note before it on the page)."""
    size = _body_size(list(pages_lines.values()))
    marks: dict[tuple[int, int], list[tuple[int, int, int]]] = {}  # (page, line) -> (start, end, note k)
    taken: set[tuple[int, int]] = set()  # (page, line) of the foot lines made notes
    last: pages.FootNote | None = None  # the last note taken, while the pages follow one another
    carried: list[tuple[tuple[int, int], tuple[int, int, str]]] = []  # the page before's marks left
    for i in sorted(pages_lines):
        lines = pages_lines[i]
        if last is not None and last.page != i - 1:
            last = None
        carried = [c for c in carried if c[0][0] == i - 1]
        body_y = [ln.y for ln in lines if ln.text.strip() and abs(ln.size - size) <= 0.1 * size]
        if not size or not body_y:
            carried = []
            continue
        floor = min(body_y)
        small = sorted((k for k, ln in enumerate(lines) if ln.text.strip() and 0 < ln.size < FOOT_SIZE * size
                        and ln.y < floor), key=lambda k: (-lines[k].y, lines[k].x))
        foot = [k for k in small
                if not (_FURNITURE.fullmatch(lines[k].text.strip())
                        and all(abs(lines[k].y - lines[o].y) > 1.5 * lines[k].size for o in small if o != k))]
        refs = list(carried)
        for k, ln in enumerate(lines):
            if k in foot:
                continue
            lead = _lead(ln, True) if ln.raised_start and k and abs(ln.size - size) <= 0.1 * size else None
            if lead:  # a mark at a line's end that the text layer gives at the next line's start
                refs.append(((i, k), (-1, lead[0], lead[1])))
            refs.extend(((i, k), r) for r in ln.refs)
        pending = {(_norm_label(r[2]) if loose else r[2]) for _, r in refs}
        groups: list[tuple[str, list[int]]] = []  # label ("" for a continuation), foot line indices
        for k in foot:
            m = _lead(lines[k], lines[k].raised_start)
            if m and (lines[k].raised_start or (_norm_label(m[1]) if loose else m[1]) in pending):
                groups.append((m[1], [k]))
            elif groups:
                groups[-1][1].append(k)
            else:
                groups.append(("", [k]))
        aligned = _align_marks(groups, refs) if loose else None
        at = 0  # marks before this one are used or passed
        for g, (label, ks) in enumerate(groups):
            texts = [lines[k].text for k in ks]
            if not label:
                if last is not None and not re.search(r"[.!?»”)]$", last.lines[-1].strip()):
                    last.lines.extend(texts)
                    taken.update((i, k) for k in ks)
                continue
            later = {_norm_label(lb) for lb, _ in groups[g + 1:] if lb}
            if aligned is not None:
                hit = aligned.get(g)
            else:
                hit = next((j for j in range(at, len(refs)) if _labels_match(refs[j][1][2], label, later, loose)),
                           None)
            if hit is None:
                continue
            where, (start, end, read) = refs[hit]
            at = hit + 1
            first = _lead(lines[ks[0]], lines[ks[0]].raised_start) or _lead(lines[ks[0]], False)
            assert first is not None
            texts[0] = texts[0][first[0]:]
            if loose:  # the printed number, from whichever of label and mark OCR read as one ...
                label = next((x for x in (label, read) if x.isdigit()), _norm_label(label))
                if not label.isdigit() and last is not None and last.page == i and last.label.isdigit():
                    label = str(int(last.label) + 1)  # ... else the number after the note before
            note = pages.FootNote(label, [t for t in texts if t.strip()] or [""], i)
            marks.setdefault(where, []).append((start, end, len(notes)))
            notes.append(note)
            last = note
            taken.update((i, k) for k in ks)
        carried = [c for c in refs[at:] if c[0][0] == i]
    out: dict[int, list[_Line]] = {}
    for i, lines in pages_lines.items():
        kept: list[_Line] = []
        for k, ln in enumerate(lines):
            if (i, k) in taken:
                continue
            for start, end, n in sorted(marks.get((i, k), []), reverse=True):
                if start < 0:  # the mark moves to the end of the line before
                    ln = dataclasses.replace(ln, text=ln.text[end:], raised_start=False)
                    back = next((j for j in range(len(kept) - 1, -1, -1) if kept[j].text.strip()), None)
                    if back is not None:
                        kept[back] = dataclasses.replace(kept[back], text=kept[back].text.rstrip() + pages.note_mark(n))
                    continue
                ln = dataclasses.replace(ln, text=ln.text[:start] + pages.note_mark(n) + ln.text[end:], refs=[])
            kept.append(ln)
        out[i] = kept
    return out


def _page_text(lines: list[_Line], pitch: float) -> str:
    """The page's text with a blank line before each line that starts a paragraph by the layout (a
    blank first line when the page's first line does: `pages.clean_pages` keeps that one only when
    the line is not a running head)."""
    out: list[str] = []
    for ln, start in zip(lines, _paragraph_starts(lines, pitch), strict=True):
        if start:
            out.append("")
        out.append(ln.text)
    return "\n".join(out)


def read_pdf(path: Path, options: ImportOptions, report: Report) -> ImportResult:
    file = str(path)
    progress = options.progress or no_progress
    lang = pages.tesseract_lang(options.lang)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise DossierError(file, f"cannot be read: {exc.strerror or exc}") from exc
    with fh, _pypdf_warnings() as warned:
        reader = open_pdf(path, fh)
        try:
            count = len(reader.pages)
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a broken page tree
            raise DossierError(file, f"is damaged: its pages cannot be found ({_one_line(exc)})") from None
        if count == 0:
            raise DossierError(file, "has no pages")
        texts: list[str] = [""] * count
        layout: dict[int, list[_Line]] = {}
        sources: list[pages.PageSource] = ["empty"] * count
        to_ocr: list[int] = []
        blank: list[int] = []
        for i in progress(range(count), f"Text of {path.name}", count):
            try:
                page = reader.pages[i]
                lines = _page_lines(page)
                text = "\n".join(ln.text for ln in lines)
            except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
                report.warn(file, f"page {i + 1}: its text layer cannot be read ({_one_line(exc)}); trying OCR")
                to_ocr.append(i)
                continue
            if _letters(text) >= MIN_LETTERS:
                texts[i], sources[i] = text, "text"
                layout[i] = lines
            elif _has_picture(page):
                to_ocr.append(i)
            else:
                blank.append(i)
        if warned.messages:
            report.warn(file, f"is damaged; pypdf repaired it ({len(warned.messages)} problems, first: "
                              f"{warned.messages[0][:120]}); check the text")
    notes: list[pages.FootNote] = []
    layout = take_foot_notes(layout, notes)
    pitch = _pitch(list(layout.values()))
    for i, lines in layout.items():
        texts[i] = _page_text(lines, pitch)
    confidences: list[float] = []
    scanned: dict[int, list[_Line]] = {}  # OCR'd pages' lines, for their foot notes
    if to_ocr:
        why = pages.check_ocr(lang)
        if why:
            if not any(s == "text" for s in sources):
                raise DossierError(file, f"is a scan (no text layer on any page) and OCR {why}")
            report.warn(file, f"{len(to_ocr)} scanned pages not read: OCR {why}")
            blank.extend(to_ocr)
        else:
            with pages.OcrPool() as pool:
                results = pool.map(pages.ocr_pdf_page, ((str(path), i + 1, lang) for i in to_ocr))
                for i, got in zip(to_ocr, progress(results, f"OCR of {path.name}", len(to_ocr)), strict=True):
                    if got.error:
                        report.warn(file, f"page {i + 1}: OCR failed: {got.error}")
                        blank.append(i)
                    elif _letters(got.text) == 0:
                        report.warn(file, f"page {i + 1}: a scan in which OCR found no text (blank or a picture)")
                        blank.append(i)
                    else:
                        texts[i], sources[i] = got.text, "ocr"
                        confidences.append(got.confidence)
                        if got.lines:
                            scanned[i] = ocr_lines(got.lines)
    if scanned:  # a scan's notes at its page feet, as a text layer's (in pixels: taken apart from those pages)
        ocr_pages = take_foot_notes(scanned, notes, loose=True)
        gaps = ocr_pitch(list(ocr_pages.values()))
        for i, lines in ocr_pages.items():
            texts[i] = ocr_page_text(lines, gaps)
    for i in sorted(set(blank) - set(to_ocr)):
        report.warn(file, f"page {i + 1}: blank (no text layer and no image)")
    empty = sorted(set(blank))
    for i in empty:
        sources[i] = "empty"
    pages.account(report.stats, path.name, sources, [i + 1 for i in empty])
    if all(s == "empty" for s in sources):
        raise DossierError(file, f"has no text on any of its {count} pages (blank, or scans OCR cannot read)")
    cleaned = pages.clean_pages(texts, fuzzy=any(s == "ocr" for s in sources), notes=notes)
    extra: dict[str, Any] = {"source_file": path.name}
    result = ImportResult()
    if confidences:
        extra["ocr"] = {"engine": "tesseract", "lang": lang, "pages": len(confidences),
                        "confidence": round(sum(confidences) / len(confidences), 1)}
        extra["facsimiles"] = [path.name]
        result.files.append((path, path.name))
    result.documents = pages.documents_from_text(cleaned, path, options, report, extra,
                                                  registers=result.apparatus)
    return result


def score(path: Path) -> float:
    """0.9 for a file that starts like a PDF, 0.6 for a `.pdf` name (the content is checked when read)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError:
        head = b""
    if MAGIC in head:
        return 0.9
    return 0.6 if path.suffix.lower() in EXTENSIONS else 0.0


def read(path: Path, options: ImportOptions, report: Report) -> ImportResult:
    return read_pdf(path, options, report)


READER = register(Reader(name="pdf", extensions=EXTENSIONS, score=score, read=read))
