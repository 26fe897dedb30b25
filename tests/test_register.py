"""`dossier register merge / split / accept` refuse what would do nothing or harm, in one line naming
the register file, and change no file then. On the bundled example (examples/kennedy-khrushchev)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dossier.cli import run
from dossier.examples import example_project


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "kk"
    shutil.copytree(example_project(), root)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def fails(root: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run `dossier register ARGS`; it must exit 1 with one line on stderr and leave every file as it was."""
    before = snapshot(root)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        run(["register", args[0], str(root), *args[1:]])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert snapshot(root) == before
    return err.strip()


def test_split_by_a_form_no_mark_has_fails(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    persons = proj / "registers" / "persons.yaml"
    err = fails(proj, ["split", "p_KNS2", "Nonexistent Form", "--id", "NEW"], capsys)
    assert err.startswith(f"{persons}:") and "no mark of p_KNS2 is written 'Nonexistent Form'" in err


def test_merge_into_itself_fails(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    persons = proj / "registers" / "persons.yaml"
    err = fails(proj, ["merge", "p_KNS2", "p_KNS2"], capsys)
    assert err.startswith(f"{persons}:") and "cannot merge p_KNS2 into itself" in err


def test_unknown_ids_fail_in_one_line(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    persons = proj / "registers" / "persons.yaml"
    err = fails(proj, ["merge", "p_KNS2", "p_NOBODY"], capsys)
    assert err.startswith(f"{persons}:") and "no entry 'p_NOBODY' in persons.yaml" in err
    assert "no entry 'p_NOBODY'" in fails(proj, ["merge", "p_NOBODY", "p_KNS2"], capsys)
    assert "no entry 'p_NOBODY'" in fails(proj, ["split", "p_NOBODY", "Khrushchev", "--id", "NEW"], capsys)
    assert "no entry 'p_NOBODY'" in fails(proj, ["accept", "p_KNS2", "p_NOBODY"], capsys)
    # a new id that is taken names the entry that holds it
    err = fails(proj, ["split", "p_KNS2", "Khrushchev", "--id", "p_KJF2"], capsys)
    assert err.startswith(f"{persons}:") and "an entry 'p_KJF2' exists already" in err


def test_split_by_a_form_the_marks_have_still_works(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["register", "split", str(proj), "p_KNS2", "Khrushchev", "--id", "p_NEW", "-q"])
    text = "".join(p.read_text(encoding="utf-8") for p in (proj / "documents").glob("*.md"))
    assert "[Khrushchev]{person=p_NEW}" in text and "[Khrushchev]{person=p_KNS2}" not in text
