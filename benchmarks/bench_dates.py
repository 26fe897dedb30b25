"""Benchmark: how well and how fast `dossier.enrich.dates` reads the real corpora's printed dates.

What it measures: accuracy on the 60 Tolstoy headings (first date; interval against the TEI header;
interval as printed) and on the FRUS 1961–63 vol. VI datelines (date and place recovered from the
dateline text alone), using the very functions tests/test_dates.py asserts on; then throughput of
`find_date` on the headings, of `find_dateline` on the datelines, and of `find_date` on whole Tolstoy
letter texts (the first date in a long text), best of N runs. With `--misses` it lists the misses.

What it is not: a test (no timing is asserted anywhere), and it never calls dateparser's slow path.

    .venv/bin/python benchmarks/bench_dates.py [--runs 5] [--misses]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from dossier.enrich.dates import find_date, find_dateline

ROOT = Path(__file__).resolve().parents[1]


def _test_module():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "tests"))
    spec = importlib.util.spec_from_file_location("test_dates", ROOT / "tests" / "test_dates.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _best(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args()
    tm = _test_module()

    t = tm.tolstoy_accuracy(verbose=args.misses)
    print(f"Tolstoy headings ({t['letters']} letters): first date {t['first']:.3f}, "
          f"interval vs TEI header {t['interval']:.3f}, interval as printed {t['interval_as_printed']:.3f}")
    f = tm.frus_accuracy(verbose=args.misses)
    print(f"FRUS datelines ({f['datelines']}): date from the text {f['all']:.3f} (dated {f['dated']}: "
          f"{f['dated_ok']:.3f}; printed undated {f['undated']}: {f['undated_ok']:.3f}), place {f['place']:.3f}")

    d = tm.frus_document_accuracy(verbose=args.misses)
    print(f"FRUS whole documents with a dateline ({d['documents']}): dateline found and read {d['ok']:.3f}")

    openers = [o for _, o, _, _ in tm._letters()]
    tree = etree.parse(str(tm.FRUS))
    datelines = [" ".join("".join(e.itertext()).split()) for e in tree.iter(f"{tm.TEI}dateline")]
    bodies = []
    for path in sorted(Path(tm.LETTERS).glob("*.xml")):
        body = etree.parse(str(path)).find(f".//{tm.TEI}text")
        bodies.append("".join(body.itertext()) if body is not None else "")
    chars = sum(map(len, bodies))

    s = _best(args.runs, lambda: [find_date(o) for o in openers])
    print(f"find_date on headings: {len(openers) / s:,.0f} headings/s")
    s = _best(args.runs, lambda: [find_dateline(d) for d in datelines])
    print(f"find_dateline on FRUS datelines: {len(datelines) / s:,.0f} datelines/s")
    s = _best(args.runs, lambda: [list(tm.iter_dates(b)) for b in bodies])
    print(f"iter_dates over whole letters: {chars / s / 1e6:.2f} M chars/s ({chars:,} chars, {len(bodies)} letters)")


if __name__ == "__main__":
    main()
