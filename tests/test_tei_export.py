"""The TEI export: valid against tei_all, text verbatim inside the document divs, marks linked to standOff.

Real data only: the FRUS 1961-63 vol. VI volume (imported with `dossier import`, scored with the
editors' own index), documents made of its plain text with marks added, and the factRuEval-2016
devset with its gold mentions marked (scored with factru.py: every mark must align with the text).
"""

from __future__ import annotations

import collections
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from conftest import FACTRU, FRUS, SHARED, TEI_RNG
from dossier import markup, project
from dossier.build import build_edition
from dossier.compile.edition import compile_edition
from dossier.model import (
    Abbreviation,
    Chapter,
    DateRange,
    Document,
    Illustration,
    RegisterEntry,
    Registers,
    SourceLegend,
)
from dossier.publish.tei import build_tei, date_attributes, is_ncname, to_bytes
from dossier.report import Report

NS = {"t": "http://www.tei-c.org/ns/1.0", "xml": "http://www.w3.org/XML/1998/namespace"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
EVAL = SHARED / "eval"


@pytest.fixture(scope="module")
def rng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(TEI_RNG)))


def assert_valid(rng: etree.RelaxNG, tree: etree._ElementTree) -> None:
    if not rng.validate(tree):
        errors = "\n".join(f"{e.line}: {e.message}" for e in list(rng.error_log)[:10])
        pytest.fail(f"TEI does not validate against tei_all:\n{errors}")


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def mark(body: str, marks: list[tuple[str, str, str | None]]) -> str:
    """Mark the first occurrence of each surface (after the previous one) in the body's plain text."""
    plain = markup.plain_text(body)
    spans, pos = [], 0
    for surface, kind, ref in marks:
        at = plain.find(surface, pos)
        assert at >= 0, surface
        spans.append(markup.Span(at, at + len(surface), kind, ref))
        pos = at + len(surface)
    out, skipped = markup.mark_spans(body, spans)
    assert not skipped
    return out


# --- a small edition from the real text of FRUS vol. VI, documents 119 and 120 ---------------------


@pytest.fixture(scope="module")
def frus_text(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("frus-text")
    subprocess.run([sys.executable, str(EVAL / "frus_index.py"), "text", str(FRUS), str(out)], check=True,
                   capture_output=True)
    return out


def paragraphs(text_file: Path) -> list[str]:
    return [p for p in text_file.read_text(encoding="utf-8").split("\n\n") if p.strip()]


@pytest.fixture(scope="module")
def small_project(tmp_path_factory: pytest.TempPathFactory, frus_text: Path) -> Path:
    root = tmp_path_factory.mktemp("small") / "kennedy-1963"
    project.new_project(root, "Kennedy–Khrushchev Exchanges, 1963")
    meta = project.read_metadata(root)
    meta.series, meta.volume = "Foreign Relations of the United States, 1961–1963", "Volume VI"
    meta.editors = [{"name": "Charles S. Sampson", "role": "editor"}, {"name": "Glenn W. LaFantasie", "role": "general editor"}]
    meta.publisher, meta.place, meta.year = "United States Government Printing Office", "Washington", "1996"
    meta.source = "FRUS 1961–1963, vol. VI (public domain)."
    meta.preface = "Documents of *November–December 1963*, after the death of [Kennedy]{person=p_KJF2}."
    meta.chapters = [Chapter("nov1963", "November–December 1963", 1)]
    project.write_metadata(root, meta)
    project.write_registers(root, Registers(
        persons=[
            RegisterEntry("p_KNS2", "person", "Khrushchev, Nikita S.", variants=["Khrushchov", "Хрущёв Н. С."],
                          description="Chairman of the Council of Ministers of the USSR", born="1894", died="1971"),
            RegisterEntry("p_KNS2_x", "person", "Khrushchov, N. S.", see="p_KNS2"),
            RegisterEntry("p_KJF2", "person", "Kennedy, John F.", description="President of the United States"),
            RegisterEntry("p_KJB1", "person", "Kennedy, Jacqueline", variants=["Jacqueline Kennedy"]),
            RegisterEntry("7_bad", "person", "Big Men", status="rejected"),
        ],
        places=[RegisterEntry("pl_moscow", "place", "Moscow")],
        organizations=[RegisterEntry("o_wh", "org", "White House")],
        abbreviations=[Abbreviation("t_USSR1", "USSR", "Union of Soviet Socialist Republics")],
    ))
    # document 120: Jacqueline Kennedy to Khrushchev, its real text, with marks, a note, emphasis, a closer
    paras = paragraphs(frus_text / "d120.txt")
    source, dateline, text = paras[1], paras[2], paras[3:]
    assert dateline == "Washington, December 1, 1963."
    salute = text.index("Sincerely,")
    body = "\n\n".join(markup.escape(p) for p in text[:salute])
    body = mark(body, [("Mikoyan", "person", None), ("White House", "org", "o_wh"), ("big men", "person", "7_bad"),
                       ("Khrushcheva", "person", None), ("Vienna", "place", None), ("Moscow", "place", "pl_moscow")])
    body = body.replace("the White House,", "the *White House*,", 1) if "the White House," in body else body
    body = body.replace("my message.", "my message.[^1]", 1)
    body += ("\n\n::: closer\nSincerely,\n\n[Jacqueline Kennedy]{person=p_KJB1}\\\nWashington\n:::\n\n"
             "[^1]: The handwritten letter was forwarded by [McGeorge Bundy]{person}.\n")
    source_marked = mark(markup.escape(source), [("Khrushchev", "person", "p_KNS2"), ("USSR", "term", "t_USSR1")])
    project.write_document(root, Document(
        id="120", n=120, type="letter", heading="Letter From [Jacqueline Kennedy]{person=p_KJB1} to Chairman "
        "[Khrushchev]{person=p_KNS2}", date=DateRange("1963-12-01", "1963-12-01", "day", "December 1, 1963"),
        dateline=dateline, place="Washington", authors=["Jacqueline Kennedy"], addressees=["Khrushchev"],
        language="en", chapter="nov1963", source=source_marked, body=body,
        illustrations=[Illustration("letter 120.jpg", "The first page of the letter", "Photo: Kennedy Library")]))
    # document 119, with an editor's date interval, an inner heading, a postscript, a structured legend
    paras = paragraphs(frus_text / "d119.txt")
    body_paras = [p for p in paras[3:] if p.strip()]
    body = "\n\n".join(markup.escape(p) for p in body_paras[:2]) + "\n\n## Enclosure\n\n" + \
        "\n\n".join(markup.escape(p) for p in body_paras[2:4]) + \
        "\n\n::: closer\n[N. Khrushchev]{person=p_KNS2}\n:::\n\n" + markup.escape(body_paras[4]) + "\n"
    body = mark(body, [("Kennedy", "person", "p_KJF2")]) if "Kennedy" in markup.plain_text(body) else body
    project.write_document(root, Document(
        id="d119", n=119, type="letter", heading="Letter From Chairman [Khrushchev]{person=p_KNS2}",
        date=DateRange("1963-11-20", "1963-11-30", "day", "[late November 1963]", inferred=True),
        place="Moscow", authors=["Khrushchev"], chapter="nov1963", body=body,
        legend=SourceLegend(archive="АВП РФ", fond="0129", opis="47", delo="5", list="1–3", original="Подлинник")))
    (root / "appendix" / "a1.md").write_text("---\ntitle: Chronology\n---\n\nNovember 22, 1963: "
                                             "[Kennedy]{person=p_KJF2} killed in Dallas.[^1]\n\n[^1]: Texas.\n",
                                             encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def small_tei(small_project: Path) -> tuple[etree._ElementTree, Report]:
    report = Report()
    compiled = compile_edition(project.load_project(small_project, report), report)
    return build_tei(compiled, report), report


def test_small_edition_validates_against_tei_all(rng, small_tei):
    tree, report = small_tei
    assert_valid(rng, tree)
    assert not report.errors, report.errors


def test_document_divs_carry_number_and_id_and_keep_a_non_ncname_id(small_tei):
    tree, _ = small_tei
    divs = {d.get(XML_ID): d for d in tree.iterfind(".//t:div[@type='document']", NS)}
    assert set(divs) == {"d119", "d120"}
    # '120' starts with a digit: prefixed, and the div points to its file
    assert divs["d120"].get("n") == "120" and divs["d120"].get("source") == "documents/120.md"
    assert divs["d119"].get("source") is None
    assert divs["d120"].getparent().get("type") == "chapter"
    assert divs["d120"].getparent().find("t:head", NS).text == "November–December 1963"


def test_ids_are_unique_ncnames_and_every_ref_resolves(small_tei):
    tree, _ = small_tei
    ids = [el.get(XML_ID) for el in tree.iter() if el.get(XML_ID)]
    assert len(ids) == len(set(ids))
    assert all(is_ncname(i) for i in ids)
    known = set(ids)
    for el in tree.iter():
        for attr in ("ref", "target", "sameAs", "corresp"):
            value = el.get(attr)
            if value and value.startswith("#"):
                assert value[1:] in known, (etree.QName(el).localname, value)


def assert_text_is_body_text(div: etree._Element, doc: Document) -> None:
    """Outside head, source note and dateline, with the notes taken out, the div's text is the plain
    text of the document's body (up to spacing between blocks), and its notes hold the note texts."""
    blocks = markup.parse(doc.body)
    copy = etree.fromstring(etree.tostring(div))
    for el in copy.xpath("t:head | t:note[@type='source'] | t:dateline | t:figure", namespaces=NS):
        copy.remove(el)
    notes: collections.Counter[str] = collections.Counter()
    for n in copy.iter(f"{{{NS['t']}}}note"):
        own = etree.fromstring(etree.tostring(n, with_tail=False))
        etree.strip_elements(own, f"{{{NS['t']}}}note", with_tail=False)  # a note inside a note: its own text
        notes[squash("".join(own.itertext()))] += 1
    etree.strip_elements(copy, f"{{{NS['t']}}}note", with_tail=False)
    body = [markup.inline_text(b.inlines) for b in markup.iter_blocks(blocks) if b.kind != "note"]
    assert squash("".join(copy.itertext())) == squash(" ".join(body)), doc.id
    expected = collections.Counter(squash(markup.inline_text(b.inlines))
                                   for b in markup.iter_blocks(blocks) if b.kind == "note")
    assert notes == expected, doc.id


def test_text_inside_each_document_is_the_source_text(small_project, small_tei):
    tree, _ = small_tei
    for div in tree.iterfind(".//t:div[@type='document']", NS):
        doc_id = div.get(XML_ID) if div.get("source") is None else Path(div.get("source")).stem
        assert_text_is_body_text(div, project.read_document(small_project / "documents" / f"{doc_id}.md"))


def test_any_arrangement_of_blocks_stays_valid_and_verbatim(rng, tmp_path, frus_text):
    """Closers first, text after the signature, headings after it, enclosures, openers, notes in notes."""
    p = [markup.escape(x) for x in paragraphs(frus_text / "d117.txt")[3:12]]
    bodies = {
        "only-closer": "::: closer\n[N. Khrushchev]{person}\n:::\n",
        "closer-first": f"::: closer\nSincerely,\n\nN. K.\n:::\n\n{p[0]}\n\n## After\n\n{p[1]}\n",
        "opener": f"::: opener\nDear Mr. President:\n:::\n\n{p[0]}[^a]\n\n{p[1]}[^a]\n\n[^a]: See [^b].\n\n"
                  f"[^b]: {p[2]}\n\n[^c]: Never referenced.\n",
        "enclosure": f"{p[0]}\n\n::: enclosure\n## Enclosure\n\n{p[1]}\n\n::: closer\nN. K.\n:::\n:::\n\n"
                     f"{p[2]}\n\n::: postscript\n{p[3]}\n:::\n\n::: signed\nA\n\nB\n:::\n\n"
                     f"::: enclosure\n{p[4]}\n:::\n",
        "sections": f"## One\n\n{p[0]}\\\n*{p[1][:40]}* **x**\n\n::: quote\n{p[2]}\n:::\n\n::: closer\nK.\n:::\n\n"
                    f"{p[3]}\n\n## Two\n\n{p[4]}[^9]\n\n[^9]: A note.\n",
    }
    root = tmp_path / "blocks"
    project.new_project(root, "Blocks")
    for i, (doc_id, body) in enumerate(bodies.items(), 1):
        markup.parse(body)
        project.write_document(root, Document(id=doc_id, n=i, body=body))
    report = Report()
    compiled = compile_edition(project.load_project(root, report), report)
    tree = build_tei(compiled, report)
    assert_valid(rng, tree)
    for div in tree.iterfind(".//t:div[@type='document']", NS):
        assert_text_is_body_text(div, project.read_document(root / "documents" / f"{div.get(XML_ID)}.md"))
    opener = tree.find(".//t:div[@xml:id='opener']", NS)
    assert opener.find("t:opener", NS) is not None
    assert len(opener.findall(".//t:p/t:note", NS)) == 1 and len(opener.findall(".//t:p/t:ptr", NS)) == 1
    nested = opener.find(".//t:p/t:note/t:note", NS)  # [^b], referenced in note [^a], stands inside it
    assert nested.get("n") == "b" and "".join(nested.itertext()) == markup.plain_text(p[2])
    assert opener[-1].get("n") == "c"  # an unreferenced note goes to the end of its document
    enc = tree.find(".//t:div[@xml:id='enclosure']", NS)
    assert [f.get("type") for f in enc.iter(f"{{{NS['t']}}}floatingText")] == ["enclosure", "enclosure"]


def test_notes_stand_at_their_reference_and_marks_link_to_standoff(small_tei):
    tree, _ = small_tei
    d = tree.find(".//t:div[@xml:id='d120']", NS)
    note = d.find(".//t:p/t:note[@place='foot']", NS)
    assert note.get("n") == "1" and note.get(XML_ID) == "d120-fn1"
    assert (note.getprevious().tail or note.getparent().text).endswith("my message.")
    assert note.find("t:persName", NS).get("ref") == "#p-mcgeorge-bundy"
    refs = {squash("".join(el.itertext())): el.get("ref") for el in d.iter(f"{{{NS['t']}}}persName")}
    assert refs["Khrushcheva"] == "#p-khrushcheva" and refs["Jacqueline Kennedy"] == "#p_KJB1"
    assert "big men" not in refs  # the register rejects it: the words stay, the mark goes
    assert "big men" in "".join(d.itertext())
    assert d.find(".//t:orgName", NS).get("ref") == "#o_wh"
    assert d.find(".//t:term", NS).get("ref") == "#t_USSR1"
    assert d.find("t:note[@type='source']/t:persName", NS).get("ref") == "#p_KNS2"
    closer = d.find("t:closer", NS)
    assert closer.find("t:salute", NS).text == "Sincerely,"
    signed = closer.find("t:signed", NS)
    assert signed.find("t:lb", NS).tail == "\nWashington"
    person = tree.find(".//t:standOff/t:listPerson/t:person[@xml:id='p_KNS2']", NS)
    assert [p.text for p in person.findall("t:persName", NS)] == ["Khrushchev, Nikita S.", "Khrushchov", "Хрущёв Н. С."]
    assert person.find("t:persName[@type='variant']", NS).text == "Khrushchov"
    assert person.find("t:birth", NS).get("when") == "1894" and person.find("t:death", NS).text == "1971"
    assert tree.find(".//t:person[@xml:id='p_KNS2_x']", NS).get("sameAs") == "#p_KNS2"
    assert tree.find(".//t:person[@xml:id='7_bad']", NS) is None
    assert tree.find(".//t:place[@xml:id='pl_moscow']/t:placeName", NS).text == "Moscow"


def test_dateline_header_and_structure(small_tei):
    tree, _ = small_tei
    d120 = tree.find(".//t:div[@xml:id='d120']", NS)
    dateline = d120.find("t:dateline", NS)
    assert "".join(dateline.itertext()) == "Washington, December 1, 1963."
    assert dateline.find("t:placeName", NS).text == "Washington"
    assert dateline.find("t:date", NS).attrib == {"when": "1963-12-01"}
    figure = d120.find("t:figure", NS)
    assert figure.find("t:graphic", NS).get("url") == "images/letter%20120.jpg"
    assert figure.find("t:head", NS).text == "The first page of the letter"
    assert figure.find("t:note[@type='credit']", NS).text == "Photo: Kennedy Library"
    d119 = tree.find(".//t:div[@xml:id='d119']", NS)
    date = d119.find("t:dateline/t:date", NS)  # no printed dateline: empty elements, no words added
    assert date.attrib == {"notBefore": "1963-11-20", "notAfter": "1963-11-30", "evidence": "conjecture"}
    assert not "".join(d119.find("t:dateline", NS).itertext())
    section = d119.find("t:div[@type='section']", NS)
    assert section.find("t:head", NS).text == "Enclosure" and section.find("t:closer/t:signed/t:persName", NS) is not None
    assert section.find("t:postscript/t:p", NS) is not None  # the paragraph after the signature
    ident = d119.find("t:note[@type='source']/t:msDesc/t:msIdentifier", NS)
    assert ident.find("t:repository", NS).text == "АВП РФ"
    assert {i.get("type"): i.text for i in ident.findall("t:idno", NS)} == {"fond": "0129", "opis": "47", "delo": "5",
                                                                             "list": "1–3"}
    header = tree.find("t:teiHeader", NS)
    assert [e.get("role") for e in header.findall(".//t:titleStmt/t:editor", NS)] == ["editor", "general-editor"]
    assert header.find(".//t:sourceDesc/t:p", NS).text == "FRUS 1961–1963, vol. VI (public domain)."
    cd = header.find(".//t:profileDesc/t:correspDesc[@corresp='#d120']", NS)
    sent = cd.find("t:correspAction[@type='sent']", NS)
    assert sent.find("t:persName", NS).get("ref") == "#p_KJB1" and sent.find("t:date", NS).get("when") == "1963-12-01"
    assert cd.find("t:correspAction[@type='received']/t:persName", NS).get("ref") == "#p_KNS2"
    contents = tree.find(".//t:front/t:div[@type='contents']/t:list", NS)
    assert [i.find("t:ref", NS).get("target") for i in contents] == ["#d119", "#d120"]
    assert tree.find(".//t:front/t:div[@type='preface']/t:p/t:hi", NS).get("rend") == "italic"
    abbr = tree.find(".//t:back/t:div/t:list[@type='abbreviations']", NS)
    assert [c.text for c in abbr] == ["USSR", "Union of Soviet Socialist Republics"]
    app = tree.find(".//t:back/t:div[@type='appendix']/t:div", NS)
    assert app.find("t:head", NS).text == "Chronology" and app.find("t:p/t:note", NS).text == "Texas."


def test_output_is_deterministic(small_project, tmp_path):
    outs = []
    for i in range(2):
        report = Report()
        build_edition(small_project, tmp_path / str(i), ["tei"], report)
        outs.append((tmp_path / str(i) / "edition.tei.xml").read_bytes())
    assert outs[0] == outs[1]
    report = Report()
    compiled = compile_edition(project.load_project(small_project, report), report)
    assert to_bytes(build_tei(compiled, report)) == outs[0]


def test_date_attributes():
    assert date_attributes(DateRange("1963-11-01", "1963-11-30", "month", "November 1963")) == {"when": "1963-11"}
    assert date_attributes(DateRange("1962-01-01", "1962-12-31", "year", "1962")) == {"when": "1962"}
    assert date_attributes(DateRange("1962-10-26", "1962-10-28", "day")) == {"notBefore": "1962-10-26",
                                                                             "notAfter": "1962-10-28"}
    assert date_attributes(DateRange()) == {}


def test_an_empty_project_still_validates(rng, tmp_path):
    project.new_project(tmp_path / "empty", "Empty")
    report = Report()
    compiled = compile_edition(project.load_project(tmp_path / "empty", report), report)
    assert_valid(rng, build_tei(compiled, report))


# --- the whole FRUS volume: import, build, validate, score with the editors' index ----------------


@pytest.fixture(scope="module")
def frus_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("frus")
    proc = subprocess.run([sys.executable, "-m", "dossier.cli", "import", str(FRUS), "--into", str(base / "proj"),
                           "-q"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    report = Report()
    build_edition(base / "proj", base / "out", ["tei", "json"], report)
    return base


def test_frus_volume_validates_and_scores_its_own_index(rng, frus_build):
    tei = frus_build / "out" / "edition.tei.xml"
    tree = etree.parse(str(tei))
    assert_valid(rng, tree)
    divs = tree.findall(".//t:div[@type='document']", NS)
    assert [d.get("n") for d in divs] == [str(i) for i in range(1, 121)]
    assert [d.get(XML_ID) for d in divs] == [f"d{i}" for i in range(1, 121)]
    proc = subprocess.run([sys.executable, str(EVAL / "frus_index.py"), "score", str(FRUS), str(tei)],
                          capture_output=True, text=True, check=True)
    score = json.loads(proc.stdout)
    assert score["documents_scored"] == 120
    assert score["r"] >= 0.99 and score["f1"] >= 0.99, score


def test_frus_volume_text_is_the_body_text(frus_build):
    tree = etree.parse(str(frus_build / "out" / "edition.tei.xml"))
    for div in tree.iterfind(".//t:div[@type='document']", NS):
        doc = project.read_document(frus_build / "proj" / "documents" / f"{div.get(XML_ID)}.md")
        assert_text_is_body_text(div, doc)
        if doc.dateline:
            assert squash("".join(div.find("t:dateline", NS).itertext())) == squash(doc.dateline)


# --- factRuEval-2016: mark the gold mentions, export, and let factru.py align them with the text ---

GOLD_CLASS = {"Person": "person", "Location": "place", "LocOrg": "place"}


def gold_mentions(stem: str) -> list[tuple[int, int, str]]:
    spans = {}
    for line in (FACTRU / f"{stem}.spans").read_text(encoding="utf-8").splitlines():
        f = line.split("#")[0].split()
        if len(f) >= 4:
            spans[f[0]] = (int(f[2]), int(f[2]) + int(f[3]))
    out = []
    for line in (FACTRU / f"{stem}.objects").read_text(encoding="utf-8").splitlines():
        f = line.split("#")[0].split()
        if len(f) >= 3 and f[1] in GOLD_CLASS:
            rng = [spans[s] for s in f[2:] if s in spans]
            if rng:
                out.append((min(a for a, _ in rng), max(b for _, b in rng), GOLD_CLASS[f[1]]))
    return out


def offsets_in_plain(text: str, plain: str) -> list[int]:
    """For each offset of `text`, the offset of the same character in `plain` (they differ in spacing only)."""
    out, j = [], 0
    for c in text:
        if not c.isspace():
            while plain[j] != c:
                assert plain[j].isspace()
                j += 1
            out.append(j)
            j += 1
        else:
            out.append(j)
    out.append(len(plain))
    return out


def test_factru_gold_marks_survive_export_verbatim(rng, tmp_path):
    root = tmp_path / "factru"
    project.new_project(root, "factRuEval-2016 devset", "soviet", ["ru"])
    wanted = skipped = 0
    for txt in sorted(FACTRU.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        body = markup.escape(text)
        at = offsets_in_plain(text, markup.plain_text(body))
        spans = [markup.Span(at[a], at[b - 1] + 1, kind) for a, b, kind in gold_mentions(txt.stem)]
        body, rest = markup.mark_spans(body, spans)
        wanted, skipped = wanted + len(spans), skipped + len(rest)
        project.write_document(root, Document(id=txt.stem, body=body, language="ru"))
    assert skipped < 0.02 * wanted  # only mentions nested in or overlapping another (20 of 1823)
    report = Report()
    build_edition(root, tmp_path / "out", ["tei"], report)
    tei = tmp_path / "out" / "edition.tei.xml"
    assert_valid(rng, etree.parse(str(tei)))
    proc = subprocess.run([sys.executable, str(EVAL / "factru.py"), str(FACTRU), "--tei", str(tei)],
                          capture_output=True, text=True, check=True)
    score = json.loads(proc.stdout)
    assert score["unaligned_mentions"] == 0 and score["documents_absent"] == 0, score
    assert score["PER"]["f1"] >= 0.98 and score["LOC"]["f1"] >= 0.98, score
