"""Run per-document work in batches: in this process, on all cores, or on a Dask cluster.

What it is for: one call, `run_batches(func, items, ...)`, that the pipeline uses for work that is
independent per document (recognition, search keys, OCR of pages). Items go in batches (about 50
documents a task: Dask costs ~1.6 ms per task here, a batch of 50 costs almost nothing); results come
back in input order. `workers=1` runs in-process; `workers=N` uses a local process pool;
`scheduler="tcp://HOST:PORT"` sends the same batches to a Dask distributed cluster users already run.
A worker that dies mid-build: its batch is tried again (Dask: `retries`; the local pool: once more in
a fresh pool, then in-process), never silently dropped.

What it is not: a scheduler of the pipeline's stages, nor a cache (see the build's content hashes).
`func` must be a module-level function (picklable) taking a list and returning a list of equal length.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from .report import DossierError

T = TypeVar("T")
R = TypeVar("R")
DEFAULT_BATCH = 50

Progress = Callable[[Iterable[Any], str, int | None], Iterator[Any]]


def _no_progress(items: Iterable[Any], label: str, total: int | None = None) -> Iterator[Any]:
    yield from items


def batches(items: Sequence[T], size: int) -> list[list[T]]:
    size = max(1, size)
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def run_batches(func: Callable[[list[T]], list[R]], items: Sequence[T], *, workers: int | None = None,
                scheduler: str | None = None, batch_size: int = DEFAULT_BATCH, progress: Progress = _no_progress,
                label: str = "Working") -> list[R]:
    """`func` applied to `items` in batches; results in input order."""
    if not items:
        return []
    parts = batches(items, batch_size)
    if scheduler:
        results = _on_dask(func, parts, scheduler, progress, label)
    elif (workers or default_workers()) <= 1 or len(parts) == 1:
        results = [func(p) for p in progress(parts, label, len(parts))]
    else:
        results = _on_pool(func, parts, workers or default_workers(), progress, label)
    out: list[R] = []
    for part, res in zip(parts, results, strict=True):
        if len(res) != len(part):
            raise DossierError(getattr(func, "__name__", "worker"), f"returned {len(res)} results for {len(part)} items")
        out.extend(res)
    return out


def _on_pool(func: Callable[[list[T]], list[R]], parts: list[list[T]], workers: int, progress: Progress,
             label: str) -> list[list[R]]:
    results: dict[int, list[R]] = {}
    todo = list(range(len(parts)))
    for attempt in range(2):
        try:
            with ProcessPoolExecutor(max_workers=min(workers, len(parts))) as pool:
                futures = {i: pool.submit(func, parts[i]) for i in todo}
                for i in progress(todo, label, len(todo)):
                    results[i] = futures[i].result()
            break
        except BrokenProcessPool:
            todo = [i for i in todo if i not in results]
            if attempt == 1:
                for i in todo:  # last resort: in this process, so nothing is lost
                    results[i] = func(parts[i])
    return [results[i] for i in range(len(parts))]


def _on_dask(func: Callable[[list[T]], list[R]], parts: list[list[T]], scheduler: str, progress: Progress,
             label: str) -> list[list[R]]:
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - distributed is a pinned dependency
        raise DossierError(scheduler, "Dask distributed is not installed") from exc
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise DossierError(scheduler, f"cannot reach the Dask scheduler ({exc.__class__.__name__}); is it running?") from exc
    try:
        futures = client.map(func, parts, retries=2, pure=False)
        return [f.result() for f in progress(futures, label, len(futures))]
    finally:
        client.close()
