"""Read page images (TIFF, multi-page TIFF, PNG, JPEG) by OCR, and keep them as facsimiles.

What it is for: `dossier import scans/ --into DIR [--lang ru+en]` where the scans are page images.
Each file becomes one document (id = file stem; a multi-page TIFF is one document of many pages),
or, when its text is a whole dossier, its numbered documents (see `pages.documents_from_text`).
Its pages are OCR'd by Tesseract through `dossier.ingest.pages` (`-l rus+eng` unless `--lang` says
otherwise: `ru` → `rus`, `en` → `eng`, `ru+en` → `rus+eng`; OMP_THREAD_LIMIT=1 in every worker;
pages in parallel processes, one per core; pages scanned sideways or upside down are read upright by
Tesseract's orientation detection), cleaned together (`pages.clean_pages`: running heads, page
numbers, end-of-line hyphenation; the notes printed at the pages' feet become the documents' notes,
as in a scanned PDF: `pdf.take_foot_notes` on the lines of Tesseract's hOCR) and written as the body (`markup.escape`), with `extra["pages"]`
giving each page's start in the text. The image file itself is the facsimile: the reader hands it
to the importer (`ImportResult.files`), which copies it into the project's `images/`, and the
document names it in `extra["facsimiles"]`. When an import holds many images, the `prepare` hook
submits all their pages to one pool before the first file is read, so a folder of single-page
scans keeps every core busy.

Bad input: a file that is not an image it can open (one-line error); a page in which OCR finds no
text (a blank or a photograph): a warning names it, and `Report.stats["pages"]` accounts for it;
a file with no text on any page is still imported when it is a single image (a photograph is a
facsimile worth keeping), with a warning, so the editor can type its caption.

What it is not: an image editor (a page scanned askew is read turned level, `pages.skew_angle`, but
the facsimile is kept as it came; no cropping or contrast of its own; Tesseract binarises),
a reader of photographs' captions, or a judge of OCR quality beyond reporting Tesseract's mean
word confidence (`extra["ocr"]`).
"""

from __future__ import annotations

import atexit
import os
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from ..report import DossierError, Report
from . import pages, pdf
from .registry import ImportOptions, ImportResult, Reader, no_progress, register

EXTENSIONS = (".tif", ".tiff", ".png", ".jpg", ".jpeg")
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"))


def _kind(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return None
    return next((name for magic, name in _MAGIC if head.startswith(magic)), None)


def count_frames(path: Path) -> int:
    """Pages in an image file (TIFF may hold many); DossierError when it is not a readable image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            n = int(getattr(im, "n_frames", 1))
            im.seek(n - 1)
            im.load()  # a truncated file fails here, not in a worker
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError) as exc:
        raise DossierError(str(path), f"cannot be read as an image: {' '.join(str(exc).split())[:160]}") from None
    return n


# OCR started by `prepare` for every image of an import: path -> (lang, one future per page).
_AHEAD: dict[str, tuple[str, list[Future[pages.OcrPage]]]] = {}
_SHARED: pages.OcrPool | None = None


def _close_shared() -> None:
    global _SHARED
    if _SHARED is not None:
        _SHARED.close()
        _SHARED = None


atexit.register(_close_shared)


def prepare(paths: list[Path], options: ImportOptions) -> None:
    """Start OCR of every page of every image at once, so a folder of single-page scans keeps all
    cores busy; `read` then collects each file's pages. Files that cannot be opened are left to
    `read`, which reports them."""
    global _SHARED
    lang = pages.tesseract_lang(options.lang)
    if pages.check_ocr(lang) or len(paths) < 2:
        return
    for path in paths:
        if _kind(path) is None:
            continue
        try:
            frames = count_frames(path)
        except DossierError:
            continue
        if _SHARED is None:
            _SHARED = pages.OcrPool()
        _AHEAD[str(path)] = (lang, [_SHARED.submit(pages.ocr_image_frame, str(path), i, lang)
                                    for i in range(frames)])


def _ocr_results(path: Path, frames: int, lang: str) -> Any:
    ahead = _AHEAD.pop(str(path), None)
    if ahead is not None and ahead[0] == lang and len(ahead[1]) == frames:
        try:
            for future in ahead[1]:
                yield future.result()
        finally:
            if not _AHEAD:
                _close_shared()
        return
    with pages.OcrPool(min(frames, os.cpu_count() or 1)) as pool:
        yield from pool.map(pages.ocr_image_frame, ((str(path), i, lang) for i in range(frames)))


def read_images(path: Path, options: ImportOptions, report: Report) -> ImportResult:
    file = str(path)
    if _kind(path) is None:
        raise DossierError(file, f"is not a PNG, JPEG or TIFF image, though its name ends in {path.suffix}")
    lang = pages.tesseract_lang(options.lang)
    why = pages.check_ocr(lang)
    if why:
        raise DossierError(file, f"is a page image and OCR {why}")
    frames = count_frames(path)
    progress = options.progress or no_progress
    texts = [""] * frames
    sources: list[pages.PageSource] = ["empty"] * frames
    confidences: list[float] = []
    rotated: list[int] = []
    scanned: dict[int, list[Any]] = {}  # the pages' lines with their layout, for the notes at their feet
    results = _ocr_results(path, frames, lang)
    for i, got in enumerate(progress(results, f"OCR of {path.name}", frames) if frames > 1 else results):
        where = f"page {i + 1}: " if frames > 1 else ""
        if got.error:
            report.warn(file, f"{where}OCR failed: {got.error}")
        elif not any(c.isalpha() for c in got.text):
            report.warn(file, f"{where}OCR found no text (a blank page or a picture)")
        else:
            texts[i], sources[i] = got.text, "ocr"
            confidences.append(got.confidence)
            if got.lines:
                scanned[i] = pdf.ocr_lines(got.lines)
            if got.rotation:
                rotated.append(i + 1)
    empty = [i + 1 for i, s in enumerate(sources) if s == "empty"]
    pages.account(report.stats, path.name, sources, empty)
    extra: dict[str, Any] = {"source_file": path.name, "facsimiles": [path.name]}
    if confidences:
        extra["ocr"] = {"engine": "tesseract", "lang": lang, "pages": len(confidences),
                        "confidence": round(sum(confidences) / len(confidences), 1)}
    if rotated:
        extra["ocr"]["rotated_pages"] = rotated
    if not confidences and frames > 1:
        raise DossierError(file, f"has no text on any of its {frames} pages (blank, or scans OCR cannot read)")
    notes: list[pages.FootNote] = []
    ocr_pages = pdf.take_foot_notes(scanned, notes, loose=True)
    gaps = pdf.ocr_pitch(list(ocr_pages.values()))
    for i, lines in ocr_pages.items():
        texts[i] = pdf.ocr_page_text(lines, gaps)
    cleaned = pages.clean_pages(texts, fuzzy=True, notes=notes)
    result = ImportResult(files=[(path, path.name)])
    result.documents = pages.documents_from_text(cleaned, path, options, report, extra,
                                                  registers=result.apparatus)
    return result


def score(path: Path) -> float:
    """0.8 for a file that starts like a PNG, JPEG or TIFF image; 0.4 for such a name alone."""
    if _kind(path) is not None:
        return 0.8
    return 0.4 if path.suffix.lower() in EXTENSIONS else 0.0


def read(path: Path, options: ImportOptions, report: Report) -> ImportResult:
    return read_images(path, options, report)


READER = register(Reader(name="images", extensions=EXTENSIONS, score=score, read=read, prepare=prepare))
