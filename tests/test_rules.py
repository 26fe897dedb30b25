"""`dossier build` and `dossier check` report the same problem the same way (dossier.compile.rules).

On the bundled example (examples/kennedy-khrushchev), broken the way an editor would break it: a note
definition deleted, a mark pointing to no entry, a YAML typo in registers/persons.yaml. The lines the
findings must name are found here by searching the edited files, independently of the rules.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dossier.build import build_edition
from dossier.check import check_project
from dossier.examples import example_project
from dossier.report import Problem, Report

CODES = {"note-undefined", "note-orphan", "note-twice", "ref-unresolved", "ref-rejected", "ref-unchecked"}


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "kk"
    shutil.copytree(example_project(), root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, pattern: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if re.search(pattern, line):
            return i
    raise AssertionError(f"{pattern!r} not in {path}")


def built_problems(root: Path, tmp_path: Path) -> list[Problem]:
    report = Report()
    build_edition(root, tmp_path / "out", ["html", "tei", "json", "pdf"], report)
    return report.problems


def key(p: Problem) -> tuple[str, str, int, str, str]:
    return (p.severity, p.file, p.line, p.code, p.message)


def test_build_and_check_report_notes_and_marks_alike(proj: Path, tmp_path: Path) -> None:
    d1, d10 = proj / "documents" / "d1.md", proj / "documents" / "d10.md"
    edit(d1, "[^1]: Printed from an unsigned copy.\n", "")
    edit(d10, "the [Castro]{person=p_CRF1} dictatorship", "the [Castro]{person=p_NOBODY} dictatorship")
    checked = sorted(key(p) for p in check_project(proj) if p.code in CODES)
    assert checked == [
        ("error", str(d1), line_of(d1, r"\[\^1\]"), "note-undefined",
         "note reference [^1] has no note [^1]: in this document"),
        ("error", str(d10), line_of(d10, r"person=p_NOBODY"), "ref-unresolved",
         "[Castro]{person=p_NOBODY}: no entry 'p_NOBODY' in registers/persons.yaml"),
    ]
    problems = built_problems(proj, tmp_path)
    assert sorted(key(p) for p in problems if p.code in CODES) == checked
    # and no renderer reports the same problem again in other words
    assert not [p for p in problems if p.code not in CODES and ("[^1]" in p.message or "p_NOBODY" in p.message)]


def test_an_unreadable_register_is_one_error_not_one_per_mark(proj: Path, tmp_path: Path) -> None:
    persons = proj / "registers" / "persons.yaml"
    edit(persons, "  name: Bohlen, Charles E.\n", "  name: Bohlen: Charles E.\n")  # a typo: ':' for ','
    marks = sum(len(re.findall(r"\{person=[^}\s]+\}", p.read_text(encoding="utf-8")))
                for p in (proj / "documents").glob("*.md"))
    assert marks > 100
    for problems in (check_project(proj), built_problems(proj, tmp_path)):
        assert not [p for p in problems if p.code == "ref-unresolved"]
        errors = [p for p in problems if p.severity == "error"]
        assert [(p.file, p.line) for p in errors] == [(str(persons), line_of(persons, "Bohlen: Charles"))]
        unchecked = [p for p in problems if p.code == "ref-unchecked"]
        assert [(p.severity, p.file, p.message) for p in unchecked] == [
            ("warning", str(persons), f"{marks} marks were not checked: registers/persons.yaml could not be "
             "read (fix the error above first)")]
