"""Round trip: build an edition to its print PDF, import that PDF into a fresh project, and score
what comes back against the edition it was built from.

    .venv/bin/python benchmarks/bench_roundtrip.py                       # the bundled example
    .venv/bin/python benchmarks/bench_roundtrip.py --project DIR         # another project
    .venv/bin/python benchmarks/bench_roundtrip.py --pdf out/demo/edition.pdf   # skip the build

The project is copied to a temporary folder and built there (`dossier build COPY --out OUT`); the
PDF is imported with `dossier import`'s own function into another temporary project. The gold is
the compiled edition: each document's printed number, heading, date and text. Figures, over the
edition's documents:

- found: documents whose printed number comes back as a document (spurious: numbers that are not
  the edition's);
- heading / date / dateline: exact, of the documents found (whitespace folded; the date's from, to);
- words kept: share of the document's words (number, heading, dateline, text, notes) found among
  the imported document's words, as a multiset (order-free: the PDF prints notes at page feet);
- CER: character error rate of the imported text against the printed one (whitespace folded),
  median and mean; order matters here, so notes moved to page feet count as errors.

Baselines in the same run: the whole PDF as one document (the readers before they split dossiers),
and the splitter given the text layer without the layout's paragraph starts (pypdf's lines only).
Takes about a minute for the 63-page example on one core (most of it pypdf's text extraction).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
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
        printed = "\n\n".join(p for p in (f"{doc.n}. {heading}", doc.dateline, markup.plain_text(doc.body), source) if p)
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--project", type=Path, default=EXAMPLE, help="the project to build (default: the bundled example)")
    ap.add_argument("--pdf", type=Path, help="an edition.pdf already built from --project (skips the build)")
    args = ap.parse_args(argv)
    from dossier.ingest.importer import import_files
    from dossier.report import Report

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
        report = Report()
        t = time.perf_counter()
        import_files([pdf], work / "imported", "", False, report, lambda items, label, total=None: iter(items))
        wall_import = time.perf_counter() - t
        imported = [project.read_document(p) for p in project.document_files(work / "imported")]
        print(f"import: {wall_import:.1f} s, {len(imported)} documents written; "
              f"{len(report.warnings)} warnings, {len(report.rejected)} rejected")
        for w in report.warnings:
            print(f"  warning: {w.message}")
        rows = [("dossier import", score(gold, imported)),
                ("baseline: whole file one document", score(gold, baseline_one_document(pdf))),
                ("baseline: text-layer lines, no layout", score(gold, baseline_no_layout(pdf)))]
    print()
    print(f"{'':40} {'found':>9} {'spur.':>5} {'heading':>8} {'date':>6} {'dateline':>8} {'words':>6} {'CER med':>8} {'CER mean':>8}")
    for name, s in rows:
        print(f"{name:40} {s['found']:>4}/{s['documents']:<4} {s['spurious']:>5} {s['heading']:>8.1%} {s['date']:>6.1%} "
              f"{s['dateline']:>8.1%} {s['words_kept']:>6.1%} {s['cer_median']:>8.3f} {s['cer_mean']:>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
