"""Where the bundled example dossier lives (the repository's `examples/` folder).

What it is not: the example itself; that is a project folder like any other.
"""

from __future__ import annotations

from pathlib import Path

from .report import DossierError

EXAMPLE = "kennedy-khrushchev"


def example_project(name: str = EXAMPLE) -> Path:
    here = Path(__file__).resolve()
    for base in (here.parents[2] / "examples", here.parent / "data" / "examples"):
        if (base / name / "dossier.toml").exists():
            return base / name
    raise DossierError(str(here.parents[2] / "examples" / name), "the bundled example is not installed")
