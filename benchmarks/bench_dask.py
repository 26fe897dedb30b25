"""Benchmark: the same parallel work on a Dask LocalCluster of 2 workers and on the local process pool
of 2 workers, with the overhead of Dask over the pool; then the bad inputs: an unreachable scheduler
and a worker that dies mid-run.

The work is what a build sends to `dossier.parallel.run_batches`: search keys (`keys_batch`) of the
FRUS volume's texts replicated 4x (480 documents, batches of 50), each run with fresh processes on
the pool side and a running cluster on the Dask side (users run their cluster; `dossier build
--scheduler` connects to it), so both pay for cold word-key caches. Best of N. Goal: Dask <= 1.15x.

    .venv/bin/python benchmarks/bench_dask.py [--runs 3] [--copies 4]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import best, import_frus  # noqa: E402

from dossier import markup  # noqa: E402
from dossier.build import compile_project  # noqa: E402
from dossier.parallel import run_batches  # noqa: E402
from dossier.report import DossierError, Report  # noqa: E402
from dossier.search_keys import keys_batch  # noqa: E402


def keys_or_die_once(marker: str, items: list[tuple[str, str]]) -> list[str]:
    """keys_batch, but the first call anywhere kills its worker process (the marker file says so)."""
    if not os.path.exists(marker):
        Path(marker).write_text("died", encoding="utf-8")
        os._exit(1)
    return keys_batch(items)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--copies", type=int, default=4)
    args = ap.parse_args()
    import logging

    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)

    tmp = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    try:
        compiled = compile_project(import_frus(tmp / "frus"), Report())
        items = [(markup.plain_text(d.body), d.language) for d in compiled.documents] * args.copies
        serial = run_batches(keys_batch, items, workers=1)
        pool_t = best(args.runs, lambda: run_batches(keys_batch, items, workers=2))
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            addr = cluster.scheduler_address
            times = []
            for _ in range(args.runs):
                with Client(addr) as c:  # fresh worker processes: cold caches, like the pool
                    c.restart()
                t = time.perf_counter()
                got = run_batches(keys_batch, items, scheduler=addr)
                times.append(time.perf_counter() - t)
            assert got == serial, "Dask results differ from in-process results"
            dask_t = min(times)
            warm_t = best(args.runs, lambda: run_batches(keys_batch, items, scheduler=addr))
            # a worker dies mid-run: Dask retries the batch on another worker
            t = time.perf_counter()
            survived = run_batches(partial(keys_or_die_once, str(tmp / "died")), items, scheduler=addr)
            died_t = time.perf_counter() - t
        pool_survived = run_batches(partial(keys_or_die_once, str(tmp / "died-pool")), items, workers=2)
        t = time.perf_counter()
        try:
            run_batches(keys_batch, items[:60], scheduler="tcp://127.0.0.1:9")
            unreachable = "no error (unexpected)"
        except DossierError as exc:
            unreachable = str(exc)
        unreachable_t = time.perf_counter() - t
        print(f"keys of {len(items)} documents ({args.copies}x FRUS), batches of 50; best of {args.runs}")
        print(f"  local process pool, 2 workers:        {pool_t:.3f} s")
        print(f"  Dask LocalCluster, 2 workers (cold):  {dask_t:.3f} s   overhead {100 * (dask_t / pool_t - 1):+.1f} % "
              "(goal <= 15 %)")
        print(f"  Dask, warm workers (caches filled):   {warm_t:.3f} s")
        print(f"  a Dask worker killed mid-run: {'same results' if survived == serial else 'RESULTS DIFFER'} "
              f"after a retry, {died_t:.2f} s")
        print(f"  a pool worker killed mid-run: {'same results' if pool_survived == serial else 'RESULTS DIFFER'}")
        print(f"  unreachable scheduler ({unreachable_t:.1f} s): {unreachable}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
