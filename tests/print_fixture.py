"""The bundled example (examples/kennedy-khrushchev: 25 real FRUS documents) built to its print
edition once per test process, for the tests that import that PDF again (notes, apparatus), and the
helpers those tests share to find pages and compare notes."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

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


def example_documents(source: Path) -> dict[int, Any]:
    """The example project's documents by number."""
    from dossier import project

    return {d.n: d for d in (project.read_document(p) for p in project.document_files(source))}


def pdf_page_texts(edition_pdf: Path) -> list[str]:
    """Each page's text layer, spaces folded."""
    from pypdf import PdfReader

    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(edition_pdf).pages]


def page_where(texts: list[str], heading: str, dateline: str) -> int:
    """The 1-based page a document starts on: its heading and dateline (the list of documents at the
    front prints the heading alone)."""
    return next(i for i, t in enumerate(texts) if heading in t and dateline in t) + 1


def note_texts(body: str) -> list[str]:
    """The texts of a document's notes, in order."""
    from dossier import markup

    return [markup.inline_text(b.inlines) for b in markup.iter_blocks(markup.parse(body)) if b.kind == "note"]


def fold_hyphens(text: str) -> str:
    """Spaces folded, hyphens (the print's and the typed) left out: how a scan's text is compared."""
    return " ".join(text.replace("\u2010", "").replace("-", "").split())
