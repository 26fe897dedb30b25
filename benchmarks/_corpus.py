"""Shared helpers of the benchmarks: the FRUS volume imported into a temporary project, replicated
N times with varied ids, numbers and headings, and timing/memory helpers.

What it is for: corpora made in temporary folders for one run (never committed). What it is not: a
test fixture (tests use the real corpora directly) nor a generator of realistic new text: copies
keep the FRUS text, with their ids, numbers and headings varied so nothing collides.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRUS = ROOT.parent / "shared" / "corpora" / "frus1961-63v06.xml"
PYTHON = sys.executable


def import_frus(into: Path) -> Path:
    """`dossier import` of the FRUS volume into `into` (in this process); returns the project."""
    from dossier.ingest.importer import import_files
    from dossier.report import Report

    if not FRUS.exists():
        raise SystemExit(f"{FRUS} is missing: the benchmarks need ../shared beside the repository")
    import_files([FRUS], into, "", False, Report(), lambda items, label, total=None: iter(items))
    return into


_N = re.compile(r"^n: (\d+)$", re.M)
_HEADING = re.compile(r"^heading: (.*)$", re.M)


def replicate(project: Path, dest: Path, times: int) -> Path:
    """A copy of `project` whose documents appear `times` times: copy r of dN is dN-rR, numbered
    n + r * (max n), heading suffixed with the copy number."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(project, dest, ignore=shutil.ignore_patterns("documents", ".dossier"))
    (dest / "documents").mkdir()
    docs = sorted((project / "documents").glob("*.md"))
    texts = {p: p.read_text(encoding="utf-8") for p in docs}
    top = max((int(m.group(1)) for t in texts.values() for m in [_N.search(t)] if m), default=len(docs))
    for r in range(times):
        for p, text in texts.items():
            if r == 0:
                (dest / "documents" / p.name).write_text(text, encoding="utf-8")
                continue
            t = _N.sub(lambda m, r=r: f"n: {int(m.group(1)) + r * top}", text, count=1)
            t = _HEADING.sub(lambda m, r=r: "heading: " + _suffix_heading(m.group(1), r), t, count=1)
            (dest / "documents" / f"{p.stem}-r{r}.md").write_text(t, encoding="utf-8")
    return dest


def _suffix_heading(value: str, r: int) -> str:
    if value.startswith(("'", '"')):
        q = value[0]
        return value[:-1] + f" (copy {r}){q}" if value.endswith(q) else value
    return value + f" (copy {r})"


def best(runs: int, fn: Callable[[], object]) -> float:
    """The best wall time of `runs` calls, seconds."""
    out = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t)
    return out


def run_measured(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Run a command; (wall seconds, peak RSS in MB of it or its largest reaped child, stdout)."""
    import tempfile

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, text=True, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode not in (0, 3):
            raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {err.read().strip()[-500:]}")
        return wall, usage.ru_maxrss // 1024, out.read()
