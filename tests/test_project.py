"""The project folder: created, read and written back, with one-line problems that name file and line."""

import pytest

from dossier import markup, project
from dossier.model import DateRange, Document, ModelError, RegisterEntry, Registers
from dossier.report import DossierError, Report

# Text of FRUS 1961-63 vol. VI, document 118 (public domain), as the reader of the printed volume has it.
FRUS_118 = ("Dear Mr. President, It was with deep sorrow that I learned of the tragic death of President "
            "John F. Kennedy, an outstanding statesman of the United States of America.")


def test_new_project_has_the_documented_layout(tmp_path):
    root = tmp_path / "kennedy-1963"
    project.new_project(root, "Kennedy 1963", "soviet", ["ru"])
    for name in ("dossier.toml", "documents", "registers/persons.yaml", "registers/places.yaml",
                 "registers/organizations.yaml", "registers/abbreviations.yaml", "images", "appendix", "README.md"):
        assert (root / name).exists(), name
    meta = project.read_metadata(root)
    assert (meta.title, meta.style, meta.languages) == ("Kennedy 1963", "soviet", ["ru"])
    with pytest.raises(DossierError, match="already exists"):
        project.new_project(root, "again")


def test_document_round_trip_keeps_every_field(tmp_path):
    project.new_project(tmp_path, "t")
    doc = Document(id="d118", n=118, heading="Message From Chairman [Khrushchev]{person=p_KNS2} to President Johnson",
                   type="message", date=DateRange("1963-11-24", "1963-11-24", "day", "November 24, 1963"),
                   dateline="Moscow, November 24, 1963.", place="Moscow", authors=["Khrushchev"],
                   addressees=["Johnson"], language="en", chapter="comp1", source="Source: Department of State.",
                   body=markup.escape(FRUS_118) + "[^1]\n\n[^1]: Printed from a copy.\n")
    project.write_document(tmp_path, doc)
    back = project.read_document(tmp_path / "documents" / "d118.md")
    for field in ("id", "n", "heading", "type", "date", "dateline", "place", "authors", "addressees", "language",
                  "chapter", "source", "body"):
        assert getattr(back, field) == getattr(doc, field), field
    assert markup.plain_text(back.body).startswith(FRUS_118)
    # writing is deterministic
    first = (tmp_path / "documents" / "d118.md").read_bytes()
    project.write_document(tmp_path, back)
    assert (tmp_path / "documents" / "d118.md").read_bytes() == first


@pytest.mark.parametrize("front, line, message", [
    ("n: 1\ndate:\n  from: 1963-11-31\n", 3, "does not exist"),
    ("n: one\n", 2, "not a whole number"),
    ("n: 1\ndate: {from: 1963-11-25, to: 1963-11-23}\n", 3, "before"),
    ("n: [1\n", 0, "YAML syntax error"),
])
def test_bad_front_matter_names_file_and_line(tmp_path, front, line, message):
    path = tmp_path / "017.md"
    path.write_text(f"---\n{front}---\n\n{FRUS_118}\n", encoding="utf-8")
    with pytest.raises(DossierError) as err:
        project.read_document(path)
    assert message in err.value.problem.message
    assert err.value.problem.file == str(path)
    if line:
        assert err.value.problem.line == line
    assert "\n" not in str(err.value)


def test_body_markup_error_gives_the_file_line(tmp_path):
    path = tmp_path / "d1.md"
    path.write_text(f"---\nn: 1\n---\n\n{FRUS_118}\n\n[Kennedy]{{persn=x}}\n", encoding="utf-8")
    with pytest.raises(DossierError) as err:
        project.read_document(path)
    assert err.value.problem.line == 7


def test_load_project_rejects_bad_files_and_keeps_the_rest(tmp_path):
    project.new_project(tmp_path, "t")
    project.write_document(tmp_path, Document(id="d1", n=1, body=markup.escape(FRUS_118)))
    (tmp_path / "documents" / "d2.md").write_text("no front matter\n", encoding="utf-8")
    (tmp_path / "documents" / "d3.md").write_bytes("---\nn: 3\n---\n\nХрущёв\n".encode("cp1251"))
    report = Report()
    edition = project.load_project(tmp_path, report)
    assert [d.id for d in edition.documents] == ["d1"]
    assert {r["document"] for r in report.rejected} == {"d2", "d3"}
    assert len(report.inputs) == len(edition.documents) + len(report.rejected)


def test_registers_round_trip_and_report_bad_entries(tmp_path):
    project.new_project(tmp_path, "t")
    regs = Registers(persons=[RegisterEntry("p_KNS2", "person", "Khrushchev, Nikita S.",
                                            variants=["Хрущёв Н. С.", "Khrushchov"],
                                            description="Chairman of the Council of Ministers of the USSR")])
    project.write_registers(tmp_path, regs)
    report = Report()
    back = project.read_registers(tmp_path, report)
    assert back.persons[0].name == "Khrushchev, Nikita S." and back.persons[0].variants == ["Хрущёв Н. С.", "Khrushchov"]
    assert not report.problems
    (tmp_path / "registers" / "persons.yaml").write_text(
        "- id: p1\n  name: Kennedy, John F.\n- id: p1\n  name: Kennedy, Robert F.\n- id: p2\n  status: maybe\n"
        "  name: Rusk, Dean\n", encoding="utf-8")
    report = Report()
    back = project.read_registers(tmp_path, report)
    assert [e.id for e in back.persons] == ["p1"]
    assert [(p.line, "twice" in p.message or "status" in p.message) for p in report.errors] == [(3, True), (5, True)]
    (tmp_path / "registers" / "persons.yaml").write_text("- id: p1\n  name: [unclosed\n", encoding="utf-8")
    report = Report()
    project.read_registers(tmp_path, report)
    assert report.errors and report.errors[0].line == 3


def test_model_rejects_impossible_values():
    with pytest.raises(ModelError):
        DateRange("1963-02-30", "1963-02-30", "day")
    with pytest.raises(ModelError):
        Document(id="has space")
    assert Document(id="017").id == "017"


def test_register_fields_take_one_value_or_a_list_and_refuse_nonsense(tmp_path):
    project.new_project(tmp_path, "t")
    (tmp_path / "registers" / "persons.yaml").write_text(
        "- id: p1\n  name: Khrushchev, Nikita S.\n  variants: Chruschtschow\n  born: 1894\n"
        "- id: p2\n  name: Rusk, Dean\n  variants: {a: 1}\n", encoding="utf-8")
    report = Report()
    regs = project.read_registers(tmp_path, report)
    assert [(e.id, e.variants, e.born) for e in regs.persons] == [("p1", ["Chruschtschow"], "1894")]
    assert len(report.errors) == 1 and report.errors[0].line == 5 and "variants" in report.errors[0].message
