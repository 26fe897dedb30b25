"""Pick a reader for each input by auction, and collect what readers produce.

Each reader module declares a `Reader`: a name, the extensions it knows, and `score(path)` saying how
sure it is that it can read a file (0 = not at all); the highest bid wins, as OCCRP's ingest-file does
it. A reader turns one input into an `ImportResult` and never writes outputs.

What it is not: the readers themselves (one module per format beside this one), nor writing the
project (that is `dossier.project`, called by the `import` command).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Document, Metadata, Registers
from ..report import DossierError, Report

# Wraps an iterable to show progress: progress(items, label, total) (the CLI's bar, or a pass-through).
Progress = Callable[[Iterable[Any], str, int | None], Iterator[Any]]


def no_progress(items: Iterable[Any], label: str, total: int | None = None) -> Iterator[Any]:
    """The pass-through progress: no display."""
    return iter(items)


@dataclass
class ImportOptions:
    lang: str = ""  # "ru", "en", "ru+en" or "" (detect)
    progress: Progress | None = None  # for readers with long work inside one file (pages of a PDF)
    # the target project's list of abbreviations (abbr -> expansion), to resolve places printed short
    abbreviations: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportResult:
    documents: list[Document] = field(default_factory=list)
    registers: Registers = field(default_factory=Registers)
    metadata: Metadata | None = None
    # Entries of a whole dossier's printed apparatus (index of names, index of places, list of
    # abbreviations): merged by name, and only into registers that do not hold entries of that kind
    # already (see `importer.merge_apparatus`), unlike `registers`, an edition's own, merged by id.
    apparatus: Registers = field(default_factory=Registers)
    # Files to copy into the project's images/ folder: (source path, name under images/), e.g. the
    # page images a scan's documents name in extra["facsimiles"].
    files: list[tuple[Path, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Reader:
    name: str
    extensions: tuple[str, ...]
    score: Callable[[Path], float]
    read: Callable[[Path, ImportOptions, Report], ImportResult]
    # Optional: told once of all the files this reader won, before the first read, so it can start
    # slow work on all of them at once (OCR of a folder of page images, in parallel processes).
    prepare: Callable[[list[Path], ImportOptions], None] | None = None


_READERS: list[Reader] = []


def register(reader: Reader) -> Reader:
    if all(r.name != reader.name for r in _READERS):
        _READERS.append(reader)
    return reader


def readers() -> list[Reader]:
    _load_builtin()
    return list(_READERS)


def _load_builtin() -> None:
    # Importing a reader module registers it. A module that is not there yet is simply not offered.
    import importlib

    for name in ("tei", "text", "pdf", "images", "docx"):
        try:
            importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{name}":
                raise


def choose(path: Path) -> Reader:
    """The reader with the highest bid for `path`; DossierError when none will take it."""
    bids = sorted(((r.score(path), r.name, r) for r in readers()), key=lambda b: (-b[0], b[1]))
    if not bids or bids[0][0] <= 0:
        raise DossierError(str(path), "no reader for this kind of file "
                           f"(known: {', '.join(sorted({e for r in readers() for e in r.extensions}))})")
    return bids[0][2]


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files named, and the files inside folders named (sorted, hidden files skipped)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not any(
                part.startswith(".") for part in f.relative_to(p).parts)))
        elif p.exists():
            out.append(p)
        else:
            raise DossierError(str(p), "no such file or folder")
    return out
