"""A whole dossier's printed apparatus comes into the registers when its PDF is imported.

The PDF is the bundled example built to its print edition (`print_fixture`): its index of names
(two columns, entries over several lines, `Khrushchev, Nikita S., Chairman of ..., 1 (1), 2 (1)`:
document numbers with their pages), index of places and list of abbreviations (a table the text layer
gives column by column). The gold is the example project: the index its build prints, and its
abbreviations.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from dossier import markup, project
from dossier.compile.edition import compile_edition
from dossier.enrich.annotate import annotate_project
from dossier.ingest.importer import import_files
from dossier.model import RegisterEntry
from dossier.report import Report
from dossier.text_utils import name_key
from print_fixture import example_print


def _quiet(items, label, total=None):  # noqa: ANN001, ANN202 - the importer's progress hook
    return iter(items)


def _gold_index(source: Path) -> dict[str, dict[str, set[int]]]:
    """The index the example's build prints: kind -> name key -> document numbers."""
    report = Report()
    compiled = compile_edition(project.load_project(source, report), report)
    numbers = {d.id: d.n for d in compiled.documents}
    return {kind: {name_key(e.name): {numbers[i] for i in e.documents} for e in compiled.index[kind]
                   if e.documents and not e.see}
            for kind in ("person", "place")}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    source, edition_pdf = example_print()
    into = tmp_path_factory.mktemp("apparatus") / "imported"
    report = Report()
    summary = import_files([edition_pdf], into, "", False, report, _quiet)
    return {"source": source, "pdf": edition_pdf, "into": into, "report": report, "summary": summary,
            "registers": project.read_registers(into, Report())}


def test_printed_indices_become_proposed_register_entries(imported):
    gold = _gold_index(imported["source"])
    regs = imported["registers"]
    for kind, entries in (("person", regs.persons), ("place", regs.places)):
        got = {name_key(e.name): e for e in entries}
        found = [k for k in gold[kind] if k in got]
        assert len(found) >= 0.95 * len(gold[kind]), (kind, sorted(set(gold[kind]) - set(got)))
        assert len(entries) == len(got)  # no name twice
        right = 0
        for k in found:
            e = got[k]
            assert e.status == "proposed" and e.extra["printed_index"] and e.evidence
            numbers = {int(i.rsplit("-", 1)[1]) for i in e.extra.get("documents", [])}
            right += numbers == gold[kind][k]
        assert right >= 0.95 * len(found), (kind, right, len(found))
    kh = next(e for e in regs.persons if e.name == "Khrushchev, Nikita S.")
    assert kh.description == "Chairman of the Council of Ministers of the Soviet Union"
    assert len(kh.extra["documents"]) == 25
    # a year in a description is not a document number, a running head is no entry
    ken = next(e for e in regs.persons if e.name == "Kennedy, John F.")
    assert "until November 22, 1963" in ken.description and len(ken.extra["documents"]) == 21
    assert not any("INDEX" in e.name for e in regs.places)
    stats = imported["report"].stats["apparatus"]["registers"]
    assert stats["person"]["added"] == len(regs.persons) and stats["place"]["added"] == len(regs.places)
    assert f"{len(regs.persons) + len(regs.places)} index entries" in imported["summary"]


def test_the_list_of_abbreviations_set_as_a_table(imported):
    want = {a.abbr: a.expansion for a in project.read_registers(imported["source"], Report()).abbreviations}
    got = {a.abbr: a.expansion for a in imported["registers"].abbreviations}
    assert got == want and len(got) >= 5
    assert "6 abbreviations" in imported["summary"]


def test_annotate_uses_the_printed_entries(imported, tmp_path):
    into = tmp_path / "annotated"
    shutil.copytree(imported["into"], into)
    before = {e.id: e.name for e in imported["registers"].persons}
    annotate_project(into, Report())
    regs = project.read_registers(into, Report())
    after = {e.id: e for e in regs.persons}
    for eid, name in before.items():  # kept, under their printed names
        assert after[eid].name == name
    # `Khrushchev, N.`, `N. Khrushchev` and `Khrushchev` are the printed `Khrushchev, Nikita S.`
    khrushchev = [e for e in regs.persons if e.name.split(",")[0] == "Khrushchev"]  # Mrs. Khrushcheva is another
    assert [e.id for e in khrushchev] == ["p-khrushchev-nikita-s"], [e.name for e in khrushchev]
    assert "N. Khrushchev" in khrushchev[0].variants
    assert not any(e.name.startswith("Kennedy, J") for e in regs.persons if e.id not in before)
    marks = [n.ref for p in project.document_files(into)
             for n in markup.mentions(project.read_document(p).body) if n.kind == "person"]
    assert marks.count("p-khrushchev-nikita-s") >= 25


def test_an_editors_register_is_neither_changed_nor_doubled(imported, tmp_path):
    into = tmp_path / "edited"
    project.new_project(into, "Edited", "frus", ["en"])
    from dossier.model import Registers

    mine = Registers(persons=[RegisterEntry(id="p_KNS2", kind="person", name="Khrushchev, Nikita S.",
                                            description="my own words", variants=["Хрущёв Н. С."])])
    project.write_registers(into, mine)
    report = Report()
    import_files([imported["pdf"]], into, "", False, report, _quiet)
    regs = project.read_registers(into, Report())
    kh = [e for e in regs.persons if e.name == "Khrushchev, Nikita S."]
    assert len(kh) == 1 and kh[0].id == "p_KNS2" and kh[0].description == "my own words"
    assert kh[0].status == "accepted" and "printed_index" not in kh[0].extra
    printed = len(imported["registers"].persons)
    assert len(regs.persons) == printed  # the other entries added beside it
    assert any("1 already in registers/persons.yaml by name" in w.message for w in report.warnings)
    # places and abbreviations had none: all taken
    assert len(regs.places) == len(imported["registers"].places)
    text = (into / "registers" / "persons.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)[0]["id"] == "p_KNS2"
    ids = {e.id for e in regs.persons}
    assert all(e.see in ids for e in regs.persons if e.see)


def test_a_printed_see_to_an_entry_the_editor_has_points_to_the_editors_entry() -> None:
    from dossier.ingest.importer import merge_apparatus
    from dossier.model import Registers

    mine = Registers(persons=[RegisterEntry(id="p-mine", kind="person", name="Khrushchev, N. S.")])
    printed = Registers(persons=[
        RegisterEntry(id="p-khrushchev-n-s", kind="person", name="Khrushchev, N. S.", status="proposed"),
        RegisterEntry(id="p-khrushchov", kind="person", name="Khrushchov", see="p-khrushchev-n-s", status="proposed")])
    assert merge_apparatus(mine, printed, "dossier.pdf", Report()) == 1
    assert [(e.id, e.see) for e in mine.persons] == [("p-mine", ""), ("p-khrushchov", "p-mine")]
