"""The single-file outputs are written piece by piece (TEI: each document's div rendered alone and
spliced into the frame; JSON: one document at a time) and must hold exactly the bytes of the whole
tree or object serialised at once, for editions with chapters, notes, translations and photographs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dossier import project
from dossier.compile.edition import compile_edition
from dossier.examples import example_project
from dossier.publish import json_export, tei
from dossier.report import Report

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize("name", ["kennedy-khrushchev", "kennedy-bilingual"])
def test_streamed_files_equal_the_whole_serialisations(name: str, tmp_path: Path) -> None:
    root = EXAMPLES / name
    assert (root / "dossier.toml").exists(), f"the bundled example {name} is missing"
    compiled = compile_edition(project.load_project(root, Report()), Report())
    assert compiled.documents
    whole = tei.to_bytes(tei.build_tei(compiled, Report()))
    streamed = tmp_path / "edition.tei.xml"
    tei.write_tei(compiled, streamed, Report())
    assert streamed.read_bytes() == whole
    path = tmp_path / "edition.json"
    json_export.write_json(compiled, path, Report())
    assert path.read_text(encoding="utf-8") == json_export.to_text(json_export.edition_json(compiled, Report()))


def test_an_edition_without_documents_streams_too(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    shutil.copytree(example_project(), root)
    for doc in (root / "documents").glob("*.md"):
        doc.unlink()
    compiled = compile_edition(project.load_project(root, Report()), Report())
    out = tmp_path / "edition.tei.xml"
    tei.write_tei(compiled, out, Report())
    assert out.read_bytes() == tei.to_bytes(tei.build_tei(compiled, Report()))
    path = tmp_path / "edition.json"
    json_export.write_json(compiled, path, Report())
    assert path.read_text(encoding="utf-8") == json_export.to_text(json_export.edition_json(compiled, Report()))
