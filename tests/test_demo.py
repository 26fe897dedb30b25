"""`dossier demo`: the bundled example copied, annotated and built, the example itself untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

from dossier import project
from dossier.cli import run
from dossier.examples import example_project
from dossier.report import Report


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def test_demo_annotates_a_copy_and_builds_it(tmp_path: Path) -> None:
    example = example_project()
    before = _digest(example)
    out = tmp_path / "demo"
    run(["demo", "--out", str(out), "--format", "html", "-q"])
    assert _digest(example) == before  # the bundled example is not changed
    regs = project.read_registers(out / "project", Report())
    printed = project.read_registers(example, Report())
    # the FRUS editors' entries are kept as they are; dossier proposes the places and organisations
    assert {e.id for e in printed.persons} <= {e.id for e in regs.persons}
    places = {e.name for e in regs.places}
    assert {"Moscow", "Washington", "Cuba", "Berlin", "Soviet Union"} <= places
    orgs = {e.name for e in regs.organizations}
    assert {"Department of State", "United Nations", "Soviet Government"} <= orgs
    assert not {"Kennedy Library", "Johnson Library"} & orgs  # repositories a legend cites are not indexed
    # an untagged `Mrs. [Kennedy]` of the FRUS text is linked to the entry of its reading
    text = "".join(p.read_text(encoding="utf-8") for p in project.document_files(out / "project"))
    assert "Mrs.[Kennedy]{person}" not in text and "Mrs. [Kennedy]{person}" not in text
    assert (out / "site" / "places.html").read_text(encoding="utf-8").count("Cuba") >= 1
