"""Benchmark of the automatic index of names on a FRUS volume, next to the naive baseline, in one run.

What it is for: the figures behind `dossier annotate` on English archival text. It runs the pipeline
the issue defines on a FRUS volume with the editors' tagging hidden:

    frus_index.py strip VOLUME stripped.xml; dossier import stripped.xml --into P;
    dossier annotate P; dossier build P --out O --format tei; frus_index.py score VOLUME O/edition.tei.xml

and prints P / R / F1 / fragmentation / junk for dossier's annotate and, computed in the same run on
the same imported project, for the naive rule "a personal title followed by a capitalised word is a
person, one entry per surname". It also prints annotation speed (characters of document text per
second, one process, so per core) and the peak memory of the process (ru_maxrss).

usage: python benchmarks/bench_index.py [--volume ../shared/corpora/frus1961-63v06.xml] [--work DIR]

What it is not: a test (nothing is asserted). The score is the shared scorer's own (imported from
`../shared/eval/frus_index.py`), so figures are comparable with any other run of it.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")  # one core: figures are per core

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from types import ModuleType  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dossier import markup, project  # noqa: E402
from dossier.build import build_edition  # noqa: E402
from dossier.enrich.annotate import FIELDS, annotate_project  # noqa: E402
from dossier.ingest.importer import import_files  # noqa: E402
from dossier.model import RegisterEntry  # noqa: E402
from dossier.report import Report  # noqa: E402

NAIVE_TITLES = ("Mr", "Mrs", "President", "Chairman", "Premier", "Ambassador", "Secretary", "Minister",
                "General", "Senator", "Prince")
NAIVE = re.compile(r"\b(?:" + "|".join(NAIVE_TITLES) + r")\.?\s+([A-Z][a-z]+(?:-[a-z]+)?)")


def _scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("frus_index", shared / "eval" / "frus_index.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _print(label: str, s: dict[str, object]) -> None:
    print(f"{label:<10} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}  fragmentation {s['fragmentation']:.3f}  "
          f"junk {s['junk_suspects']}/{s['entries_predicted']} ({float(s['junk_ratio']):.1%})  "  # type: ignore[arg-type]
          f"entries {s['entries_predicted']} (outside gold {s['entries_outside_gold']})")


def naive_annotate(root: Path) -> None:
    """The baseline: title + capitalised word, one entry per surname, marked with mark_spans."""
    report = Report()
    edition = project.load_project(root, report)
    entries: dict[str, RegisterEntry] = {}
    for d in edition.documents:
        for f in FIELDS:
            raw = str(getattr(d, f) or "")
            if not raw.strip():
                continue
            text = markup.plain_text(raw)
            spans = []
            for m in NAIVE.finditer(text):
                word = m.group(1)
                if word in NAIVE_TITLES:
                    continue
                ref = "p-" + word.lower()
                entries.setdefault(ref, RegisterEntry(id=ref, kind="person", name=word, status="proposed"))
                spans.append(markup.Span(m.start(1), m.end(1), "person", ref))
            if spans:
                new, _ = markup.mark_spans(raw, spans)
                setattr(d, f, new if f == "body" else new.rstrip("\n"))
        project.write_document(root, d)
    edition.registers.persons = sorted(entries.values(), key=lambda e: e.id)
    project.write_registers(root, edition.registers)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--volume", type=Path, default=None)
    ap.add_argument("--work", type=Path, default=None, help="Keep the projects here (default: a temp dir).")
    args = ap.parse_args()
    volume = args.volume or args.shared / "corpora" / "frus1961-63v06.xml"
    fi = _scorer(args.shared)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_index_"))
    work.mkdir(parents=True, exist_ok=True)
    stripped = work / "stripped.xml"
    fi.strip(str(volume), str(stripped))
    results = {}
    for label in ("naive", "dossier"):
        proj = work / f"P-{label}"
        out = work / f"O-{label}"
        shutil.rmtree(proj, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        import_files([stripped], proj, "", False, Report(), lambda items, *a, **k: items)
        if label == "naive":
            naive_annotate(proj)
        else:
            ed = project.load_project(proj, Report())
            chars = sum(len(markup.plain_text(str(getattr(d, f) or ""))) for d in ed.documents for f in FIELDS)
            t0 = time.process_time()
            w0 = time.perf_counter()
            summary = annotate_project(proj, Report())
            cpu = time.process_time() - t0
            wall = time.perf_counter() - w0
        build_edition(proj, out, ["tei"], Report())
        results[label] = fi.score(str(volume), str(out / "edition.tei.xml"))
    print(f"FRUS index benchmark: {volume.name} ({len(fi.gold(fi.parse(str(volume)))[0])} documents with persons)")
    _print("naive", results["naive"])
    _print("dossier", results["dossier"])
    print(f"annotate: {chars:,} characters in {cpu:.2f} s CPU ({wall:.2f} s wall): {chars / cpu:,.0f} chars/s per core")
    print(f"          {summary.line()}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the whole run (import, annotate, build, score): {peak:.0f} MB")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
