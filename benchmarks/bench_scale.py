"""Benchmark: does a build scale linearly? The FRUS volume replicated 1x, 4x, 16x (ids, numbers and
headings varied), each built clean by `dossier build` in its own process: time per document and
peak memory (VmHWM of the build process itself: ru_maxrss would count the forking parent's pages),
with the ratios to 1x.

Goals: time per document flat within 10 %, peak memory flat within 20 %. What it is not: a test.

    .venv/bin/python benchmarks/bench_scale.py [--scales 1,4,16] [--formats html,tei,json] [--workers N]
        [--incremental]

--incremental: the default build (`dossier build`: with its cache, OUT/.cache/) into a fresh OUT,
instead of a build without the cache.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import PYTHON, import_frus, replicate, run_measured  # noqa: E402

RUN = ("import sys, time; from pathlib import Path; from dossier.build import build_edition; "
       "from dossier.report import Report; r = Report(); t = time.perf_counter(); "
       "build_edition(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(','), r, "
       "workers=int(sys.argv[4]) if sys.argv[4] != '0' else None, incremental=sys.argv[5] == '1'); "
       "el = time.perf_counter() - t; "
       "hwm = [int(x.split()[1]) for x in open('/proc/self/status') if x.startswith('VmHWM')][0] // 1024; "
       "print(len(r.written), len(r.rejected), el, hwm)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scales", default="1,4,16")
    ap.add_argument("--formats", default="html,tei,json")
    ap.add_argument("--workers", type=int, default=0, help="0: all cores")
    ap.add_argument("--incremental", action="store_true",
                    help="build as `dossier build` does (with the cache), into a fresh OUT")
    args = ap.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        base = import_frus(tmp / "frus")
        n0 = len(list((base / "documents").glob("*.md")))
        rows = []
        for k in scales:
            proj = replicate(base, tmp / f"x{k}", k)
            n = len(list((proj / "documents").glob("*.md")))
            wall, _, out = run_measured([PYTHON, "-c", RUN, str(proj), str(tmp / f"out{k}"), args.formats,
                                            str(args.workers), "1" if args.incremental else "0"])
            written, rejected, build_s, hwm = out.strip().splitlines()[-1].split()
            peak = int(hwm)
            if int(rejected) or int(written) != n:
                raise SystemExit(f"{k}x: {rejected} of {n} documents rejected")
            build = float(build_s)
            rows.append((k, n, build, wall, peak))
            shutil.rmtree(tmp / f"out{k}", ignore_errors=True)
        print(f"FRUS vol. VI ({n0} documents) replicated; formats {args.formats}; "
              f"{'default (incremental, fresh OUT)' if args.incremental else 'clean'} builds; one process per build")
        print(f"{'scale':>5} {'docs':>6} {'build s':>8} {'ms/doc':>7} {'ratio':>6} {'marginal':>9} {'peak MB':>8} "
              f"{'ratio':>6}")
        _, n1, b1, _, p1 = rows[0]
        prev: tuple[int, float] | None = None
        for k, n, b, _, p in rows:
            marginal = f"{1000 * (b - prev[1]) / (n - prev[0]):>9.2f}" if prev else f"{'':>9}"
            print(f"{k:>4}x {n:>6} {b:>8.2f} {1000 * b / n:>7.2f} {(b / n) / (b1 / n1):>6.2f} {marginal} {p:>8} "
                  f"{p / p1:>6.2f}")
            prev = (n, b)
        print("marginal: ms per added document from the previous scale (the fixed start-up cost left out)")
        print("goals: time per document ratio <= 1.10, peak memory ratio <= 1.20")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
