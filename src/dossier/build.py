"""Run the pipeline for `dossier build`: load the project, compile it, hand it to each renderer.

What it is for: the order of the rooms and the bookkeeping (`report.json`, the summary line).
What it is not: any rendering or compiling itself; each format's renderer lives in `dossier.publish`.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .compile.edition import CompiledEdition, compile_edition
from .project import load_project
from .report import DossierError, Report
from .spill import TextSpill

# format -> (module in dossier.publish, function, output path under OUT)
PUBLISHERS: dict[str, tuple[str, str, str]] = {
    "html": ("html", "write_site", "site"),
    "tei": ("tei", "write_tei", "edition.tei.xml"),
    "json": ("json_export", "write_json", "edition.json"),
    "pdf": ("pdf", "write_pdf", "edition.pdf"),
}

CATALOG = "catalog.sqlite"

Progress = Callable[[Iterable[Any], str, int | None], Iterator[Any]]


def _no_progress(items: Iterable[Any], label: str, total: int | None = None) -> Iterator[Any]:
    yield from items


def check_style_flag(style: str | None) -> None:
    """A style asked for on the command line must exist: a one-line error naming the flag, nothing built.

    (An unknown style in dossier.toml is reported by compile against that file and the edition is
    built in the default style.)"""
    from .compile.styles import STYLES, UnknownStyle

    if style and style not in STYLES:
        raise DossierError("--style", str(UnknownStyle(style)))


def compile_project(root: Path, report: Report, style: str | None = None,
                    spill: TextSpill | None = None) -> CompiledEdition:
    """Load and compile a project; with a `spill`, the documents' texts are kept there (see `dossier.spill`)."""
    check_style_flag(style)
    edition = load_project(root, report, spill)
    if style:
        edition.meta.style = style
    return compile_edition(edition, report)


def project_catalog(root: Path) -> Path:
    """The catalog of a project for `dossier search DIR`: DIR/.dossier/catalog.sqlite, rebuilt when the
    project's files change (any file added, removed or edited) or the catalog's schema does. A build
    folder is used as it is."""
    import hashlib

    from .publish.catalog import SCHEMA_VERSION, write_catalog

    if (root / CATALOG).exists() and not (root / "dossier.toml").exists():
        return root / CATALOG
    if not (root / "dossier.toml").exists():
        raise DossierError(str(root), "neither a dossier project nor a built edition (no dossier.toml, no catalog.sqlite)")
    cache = root / ".dossier" / CATALOG
    stamp = root / ".dossier" / "catalog.sources"
    sources = [root / "dossier.toml", *sorted(p for sub in ("documents", "registers") for p in (root / sub).glob("*"))]
    listing = "\n".join(f"{p.relative_to(root)}\t{p.stat().st_size}\t{p.stat().st_mtime_ns}"
                        for p in sources if p.is_file())
    # the catalog's schema too: a catalog left by an older dossier is rebuilt, not refused
    signature = hashlib.sha256(f"schema {SCHEMA_VERSION}\n{listing}".encode()).hexdigest()
    if not cache.exists() or not stamp.exists() or stamp.read_text(encoding="utf-8") != signature:
        report = Report()
        write_catalog(compile_project(root, report), cache, report)
        stamp.write_text(signature, encoding="utf-8")
    return cache


def build_edition(root: Path, out: Path, formats: list[str], report: Report, style: str | None = None,
                  progress: Progress = _no_progress, workers: int | None = None,
                  scheduler: str | None = None, incremental: bool = True) -> str:
    """Build the formats asked for into OUT; returns the one-line summary.

    `incremental`: reuse what OUT/.cache/ holds from the last build (see `dossier.cache`); the output
    is the same as a clean build's."""
    from .cache import FRAGMENT_FORMATS, BuildCache
    from .publish.catalog import write_catalog

    check_style_flag(style)
    for fmt in formats:
        if fmt not in PUBLISHERS:
            raise DossierError(str(root), f"unknown format {fmt!r}")
    cache = BuildCache(out, root) if incremental else None
    # the documents' texts wait on disk, read back one document at a time by each renderer: memory holds
    # the documents' records, the registers and the index, not every text of the edition
    spill = TextSpill(out)
    try:
        compiled = cache.compile(report, style, spill) if cache is not None else \
            compile_project(root, report, style, spill)
        out.mkdir(parents=True, exist_ok=True)
        built: list[str] = []
        if cache is not None and "html" not in formats:
            cache.start_catalog(compiled, out / CATALOG, workers=workers, scheduler=scheduler)
        for fmt in formats:
            module_name, func_name, target = PUBLISHERS[fmt]
            module = importlib.import_module(f"dossier.publish.{module_name}")
            func = getattr(module, func_name)
            if fmt == "html":
                func(compiled, out / target, report, progress=progress, store=cache)
            elif cache is not None and fmt in FRAGMENT_FORMATS:  # documents' pieces are kept between builds
                cache.whole_file(fmt, out / target, report,
                                 functools.partial(func, compiled, out / target, report, store=cache))
            elif cache is not None:
                cache.whole_file(fmt, out / target, report, functools.partial(func, compiled, out / target, report))
            else:
                func(compiled, out / target, report)
            report.outputs.append(target)
            built.append(str(out / target))
            if cache is not None and fmt == "html":  # a few documents' catalog rows, beside the other formats
                cache.start_catalog(compiled, out / CATALOG, workers=workers, scheduler=scheduler)
        if cache is not None:
            cache.renderers_done()
            cache.write_catalog(compiled, out / CATALOG, report, workers=workers, scheduler=scheduler)
        else:
            write_catalog(compiled, out / CATALOG, report, workers=workers, scheduler=scheduler)
        report.outputs.append(CATALOG)
        built.append(str(out / CATALOG))
        report.written = [d.id for d in compiled.documents]
        report.stats.update({
            "chapters": len(compiled.chapters),
            "persons": len(compiled.index["person"]),
            "places": len(compiled.index["place"]),
            "organizations": len(compiled.index["org"]),
        })
        if cache is not None:
            cache.save(report)
    finally:
        if cache is not None:
            cache.close()  # a failed build keeps what it cached so far and frees the cache's file
        spill.close()
    report.write(out / "report.json")
    rejected = f", {len(report.rejected)} rejected" if report.rejected else ""
    problems = f"; {len(report.errors)} errors, {len(report.warnings)} warnings" if report.problems else ""
    return (f"Built {len(compiled.documents)} documents{rejected} into {out}: {', '.join(Path(b).name for b in built)}"
            f"{problems}. Report: {out / 'report.json'}")
