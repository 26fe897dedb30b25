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


def test_summaries_say_one_entry_and_two_entries(proj: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    capsys.readouterr()
    run(["register", "accept", str(proj), "p_KNS2"])
    run(["register", "accept", str(proj), "p_KNS2", "p_KJF2"])
    run(["register", "split", str(proj), "p_GAA1", "Andrei A. Gromyko", "--id", "p_NEW"])
    run(["register", "split", str(proj), "p_KNS2", "N. Khrushchev", "--id", "p_NEW2"])
    assert capsys.readouterr().out.splitlines() == [
        "1 entry accepted.", "2 entries accepted.", "Split 1 mark of Andrei A. Gromyko from p_GAA1 into p_NEW.",
        "Split 2 marks of N. Khrushchev from p_KNS2 into p_NEW2."]
    monkeypatch.setenv("LANGUAGE", "ru")
    for ids in (["p_KNS2"], ["p_KNS2", "p_KJF2"], ["p_KNS2", "p_KJF2", "p_DAF1", "p_GAA1", "p_BCE2"]):
        run(["register", "reject", str(proj), *ids])
    assert capsys.readouterr().out.splitlines() == [
        "1 запись отклонена.", "2 записи отклонены.", "5 записей отклонено."]


def test_annotate_summary_plurals() -> None:
    from collections import Counter

    from dossier.enrich.annotate import Summary
    from dossier.i18n import translator

    one = Summary(proposed=Counter(person=1, place=1, org=1), marks=1, documents=1)
    assert one.line(translator("en")) == ("Proposed 1 person, 1 place, 1 organisation; 1 mention marked in "
                                          "1 document. Review registers/*.yaml.")
    many = Summary(proposed=Counter(person=2, place=5, org=21), marks=3, documents=2, kept=1, suppressed=2)
    assert many.line(translator("en")) == ("Proposed 2 persons, 5 places, 21 organisations; 3 mentions marked in "
                                           "2 documents; kept 1 of your entries, left out 2 rejected. "
                                           "Review registers/*.yaml.")
    assert many.line(translator("ru")).startswith("Предложено: 2 лица, 5 мест, 21 организация; 3 упоминания "
                                                  "отмечены в 2 документах")
