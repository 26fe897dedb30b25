"""Round trip: build an edition to its print PDF, import that PDF into a fresh project, and score
what comes back against the edition it was built from.

    .venv/bin/python benchmarks/bench_roundtrip.py                       # the bundled example
    .venv/bin/python benchmarks/bench_roundtrip.py --project DIR         # another project
    .venv/bin/python benchmarks/bench_roundtrip.py --pdf out/demo/edition.pdf   # skip the build
    .venv/bin/python benchmarks/bench_roundtrip.py --ocr --keep /tmp/rt   # keep the imports and scans

The project is copied to a temporary folder and built there (`dossier build COPY --out OUT`); the
PDF is imported with `dossier import`'s own function into another temporary project. The gold is
the compiled edition: each document's printed number, heading, date and text. Figures, over the
edition's documents:

- found: documents whose printed number comes back as a document (spurious: numbers that are not
  the edition's);
- heading / date / dateline: exact, of the documents found (whitespace folded; the date's from, to);
- words kept: share of the document's words (number, heading, dateline, text, notes) found among
  the imported document's words, as a multiset (order-free);
- CER: character error rate of the imported text (its notes after it, as markup puts them) against
  the printed one in the print's reading order (number and heading, dateline, text, then the notes
  from the page feet, the source note first), whitespace folded; median and mean. Notes left inline
  where the page feet print them count as errors here.

- index entries recovered (issue 5's goal ≥ 95 %): entries of the edition's printed index of names
  and index of places (the compiled index: entries citing a document) found, by name (case and
  spacing folded), among the imported project's register entries; `refs` the share of those whose
  documents, mapped from the printed references, are the edition's. Abbreviations: of the edition's
  list, found with the same expansion. Then `dossier annotate` runs on the imported project as the
  import command does: `kept` says whether every printed entry keeps its name, `added` how many
  entries annotate proposed beside them.

Baselines in the same run: the whole PDF as one document (the readers before they split dossiers),
and the splitter given the text layer without the layout's paragraph starts (pypdf's lines only).
Takes about a minute for the 63-page example on one core (most of it pypdf's text extraction).

`--ocr` adds the scans (issue 5's round trip): every page rasterised at 300 dpi (`pdftoppm -r 300
-gray`), once as it is and once degraded as a poor scan (`bench_ocr.degrade_image`: turned 1–2°,
blurred, noise), each set wrapped as an image-only PDF and imported with `dossier import` (Tesseract
in parallel processes, OMP_THREAD_LIMIT=1, `--lang` the project's languages), scored the same way.
About four minutes more on two cores. Speed (issue 5's goal ≤ 1.2 × Tesseract's own time): the
import's CPU seconds a page (this process and its OCR workers, whose Tesseract runs write text, word
boxes and glyph boxes; rasterising and everything after OCR included) against Tesseract alone with
its defaults on the same pages, rasterised beforehand (CPU time, which other load on a shared
machine disturbs less than wall time). `--speed-every K` times Tesseract alone on every K-th page
only, quicker but biased by which pages those are: on the example's degraded scan every 4th page
took 4 % less than the average page (the title page is the first of them).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from _corpus import PYTHON, ROOT, run_measured
from rapidfuzz.distance import Levenshtein

from dossier import markup, project
from dossier.model import Document

EXAMPLE = ROOT / "examples" / "kennedy-khrushchev"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.casefold()))


def gold_documents(project_dir: Path) -> dict[int, dict[str, Any]]:
    """The compiled edition's documents by printed number: heading, date, dateline, printed text."""
    from dossier.compile.edition import compile_edition
    from dossier.report import Report

    report = Report()
    compiled = compile_edition(project.load_project(project_dir, report), report)
    out: dict[int, dict[str, Any]] = {}
    for doc in compiled.documents:
        if doc.n is None:
            continue
        heading = markup.plain_text(doc.heading) if doc.heading else ""
        source = markup.plain_text(doc.source) if doc.source else ""
        blocks = list(markup.iter_blocks(markup.parse(doc.body)))
        text = [markup.inline_text(b.inlines) for b in blocks if b.kind != "note"]
        notes = [markup.inline_text(b.inlines) for b in blocks if b.kind == "note"]
        # in the print's reading order: the text, then the notes at the page feet, the source note
        # first (the print sets it as the heading's note)
        printed = "\n\n".join(p for p in (f"{doc.n}. {heading}", doc.dateline, *text, source, *notes) if p)
        out[doc.n] = {"heading": _norm(heading), "date": (doc.date.start, doc.date.end), "dateline": _norm(doc.dateline),
                      "text": printed}
    return out


def score(gold: dict[int, dict[str, Any]], docs: Iterable[Document]) -> dict[str, Any]:
    got = {d.n: d for d in docs if d.n is not None}
    matched = sorted(n for n in gold if n in got)
    spurious = sorted(n for n in got if n not in gold)
    heading = date = dateline = 0
    cers: list[float] = []
    kept: list[float] = []
    for n in matched:
        g, d = gold[n], got[n]
        heading += _norm(markup.plain_text(d.heading) if d.heading else "") == g["heading"]
        date += (d.date.start, d.date.end) == g["date"]
        dateline += _norm(d.dateline) == g["dateline"]
        text = markup.plain_text(d.body)
        a, b = _norm(g["text"]), _norm(text)
        cers.append(Levenshtein.distance(a, b) / max(1, len(a)))
        gw, dw = _words(g["text"]), _words(text)
        kept.append(sum((gw & dw).values()) / max(1, sum(gw.values())))
    m = max(1, len(matched))
    return {"documents": len(gold), "found": len(matched), "spurious": len(spurious),
            "heading": heading / m, "date": date / m, "dateline": dateline / m,
            "words_kept": statistics.mean(kept) if kept else 0.0,
            "cer_median": statistics.median(cers) if cers else 1.0, "cer_mean": statistics.mean(cers) if cers else 1.0}


def gold_index(project_dir: Path) -> tuple[dict[str, dict[str, set[int]]], dict[str, str]]:
    """The printed index of the compiled edition (kind -> name key -> document numbers), and its
    list of abbreviations (abbr -> expansion)."""
    from dossier.compile.edition import compile_edition
    from dossier.report import Report
    from dossier.text_utils import name_key

    report = Report()
    compiled = compile_edition(project.load_project(project_dir, report), report)
    numbers = {d.id: d.n for d in compiled.documents}
    index = {kind: {name_key(e.name): {numbers[i] for i in e.documents if numbers.get(i) is not None}
                    for e in compiled.index[kind] if e.documents and not e.see}
             for kind in ("person", "place")}
    abbrs = {a.abbr: a.expansion for a in compiled.edition.registers.abbreviations}
    return index, abbrs


def score_index(gold: tuple[dict[str, dict[str, set[int]]], dict[str, str]], into: Path) -> dict[str, Any]:
    """Index entries and abbreviations of the edition found in an imported project's registers."""
    from dossier.report import Report
    from dossier.text_utils import name_key

    index, abbrs = gold
    regs = project.read_registers(into, Report())
    total = found = refs = 0
    for kind, want in index.items():
        got: dict[str, Any] = {}
        for e in regs.of_kind(kind):
            for form in (e.name, *e.variants):
                got.setdefault(name_key(form), e)
        for k, numbers in want.items():
            total += 1
            e = got.get(k)
            if e is None:
                continue
            found += 1
            cited = {int(i.rsplit("-", 1)[1]) for i in e.extra.get("documents", []) if i.rsplit("-", 1)[1].isdigit()}
            refs += cited == numbers
    have = {a.abbr: a.expansion for a in regs.abbreviations}
    return {"index_total": total, "index_found": found, "index_refs": refs,
            "abbr_total": len(abbrs), "abbr_found": sum(1 for a, x in abbrs.items() if have.get(a) == x),
            "persons": len(regs.persons), "places": len(regs.places)}


def annotate_after(into: Path) -> dict[str, Any]:
    """`dossier annotate` on an imported project, as `dossier import` runs it: whether the printed
    entries keep their names, and how many entries it proposes beside them."""
    from dossier.enrich.annotate import annotate_project
    from dossier.model import ENTITY_KINDS
    from dossier.report import Report

    before = {e.id: e.name for k in ENTITY_KINDS for e in project.read_registers(into, Report()).of_kind(k)}
    annotate_project(into, Report())
    after = {e.id: e.name for k in ENTITY_KINDS for e in project.read_registers(into, Report()).of_kind(k)}
    return {"kept": sum(after.get(i) == n for i, n in before.items()), "printed": len(before),
            "added": len(set(after) - set(before))}


def print_index(label: str, s: dict[str, Any], annotated: dict[str, Any] | None = None) -> None:
    t = max(1, s["index_total"])
    line = (f"{label}: index entries recovered {s['index_found']}/{s['index_total']} ({s['index_found'] / t:.1%}), "
            f"their documents right {s['index_refs']}/{s['index_found']}; abbreviations "
            f"{s['abbr_found']}/{s['abbr_total']}")
    if annotated is not None:
        line += (f"; after annotate {annotated['kept']}/{annotated['printed']} entries kept as imported, "
                 f"{annotated['added']} proposed beside them")
    print(line)


def baseline_one_document(pdf: Path) -> list[Document]:
    """The whole file as one document, as the PDF reader gave it before it split dossiers."""
    from dossier.ingest import pages

    cleaned = pages.clean_pages(_plain_pages(pdf))
    return [Document(id="whole", body=markup.escape(cleaned.text))]


_PLAIN_CACHE: dict[Path, list[str]] = {}


def _plain_pages(pdf: Path) -> list[str]:
    """pypdf's text of each page, its lines only (no layout)."""
    if pdf not in _PLAIN_CACHE:
        from pypdf import PdfReader

        _PLAIN_CACHE[pdf] = [p.extract_text() or "" for p in PdfReader(pdf).pages]
    return _PLAIN_CACHE[pdf]


def baseline_no_layout(pdf: Path) -> list[Document]:
    """The splitter on the text layer's lines without the paragraph starts the layout gives."""
    from dossier.ingest import pages, structure
    from dossier.report import Report

    cleaned = pages.clean_pages(_plain_pages(pdf))
    found = structure.documents_from_text(cleaned.text, stem="edition", path=pdf, pages=cleaned.pages, report=Report())
    return found or [Document(id="edition", body=markup.escape(cleaned.text))]


def _scan_page(pdf: str, number: int, out: str, degraded: bool) -> str:
    """Worker: one page rasterised at 300 dpi, degraded when asked, saved as a one-page image-only PDF."""
    from bench_ocr import degrade_image
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="dossier-scan-") as tmp:
        base = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-r", "300", "-f", str(number), "-l", str(number), "-gray", "-singlefile",
                        pdf, str(base)], check=True, capture_output=True)
        with Image.open(base.with_suffix(".pgm")) as im:
            page = degrade_image(im, number) if degraded else im.convert("L")
            page.save(out, resolution=300)
    return out


def scanned_pdf(pdf: Path, dest: Path, degraded: bool) -> Path:
    """The PDF's pages as a scan: an image-only PDF of its pages at 300 dpi (degraded when asked)."""
    from pypdf import PdfReader, PdfWriter

    count = len(PdfReader(pdf).pages)
    parts = dest.parent / f"{dest.stem}-pages"
    parts.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(os.cpu_count() or 1) as ex:
        files = list(ex.map(_scan_page, [str(pdf)] * count, range(1, count + 1),
                            [str(parts / f"{n:04d}.pdf") for n in range(1, count + 1)], [degraded] * count))
    writer = PdfWriter()
    for f in files:
        writer.append(f)
    with dest.open("wb") as fh:
        writer.write(fh)
    shutil.rmtree(parts)
    return dest


def _cpu() -> float:
    """CPU seconds of this process and of its children waited for (the OCR workers, their Tesseracts)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def import_scored(pdf: Path, into: Path, lang: str, gold: dict[int, dict[str, Any]], label: str
                  ) -> tuple[dict[str, Any], float, Any]:
    """`dossier import` of one PDF into a new project; its score against the gold, the time, the report
    (`report.stats["cpu"]`: the import's CPU seconds, its OCR workers' included)."""
    from dossier.ingest.importer import import_files
    from dossier.report import Report

    report = Report()
    t, c = time.perf_counter(), _cpu()
    import_files([pdf], into, lang, False, report, lambda items, label, total=None: iter(items))
    wall, cpu = time.perf_counter() - t, _cpu() - c
    report.stats["cpu"] = cpu
    imported = [project.read_document(p) for p in project.document_files(into)]
    pages = report.stats.get("pages", {})
    print(f"{label}: {wall:.1f} s ({cpu:.1f} s CPU), {len(imported)} documents written; {pages.get('text', 0)} pages "
          f"by text layer, {pages.get('ocr', 0)} by OCR; {len(report.warnings)} warnings, {len(report.rejected)} rejected")
    return score(gold, imported), wall, report


def _tesseract_alone(image: str, lang: str) -> None:
    with tempfile.TemporaryDirectory(prefix="dossier-alone-") as tmp:
        subprocess.run(["tesseract", image, str(Path(tmp) / "out"), "-l", lang or "eng"], check=True,
                       capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})


def tesseract_alone(scan: Path, lang: str, every: int) -> tuple[float, int]:
    """CPU seconds per page of Tesseract alone (`tesseract PAGE out -l LANG`, its defaults, text only,
    OMP_THREAD_LIMIT=1) on every `every`-th page of a scan, rasterised beforehand as the import does
    (`pdftoppm -r 300 -gray`, not counted); and the number of pages timed."""
    from pypdf import PdfReader

    from dossier.ingest.pages import tesseract_lang

    count = len(PdfReader(scan).pages)
    numbers = list(range(1, count + 1, max(1, every)))
    with tempfile.TemporaryDirectory(prefix="dossier-alone-") as tmp:
        images = []
        for n in numbers:
            base = Path(tmp) / f"p{n:04d}"
            subprocess.run(["pdftoppm", "-r", "300", "-f", str(n), "-l", str(n), "-gray", "-singlefile", str(scan),
                            str(base)], check=True, capture_output=True)
            images.append(str(base.with_suffix(".pgm")))
        c = _cpu()
        with ThreadPoolExecutor(os.cpu_count() or 1) as ex:  # threads only wait: each runs a tesseract
            list(ex.map(_tesseract_alone, images, [tesseract_lang(lang)] * len(images)))
        return (_cpu() - c) / len(images), len(images)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--project", type=Path, default=EXAMPLE, help="the project to build (default: the bundled example)")
    ap.add_argument("--pdf", type=Path, help="an edition.pdf already built from --project (skips the build)")
    ap.add_argument("--ocr", action="store_true", help="also import the PDF rasterised at 300 dpi, clean and degraded, by OCR")
    ap.add_argument("--lang", help="--lang of the OCR imports (default: the project's languages)")
    ap.add_argument("--keep", type=Path, help="copy the imported projects (and scans) here, to look into them")
    ap.add_argument("--speed-every", type=int, default=1, metavar="K",
                    help="with --ocr, time Tesseract alone on every K-th page of each scan (default 1: all the "
                         "pages the import read; 0: not at all)")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="dossier-roundtrip-") as tmp:
        work = Path(tmp)
        source = work / "source"
        shutil.copytree(args.project, source, ignore=shutil.ignore_patterns(".dossier", ".git"))
        if args.pdf:
            pdf = args.pdf.resolve()
            print(f"PDF: {pdf} (given)")
        else:
            wall, _, _ = run_measured([PYTHON, "-m", "dossier.cli", "build", str(source), "--out", str(work / "out"), "-q"])
            pdf = work / "out" / "edition.pdf"
            print(f"build of {args.project.name}: {wall:.1f} s")
        from pypdf import PdfReader

        print(f"PDF: {len(PdfReader(pdf).pages)} pages")
        gold = gold_documents(source)
        index_gold = gold_index(source)
        got, _, report = import_scored(pdf, work / "imported", "", gold, "import of the text layer")
        for w in report.warnings:
            print(f"  warning: {w.message}")
        index_rows: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = [("text layer", score_index(index_gold, work / "imported"), annotate_after(work / "imported"))]
        speed: list[str] = []
        rows = [("dossier import", got),
                ("baseline: whole file one document", score(gold, baseline_one_document(pdf))),
                ("baseline: text-layer lines, no layout", score(gold, baseline_no_layout(pdf)))]
        if args.ocr:
            lang = args.lang if args.lang is not None else "+".join(project.read_metadata(source).languages)
            for degraded in (False, True):
                name = "degraded" if degraded else "clean"
                t = time.perf_counter()
                scan = scanned_pdf(pdf, work / f"scan-{name}.pdf", degraded)
                print(f"scan ({name}, 300 dpi, image-only PDF): {time.perf_counter() - t:.1f} s")
                got, _, report = import_scored(scan, work / f"imported-{name}", lang, gold,
                                               f"import of the {name} scan (OCR, --lang {lang or 'default'})")
                rows.append((f"OCR, {name} 300 dpi scan", got))
                if args.speed_every:
                    alone, timed = tesseract_alone(scan, lang, args.speed_every)
                    ours = report.stats["cpu"] / max(1, report.stats.get("pages", {}).get("ocr", 0))
                    speed.append(f"OCR, {name} scan: {ours:.2f} CPU s a page, Tesseract alone {alone:.2f} on {timed} of "
                                 f"its pages: ratio {ours / alone:.2f} (goal ≤ 1.2)")
                index_rows.append((f"OCR, {name} scan", score_index(index_gold, work / f"imported-{name}"), None))
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for part in work.iterdir():
                if part.name.startswith(("imported", "scan-")):
                    (shutil.copytree if part.is_dir() else shutil.copy2)(part, args.keep / part.name)
    print()
    print(f"{'':40} {'found':>9} {'spur.':>5} {'heading':>8} {'date':>6} {'dateline':>8} {'words':>6} {'CER med':>8} {'CER mean':>8}")
    for name, s in rows:
        print(f"{name:40} {s['found']:>4}/{s['documents']:<4} {s['spurious']:>5} {s['heading']:>8.1%} {s['date']:>6.1%} "
              f"{s['dateline']:>8.1%} {s['words_kept']:>6.1%} {s['cer_median']:>8.3f} {s['cer_mean']:>8.3f}")
    print()
    for name, s_index, annotated in index_rows:
        print_index(name, s_index, annotated)
    for line in speed:
        print(line)
    print("goals (issue 5): documents ≥ 98 %, dates ≥ 98 %, CER ≤ 0.02 clean scan / ≤ 0.04 degraded, index "
          "entries ≥ 95 %; text layer 100 % documents, CER 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
