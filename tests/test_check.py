"""`dossier check` on the real FRUS volume (1961-63 vol. VI) imported as a project, then broken on purpose.

The clean import must give no finding at all. Each breakage is made by editing the project's files the
way an editor would; the file and line each finding must name are found here by searching the edited
text, independently of the checker.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FRUS
from dossier import project
from dossier.check import check_project
from dossier.cli import run
from dossier.report import Problem


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("frus") / "frus"
    run(["import", str(FRUS), "--into", str(root), "-q"])
    return root


@pytest.fixture
def proj(imported: Path, tmp_path: Path) -> Path:
    root = tmp_path / "frus"
    shutil.copytree(imported, root)
    return root


def doc_files(root: Path) -> dict[int, Path]:
    """Document files by their number, read from the `n:` line of each file."""
    out = {}
    for path in sorted((root / "documents").glob("*.md")):
        m = re.search(r"^n: (\d+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
        assert m, path
        out[int(m.group(1))] = path
    return out


def line_of(path: Path, pattern: str) -> int:
    """1-based line of the first line matching `pattern` in the file."""
    for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if re.search(pattern, line):
            return i
    raise AssertionError(f"{pattern!r} not in {path}")


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def only(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, problems
    return found[0]


def test_the_imported_volume_is_clean(imported):
    assert check_project(imported) == []
    assert run(["check", str(imported), "-q"]) is None  # exit status 0


def test_duplicate_number_names_file_and_line_of_n(proj):
    files = doc_files(proj)
    edit(files[5], "\nn: 5\n", "\nn: 4\n")
    problems = check_project(proj)
    dup = only(problems, "number-duplicate")
    later = max(files[4], files[5], key=str)
    earlier = min(files[4], files[5], key=str)
    assert (dup.file, dup.line) == (str(later), line_of(later, r"^n: 4$"))
    assert dup.message == f"number 4 is also the number of {earlier}"
    # 5 is now missing too
    gap = only(problems, "number-gap")
    assert (gap.file, gap.line) == (str(files[6]), line_of(files[6], r"^n: 6$"))
    assert gap.message == "number 6 follows 4: 5 missing from the numbering"
    with pytest.raises(SystemExit) as exit_:
        run(["check", str(proj), "-q"])
    assert exit_.value.code == 3  # done, errors found


def test_gap_in_numbering(proj):
    files = doc_files(proj)
    files[50].unlink()
    files[51].unlink()
    problems = check_project(proj)
    assert errors(problems) == [only(problems, "number-gap")]
    gap = only(problems, "number-gap")
    assert (gap.file, gap.line) == (str(files[52]), line_of(files[52], r"^n: 52$"))
    assert gap.message == "number 52 follows 49: 50–51 missing from the numbering"


def test_unresolved_person_reference_names_the_line_of_the_mark(proj):
    files = doc_files(proj)
    path = files[1]
    body_mark = "Mr.[Kennedy]{person}"
    edit(path, body_mark, "Mr.[Kennedy]{person=p_NOBODY1}")
    problems = check_project(proj)
    ref = only(problems, "ref-unresolved")
    assert (ref.file, ref.line) == (str(path), line_of(path, r"\{person=p_NOBODY1\}"))
    assert ref.message == "[Kennedy]{person=p_NOBODY1}: no entry 'p_NOBODY1' in registers/persons.yaml"
    # in the heading, the finding names the heading's line
    edit(path, "{person=p_KNS2}", "{person=p_GONE2}")
    heading = [p for p in check_project(proj) if "p_GONE2" in p.message]
    assert [(p.file, p.line) for p in heading] == [(str(path), line_of(path, r"^heading:"))]


def test_orphan_notes_both_ways(proj):
    files = doc_files(proj)
    path = files[1]
    definition = next(ln for ln in path.read_text(encoding="utf-8").split("\n") if ln.startswith("[^1]: "))
    edit(path, definition + "\n", "[^99]: A note nothing refers to.\n")
    problems = check_project(proj)
    undefined = only(problems, "note-undefined")
    assert (undefined.file, undefined.line) == (str(path), line_of(path, r"\[\^1\]"))
    assert undefined.message == "note reference [^1] has no note [^1]: in this document"
    orphan = only(problems, "note-orphan")
    assert (orphan.file, orphan.line) == (str(path), line_of(path, r"^\[\^99\]: "))
    assert orphan.message == "note [^99] is never referenced in the text"


def test_impossible_date_is_reported_with_its_line(proj):
    files = doc_files(proj)
    path = files[118]
    text = path.read_text(encoding="utf-8")
    m = re.search(r"^  from: '(\d{4}-\d{2}-\d{2})'$", text, re.MULTILINE)
    assert m
    edit(path, f"from: '{m.group(1)}'", "from: '1963-11-31'")
    problems = check_project(proj)
    bad = only(problems, "rejected")
    assert bad.file == str(path)
    assert bad.line == line_of(path, r"^date:")
    assert bad.message == "date.from: '1963-11-31' does not exist"
    # the rejected document no longer counts: its number is missing from the sequence
    assert only(problems, "number-gap").message == "number 119 follows 117: 118 missing from the numbering"


def test_dateline_year_must_agree_with_the_date(proj):
    files = doc_files(proj)
    path = files[5]
    edit(path, "dateline: Washington, February 13, 1961.", "dateline: Washington, February 13, 1962.")
    problem = only(check_project(proj), "dateline-year")
    assert (problem.file, problem.line) == (str(path), line_of(path, r"^dateline:"))
    assert problem.message == "dateline 'Washington, February 13, 1962.' names 1962, but the date is 1961-02-13"
    edit(path, "February 13, 1962.", "February 15, 1961.")
    problem = only(check_project(proj), "dateline-date")
    assert problem.message == "dateline 'Washington, February 15, 1961.' reads 1961-02-15, but the date is 1961-02-13"


def test_registers_chapters_and_images(proj):
    persons = proj / "registers" / "persons.yaml"
    with persons.open("a", encoding="utf-8") as fh:
        fh.write("- id: p_KNS9\n  name: Khrushchev, Nikita S.\n  status: proposed\n"
                 "- id: p_KHRUSHCHOV\n  name: Khrushchov, N. S.\n  see: p_NOWHERE\n")
    files = doc_files(proj)
    path = files[2]
    edit(path, "chapter: comp1", "chapter: comp9")
    edit(path, "\nchapter:", "\nillustrations:\n- file: photos/kennedy.jpg\n  caption: Kennedy\nchapter:")
    problems = check_project(proj)
    twice = only(problems, "name-twice")
    assert (twice.file, twice.line) == (str(persons), _last_line(persons, r"^  name: Khrushchev, Nikita S\.$"))
    first = line_of(persons, r"^  name: Khrushchev, Nikita S\.$")
    assert twice.message == f"'Khrushchev, Nikita S.' proposed twice (see line {first})"
    assert twice.severity == "warning"
    see = only(problems, "see-unresolved")
    assert (see.file, see.line) == (str(persons), line_of(persons, r"^  see: p_NOWHERE$"))
    chapter = only(problems, "chapter-unknown")
    assert (chapter.file, chapter.line) == (str(path), line_of(path, r"^chapter: comp9$"))
    image = only(problems, "image-missing")
    assert (image.file, image.line) == (str(path), line_of(path, r"^- file: photos/kennedy.jpg$"))
    assert image.message == "illustration 'photos/kennedy.jpg' is not in images/"
    # once the image is there and the chapter listed, those findings go
    (proj / "images" / "photos").mkdir()
    (proj / "images" / "photos" / "kennedy.jpg").write_bytes(b"\xff\xd8\xff")
    meta = project.read_metadata(proj)
    meta.chapters.append(type(meta.chapters[0])(id="comp9", title="Added"))
    project.write_metadata(proj, meta)
    codes = {p.code for p in check_project(proj)}
    assert "image-missing" not in codes and "chapter-unknown" not in codes


def test_register_id_used_twice_comes_from_the_register_reader(proj):
    persons = proj / "registers" / "persons.yaml"
    with persons.open("a", encoding="utf-8") as fh:
        fh.write("- id: p_KNS2\n  name: Хрущёв Н. С.\n")
    problems = check_project(proj)
    twice = [p for p in problems if "used twice" in p.message]
    assert [(p.file, p.line, p.severity) for p in twice] == [(str(persons), _last_line(persons, r"^- id: p_KNS2$"),
                                                             "error")]


def _last_line(path: Path, pattern: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return max(i for i, line in enumerate(lines, start=1) if re.search(pattern, line))


def test_findings_are_sorted_and_deterministic(proj):
    files = doc_files(proj)
    edit(files[5], "\nn: 5\n", "\nn: 4\n")
    edit(files[1], "Mr.[Kennedy]{person}", "Mr.[Kennedy]{person=p_NOBODY1}")
    first = check_project(proj)
    assert first == check_project(proj)
    assert first == sorted(first, key=lambda p: (p.file, p.line, p.severity, p.message))
