"""Benchmark: the FRUS volume built end to end, against the floor of parsing it and recognising names,
and a rebuild after one document changes, against the full build. All figures from the same run.

What it measures (in this process, imports warm, best of N):
  - end to end: `dossier import` of the TEI volume into a fresh project, then `dossier build` of
    html, tei, json (and the catalog) into a fresh folder (a clean build: the cache starts empty);
  - the floor: lxml parsing the TEI file, plus the English recogniser (`dossier.enrich.ner_en`:
    `learn_context` over the texts, then `recognize_en` per document) run on the documents' text
    alone; when ner_en is not importable, natasha's NER over the same text (said so in the output);
  - rebuild: the same build again after one document's text changed (incremental, OUT/.cache),
    over the full clean build. Goals: end to end / floor <= 1.5; rebuild / full <= 5 %. The full
    build is the first build into an empty folder (it fills the cache); the rebuild re-renders only
    the changed document's page, TEI div and JSON object, and patches the search index and catalog.

What it is not: a test, nor a benchmark of the print edition (WeasyPrint has its own, bench_pdf).

    .venv/bin/python benchmarks/bench_build.py [--runs 3] [--workers N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import FRUS, best, import_frus  # noqa: E402
from lxml import etree  # noqa: E402

from dossier.build import build_edition  # noqa: E402
from dossier.report import Report  # noqa: E402

TEI = "{http://www.tei-c.org/ns/1.0}"
FORMATS = ["html", "tei", "json"]


def frus_texts() -> list[str]:
    tree = etree.parse(str(FRUS))
    return ["".join(div.itertext()) for div in tree.iter(f"{TEI}div") if div.get("type") == "document"]


def floor_fn() -> tuple[str, object]:
    try:
        from dossier.enrich import ner_en

        def run() -> None:
            texts = frus_texts()
            ctx = ner_en.learn_context(texts)
            for t in texts:
                ner_en.recognize_en(t, ctx)
        return "lxml parse + dossier.enrich.ner_en", run
    except ImportError:
        from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

        seg, ner = Segmenter(), NewsNERTagger(NewsEmbedding())

        def run_natasha() -> None:
            for t in frus_texts():
                d = Doc(t)
                d.segment(seg)
                d.tag_ner(ner)
        return "lxml parse + natasha NER (ner_en not available)", run_natasha


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        label, floor = floor_fn()
        floor()  # warm: models, vocabularies
        t_floor = best(args.runs, floor)

        k = [0]

        def end_to_end() -> None:
            k[0] += 1
            proj, out = tmp / f"p{k[0]}", tmp / f"o{k[0]}"
            import_frus(proj)
            build_edition(proj, out, FORMATS, Report(), workers=args.workers)

        end_to_end()  # warm imports and word-key caches, as a second build in a session would be
        t_e2e = best(args.runs, end_to_end)

        proj, out = tmp / "p1", tmp / "o1"
        doc = proj / "documents" / "d60.md"
        original = doc.read_text(encoding="utf-8")
        full_times, re_times = [], []
        for r in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            doc.write_text(original, encoding="utf-8")
            t = time.perf_counter()
            build_edition(proj, out, FORMATS, Report(), workers=args.workers)
            full_times.append(time.perf_counter() - t)
            doc.write_text(original.replace("the ", f"the (edit {r}) ", 1), encoding="utf-8")
            report = Report()
            t = time.perf_counter()
            build_edition(proj, out, FORMATS, report, workers=args.workers)
            re_times.append(time.perf_counter() - t)
        stats = report.stats["cache"]
        t_full, t_re = min(full_times), min(re_times)

        html_only = []
        for r in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            build_edition(proj, out, ["html"], Report(), workers=args.workers)
            t0 = time.perf_counter()
            build_edition(proj, out, ["html"], Report(), workers=args.workers)
            t_nochange = time.perf_counter() - t0
            doc.write_text(original.replace("the ", f"the (html {r}) ", 1), encoding="utf-8")
            t0 = time.perf_counter()
            build_edition(proj, out, ["html"], Report(), workers=args.workers)
            html_only.append((time.perf_counter() - t0, t_nochange))
        t_re_html, t_nochange = min(html_only)

        print(f"FRUS 1961-63 vol. VI, {len(frus_texts())} documents; best of {args.runs}; formats {','.join(FORMATS)}")
        print(f"  floor ({label}): {t_floor:.3f} s")
        print(f"  end to end (import + clean build):      {t_e2e:.3f} s   ratio {t_e2e / t_floor:.2f}x (goal <= 1.5x)")
        print(f"  full clean build (no import):           {t_full:.3f} s")
        print(f"  rebuild after one document changed:     {t_re:.3f} s   {100 * t_re / t_full:.1f} % of full (goal <= 5 %)")
        print(f"    redone: documents read {stats['documents_read']}, pages rendered {stats['pages_rendered']}, "
              f"catalog rows {stats['catalog_documents_indexed']}, search files written {stats['search_files_written']}, "
              f"TEI divs {stats.get('tei_documents_rendered', 0)}, JSON objects {stats.get('json_documents_rendered', 0)}"
              " (the rest of edition.tei.xml and edition.json is spliced from the cache)")
        print(f"  html only: rebuild after one change {t_re_html:.3f} s  ({100 * t_re_html / t_full:.1f} % of full); "
              f"rebuild with nothing changed {t_nochange:.3f} s ({100 * t_nochange / t_full:.1f} %)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
