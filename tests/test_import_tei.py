"""The FRUS TEI reader on the real volume (FRUS 1961-63 vol. VI), and `dossier import` end to end.

Expected values come from the TEI itself (its @n, its frus:doc-dateTime attributes, its tagging),
read here with plain lxml, independently of the reader.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import FRUS
from dossier import markup, project
from dossier.cli import run
from dossier.compile.edition import compile_edition
from dossier.ingest import registry, tei
from dossier.ingest.registry import ImportOptions, ImportResult
from dossier.model import Document
from dossier.report import DossierError, Report

T = "{http://www.tei-c.org/ns/1.0}"
FRUS_NS = "{http://history.state.gov/frus/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
# Elements that separate words in print (a reader sees a line or paragraph break there).
SEPARATE = {"p", "head", "item", "label", "list", "closer", "signed", "note", "lb", "row", "cell", "table",
            "dateline", "salute", "byline", "ab"}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def tree() -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.parse(str(FRUS), parser)


@pytest.fixture(scope="module")
def divs(tree: etree._ElementTree) -> dict[str, etree._Element]:
    return {d.get(XML_ID): d for d in tree.getroot().iter(f"{T}div") if d.get("type") == "document"}


@pytest.fixture(scope="module")
def result() -> tuple[ImportResult, Report]:
    report = Report()
    return tei.read(FRUS, ImportOptions(), report), report


@pytest.fixture(scope="module")
def docs(result: tuple[ImportResult, Report]) -> dict[str, Document]:
    return {d.id: d for d in result[0].documents}


# --- reference text, from lxml alone ---------------------------------------------------------------


def _text_of(el: etree._Element) -> str:
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            name = etree.QName(child).localname
            inner = _text_of(child)
            out.append(f" {inner} " if name in SEPARATE else inner)
        out.append(child.tail or "")
    return "".join(out)


def _remove_keep_tail(el: etree._Element) -> None:
    parent, prev = el.getparent(), el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def reference_body(div: etree._Element) -> str:
    """The document's text after head and dateline, its footnotes moved to the end, in order."""
    d = copy.deepcopy(div)
    for name in ("head", "dateline"):
        first = d.find(f"{T}{name}")
        if first is not None:
            _remove_keep_tail(first)
    notes = [n for n in d.iter(f"{T}note")]
    texts = [_text_of(n) for n in notes]
    for n in notes:
        _remove_keep_tail(n)
    return norm(_text_of(d) + " " + " ".join(texts))


# --- the reader ------------------------------------------------------------------------------------


def test_registry_picks_the_tei_reader() -> None:
    assert registry.choose(FRUS).name == "tei"
    assert tei.score(FRUS) > 0.5


def test_every_document_with_its_number(result: tuple[ImportResult, Report], divs: dict) -> None:
    res, report = result
    assert not report.problems
    assert len(res.documents) == len(divs) == 120
    assert [d.id for d in res.documents] == list(divs)
    for d in res.documents:
        assert d.n == int(divs[d.id].get("n"))
        assert d.chapter == "comp1"
    assert [c.id for c in res.metadata.chapters] == ["comp1"]
    assert res.metadata.chapters[0].title == "Kennedy-Khrushchev Exchanges"


def test_dates_from_the_frus_attributes(docs: dict[str, Document], divs: dict) -> None:
    for doc_id, div in divs.items():
        d = docs[doc_id].date
        assert d.start == div.get(f"{FRUS_NS}doc-dateTime-min")[:10]
        assert d.end == div.get(f"{FRUS_NS}doc-dateTime-max")[:10]
        # no interval in this volume is a whole calendar month or year: a day, or a span of days
        assert d.precision == "day"
        date_el = div.find(f"{T}dateline/{T}date")
        if date_el is not None:
            assert d.text == norm("".join(date_el.itertext()))
    # an undated message, dated by the editors from its content: an interval, marked inferred
    d30 = docs["d30"].date
    assert (d30.start, d30.end, d30.text, d30.inferred) == ("1961-12-30", "1962-01-18", "undated", True)


def test_precision_rules() -> None:
    assert tei.precision_of("1963-11-24", "1963-11-24") == "day"
    assert tei.precision_of("1963-11-01", "1963-11-30") == "month"
    assert tei.precision_of("1964-02-01", "1964-02-29") == "month"
    assert tei.precision_of("1963-01-01", "1963-12-31") == "year"
    assert tei.precision_of("1963-11-01", "1963-11-29") == "day"


def test_the_last_documents_and_their_correspondents(docs: dict[str, Document]) -> None:
    d118, d119, d120 = docs["d118"], docs["d119"], docs["d120"]
    assert (d118.n, d119.n, d120.n) == (118, 119, 120)
    assert d118.type == "telegram"
    assert d118.authors == ["Embassy in the Soviet Union"] and d118.addressees == ["Department of State"]
    assert d119.type == "letter" and d119.authors == ["Khrushchev"] and d119.addressees == ["Johnson"]
    assert d119.date.start == "1963-11-24" and d119.place == "Moscow"
    assert d120.authors == ["Jacqueline Kennedy"] and d120.addressees == ["Khrushchev"]
    assert d120.date.start == "1963-12-01" and d120.dateline == "Washington, December 1, 1963."
    # a name joined by 'and' to a typed sender is a sender too
    assert docs["d3"].authors == ["Khrushchev", "Brezhnev"]


def test_headings_types_and_sources(docs: dict[str, Document], divs: dict) -> None:
    for doc_id, div in divs.items():
        doc = docs[doc_id]
        head = copy.deepcopy(div.find(f"{T}head"))
        src = head.find(f".//{T}note[@type='source']")
        src_text = norm("".join(src.itertext())) if src is not None else ""
        if src is not None:
            _remove_keep_tail(src)
        printed = norm("".join(head.itertext()))
        assert printed.startswith(f"{div.get('n')}. ")
        assert norm(markup.plain_text(doc.heading)) == printed[len(div.get("n")) + 2:]
        assert norm(markup.plain_text(doc.source)) == src_text
        assert doc.subtype == div.get("subtype")
        assert doc.type and doc.type == doc.type.lower()
        assert printed[len(div.get("n")) + 2:].lower().startswith(doc.type)
    assert docs["d1"].heading.startswith("Message From Chairman [Khrushchev]{person=p_KNS2} to")
    assert docs["d1"].source.startswith("Source:")
    assert docs["d20"].type == "editorial note"
    assert docs["d116"].type == "memorandum of conversation"
    assert docs["d91"].type == "oral statement"


def test_text_is_verbatim(docs: dict[str, Document], divs: dict) -> None:
    for doc_id, div in divs.items():
        assert norm(markup.plain_text(docs[doc_id].body)) == reference_body(div), doc_id


def test_body_markup(docs: dict[str, Document], divs: dict) -> None:
    for doc_id, div in divs.items():
        blocks = markup.parse(docs[doc_id].body)
        footnotes = [n.get("n") for n in div.iter(f"{T}note") if n.get("type") != "source"]
        labels = [b.label for b in blocks if b.kind == "note"]
        assert [lab for lab, _ in markup.note_refs(blocks)] == labels
        assert len(set(labels)) == len(labels) == len(footnotes)
        if len(set(footnotes)) == len(footnotes):
            assert labels == footnotes
        closers = div.findall(f"{T}closer")
        assert len([b for b in blocks if b.kind == "div" and b.label == "closer"]) == len(closers)
    d3 = docs["d3"].body
    assert "::: closer\n[**N. Khrushchev**]{person=p_KNS2}\\\n*Chairman of the Council of Ministers" in d3
    assert "## SUBJECT" in docs["d116"].body
    assert "(*stremleniye*)" in docs["d118"].body
    # FRUS prints note 1 twice in document 75 (ids d75fn1, d75fn2): the second keeps its id's number
    assert [b.label for b in markup.parse(docs["d75"].body) if b.kind == "note"] == ["1", "2"]


def test_mentions_kept(docs: dict[str, Document], divs: dict, result: tuple[ImportResult, Report]) -> None:
    """Every persName/@corresp inside a document becomes a person mark with that ref, and so on."""
    def marks(kind: str) -> list[str | None]:
        found = []
        for d in docs.values():
            for s in (d.heading, d.source, d.body):
                found += [m.ref for m in markup.mentions(s) if m.kind == kind]
        return found

    persons = [p for div in divs.values() for p in div.iter(f"{T}persName")]
    with_ref = sorted(p.get("corresp").lstrip("#") for p in persons if p.get("corresp"))
    assert sorted(r for r in marks("person") if r) == with_ref
    assert len(with_ref) == 996
    assert len(marks("person")) == len(persons)
    glosses = sorted(g.get("target").lstrip("#") for div in divs.values() for g in div.iter(f"{T}gloss")
                     if g.get("target"))
    assert sorted(r for r in marks("term") if r) == glosses
    registers = result[0].registers
    assert set(with_ref) <= {e.id for e in registers.persons}
    assert set(glosses) <= {a.id for a in registers.abbreviations}


def test_pages(docs: dict[str, Document], divs: dict) -> None:
    for doc_id, div in divs.items():
        pages = docs[doc_id].extra["pages"]
        inside = [int(pb.get("n")) for pb in div.iter(f"{T}pb")]
        assert set(inside) <= set(pages)
        assert pages == sorted(pages) and len(pages) <= len(inside) + 1
    assert docs["d118"].extra["pages"] == [309, 310, 311]
    assert docs["d1"].extra["pages"] == [1]


def test_registers(result: tuple[ImportResult, Report], tree: etree._ElementTree) -> None:
    regs = result[0].registers
    listed = tree.getroot().xpath("//t:div[@xml:id='persons']//t:persName[@xml:id]", namespaces=NS)
    assert len(regs.persons) == len(listed) == 58
    assert [e.id for e in regs.persons] == [p.get(XML_ID) for p in listed]
    assert all(e.kind == "person" and e.status == "accepted" and e.description for e in regs.persons)
    by_id = {e.id: e for e in regs.persons}
    assert by_id["p_AK3"].name == "Adenauer, Conrad"
    assert by_id["p_AK3"].description == "Chancellor of the Federal Republic of Germany until October 1963"
    assert by_id["p_AAI1"].name == "Adzhubei, Aleksei I."
    terms = tree.getroot().xpath("//t:div[@xml:id='terms']//t:term[@xml:id]", namespaces=NS)
    assert len(regs.abbreviations) == len(terms) == 19
    assert [(a.id, a.abbr) for a in regs.abbreviations] == [(t.get(XML_ID), t.text) for t in terms]
    usa = {a.abbr: a.expansion for a in regs.abbreviations}
    assert usa["TASS"] == "Telegrafnoye Agentsvo Sovetskogo Soiuza (Telegraph Agency of the Soviet Union)"


def test_metadata(result: tuple[ImportResult, Report]) -> None:
    meta = result[0].metadata
    assert meta.title == "Kennedy-Khrushchev Exchanges"
    assert meta.series == "Foreign Relations of the United States, 1961–1963" and meta.volume == "Volume VI"
    assert meta.editors == [{"name": "Charles S. Sampson", "role": "editor"},
                            {"name": "Glenn W. LaFantasie", "role": "general editor"}]
    assert (meta.publisher, meta.place, meta.year) == ("United States Government Printing Office", "Washington", "1996")
    assert meta.identifier == "frus1961-63v06" and meta.style == "frus" and meta.languages == ["en"]
    assert "public domain" in meta.source and "HistoryAtState/frus" in meta.source


def test_deterministic(docs: dict[str, Document]) -> None:
    again = tei.read(FRUS, ImportOptions(), Report())
    assert [project.format_document(d) for d in again.documents] == [project.format_document(d)
                                                                      for d in docs.values()]


# --- safety and errors -----------------------------------------------------------------------------

SMALL = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">
<teiHeader><fileDesc><titleStmt><title>Test</title></titleStmt></fileDesc></teiHeader>
<text><body><div type="compilation" xml:id="c1"><head>Part one</head>
<div type="document" xml:id="d1" n="1"><head>1. Letter From <persName type="from">A</persName></head>
<p>Before {inside} after [1] *star* \\back.</p>
</div></div></body></text></TEI>
"""


def test_malformed_xml_is_one_line_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(SMALL.format(doctype="", inside="<hi>open").replace("</p>", "</p>", 1), encoding="utf-8")
    assert registry.choose(bad).name == "tei"
    with pytest.raises(DossierError) as err:
        tei.read(bad, ImportOptions(), Report())
    problem = err.value.problem
    assert problem.file == str(bad) and problem.line == 6
    assert "\n" not in str(err.value) and "not well-formed XML" in problem.message


def test_not_tei(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text("<root><p>x</p></root>", encoding="utf-8")
    assert tei.score(other) < 0.1
    with pytest.raises(DossierError, match="not TEI"):
        tei.read(other, ImportOptions(), Report())


def test_xinclude_and_entities_are_never_resolved(tmp_path: Path) -> None:
    (tmp_path / "secret.xml").write_text("<p xmlns='http://www.tei-c.org/ns/1.0'>SECRET-INCLUDED</p>",
                                         encoding="utf-8")
    (tmp_path / "secret.txt").write_text("SECRET-ENTITY", encoding="utf-8")
    doctype = '<!DOCTYPE TEI [<!ENTITY leak SYSTEM "secret.txt">]>\n'
    src = tmp_path / "inc.xml"
    src.write_text(SMALL.format(doctype=doctype, inside='<xi:include href="secret.xml"/>&leak;'),
                   encoding="utf-8")
    res = tei.read(src, ImportOptions(), Report())
    doc = res.documents[0]
    assert "SECRET" not in doc.body
    assert "Before" in doc.body and "after" in doc.body


def test_literal_text_is_escaped(tmp_path: Path) -> None:
    src = tmp_path / "esc.xml"
    src.write_text(SMALL.format(doctype="", inside=""), encoding="utf-8")
    doc = tei.read(src, ImportOptions(), Report()).documents[0]
    assert markup.plain_text(doc.body) == "Before after [1] *star* \\back."
    assert doc.heading == "Letter From [A]{person}" and doc.authors == ["A"] and doc.type == "letter"
    assert doc.chapter == "c1" and doc.date.is_undated


# --- the CLI end to end ------------------------------------------------------------------------------


def test_cli_import_then_reimport_rejects(tmp_path: Path, docs: dict[str, Document]) -> None:
    into = tmp_path / "kk"
    run(["import", str(FRUS), "--into", str(into), "-q"])
    files = sorted((into / "documents").glob("*.md"))
    assert len(files) == 120
    persons = (into / "registers" / "persons.yaml").read_text(encoding="utf-8")
    assert persons.count("\n- id: ") == 58
    report = Report()
    edition = project.load_project(into, report)
    assert not report.problems
    assert len(edition.registers.persons) == 58 and len(edition.registers.abbreviations) == 19
    assert edition.meta.title == "Kennedy-Khrushchev Exchanges"
    for doc in edition.documents:
        original = docs[doc.id]
        assert (doc.body, doc.heading, doc.date, doc.n, doc.source) == (
            original.body, original.heading, original.date, original.n, original.source)
    compiled = compile_edition(edition, report)
    assert not report.errors
    assert len(compiled.documents) == 120
    before = {f.name: f.read_bytes() for f in files}
    with pytest.raises(SystemExit) as exit_:
        run(["import", str(FRUS), "--into", str(into), "-q"])
    assert exit_.value.code == 3
    assert {f.name: f.read_bytes() for f in sorted((into / "documents").glob("*.md"))} == before
    rep = json.loads((into / "import-report.json").read_text(encoding="utf-8"))
    assert rep["documents_rejected"] == 120 and rep["documents_written"] == 0
    assert "--force" in rep["rejected"][0]["reason"]


# --- the bundled example -----------------------------------------------------------------------------


def test_bundled_example_is_what_the_script_makes(tmp_path: Path) -> None:
    """examples/kennedy-khrushchev/ is reproducible: regenerated, it is byte-identical; and it compiles."""
    import importlib.util

    script = Path(__file__).resolve().parents[1] / "scripts" / "make_example.py"
    spec = importlib.util.spec_from_file_location("make_example", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "kk"
    assert module.main(["--frus", str(FRUS), "--out", str(out)]) == 0
    bundled = module.DEFAULT_OUT
    made = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert made == sorted(p.relative_to(bundled) for p in bundled.rglob("*") if p.is_file())
    for rel in made:
        assert (out / rel).read_bytes() == (bundled / rel).read_bytes(), rel
    report = Report()
    edition = project.load_project(bundled, report)
    compiled = compile_edition(edition, report)
    assert not report.errors
    frus_numbers = [d.extra["frus"]["n"] for d in compiled.documents]
    assert [d.n for d in compiled.documents] == list(range(1, len(frus_numbers) + 1))
    assert {118, 119, 120} <= set(frus_numbers) and 20 <= len(frus_numbers) <= 30
    assert "public domain" in edition.meta.source and "HistoryAtState/frus" in edition.meta.source
    marked = {m.ref for d in edition.documents for s in (d.heading, d.source, d.body)
              for m in markup.mentions(s) if m.ref and m.kind == "person"}
    assert {e.id for e in edition.registers.persons} == marked


def test_a_tei_file_without_document_divs_is_one_document() -> None:
    """The fallback for TEI letters: body as one document, correspondents and date from correspDesc."""
    letter = FRUS.parent / "tolstoy-letters" / "v59_002_RektoruKazanskogouniversiteta.xml"
    assert registry.choose(letter).name == "tei"
    res = tei.read(letter, ImportOptions(), Report())
    [doc] = res.documents
    assert doc.id == letter.stem and doc.language == "ru"
    assert (doc.date.start, doc.place) == ("1844-08-03", "Казань")
    assert doc.authors == ["Л. Н. Толстой"] and doc.addressees == ["Лобачевский Николай Иванович"]
    text = markup.plain_text(doc.body)
    # one reading of each choice (the regularised one), never both
    assert "Императорского Казанского университета" in text and "Императорскаго" not in text
    assert any(m.ref == "7974" for m in markup.mentions(doc.body))
    assert res.metadata.style == "soviet" and res.metadata.languages == ["ru"]
    assert "public domain" not in res.metadata.source
