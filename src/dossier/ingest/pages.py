"""Page texts into one clean text, and the OCR worker pool the page readers (PDF, images) share.

What it is for, first part (`clean_pages`): a PDF's text layer or an OCR engine gives text page by
page, with the printer's furniture and the typesetter's line breaks in it. This module turns the
pages of one file into one text:

- *Running heads and page numbers* are lines repeated at the edges of many pages. The first and last
  `EDGE` lines of every page are compared with the edge lines of the pages around it (`WINDOW`
  pages either side), after folding case, spacing and digits (`2 FOREIGN RELATIONS` and
  `14 FOREIGN RELATIONS` fold alike, as do `— 2 —` and `— 14 —`); OCR'd lines match fuzzily. A line
  whose folded form stands at an edge of at least `NEED` other pages nearby (one, in a file of two
  or three pages) is furniture, and is dropped, working inward from each edge while lines match. The
  rule knows no words of any language: alternating verso/recto heads, chapter heads, heads carrying
  the page number, and heads a PDF draws after the body text (so they come last) all fall under it.
- *End-of-line hyphenation* is undone by a word list made from the document's own vocabulary:
  `госу-` + `дарство` becomes `государство` when `государство` occurs elsewhere unhyphenated, or when
  the hyphenated form `госу-дарство` never occurs within a line; the hyphen is kept when only the
  hyphenated form occurs. A break is never a split word when the next piece starts with a capital
  (`Soviet-` / `American`), when the pieces are of two scripts (`PR-` / `компанию`), when the first
  piece is an acronym in capitals, when a digit stands on either side (`1961-` / `1963`), or when
  both pieces (of three letters or more) are words of the text on their own and never occur joined
  (`всё-` / `равно`), or when most line ends of the document carry another hyphen sign while this
  one occurs inside lines (a typesetter that splits with U+2010 keeps the text's own U+002D) —
  unless the joined word occurs elsewhere, which decides first (`Mc-` / `Sweeney` is joined when
  `McSweeney` is in the text). A soft hyphen (U+00AD) at a line end is always a split. A dash set
  close (`Governments—both`), broken at, is joined back without a space; `слово —` / `слово` keeps it.
- *Paragraphs*: a blank line ends one (the PDF reader puts one where the layout starts a paragraph);
  so does a line that stops short when the next line's first word would have fitted on it (the
  typesetter broke it on purpose): after a sentence's end, or anywhere when the line is shorter
  than `SHORT` of the text's width (a signature, a heading, a salutation at a page's foot). A page
  break alone is none. Lines of a paragraph are joined
  with one space, spaces inside lines are collapsed (justified text comes with runs of them).

The result keeps where each page starts: `pages` is a list of `[page number, character offset]` in
the clean text, for `Document.extra["pages"]`.

Second part (`OcrPool`, `ocr_image`, `ocr_pdf_page`): Tesseract, run as its command-line program
with `OMP_THREAD_LIMIT=1` (with its default OpenMP threads a page takes about ten times longer on a
shared machine) and `--psm 3`, on the page turned level when it was scanned askew (`skew_angle`:
a degree or two of skew mixes the lines of small type; turned in black and white, `_levelled`); a page that reads with low confidence has its orientation found by
Tesseract's OSD (`--psm 0`; `osd.traineddata` ships with Debian's `tesseract-ocr` package) and is
read again upright — without OSD data, the best of 90/180/270 degrees by mean word confidence. See
`ocr_image` for why not `--psm 1` on every page. Pages are OCR'd in parallel processes (`concurrent.futures`, one worker per
core), each worker rasterising (`pdftoppm -r 300 -gray`: an uncompressed grey PGM, since writing a
PNG at 300 dpi costs more than a second) or cutting out its own page into a temporary file and deleting it, so
the parent never holds more than a few page texts in flight: a 1,000-page scan streams. One run of
Tesseract writes the layout (`hocr` with glyph boxes), which gives the text, the words' confidences
and, through `hocr_lines`, each line's place, x-height and raised marks, for the page-foot notes (where
the boxes miss a raised mark at a word's end, the page image's own ink shows it, `PageInk`).
pytesseract is not used: it would run the same program, and the direct call reads its hOCR directly.

Third part (`documents_from_text`): the readers' one way from a file's text to `Document`s — the
numbered documents `dossier.ingest.structure` finds when the file is a whole dossier, else one.

What it is not: a reader of any file format (pdf.py, images.py and docx.py are), the finder of
document boundaries (dossier.ingest.structure), or a spell checker: words are never changed, only joined.
"""

from __future__ import annotations

import bisect
import dataclasses
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import fuzz

# --- cleaning -------------------------------------------------------------------------------------

EDGE = 3  # lines at the top and at the bottom of a page that may be furniture
WINDOW = 6  # pages either side compared
NEED = 2  # other pages nearby that must carry the same edge line
FUZZY = 88  # rapidfuzz ratio for OCR'd edge lines of 8 characters or more
SHORT = 0.6  # a line shorter than this share of the text's width ends its paragraph, whatever ends it

HYPHENS = "-\u2010\u2011\u00ad\u00ac"  # hyphen-minus, hyphen, non-breaking hyphen, soft hyphen, not sign
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_DIGITS = re.compile(r"\d+")
_ROMAN = re.compile(r"(?<![^\W\d_])[ivxlcdm]+(?![^\W\d_])")
_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)*")
_TRAILING_WORD = re.compile(r"([^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)*)([" + HYPHENS + r"])$")
_LEADING_WORD = re.compile(r"^([^\W\d_]+)")
_DASH_END = re.compile(r"[^\W_][\u2014\u2013]$")  # a dash set close to the word before it
_DASH_START = re.compile(r"[\u2014\u2013][^\W_]")  # ... or to the word after it
_SENTENCE_END = re.compile(r"[.!?:;»\"”’)\]…][\U000F0000-\U000FFFFD]*$")  # a note's mark may follow


def fold(line: str) -> str:
    """The form edge lines are compared in: case folded, spacing collapsed, numbers (also roman) as `#`."""
    s = _SPACES.sub(" ", line.strip().casefold())
    s = _DIGITS.sub("#", s)
    if len(s) <= 12:  # `xii`, `— iv —`: a roman page number, not a word in a running head
        s = _ROMAN.sub("#", s)
    return s


def _script(word: str) -> str:
    c = next((ch for ch in word if ch.isalpha()), "")
    if "\u0400" <= c <= "\u04ff":
        return "cyrillic"
    if c.isascii():
        return "latin"
    return "other"


@dataclass
class Cleaned:
    """One file's text after cleaning, where each page starts in it, and what was taken out."""

    text: str
    pages: list[list[int]] = field(default_factory=list)  # [page number, offset in text]
    furniture: int = 0  # lines dropped as running heads or page numbers
    joined: int = 0  # words rejoined across a line end
    kept_hyphens: int = 0  # line-end hyphens kept as real hyphens
    notes: list[FootNote] = field(default_factory=list)  # notes taken from the pages' feet; marks in `text`


def _page_lines(text: str) -> list[str]:
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        line = re.sub("\u00ad(?!$)", "", line)  # soft hyphens inside a line are invisible
        lines.append(line)
    return lines


def _edges(lines: list[str]) -> tuple[list[int], list[int]]:
    filled = [i for i, line in enumerate(lines) if line]
    return filled[:EDGE], filled[::-1][:EDGE]


def find_furniture(pages: list[list[str]], fuzzy: bool = False) -> list[set[int]]:
    """For each page, the indices of its lines that are running heads or page numbers."""
    edge_keys: list[list[str]] = []
    edges: list[tuple[list[int], list[int]]] = []
    for lines in pages:
        top, bottom = _edges(lines)
        edges.append((top, bottom))
        edge_keys.append([fold(lines[i]) for i in dict.fromkeys(top + bottom)])
    n = sum(1 for lines in pages if any(lines))
    need = 1 if n <= 3 else NEED

    def repeated(i: int, key: str) -> bool:
        hits = 0
        for j in range(max(0, i - WINDOW), min(len(pages), i + WINDOW + 1)):
            if j == i:
                continue
            for other in edge_keys[j]:
                if other == key or (fuzzy and len(key) >= 8 and fuzz.ratio(key, other) >= FUZZY):
                    hits += 1
                    break
            if hits >= need:
                return True
        return False

    out: list[set[int]] = []
    for i, lines in enumerate(pages):
        drop: set[int] = set()
        for side in edges[i]:
            for k in side:
                if k in drop:
                    continue
                if not repeated(i, fold(lines[k])):
                    break
                drop.add(k)
        out.append(drop)
    return out


class Vocabulary:
    """Words of one document, to tell a word split at a line end from a compound with a real hyphen."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.words: Counter[str] = Counter()
        self.compounds: Counter[str] = Counter()
        self.inner_hyphens: Counter[str] = Counter()  # hyphen signs inside lines
        ends: Counter[str] = Counter()  # hyphen signs at line ends
        after_hyphen = False
        for line in lines:
            if not line:
                continue
            ends_hyphen = line[-1] in HYPHENS
            if ends_hyphen:
                ends[line[-1]] += 1
            self.inner_hyphens.update(c for c in line[:-1] if c in HYPHENS)
            found = list(_WORD.finditer(line))
            if ends_hyphen and found and found[-1].end() >= len(line) - 1:
                found.pop()  # the piece before a line-end hyphen is no word of its own
            if after_hyphen and found and found[0].start() == 0:
                found.pop(0)  # nor is the piece after it
            for m in found:
                w = _norm_hyphens(m.group().casefold())
                (self.compounds if "-" in w else self.words)[w] += 1
            after_hyphen = ends_hyphen
        # The sign the typesetter breaks words with, when one sign makes most line ends (WeasyPrint
        # and TeX-like engines hyphenate with U+2010 while the text's compounds keep U+002D).
        total = sum(ends.values())
        top = ends.most_common(1)
        self.line_end_hyphen = top[0][0] if top and total >= 5 and top[0][1] >= 0.7 * total else ""

    def split_word(self, left_token: str, right: str, hyphen: str = "-") -> bool:
        """True when `left_token` + `hyphen` at a line end + `right` is one word broken in two."""
        left = re.split(r"[-\u2010\u2011]", left_token)[-1]
        joined = _norm_hyphens((left_token + right).casefold())
        hyphenated = _norm_hyphens((left_token + "-" + right).casefold())
        if self.words[joined] or self.compounds[joined]:
            return True  # the word occurs unbroken elsewhere
        if self.line_end_hyphen and hyphen != self.line_end_hyphen and self.inner_hyphens[hyphen]:
            return False  # the typesetter splits words with another sign; this one is the text's own
        if not right[:1].islower() or _script(left) != _script(right):
            return False  # Soviet- / American, PR- / компанию
        if len(left) >= 2 and left.isupper():
            return False  # an acronym: USSR- / based
        if self.compounds[hyphenated]:
            return False  # only the hyphenated form occurs
        if min(len(left), len(right)) >= 3 and self.words[left.casefold()] and self.words[right.casefold()]:
            return False  # two words of the text, never seen joined: всё- / равно
        return True


def _norm_hyphens(s: str) -> str:
    return re.sub("[\u2010\u2011]", "-", s)


def _trim_blank(lines: list[str]) -> list[str]:
    """A page's lines without blank lines at its edges: a page break alone is no evidence of a
    paragraph break (the blank a reader put before a running head it drew last stays behind when the
    head goes); see `top_break` in `clean_pages` for the one kept."""
    a, b = 0, len(lines)
    while a < b and not lines[a]:
        a += 1
    while b > a and not lines[b - 1]:
        b -= 1
    return lines[a:b]


@dataclass
class FootNote:
    """A note printed at a page's foot, taken out of the page's text: its printed label, its lines
    (in the reader's order), the page index it stands on; `text` is filled by `clean_pages`. The note
    mark in the text above is the character `note_mark(k)`, k this note's place in the file's list."""

    label: str
    lines: list[str]
    page: int
    text: str = ""


NOTE_MARK_BASE = 0xF0000  # supplementary private use area A: never in a source's text
_NOTE_MARK = re.compile("[\U000F0000-\U000FFFFD]")


def note_mark(k: int) -> str:
    """The stand-in character for the k-th note's mark in a page's text, until the documents are cut."""
    return chr(NOTE_MARK_BASE + k)


def clean_pages(texts: list[str], numbers: list[int] | None = None, fuzzy: bool = False,
                notes: list[FootNote] | None = None) -> Cleaned:
    """One text from the pages of a file: furniture dropped, split words joined, paragraphs found.

    `numbers` are the pages' numbers (1, 2, ... by default); `fuzzy` matches edge lines loosely
    (for OCR'd pages, where a running head reads a little differently on each page). `notes`: notes
    the reader took out of the pages' feet (their marks left in the text as `note_mark(k)`); their
    lines are joined the same way (the same word list undoes their hyphenation) into `text`, their
    paragraphs on lines of their own."""
    numbers = numbers or list(range(1, len(texts) + 1))
    pages = [_page_lines(t) for t in texts]
    furniture = find_furniture(pages, fuzzy=fuzzy)
    kept: list[list[str]] = [_trim_blank([line for k, line in enumerate(lines) if k not in furniture[i]])
                             for i, lines in enumerate(pages)]
    # A page whose text begins with a blank line before a line that is not furniture starts a
    # paragraph at its top (the PDF reader's layout says so: a heading, an indented first line).
    top_break = [len(lines) > 1 and not lines[0] and bool(lines[1]) and 1 not in furniture[i]
                 for i, lines in enumerate(pages)]
    note_lines = [_trim_blank(_page_lines("\n".join(n.lines))) for n in notes or []]
    vocab = Vocabulary([line for lines in kept for line in lines] + [line for lines in note_lines for line in lines])
    lengths = sorted(len(line) for lines in kept for line in lines if line)
    width = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0

    # a stream of (page index, line); None marks a blank line
    stream: list[tuple[int, str | None]] = []
    for i, lines in enumerate(kept):
        if top_break[i] and lines:
            stream.append((i, None))
        for raw in lines:
            stream.append((i, raw or None))
    result = Cleaned(text="", furniture=sum(len(f) for f in furniture), notes=list(notes or []))
    paragraphs, page_start = _join(stream, vocab, width, result)
    starts = [0]
    for p in paragraphs:
        starts.append(starts[-1] + len(p) + 2)
    result.text = "\n\n".join(paragraphs)
    for i in range(len(texts)):
        if i in page_start:
            par, off = page_start[i]
            result.pages.append([numbers[i], starts[par] + off])
    note_width = max((len(line) for lines in note_lines for line in lines), default=0)
    for note, lines in zip(notes or [], note_lines, strict=True):
        got, _ = _join([(note.page, line or None) for line in lines], vocab, note_width, result)
        note.text = "\n".join(got)
    return result


def _join(stream: list[tuple[int, str | None]], vocab: Vocabulary, width: int, result: Cleaned
          ) -> tuple[list[str], dict[int, tuple[int, int]]]:
    """The paragraphs of a stream of (page index, line or None for a blank line), and where each
    page starts in them: (paragraph index, offset in it). Counts joins and kept hyphens in `result`."""
    paragraphs: list[str] = []
    current: list[str] = []  # pieces of the paragraph being built
    glue = ""  # what joins the next line to the current paragraph: " ", "" (after a split word)
    page_start: dict[int, tuple[int, int]] = {}  # page index -> (paragraph index, offset in it)

    def cur_len() -> int:
        return sum(len(p) for p in current)

    def end_paragraph() -> None:
        nonlocal glue
        if current:
            paragraphs.append("".join(current))
            current.clear()
        glue = ""

    for pos, (i, line) in enumerate(stream):
        if line is None:
            end_paragraph()
            continue
        if i not in page_start:
            lead = glue if current else ""
            page_start[i] = (len(paragraphs), cur_len() + len(lead))
        if current:
            current.append(glue)
        current.append(line)
        nxt = next((ln for _, ln in stream[pos + 1:pos + 2]), None)
        m = _TRAILING_WORD.search(line)
        if nxt and m:
            rm = _LEADING_WORD.match(nxt)
            if m.group(2) == "\u00ad" or (rm and vocab.split_word(m.group(1), rm.group(1), m.group(2))):
                current[-1] = line[:-1]
                glue = ""
                result.joined += 1
                continue
            if rm or nxt[:1].isalnum():
                glue = ""  # a real hyphen at the line end: the compound goes on without a space
                result.kept_hyphens += 1
                continue
        if line[-1:] in HYPHENS and line[-2:-1].isalnum() and nxt and nxt[:1].isalnum():
            glue = ""  # 1961-\n1963, 711.11-\nKE: a hyphen attached to what precedes goes on without a space
            result.kept_hyphens += 1
            continue
        if nxt and ((_DASH_END.search(line) and nxt[:1].isalnum()) or
                    (_DASH_START.match(nxt) and line[-1:].isalnum())):
            glue = ""  # Governments—\nboth: a dash set close, the line broken at it, goes on without a space
            continue
        if nxt is None or (width and (_SENTENCE_END.search(line) or len(line) < SHORT * width) and
                           len(line) + 1 + len(nxt.split(" ", 1)[0]) < 0.9 * width):
            end_paragraph()
            continue
        glue = " "
    end_paragraph()
    return paragraphs, page_start


# --- OCR ------------------------------------------------------------------------------------------

LANGS = {"ru": "rus", "en": "eng", "de": "deu", "fr": "fra", "uk": "ukr"}
DEFAULT_LANG = "rus+eng"
DPI = 300
LOW_CONFIDENCE = 70.0  # mean word confidence under which the page's orientation is checked


def tesseract_lang(option: str) -> str:
    """Tesseract's language string for `--lang` (`ru` → `rus`, `ru+en` → `rus+eng`; default rus+eng)."""
    parts = [p for p in re.split(r"[+,]", option or "") if p]
    if not parts:
        return DEFAULT_LANG
    return "+".join(LANGS.get(p, p) for p in parts)


@lru_cache(maxsize=1)
def tesseract_languages() -> frozenset[str]:
    """The traineddata Tesseract has here (`eng`, `rus`, `osd`, ...); empty when it is not installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, env=_env())
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def check_ocr(lang: str) -> str | None:
    """Why OCR in `lang` cannot run here (one line), or None when it can."""
    have = tesseract_languages()
    if not have:
        return "needs Tesseract OCR, which is not installed (apt-get install tesseract-ocr; see scripts/setup.sh)"
    missing = [x for x in lang.split("+") if x not in have]
    if missing:
        pkgs = " ".join(f"tesseract-ocr-{x}" for x in missing)
        return f"needs Tesseract language data {'+'.join(missing)}, not installed (apt-get install {pkgs})"
    return None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


@dataclass
class OcrLine:
    """One line of an OCR'd page and where it stands (pixels, y downward): the left edge, the
    baseline at the left edge, the x-height (Tesseract's `x_size` less its ascenders and descenders:
    the line's font size, which a line's letters do not change), the paragraph of the page it is
    in, and its raised small marks (glyphs standing well above the baseline, as a superscript note
    mark does): `lead` characters of raised label at its start, and `refs` (start, end, text read)
    after a word."""

    text: str
    x: int = 0
    y: float = 0.0
    size: float = 0.0
    par: int = 0
    lead: int = 0
    refs: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class OcrPage:
    """What OCR made of one page: its text, the mean word confidence (0–100), rotation applied, and
    its lines with their layout (`lines`, from Tesseract's hOCR of the same run)."""

    text: str
    confidence: float = 0.0
    words: int = 0
    rotation: int = 0
    error: str = ""
    lines: list[OcrLine] = field(default_factory=list)


RAISED = 0.3  # a glyph whose bottom stands more than this share of the x-height above the baseline ...
RAISED_HEIGHT = 0.55  # ... and at least this tall (a quote mark is shorter): a raised mark
RAISED_MAX = 1.25  # ... and no taller than this share of the x-height plus ascenders
_BBOX = re.compile(r"(?:bbox|x_bboxes) (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
_NUMS = {key: re.compile(key + r" (-?[\d.]+)(?: (-?[\d.]+))?") for key in ("baseline", "x_size", "x_descenders",
                                                                       "x_ascenders")}


def _title(el: Any) -> str:
    return str(el.get("title", ""))


def _num(title: str, key: str, k: int = 1, default: float = 0.0) -> float:
    m = _NUMS[key].search(title)
    if not m or m.group(k) is None:
        return default
    return float(m.group(k))


def _raised(box: re.Match[str] | None, baseline: tuple[int, float, float], xh: float, asc: float) -> bool:
    """Whether a glyph's box stands raised and small above its line's baseline (x0, y at x0, slope):
    its bottom well above the baseline, its height that of a superscript figure, not of a quote mark."""
    if box is None:
        return False
    x0, y0, y1 = int(box.group(1)), int(box.group(2)), int(box.group(4))
    base = baseline[1] + baseline[2] * (x0 - baseline[0])
    return base - y1 > RAISED * xh and RAISED_HEIGHT * xh <= y1 - y0 <= RAISED_MAX * (xh + asc)


# What OCR reads for a raised note mark at a word's end (`Kennedy!`, `people.’`, `tions.?`, `Kennedy1`) ...
_MARK_LIKE = frozenset("0123456789!|lIi'’`ı?*\"”^°")
# ... and the stops whose glyph box swallows the mark set after them (`time.` for `time.³`)
_STOPS = frozenset(".,;:")


def _otsu(histogram: list[int]) -> int:
    """Otsu's threshold of a grey image's histogram: the grey level that best parts ink from paper."""
    total = sum(histogram)
    sum_all = sum(i * h for i, h in enumerate(histogram))
    best, level = -1.0, 127
    w0 = sum0 = 0.0
    for t, h in enumerate(histogram[:255]):
        w0 += h
        sum0 += t * h
        w1 = total - w0
        if w0 == 0 or w1 == 0:
            continue
        between = w0 * w1 * (sum0 / w0 - (sum_all - sum0) / w1) ** 2
        if between > best:
            best, level = between, t
    return level


class PageInk:
    """A page image's ink (pixels darker than Otsu's threshold), to look at the right end of a word
    whose glyph boxes Tesseract drew too wide: LSTM's boxes are approximate, so a raised note mark
    kerned close to the letter before (`Kennedy¹`) gets one box with that letter and reads `!`."""

    def __init__(self, image: Any) -> None:
        from PIL import Image

        self.grey = image if image.mode == "L" else image.convert("L")
        self.width, self.height = self.grey.size
        sample = self.grey.resize((max(1, self.width // 4), max(1, self.height // 4)), Image.Resampling.NEAREST)
        t = _otsu(sample.histogram())
        self._table = [255 if v <= t else 0 for v in range(256)]
        self._mask: Any = None  # the whole page thresholded, the first time a piece is looked at

    @classmethod
    def of(cls, path: Path) -> PageInk | None:
        from PIL import Image

        try:
            with Image.open(path) as im:
                im.load()
                return cls(im)
        except (OSError, ValueError, SyntaxError):
            return None

    def _ink(self, x0: float, y0: float, x1: float, y1: float) -> tuple[tuple[int, int], Any] | None:
        """The ink (255) of a box of the page, clipped to it, with the box's top-left corner."""
        box = (max(0, round(x0)), max(0, round(y0)), min(self.width, round(x1)), min(self.height, round(y1)))
        if box[2] <= box[0] or box[3] <= box[1]:
            return None
        if self._mask is None:
            self._mask = self.grey.point(self._table)
        return (box[0], box[1]), self._mask.crop(box)

    def grounded_end(self, x0: int, x1: int, base: float, xh: float) -> int | None:
        """The last column of a word's box (x0..x1) whose ink reaches down to the baseline, or None."""
        low = self._ink(x0, base - RAISED * xh, x1 + 1, base)
        if low is None:
            return None
        last = max((k for k, v in enumerate(low[1].getprojection()[0]) if v), default=None)
        return None if last is None else low[0][0] + last

    def raised_tail(self, x0: int, x1: int, base: float, xh: float, asc: float, top: float) -> int | None:
        """Where a raised mark at the right end of a word's box (x0..x1, baseline `base` at x1)
        begins, or None: right of the word's last column whose ink reaches down to the baseline, the
        glyphs (runs of inked columns, apart from that column) that stand wholly above the baseline
        by RAISED × the x-height and are as tall as a superscript figure (a quote mark is shorter),
        taken from the right. `top`: the line's top."""
        low = self._ink(x0, base - RAISED * xh, x1 + 1, base)
        if low is None:
            return None
        grounded = max((k for k, v in enumerate(low[1].getprojection()[0]) if v), default=-1)
        start = low[0][0] + grounded + 1
        upper = self._ink(start, max(top - 2, base - 1.3 * (xh + asc)), x1 + 1, base - RAISED * xh)
        if upper is None:
            return None
        (left, y0), ink = upper
        columns = ink.getprojection()[0]
        glyphs: list[tuple[int, int]] = []  # runs of inked columns
        for k, v in enumerate(columns):
            if v and glyphs and glyphs[-1][1] == k:
                glyphs[-1] = (glyphs[-1][0], k + 1)
            elif v:
                glyphs.append((k, k + 1))
        begin = None
        for a, b in reversed(glyphs):
            box = ink.crop((a, 0, b, ink.height)).getbbox()
            if a == 0 or box is None or b - a < 2:  # the raised part of a glyph on the baseline (`7`, `v`)
                break
            height, bottom = box[3] - box[1], y0 + box[3]
            if base - bottom < RAISED * xh or not RAISED_HEIGHT * xh <= height <= RAISED_MAX * (xh + asc):
                break
            begin = left + a
        return begin


_QUOTES = frozenset("’'`‘")


def _letter_read_as_quote(chars: list[tuple[str, re.Match[str] | None]], grounded: int | None) -> int:
    """How many quote marks at the end of `chars` (a word's glyphs before its raised mark) are the
    last letter's own ink read twice (`Kennedy’!` for `Kennedy¹`: the `y`'s arm read as `’`): those
    whose box starts left of the word's last column that reaches the baseline. A quote of its own
    (`yes.’¹`) stands right of it and stays."""
    n = 0
    for c, b in reversed(chars):
        if grounded is None or c not in _QUOTES or b is None or int(b.group(1)) > grounded or n >= 2:
            break
        n += 1
    return n


def _pixel_mark(word: str, chars: list[tuple[str, re.Match[str] | None]], box: re.Match[str] | None,
                base: float, xh: float, asc: float, top: float, ink: PageInk) -> int | None:
    """The raised mark at a word's end that the page's ink shows where the glyph boxes did not: how
    many characters at the word's end read it (`!`, `’`, `1`: those whose boxes reach into the
    raised ink; 0 when a stop's box swallowed it and the mark stands after the word), or None."""
    if box is None or not word or word[-1] not in _MARK_LIKE | _STOPS:
        return None
    tail = ink.raised_tail(int(box.group(1)), int(box.group(3)), base, xh, asc, top)
    if tail is None:
        return None
    run = 0
    for c, b in reversed(chars):
        if run >= 3 or len(c) != 1 or c not in _MARK_LIKE or b is None or int(b.group(3)) <= tail:
            break
        run += 1
    if run:
        return run
    last = chars[-1][1] if chars else None
    if word[-1] in _STOPS and last is not None and int(last.group(3)) > tail:
        return 0
    return None


def hocr_lines(hocr: str, ink: PageInk | None = None) -> list[OcrLine]:
    """The lines of a page from Tesseract's hOCR (with `hocr_char_boxes=1`): words joined by one
    space, as Tesseract's own text output joins them, with each line's place, x-height, paragraph,
    and its raised marks found from the glyphs' boxes — and, given the page's `ink`, at a word's end
    from the pixels where the boxes missed it (`_pixel_mark`)."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", hocr, count=1).encode("utf-8"))
    except ET.ParseError:
        return []
    out: list[OcrLine] = []

    def cls(el: Any) -> str:
        return str(el.get("class", ""))

    par = 0
    for p in root.iter():
        if not cls(p) == "ocr_par":
            continue
        par += 1
        in_par: list[tuple[OcrLine, list[tuple[int, int, int, int]]]] = []  # with each word's chars and x
        for line in p:
            if not cls(line).startswith("ocr_") or cls(line) == "ocrx_word":
                continue
            t = _title(line)
            box = _BBOX.search(t)
            if not box:
                continue
            left, bottom = int(box.group(1)), int(box.group(4))
            slope, offset = _num(t, "baseline", 1), _num(t, "baseline", 2)
            size, asc, desc = _num(t, "x_size"), _num(t, "x_ascenders"), _num(t, "x_descenders")
            xh = max(1.0, size - asc - desc)
            parts: list[str] = []
            ln = OcrLine("", x=left, y=bottom + offset, size=xh, par=par)
            spans: list[tuple[int, int, int, int]] = []
            words = [w for w in line if cls(w) == "ocrx_word"]
            for wi, w in enumerate(words):
                chars = [(c.text or "", _BBOX.search(_title(c))) for c in w if cls(c) == "ocrx_cinfo"]
                word = "".join(c for c, _ in chars) if chars else "".join(w.itertext()).strip()
                if not word:
                    continue
                flags = [len(c) == 1 and _raised(b, (left, bottom + offset, slope), xh, asc) for c, b in chars]
                if parts:
                    parts.append(" ")
                start = sum(len(x) for x in parts)
                parts.append(word)
                wbox = _BBOX.search(_title(w))
                if wbox:
                    spans.append((start, start + len(word), int(wbox.group(1)), int(wbox.group(3))))
                if not flags or not flags[-1]:
                    if wi == 0 and flags and flags[0]:  # a raised label glued to the line's first word
                        ln.lead = next(k for k, f in enumerate(flags) if not f)
                    elif ink is not None:
                        wb = _BBOX.search(_title(w))
                        at = int(wb.group(3)) if wb else left
                        got = _pixel_mark(word, chars, wb, bottom + offset + slope * (at - left), xh, asc,
                                          int(box.group(2)), ink)
                        if got is not None:
                            end = start + len(word)
                            ln.refs.append((end - got, end, word[len(word) - got:]))
                    continue
                run = next((k for k, f in enumerate(reversed(flags)) if not f), len(flags))  # raised at its end
                if run == len(flags):  # the whole word raised: a label of its own
                    if wi == 0:
                        ln.lead = len(word)
                    elif run <= 3:
                        ln.refs.append((start, start + len(word), word))
                elif run <= 3:
                    wb, read = _BBOX.search(_title(w)), word[-run:]
                    if ink is not None and wb is not None and chars[-run - 1][0] in _QUOTES:
                        at = int(wb.group(3))
                        run += _letter_read_as_quote(chars[:-run], ink.grounded_end(
                            int(wb.group(1)), at, bottom + offset + slope * (at - left), xh))
                    ln.refs.append((start + len(word) - run, start + len(word), read))
            ln.text = "".join(parts)
            if ln.text:
                in_par.append((ln, spans))
        _trusted_sizes(in_par)
        columns = _columns(in_par)
        for k, column in enumerate(columns):
            par += k > 0
            out.extend(dataclasses.replace(ln, par=par) for ln in column)
    if len(out) > 2:
        # a page number that Tesseract reads apart from the running head it shares a line with (a wide
        # space between them) and gives last: back to its line, as a text layer has it
        first, last = out[0], out[-1]
        if (len(last.text) <= 12 and len(last.text.split()) <= 3 and not last.refs and not first.refs
                and abs(last.y - first.y) < 0.5 * max(first.size, last.size)):
            text = f"{first.text} {last.text}" if last.x > first.x else f"{last.text} {first.text}"
            out[0] = dataclasses.replace(first, text=text, x=min(first.x, last.x), lead=0)
            out.pop()
    return out


SIZED = 8  # lowercase letters a line needs for its own x-height to be trusted


def _trusted_sizes(lines: list[tuple[OcrLine, list[tuple[int, int, int, int]]]]) -> None:
    """Tesseract's x-height of a line with few lowercase letters is a guess (`19, 1973, pp. 640-645.`
    came out 26 pixels in a paragraph of 20, from one resampling of the page, and 19.6 from
    another; a line of capitals or figures has no x-height at all): such a line takes the median
    size of the lines of its paragraph that have SIZED lowercase letters or more, when there are any.
    The size decides what is body and what is a page's foot, so one guess must not move a note."""
    trusted = [ln.size for ln, _ in lines if sum(c.islower() for c in ln.text) >= SIZED]
    if not trusted:
        return
    median = statistics.median(trusted)
    for ln, _ in lines:
        if sum(c.islower() for c in ln.text) < SIZED:
            ln.size = median


GUTTER = 4.0  # a space between words wider than this many x-heights may part two columns


def _columns(lines: list[tuple[OcrLine, list[tuple[int, int, int, int]]]]) -> list[list[OcrLine]]:
    """The lines of one of Tesseract's paragraphs, as one column, or as two when Tesseract read two
    columns set side by side as one (a short index of places in two columns: `Moscow, 1 (1), 9 (20),
    Washington, 4 (2), …`): a gutter, an upright strip that no word crosses, wider than GUTTER
    x-heights, with at least two words on each side in two lines or more. The left column's lines
    come first. Words: (start, end in the line's text, left x, right x)."""
    plain = [[ln for ln, _ in lines]]
    gaps: list[tuple[int, int]] = []
    for ln, spans in lines:
        gaps.extend((a[3], b[2]) for a, b in zip(spans, spans[1:], strict=False) if b[2] - a[3] > GUTTER * ln.size)
    for g0, g1 in gaps:
        lo, hi = g0, g1
        for _, spans in lines:
            for _, _, x0, x1 in spans:
                if x1 > lo and x0 < hi:  # this word stands in the strip: narrow it, or give up
                    if x0 <= lo and x1 >= hi:
                        lo = hi
                    elif x0 <= lo:
                        lo = x1
                    else:
                        hi = x0
        if hi - lo <= GUTTER * min(ln.size for ln, _ in lines):
            continue
        both = sum(1 for _, spans in lines if sum(x1 <= lo for *_, x1 in spans) >= 2
                   and sum(x0 >= hi for _, _, x0, _ in spans) >= 2)
        if both < 2:
            continue
        left: list[OcrLine] = []
        right: list[OcrLine] = []
        for ln, spans in lines:
            inner = [s for s in spans if s[2] >= hi]
            if not inner:
                left.append(ln)
                continue
            cut = inner[0][0]
            if cut == 0:
                right.append(dataclasses.replace(ln, x=inner[0][2]))
                continue
            end = max(s[1] for s in spans if s[3] <= lo)
            left.append(dataclasses.replace(ln, text=ln.text[:end], refs=[r for r in ln.refs if r[0] < end]))
            right.append(dataclasses.replace(ln, text=ln.text[cut:], x=inner[0][2], lead=0,
                                             refs=[(a - cut, b - cut, t) for a, b, t in ln.refs if a >= cut]))
        return [left, right]
    return plain


def lines_text(lines: list[OcrLine]) -> str:
    """The page's text from its lines: a line each, a blank line between paragraphs."""
    out: list[str] = []
    for k, ln in enumerate(lines):
        if k and ln.par != lines[k - 1].par:
            out.append("")
        out.append(ln.text)
    return "\n".join(out)


def run_tesseract(image: Path, lang: str, psm: int = 1, picture: Any = None) -> OcrPage:
    """Tesseract on one image file: text and mean confidence from one run (OMP_THREAD_LIMIT=1).
    `picture`: the same image, already open (PIL), for `PageInk`; else it is read from the file."""
    with tempfile.TemporaryDirectory(prefix="dossier-ocr-") as tmp:
        base = Path(tmp) / "out"
        # hOCR alone: the text and the words' confidences are in it too (writing `txt` and `tsv` as
        # well cost Tesseract about 4 % more time a page)
        proc = subprocess.run(["tesseract", str(image), str(base), "-l", lang, "--psm", str(psm),
                               "-c", "hocr_char_boxes=1", "hocr"],
                              capture_output=True, text=True, env=_env())
        if proc.returncode != 0:
            lines = [ln for ln in proc.stderr.splitlines() if ln.strip() and not ln.startswith("Estimating")]
            return OcrPage("", error=(lines[-1] if lines else f"tesseract exited {proc.returncode}"))
        hocr_path = base.with_suffix(".hocr")
        hocr = hocr_path.read_text(encoding="utf-8", errors="replace") if hocr_path.exists() else ""
        ink = PageInk(picture) if picture is not None else PageInk.of(image)
        layout = hocr_lines(hocr, ink) if hocr else []
    confs = [float(c) for c in _WCONF.findall(hocr)]
    conf = sum(confs) / len(confs) if confs else 0.0
    return OcrPage(lines_text(layout).strip(), conf, len(confs), lines=layout)


_WCONF = re.compile(r"class=.ocrx_word.[^>]*x_wconf (-?[\d.]+)")


def _osd_rotation(image: Path) -> int | None:
    """Degrees to turn the image clockwise to make it upright, by Tesseract's OSD (`--psm 0`)."""
    proc = subprocess.run(["tesseract", str(image), "-", "--psm", "0"], capture_output=True, text=True, env=_env())
    m = re.search(r"^Rotate:\s*(\d+)", proc.stdout, re.M)
    return int(m.group(1)) % 360 if m else None


def _turned(image: Path, clockwise: int, tmp: str) -> Path:
    from PIL import Image

    out = Path(tmp) / f"turned-{clockwise}.pgm"
    with Image.open(image) as im:
        im.convert("L").rotate(-clockwise, expand=True).save(out)
    return out


MAX_SKEW = 4.0  # degrees either way a page's lines are looked for when it was scanned askew ...
MIN_SKEW = 0.25  # ... and less than this it is read as it is


def skew_angle(picture: Any) -> float:
    """The angle (degrees, counter-clockwise as PIL turns) that sets a page's lines of text level:
    the turn under which its rows of ink are the most unequal (the sum of squares of the row sums:
    level lines of text make dark rows and white gaps, skewed ones smear them), looked for in
    half-degree steps to MAX_SKEW either way on the page at an eighth of its size, then in tenths
    about the best at a quarter. About a tenth of a second a page; 0 for a page without ink."""
    from PIL import Image

    grey = picture if picture.mode == "L" else picture.convert("L")
    quarter = grey.resize((max(1, grey.width // 4), max(1, grey.height // 4)), Image.Resampling.BOX)
    t = _otsu(quarter.histogram())
    ink = quarter.point([255 if v <= t else 0 for v in range(256)])
    eighth = ink.resize((max(1, ink.width // 2), max(1, ink.height // 2)), Image.Resampling.BOX)

    def rows(im: Any, angle: float) -> float:
        turned = im.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0) if angle else im
        sums = turned.resize((1, turned.height), Image.Resampling.BOX).tobytes()
        return float(sum(v * v for v in sums))

    steps = int(2 * MAX_SKEW)
    coarse = max(range(-steps, steps + 1), key=lambda k: (rows(eighth, k / 2), -abs(k))) / 2
    best = max(range(-5, 6), key=lambda k: (rows(ink, coarse + k / 10), -abs(coarse + k / 10)))
    return round(coarse + best / 10, 1)


def _levelled(image: Path, tmp: str) -> tuple[Path, Any]:
    """The page image turned level when it was scanned askew (`skew_angle` of MIN_SKEW or more), as
    a file for Tesseract (whose line finding mixes the lines of small type, and reads a rule under
    the text as words, on a page skewed by a degree or two), and the picture, open (PIL); the image
    as it is when level, or when it cannot be opened (Tesseract then says why).

    A skewed page is turned in black and white, at Otsu's threshold of its grey levels (what
    Tesseract's own default thresholding computes), pixel for pixel: turning the grey page smoothly
    cost 0.4 s a page, and Tesseract another 0.7 s to threshold the result itself (5.1 against 4.4
    CPU seconds on a page of the example's degraded scan), for the same text read. A level page is
    left grey: Tesseract's recogniser reads the grey line images, and given the black and white page
    of the example's clean scan it misread three bold document numbers (`24.` as `29.`)."""
    from PIL import Image

    try:
        with Image.open(image) as im:
            grey = im.convert("L")
    except (OSError, ValueError, SyntaxError):
        return image, None
    angle = skew_angle(grey)
    if abs(angle) < MIN_SKEW:
        return image, grey
    t = _otsu(grey.histogram())
    level = grey.point([255 if v > t else 0 for v in range(256)], "1").rotate(
        angle, resample=Image.Resampling.NEAREST, fillcolor=1)
    out = Path(tmp) / "level.pbm"  # one bit a pixel, uncompressed: quick to write and to read
    level.save(out)
    return out, level


def ocr_image(image: Path, lang: str) -> OcrPage:
    """One page image, read level and upright.

    A page scanned askew is turned level first (`skew_angle`, `_levelled`). Tesseract runs once
    with `--psm 3`; only when a page that shows words reads with a low mean
    confidence (a page on its side reads as garbage at about 50, a clean upright page at about 95) is
    its orientation asked of OSD (`--psm 0`, osd.traineddata) and the page read again turned upright;
    without OSD data the best of 90/180/270 degrees by mean confidence is kept. So upright pages —
    nearly all — pay for one run only (`--psm 1` would pay for OSD on every page)."""
    with tempfile.TemporaryDirectory(prefix="dossier-level-") as tmp:
        level, picture = _levelled(image, tmp)
        first = run_tesseract(level, lang, psm=3, picture=picture)
    if first.error or first.words == 0 or first.confidence >= LOW_CONFIDENCE:
        return first
    best = first
    with tempfile.TemporaryDirectory(prefix="dossier-rot-") as tmp:
        if "osd" in tesseract_languages():
            turn = _osd_rotation(image)
            candidates = [turn] if turn else []
        else:
            candidates = [90, 180, 270]
        for clockwise in candidates:
            page = run_tesseract(_turned(image, clockwise, tmp), lang, psm=3)
            page.rotation = clockwise
            if page.words and page.confidence > best.confidence:
                best = page
    return best


def ocr_pdf_page(pdf: str, number: int, lang: str, dpi: int = DPI) -> OcrPage:
    """Worker task: rasterise one PDF page with `pdftoppm -r dpi` into a temporary file, OCR it, delete it."""
    with tempfile.TemporaryDirectory(prefix="dossier-page-") as tmp:
        base = Path(tmp) / "page"
        # grey PGM: OCR needs no colour, and writing a 300 dpi PNG (zlib) costs pdftoppm ten times more
        proc = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-gray",
                               "-singlefile", pdf, str(base)], capture_output=True, text=True)
        image = base.with_suffix(".pgm")
        if proc.returncode != 0 or not image.exists():
            why = proc.stderr.strip().splitlines()
            return OcrPage("", error="cannot be rasterised" + (f": {why[-1]}" if why else ""))
        return ocr_image(image, lang)


def ocr_image_frame(path: str, frame: int, lang: str) -> OcrPage:
    """Worker task: one frame of a (multi-page) image file, cut out to a temporary PNG when needed."""
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        frames = getattr(im, "n_frames", 1)
        if frames == 1 and frame == 0 and (im.format or "").upper() in ("PNG", "JPEG", "TIFF"):
            exif_turn = im.getexif().get(0x0112, 1)
            if exif_turn in (0, 1):
                return ocr_image(Path(path), lang)
        im.seek(frame)
        page = ImageOps.exif_transpose(im) if frames == 1 else im.copy()
        if page.mode not in ("L", "RGB"):
            page = page.convert("L" if page.mode in ("1", "I;16", "I", "F") else "RGB")
        with tempfile.TemporaryDirectory(prefix="dossier-frame-") as tmp:
            out = Path(tmp) / ("frame.pgm" if page.mode == "L" else "frame.ppm")  # uncompressed: quick to write
            page.save(out)
            return ocr_image(out, lang)


def _init_worker() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


Progress = Callable[[Iterable[Any], str, int | None], Iterator[Any]]


class OcrPool:
    """Pages OCR'd in parallel processes, results in page order, at most `2 × workers` in flight."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> OcrPool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # fork where there is one: spawn and forkserver re-run the caller's main module in every
            # worker (a script without a __main__ guard would import itself again); the workers only
            # run Tesseract and pdftoppm, so nothing of the parent's threads is touched.
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker)
        return self._pool

    def submit(self, fn: Callable[..., OcrPage], *args: Any) -> Future[OcrPage]:
        """`fn(*args)` in a worker, now; the caller holds the future."""
        return self._executor().submit(fn, *args)

    def close(self) -> None:
        self.__exit__()

    def map(self, fn: Callable[..., OcrPage], tasks: Iterable[tuple[Any, ...]]) -> Iterator[OcrPage]:
        """`fn(*task)` for each task, yielded in order; tasks are submitted as workers free up."""
        pending: deque[Future[OcrPage]] = deque()
        it = iter(tasks)
        window = 2 * self.workers
        for task in it:
            pending.append(self._executor().submit(fn, *task))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


PageSource = Literal["text", "ocr", "empty"]


def account(stats: dict[str, Any], file: str, sources: list[PageSource], empty: list[int]) -> None:
    """Add one file's pages to `Report.stats["pages"]`: read = text + ocr + len(empty), per file too."""
    pages = stats.setdefault("pages", {"read": 0, "text": 0, "ocr": 0, "empty": [], "files": {}})
    counts = Counter(sources)
    pages["read"] += len(sources)
    pages["text"] += counts["text"]
    pages["ocr"] += counts["ocr"]
    pages["empty"].extend(f"{file}:{n}" for n in empty)
    pages["files"][file] = {"pages": len(sources), "text": counts["text"], "ocr": counts["ocr"],
                            "empty": list(empty)}


# --- documents ------------------------------------------------------------------------------------


def documents_from_text(cleaned: Cleaned, path: Path, options: Any, report: Any,
                        extra: dict[str, Any], body: str | None = None, registers: Any = None) -> list[Any]:
    """The documents of one file's text: the numbered documents `structure.documents_from_text`
    finds in it (a whole dossier), else the file as one document.

    `cleaned.text` is the clean plain text (paragraphs separated by blank lines) and `cleaned.pages`
    the `[page, offset]` list; `body` is the same text in document markup, its blocks one to one with
    the text's paragraphs (docx gives its own, with emphasis and notes; else `markup.escape(text)`).
    The language is `--lang` when it names one, else guessed (for a dossier, per document).

    A dossier: ids `{stem}-{n:03d}`, each document's `extra` gets `extra`'s keys it does not set
    itself (source file, OCR figures, facsimiles) and its own pages; the text no document covers
    (front matter, apparatus) is a warning and `report.stats["left_out"]` entry naming its pages.
    `registers` (a `model.Registers`, the reader's `ImportResult.apparatus`), when given, receives
    the entries of a dossier's printed index of names, index of places and list of abbreviations.
    One document: id = stem, `extra` plus `pages`."""
    from .. import markup
    from ..model import Document, ModelError
    from ..report import DossierError
    from . import structure
    from .text import _languages, detect_language, document_id

    file = str(path)
    text = cleaned.text
    page_offsets = cleaned.pages
    marked = cleaned.notes and _NOTE_MARK.search(text)
    if marked:
        # the notes' marks stay in the body (as their stand-in characters) until the documents are cut
        at = [m.start() for m in _NOTE_MARK.finditer(text)]
        page_offsets = [[p, o - bisect.bisect_left(at, o)] for p, o in cleaned.pages]
        body = markup.escape(text) if body is None else body
        text = _NOTE_MARK.sub("", text)
        if markup.plain_text(_NOTE_MARK.sub("", body)) != text:
            raise DossierError(file, "its text does not survive the document markup unchanged (a dossier bug)")
    elif body is None:
        body = markup.escape(text)
        if markup.plain_text(body) != text:
            raise DossierError(file, "its text does not survive the document markup unchanged (a dossier bug)")
    allowed = _languages(getattr(options, "lang", "") or "")
    stem = document_id(path, report)
    try:
        found = structure.documents_from_text(
            text, body=body, stem=stem, path=file, lang=allowed[0] if len(allowed) == 1 else None,
            pages=page_offsets, report=report, abbreviations=getattr(options, "abbreviations", None),
            registers=registers)
    except ModelError as exc:
        raise DossierError(file, str(exc)) from exc
    if found:
        for doc in found:
            for key, value in extra.items():
                doc.extra.setdefault(key, value)
            if marked:
                attach_notes(doc, cleaned.notes)
        if marked:
            _account_notes(report, path, cleaned.notes, found)
        return found
    language = allowed[0] if len(allowed) == 1 else detect_language(text, allowed)
    try:
        doc = Document(id=stem, body=body, path=file, language=language)
    except ModelError as exc:
        raise DossierError(file, str(exc)) from exc
    doc.extra.update(extra)
    if page_offsets:
        doc.extra["pages"] = page_offsets
    if marked:
        attach_notes(doc, cleaned.notes)
        _account_notes(report, path, cleaned.notes, [doc])
    return [doc]


_LABEL = re.compile(r"[A-Za-z0-9_.\-]+")


def attach_notes(doc: Any, notes: list[FootNote]) -> None:
    """The notes whose marks stand in `doc.body` become its notes: each mark `[^label]` (the printed
    label; another when the document prints the same label twice, or a sign markup cannot take),
    each note a block `[^label]: text` after the text, in the order of their marks. A document
    without a source note of its own takes the first of its notes that is one (`Source: ...`, an
    archival legend)."""
    from .. import markup
    from . import structure

    used: set[str] = set()
    blocks: list[str] = []
    found: list[FootNote] = []

    def label_of(m: re.Match[str]) -> str:
        note = notes[ord(m.group()) - NOTE_MARK_BASE]
        label = note.label
        if not _LABEL.fullmatch(label) or label in used:
            base = f"{label if _LABEL.fullmatch(label) else 'n'}-p{note.page + 1}"
            label, k = base, 2
            while label in used:
                label, k = f"{base}-{k}", k + 1
        used.add(label)
        blocks.append(f"[^{label}]: " + markup.escape(note.text))
        found.append(note)
        return f"[^{label}]"

    body = _NOTE_MARK.sub(label_of, doc.body).rstrip("\n")
    if not blocks:
        return
    doc.body = body + "\n\n" + "\n\n".join(blocks) + "\n"
    if not doc.source:
        for note in found:
            src = structure.find_source(note.text, doc.language or None)
            if src is not None:
                doc.source = src[0]
                doc.legend = structure.parse_legend(src[0])
                break


def _account_notes(report: Any, path: Path, notes: list[FootNote], docs: list[Any]) -> None:
    """`report.stats["notes"][file]`: notes found at the page feet, and how many a document took."""
    if report is None or not isinstance(getattr(report, "stats", None), dict):
        return
    attached = sum(len(markup_refs) for markup_refs in (_refs(d.body) for d in docs))
    report.stats.setdefault("notes", {})[path.name] = {"at_page_feet": len(notes), "attached": attached,
                                                       "in_no_document": len(notes) - attached}


def _refs(body: str) -> list[tuple[str, int]]:
    from .. import markup

    return markup.note_refs(body)
