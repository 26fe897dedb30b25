"""The bundled example (examples/kennedy-khrushchev: 25 real FRUS documents) built to its print
edition once per test process, for the tests that import that PDF again (notes, apparatus)."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kennedy-khrushchev"


@lru_cache(maxsize=1)
def example_print() -> tuple[Path, Path]:
    """(the example project copied, its `edition.pdf` built by `dossier build`); removed at exit."""
    base = Path(tempfile.mkdtemp(prefix="dossier-print-"))
    atexit.register(shutil.rmtree, base, True)
    source = base / "source"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns(".dossier", ".git"))
    subprocess.run([sys.executable, "-m", "dossier.cli", "build", str(source), "--out", str(base / "out"), "-q"],
                   check=True, capture_output=True)
    return source, base / "out" / "edition.pdf"
