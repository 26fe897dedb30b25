"""Read plain-text and Markdown files: one document per file, its text kept verbatim, its encoding found.

What it is for: `dossier import FOLDER` where the folder holds `.txt` / `.md` files, as an archivist has
them after typing, OCR or an old word processor. Each file becomes one `Document` whose id is the file
stem and whose body is `markup.escape(text)`, so `markup.plain_text(body)` gives the text back. The
only changes are to layout the markup cannot hold: line endings become `\\n`; a line of nothing but
whitespace is a blank line; runs of blank lines become one; blank lines at the start and end go; a
trailing DOS end-of-file mark (Ctrl-Z) goes. A `.md` file that starts with a `---` line is a dossier
document file (YAML front matter, then the body in dossier markup) and is read as the project reads it.

Encodings are found, never assumed: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32) decides first; then
strict UTF-8 (ASCII included); then each single-byte Cyrillic code page (cp1251, KOI8-R, cp866,
ISO 8859-5, Mac Cyrillic) and cp1252 is scored by how plausible its reading is: how often Russian uses
each letter it yields, whether capitals stand only at the start of words, whether letters of two
scripts share a word, how many stray symbols and box-drawing characters appear. KOI8-R read as cp1251
comes out case-inverted and with a scrambled alphabet, so on any real text the right reading wins by a
wide margin. A file whose best reading is still implausible, or whose two best readings are too close
to tell apart, is rejected with its name and the reason (save it as UTF-8 and import again); so is a
file that is something else under a text name (a PNG, a PDF, a Word file), binary data, or UTF-8 broken
by bytes of another encoding. charset-normalizer is not used: on short Russian texts it confuses cp1251
and KOI8-R, which is the case that matters here.

Language: `--lang` when given (one of its languages when it names several), else Russian or English by
the share of Cyrillic and Latin letters. Date and dateline: from `dossier.enrich.dates.find_dateline`
on the first or last lines, when one is printed there (`Moscow, November 9, 1960.`); else undated.

What it is not: a Markdown renderer (a `.md` file without front matter is text, its `#` and `*` kept as
characters), a reader of Word, RTF, PDF or scans (other readers), or a place that writes files.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .. import markup, project
from ..model import Document, ModelError, valid_id
from ..report import DossierError, Report
from ..text_utils import detect_language
from .registry import ImportOptions, ImportResult, Reader, register

EXTENSIONS = (".txt", ".text", ".md", ".markdown")

# --- what a file really is ------------------------------------------------------------------------

# Signatures of formats that are not text, and how to name them in a message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"AT&TFORM", "a DjVu document"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a Word .docx or OpenDocument file is one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office file (.doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program (ELF)"),
    (b"MZ", "a Windows program"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def sniff_format(data: bytes) -> str | None:
    """What a file is when its first bytes say it is not text (`"a PNG image"`), else None."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            if magic == b"MZ" and len(data) > 64 and b"\x00" not in data[:64]:
                continue  # a text that happens to start with "MZ"
            return name
    if data[4:8] == b"ftyp" or (data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI ")):
        return "a media file (image, sound or video)"
    return None


# --- plausibility of a reading --------------------------------------------------------------------

# How often Russian prose uses each letter (per mille, case folded). Letters of other Cyrillic
# alphabets (і, ї, є, ґ, ў, ђ, ...) are rare but possible, and get _RARE.
_RU_FREQ = {
    "о": 109.7, "е": 84.5, "а": 80.1, "и": 73.5, "н": 67.0, "т": 62.6, "с": 54.7, "р": 47.3, "в": 45.4,
    "л": 44.0, "к": 34.9, "м": 32.1, "д": 29.8, "п": 28.1, "у": 26.2, "я": 20.1, "ы": 19.0, "ь": 17.4,
    "г": 17.0, "з": 16.5, "б": 15.9, "ч": 14.4, "й": 12.1, "х": 9.7, "ж": 9.4, "ш": 7.3, "ю": 6.4,
    "ц": 4.8, "щ": 3.6, "э": 3.2, "ф": 2.6, "ъ": 0.4, "ё": 0.4,
}
_LOG_RU = {c: math.log(f / 1000) for c, f in _RU_FREQ.items()}
_RARE = math.log(0.0005)
# Punctuation that real texts carry outside ASCII, in any of the code pages considered.
_COMMON_PUNCT = set("«»„“”‘’‚–—…•№\u00a0§°±×·")
_LOG_PUNCT = math.log(0.2)
_LOG_ACCENT_IN_WORD = math.log(0.05)  # é in "café": a Latin letter beside ASCII letters
_LOG_ACCENT_ALONE = math.log(0.0005)  # a run of accented letters with no ASCII letter: "Ïðèâåò"
_LOG_SYMBOL = math.log(0.00002)  # box drawing, currency, stray signs
_CASE_PENALTY = math.log(0.001)  # a capital after a small letter inside a word: "пРИВЕТ"
_MIXED_PENALTY = math.log(0.003)  # a Cyrillic letter touching a Latin one: "cafй"

# Candidate single-byte encodings in order of preference (ties go to the first).
SINGLE_BYTE = ("cp1251", "koi8-r", "cp866", "iso8859-5", "cp1252")
# The best reading must average at least this per non-ASCII character, and beat the runner-up by
# MARGIN in total (natural log), or the file is rejected rather than guessed.
MIN_MEAN = -5.5
MARGIN = 4.0


def _is_cyrillic(c: str) -> bool:
    return "\u0400" <= c <= "\u04ff"


def _is_ascii_letter(c: str) -> bool:
    return c.isascii() and c.isalpha()


def plausibility(text: str) -> tuple[float, int]:
    """(log-likelihood, characters scored) of a reading, over its non-ASCII characters.

    A general model, not a list of words: letter frequencies of Russian, capitals only at the start
    of a word (or all of it), one script per word, few stray symbols.
    """
    total = 0.0
    count = 0
    n = len(text)
    for i, c in enumerate(text):
        if c.isascii():
            continue
        count += 1
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if _is_cyrillic(c) and c.isalpha():
            total += _LOG_RU.get(c.lower(), _RARE)
            if c.isupper() and prev.isalpha() and prev.islower():
                total += _CASE_PENALTY
            if _is_ascii_letter(prev) or _is_ascii_letter(nxt):
                total += _MIXED_PENALTY
        elif c.isalpha():
            if _is_ascii_letter(prev) or _is_ascii_letter(nxt):
                total += _LOG_ACCENT_IN_WORD
                if c.isupper() and prev.isalpha() and prev.islower():
                    total += _CASE_PENALTY
            else:
                total += _LOG_ACCENT_ALONE
            if _is_cyrillic(prev) or _is_cyrillic(nxt):
                total += _MIXED_PENALTY
        elif c in _COMMON_PUNCT:
            total += _LOG_PUNCT
        else:
            total += _LOG_SYMBOL
    return total, count


# --- decoding -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read with (`how` says why that one)."""

    text: str
    encoding: str
    how: str


class EncodingError(ValueError):
    """Bytes that cannot be read as text with confidence; the message is one line."""


_BAD_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _check_controls(text: str, encoding: str) -> str:
    if text.endswith("\x1a"):
        text = text[:-1]  # DOS end-of-file mark
    m = _BAD_CONTROL.search(text)
    if m:
        raise EncodingError(f"read as {encoding} it holds control character U+{ord(m.group()):04X} "
                            f"at character {m.start()}: binary data or a damaged file, not text")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when one byte of each pair takes almost only two values, one of them NUL.

    That is UTF-16 text of one alphabet: the high bytes are 00 (spaces, digits, punctuation) and the
    alphabet's block (04 for Cyrillic), while the low bytes vary."""
    if len(data) % 2 or len(data) < 8:
        return None
    for enc, high, low in (("utf-16-le", data[1::2], data[0::2]), ("utf-16-be", data[0::2], data[1::2])):
        counts = sorted((high.count(b) for b in set(high)), reverse=True)
        if high.count(0) and sum(counts[:2]) >= 0.9 * len(high) and len(set(low)) > len(set(high)):
            return enc
    return None


def decode(data: bytes) -> Decoded:
    """The text of a file's bytes. Raises EncodingError (one line) rather than guess."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(enc)
            except UnicodeDecodeError as exc:
                raise EncodingError(f"starts with a {enc.upper()} byte-order mark but byte {exc.start + len(bom)} "
                                    f"is not {enc.upper()}") from None
            return Decoded(_check_controls(text, enc), enc, "byte-order mark")
    if b"\x00" in data:
        enc16 = _utf16_without_bom(data)
        if enc16 is not None:
            try:
                return Decoded(_check_controls(data.decode(enc16), enc16), enc16, "NUL bytes in every other place")
            except UnicodeDecodeError:
                pass
        raise EncodingError(f"holds NUL bytes (first at byte {data.index(0)}): binary data, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        return Decoded(_check_controls(text, "utf-8"), "utf-8", "valid UTF-8")
    _reject_broken_utf8(data, utf8_error)
    return _best_single_byte(data)


_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _reject_broken_utf8(data: bytes, exc: UnicodeDecodeError) -> None:
    """UTF-8 with a few foreign bytes (two encodings pasted together) is damage, not a code page.

    Some code-page text forms valid UTF-8 sequences by chance (cp866 `ред` is the bytes of a Devanagari
    sign), so only sequences that decode to European letters and punctuation count as UTF-8."""
    high = sum(1 for b in data if b >= 0x80)
    in_seqs = 0
    for m in _UTF8_SEQ.finditer(data):
        try:
            c = m.group().decode("utf-8")
        except UnicodeDecodeError:
            continue
        if "\u0080" <= c <= "\u052f" or "\u2000" <= c <= "\u206f" or c in "\u20ac\u2116":
            in_seqs += len(m.group())
    if high and in_seqs >= 0.8 * high:
        raise EncodingError(f"mostly UTF-8, but byte {exc.start} is not: mixed encodings or a damaged file; "
                            "fix or re-save it as UTF-8")


def _best_single_byte(data: bytes) -> Decoded:
    readings: dict[str, tuple[str, float, int]] = {}
    for enc in SINGLE_BYTE:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _BAD_CONTROL.search(text.rstrip("\x1a")):
            continue
        score, count = plausibility(text)
        readings[enc] = (text, score, count)
    if not readings:
        raise EncodingError("is neither UTF-8 nor any Cyrillic or Western code page: binary data, not text")
    ranked = sorted(readings.items(), key=lambda kv: -kv[1][1])  # stable: SINGLE_BYTE order breaks ties
    best_enc, (best_text, best_score, count) = ranked[0]
    mean = best_score / max(count, 1)
    if mean < MIN_MEAN:
        raise EncodingError(f"cannot be read as text in any known encoding (best, {best_enc}, gives "
                            "implausible letters): mixed encodings or binary data; re-save it as UTF-8")
    for enc, (text, score, _) in ranked[1:]:
        if text == best_text:
            continue
        if best_score - score < MARGIN:
            raise EncodingError(f"encoding unclear: {best_enc} and {enc} read it almost equally well; "
                                "re-save it as UTF-8")
        break
    _reject_mixed(data, best_enc, list(readings))
    return Decoded(best_text, best_enc, "most plausible reading")


def _chunks(data: bytes, size: int = 60) -> list[tuple[int, bytes]]:
    """(line number, bytes) of consecutive pieces of the file, each cut at a space or line end once it
    holds `size` non-ASCII bytes (a short remainder joins the piece before it)."""
    out: list[tuple[int, int]] = []
    start, high = 0, 0
    for i, b in enumerate(data):
        if b >= 0x80:
            high += 1
        elif high >= size and b in (0x20, 0x0A):
            out.append((start, i + 1))
            start, high = i + 1, 0
    if start < len(data):
        if out and high < size:
            out[-1] = (out[-1][0], len(data))
        else:
            out.append((start, len(data)))
    return [(data.count(b"\n", 0, a) + 1, data[a:e]) for a, e in out]


def _reject_mixed(data: bytes, chosen: str, candidates: list[str]) -> None:
    """A file is one encoding throughout: a part that reads far better otherwise (or is UTF-8) is refused."""
    chunks = _chunks(data)
    if len(chunks) < 2:
        return
    for line, chunk in chunks:
        try:
            as_utf8 = chunk.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if sum(1 for c in as_utf8 if not c.isascii()) >= 2:
                raise EncodingError(f"mixed encodings: from line {line} it is UTF-8, elsewhere not; "
                                    "fix or re-save it as UTF-8")
        scores = {enc: plausibility(chunk.decode(enc, errors="replace")) for enc in candidates}
        own, count = scores[chosen]
        best_enc = max(scores, key=lambda e: scores[e][0])
        if own / max(count, 1) < MIN_MEAN or scores[best_enc][0] - own > 2 * MARGIN:
            raise EncodingError(f"mixed encodings: the file reads best as {chosen}, but from line {line} "
                                f"as {best_enc}; fix or re-save it as UTF-8")


def read_text_file(path: Path) -> Decoded:
    """A file's text; DossierError (file, one line) when it is not text or its encoding is unclear."""
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DossierError(file, f"cannot be read: {exc.strerror or exc}") from exc
    what = sniff_format(data)
    if what is not None:
        raise DossierError(file, f"is {what}, not text, though its name ends in {path.suffix}")
    if not data.strip():
        raise DossierError(file, "is empty: no text to import")
    try:
        return decode(data)
    except EncodingError as exc:
        raise DossierError(file, str(exc)) from None


# --- layout and language --------------------------------------------------------------------------

_BLANKS = re.compile(r"\n(?:[ \t\f\v]*\n)+")


def layout(text: str) -> str:
    """The text as the document markup keeps it: `\\n` line endings, single blank lines between
    paragraphs (a line of only whitespace is blank), no blank lines at either end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _BLANKS.sub("\n\n", "\n" + text + "\n")
    return text.strip("\n")


def _languages(option: str) -> list[str]:
    return [x for x in re.split(r"[+,]", option) if x]


# --- documents ------------------------------------------------------------------------------------

_NOT_ID = re.compile(r"[^\w.\-]+")


def document_id(path: Path, report: Report) -> str:
    """The file stem, made a valid id when it is not one (spaces and signs become `_`, with a warning)."""
    stem = path.stem
    if valid_id(stem):
        return stem
    fixed = _NOT_ID.sub("_", stem).strip("_.-") or "document"
    if not valid_id(fixed):
        fixed = "d_" + fixed
    report.warn(str(path), f"file name {stem!r} is not a document id; the document is {fixed!r}")
    return fixed


def _date_fields(doc: Document, text: str) -> None:
    """Fill date, dateline and place from a dateline printed in the first or last lines."""
    try:
        from ..enrich.dates import find_dateline
    except ImportError:  # the dates module is optional for this reader
        return
    hit = find_dateline(text, doc.language or None)
    if hit is None:
        return
    start, end = hit.span
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
    doc.date = hit.date
    doc.dateline = line
    if hit.place:
        doc.place = hit.place


def _front_matter_document(path: Path, decoded: Decoded) -> Document:
    if decoded.encoding == "utf-8":
        return project.read_document(path)
    # Same reading as the project's, from the decoded text of a file in another encoding.
    file = str(path)
    text = layout_newlines(decoded.text)
    data, body, body_line = project.split_front_matter(text, file)
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == project.FRONT)
    key_lines = project._key_lines("\n".join(lines[1:end]))
    doc = project.document_from_front(data, body, path.stem, file, key_lines)
    try:
        markup.parse(body)
    except markup.MarkupError as exc:
        raise DossierError(file, exc.message, body_line + exc.line - 1) from exc
    return doc


def layout_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(path: Path, options: ImportOptions, report: Report) -> Document:
    """One document from one text or Markdown file."""
    decoded = read_text_file(path)
    allowed = _languages(options.lang)
    if path.suffix.lower() in (".md", ".markdown") and layout_newlines(decoded.text).split("\n", 1)[0].strip() \
            == project.FRONT:
        doc = _front_matter_document(path, decoded)
        doc.extra.pop("_body_line", None)
        if not doc.language:
            doc.language = allowed[0] if len(allowed) == 1 else detect_language(markup.plain_text(doc.body), allowed)
        return doc
    text = layout(decoded.text)
    if not text.strip():
        raise DossierError(str(path), "holds only blank lines: no text to import")
    body = markup.escape(text)
    if markup.plain_text(body) != text:  # the markup must give the words back exactly
        raise DossierError(str(path), "its text does not survive the document markup unchanged (a dossier bug)")
    try:
        doc = Document(id=document_id(path, report), body=body, path=str(path))
    except ModelError as exc:
        raise DossierError(str(path), str(exc)) from exc
    doc.language = allowed[0] if len(allowed) == 1 else detect_language(text, allowed)
    doc.extra["source_file"] = path.name
    if decoded.encoding != "utf-8":
        doc.extra["source_encoding"] = decoded.encoding
    _date_fields(doc, text)
    _heading_fields(doc, text, options)
    return doc


def _heading_fields(doc: Document, text: str, options: ImportOptions) -> None:
    """What the document's printed heading, dateline and legend say (`dossier.ingest.structure`)."""
    from .structure import describe_document

    facts = describe_document(text, doc.language or None, options.abbreviations or None)
    if facts.n is not None:
        doc.n = facts.n
    for name in ("heading", "type", "source"):
        if getattr(facts, name) and not getattr(doc, name):
            setattr(doc, name, getattr(facts, name))
    if facts.heading:
        doc.heading = markup.escape(facts.heading)
    if facts.dateline and not doc.dateline:
        doc.dateline = facts.dateline
    if facts.place:
        doc.place = facts.place
    if facts.authors:
        doc.authors = list(facts.authors)
    if facts.addressees:
        doc.addressees = list(facts.addressees)
    if not facts.legend.is_empty() and doc.legend.is_empty():
        doc.legend = facts.legend
    if not facts.date.is_undated:  # the heading's date (it reads datelines too) comes first
        doc.date = facts.date
    if facts.first_publication:
        doc.extra["first_publication"] = True


def score(path: Path) -> float:
    """0.5 for a name ending in .txt / .md (the content is checked when read)."""
    return 0.5 if path.suffix.lower() in EXTENSIONS else 0.0


def read(path: Path, options: ImportOptions, report: Report) -> ImportResult:
    return ImportResult(documents=[read_document(path, options, report)])


READER = register(Reader(name="text", extensions=EXTENSIONS, score=score, read=read))
