"""Structure recovery from plain text (dossier.ingest.structure) on real data.

The Tolstoy letters and FRUS vol. VI are read as a user with the printed volume has them (the
scorers' own `text` commands), described one by one and split as whole dossiers; figures are
printed (`pytest -s`) and the goals asserted. Fixtures that are not real data say so: the list of
documents and list of names added to the FRUS volume are synthetic, built from its own headings.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from conftest import FRUS, LETTERS, SHARED
from dossier import markup
from dossier.enrich import names_ru
from dossier.ingest.structure import (
    addressees_from_title,
    analyze_structure,
    describe_document,
    documents_for_pages,
    documents_from_text,
    parse_legend,
    parse_printed_index,
    split_documents,
)
from dossier.report import Report

TEI = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI}
FRUS_NS = "http://history.state.gov/frus/ns/1.0"

# Stands for the edition's printed list of abbreviations (the Complete Works print `Я. П.` for
# Ясная Поляна); a real import takes it from the edition's own list (`Structure.abbreviations`).
ABBREVIATIONS = {"Я. П.": "Ясная Поляна", "М.": "Москва"}
# The titles of the volumes of letters to one correspondent, as printed (vols. 83–84 «Письма к
# С. А. Толстой», 85–89 «Письма к В. Г. Черткову»): their letters' headings name no addressee.
VOLUME_TITLES = {84: "Письма к С. А. Толстой", 86: "Письма к В. Г. Черткову", 88: "Письма к В. Г. Черткову",
                 89: "Письма к В. Г. Черткову"}


def _run(script: str, *args: str) -> None:
    subprocess.run([sys.executable, str(SHARED / "eval" / script), *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not LETTERS.exists():
        pytest.fail(f"{LETTERS} is missing: the tests need ../shared beside the repository")
    out = tmp_path_factory.mktemp("letters")
    _run("letters.py", "text", str(LETTERS), str(out))
    return out


@pytest.fixture(scope="module")
def frus_texts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not FRUS.exists():
        pytest.fail(f"{FRUS} is missing: the tests need ../shared beside the repository")
    out = tmp_path_factory.mktemp("frus")
    _run("frus_index.py", "text", str(FRUS), str(out))
    return out


@pytest.fixture(scope="module")
def frus_gold() -> dict[int, dict[str, object]]:
    tree = etree.parse(str(FRUS), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    out: dict[int, dict[str, object]] = {}
    for div in tree.iterfind(".//t:div[@type='document']", NS):
        head = div.find("t:head", NS)
        copy = etree.fromstring(etree.tostring(head, with_tail=False))
        for note in list(copy.iter(f"{{{TEI}}}note")):
            note.getparent().remove(note)
        heading = re.sub(r"^\d+\.\s*", "", re.sub(r"\s+", " ", "".join(copy.itertext())).strip())

        def names(role: str, h: etree._Element = head) -> list[str]:
            return [re.sub(r"\s+", " ", "".join(e.itertext())).strip()
                    for e in h.iter(f"{{{TEI}}}persName", f"{{{TEI}}}gloss")
                    if e.get("type") == role and not e.xpath("ancestor::t:note", namespaces=NS)]

        out[int(div.get("n"))] = {"heading": heading, "date": div.get(f"{{{FRUS_NS}}}doc-dateTime-min")[:10],
                                  "from": names("from"), "to": names("to")}
    return out


def _volume(stem: str) -> int:
    return int(re.match(r"v(\d+)_", stem).group(1))


def _surname(s: str) -> str:
    return names_ru.fold(re.split(r"[\s,(]", s.strip())[0])


def _place_key(s: str | None) -> str:
    toks = [w for w in re.findall(r"[А-ЯЁA-Z][а-яёa-z\-]+", s or "") if len(w) > 2]
    return toks[-1].lower().replace("ё", "е")[:5] if toks else ""


# --- one document at a time: Tolstoy -------------------------------------------------------------


def test_tolstoy_headings_meet_the_goals(letters: Path) -> None:
    gold = {Path(g["file"]).stem: g for g in json.loads((LETTERS / "gold.json").read_text(encoding="utf-8"))}
    files = sorted(letters.glob("*.txt"))
    assert len(files) == 60
    n = got_n = got_to = to_total = got_from = got_iv = got_place = place_total = 0
    for f in files:
        g = gold[f.stem]
        title = VOLUME_TITLES.get(_volume(f.stem))
        facts = describe_document(f.read_text(encoding="utf-8"), "ru", ABBREVIATIONS,
                                  context_addressees=addressees_from_title(title) if title else None)
        n += 1
        got_n += facts.n == int(re.match(r"\*?\s*(\d+)", g["opener"]).group(1))
        gsur = {_surname(r["name"]) for r in g["receivers"] if r and r.get("name")}
        if gsur:
            to_total += 1
            got_to += bool(gsur & {_surname(a) for a in facts.addressees})
        d = g["date"]
        if facts.date.start == (d.get("when") or d.get("notBefore")):
            got_from += 1
            got_iv += facts.date.end == (d.get("when") or d.get("notAfter"))
        if g["placeName"]:
            place_total += 1
            got_place += _place_key(g["placeName"]) == _place_key(facts.place)
    figures = {"number": got_n / n, "addressee": got_to / to_total, "first_date": got_from / n,
               "interval": got_iv / n, "place": got_place / place_total}
    print("Tolstoy:", {k: round(v, 4) for k, v in figures.items()})
    assert figures["number"] >= 0.98
    assert figures["addressee"] >= 0.95
    assert figures["first_date"] >= 0.95
    assert figures["interval"] >= 0.90
    assert figures["place"] >= 0.80


def test_tolstoy_heading_parts(letters: Path) -> None:
    text = (letters / "v60_016_N_A_Nekrasovu.txt").read_text(encoding="utf-8")
    facts = describe_document(text, "ru", ABBREVIATIONS)
    assert facts.n == 16 and facts.type == "letter"
    assert facts.addressees == ["Некрасов Н. А."]
    assert facts.place_as_printed == "Я. П." and facts.place == "Ясная Поляна"
    assert (facts.date.start, facts.date.end) == ("1856-06-29", "1856-06-29")
    assert text[facts.heading_span[0]:facts.heading_span[1]].startswith("16. Н. А. Некрасову")
    # a leading `*` marks first publication; two addressees; a first name and a surname in the dative
    two = describe_document((letters / "v69_161_V_I_ObedkovuiI_I_Ponomarevu.txt").read_text(encoding="utf-8"), "ru")
    assert two.first_publication
    assert [names_ru.fold(a) for a in two.addressees] == ["объедков в. и.", "пономарев и. и."]
    george = describe_document((letters / "v69_062_G_DzhordzhuGeorgeHenry.txt").read_text(encoding="utf-8"), "ru")
    assert george.addressees and george.addressees[0].startswith("Джордж")
    # the editor's remark is kept apart from the addressee
    draft = describe_document((letters / "v60_008_S_S_Lanskomuministrvnutr_del.txt").read_text(encoding="utf-8"), "ru")
    assert draft.remarks == ["Черновое"] and draft.addressees[0].endswith("С. С.")
    # `Г. А. Ермолаеву`: a capital `Г.` before one more initial is his first initial, not `г.` (господин)
    ermolaev = describe_document((letters / "v66_165_G_A_Ermolaevu.txt").read_text(encoding="utf-8"), "ru")
    assert ermolaev.addressees == ["Ермолаев Г. А."]


def test_tolstoy_legends(letters: Path) -> None:
    with_legend = parsed = 0
    for f in sorted(letters.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        facts = describe_document(text, "ru")
        if "Печатается по" in text:
            with_legend += 1
            assert facts.source.startswith("Печатается по"), f.name
            parsed += bool(facts.legend.original)
    assert with_legend >= 30
    assert parsed / with_legend >= 0.95
    legend = describe_document((letters / "v59_002_RektoruKazanskogouniversiteta.txt").read_text(encoding="utf-8"),
                               "ru").legend
    assert legend.original == "автограф" and legend.archive == "архиве Казанского университета"


# --- one document at a time: FRUS ----------------------------------------------------------------


def _same(g: str, p: str) -> bool:
    a, b = g.lower(), p.lower()
    return a == b or a.endswith(" " + b) or b.endswith(" " + a)


def test_frus_headings(frus_texts: Path, frus_gold: dict[int, dict[str, object]]) -> None:
    n = got_n = got_head = got_date = got_from = got_to = 0
    for num, g in sorted(frus_gold.items()):
        facts = describe_document((frus_texts / f"d{num}.txt").read_text(encoding="utf-8"), "en")
        n += 1
        got_n += facts.n == num
        got_head += facts.heading == g["heading"]
        got_date += facts.date.start == g["date"]
        got_from += all(any(_same(x, y) for y in facts.authors) for x in g["from"])
        got_to += all(any(_same(x, y) for y in facts.addressees) for x in g["to"])
    figures = {"number": got_n / n, "heading": got_head / n, "date": got_date / n, "authors": got_from / n,
               "addressees": got_to / n}
    print("FRUS:", {k: round(v, 4) for k, v in figures.items()})
    assert n == 120
    assert figures["number"] == 1.0 and figures["heading"] == 1.0
    # 9 documents print `Moscow, undated.` (the editors' date comes from the source note) and the
    # editorial notes carry the volume's whole span: about .91 is what the datelines give.
    assert figures["date"] >= 0.90
    assert figures["authors"] >= 0.98 and figures["addressees"] >= 0.98


def test_frus_heading_parts(frus_texts: Path) -> None:
    facts = describe_document((frus_texts / "d119.txt").read_text(encoding="utf-8"), "en")
    assert (facts.n, facts.type, facts.authors, facts.addressees) == (119, "letter", ["Khrushchev"], ["Johnson"])
    assert facts.dateline == "Moscow, November 24, 1963." and facts.place == "Moscow"
    assert facts.source.startswith("Source: Department of State, Presidential Correspondence: Lot 66 D 204.")
    assert facts.legend.lot_file == "Lot 66 D 204" and facts.legend.repository == "Department of State"
    three = describe_document((frus_texts / "d3.txt").read_text(encoding="utf-8"), "en")
    assert three.authors == ["Khrushchev", "Brezhnev"] and three.type == "message"
    dobrynin = describe_document((frus_texts / "d93.txt").read_text(encoding="utf-8"), "en")
    assert dobrynin.authors == ["Soviet Ministry of Foreign Affairs"] and dobrynin.addressees == ["Dobrynin"]
    jackie = describe_document((frus_texts / "d120.txt").read_text(encoding="utf-8"), "en")
    assert jackie.authors == ["Jacqueline Kennedy"]


def test_soviet_heading_and_archival_legend() -> None:
    # The examples of docs/standards.md (a heading and a legend as the 1990 Rules print them).
    facts = describe_document("№ 12. Телеграмма Н. С. Хрущёва Л. Джонсону. Москва, 23 ноября 1963 г.\n\nТекст.\n\n"
                              "АВП РФ. Ф. 0129. Оп. 47. П. 329. Д. 5. Л. 1–3. Подлинник.", None)
    assert (facts.n, facts.type, facts.place, facts.date.start) == (12, "telegram", "Москва", "1963-11-23")
    assert facts.authors == ["Хрущёв Н. С."] and facts.addressees == ["Джонсон Л."]
    legend = facts.legend
    assert (legend.archive, legend.fond, legend.opis, legend.delo, legend.list, legend.original) == (
        "АВП РФ", "0129", "47", "5", "1–3", "подлинник")
    assert ("papka", "329") in legend.extra
    assert parse_legend("Печатается по копии, хранящейся в АТБ.").original == "копия"


# --- whole dossiers ------------------------------------------------------------------------------


def _frus_dossier(frus_texts: Path, gold: dict[int, dict[str, object]], drop: int | None = None
                  ) -> tuple[str, list[tuple[int, int]]]:
    """The 120 documents after a contents page, a list of documents and a list of names.

    SYNTHETIC: the contents, the list of documents (built from the volume's own headings, with
    made-up page numbers) and the list of names are made here; the documents are the real texts."""
    parts = ["Foreign Relations of the United States, 1961–1963, Volume VI", "Contents",
             "Preface . . . . . iii", "List of Documents . . . . . vii", "List of Names . . . . . xxi",
             "List of Documents"]
    parts += [f"{n}. {g['heading']} . . . . . {n * 3}" for n, g in sorted(gold.items())]
    parts.append("List of Names")
    parts += [f"{p}, correspondent" for p in sorted({x for g in gold.values() for x in g["from"] + g["to"]})]
    text = "\n\n".join(parts) + "\n\n"
    spans = []
    for n in sorted(gold):
        if n == drop:
            continue
        doc = (frus_texts / f"d{n}.txt").read_text(encoding="utf-8").strip()
        spans.append((len(text), len(text) + len(doc)))
        text += doc + "\n\n"
    return text, spans


def test_split_frus_volume(frus_texts: Path, frus_gold: dict[int, dict[str, object]]) -> None:
    text, spans = _frus_dossier(frus_texts, frus_gold)
    sections = split_documents(text, "en")
    docs = [s for s in sections if s.kind == "document"]
    print("FRUS split:", len(docs), "documents;", sorted({s.kind for s in sections}))
    assert [d.number for d in docs] == list(range(1, 121))
    assert [d.span for d in docs] == spans  # every boundary exact, `81.` / `1203.` in telegrams not taken
    kinds = [s.kind for s in sections if s.kind != "document"]
    assert kinds == ["toc", "list_of_documents", "index_of_names"]
    st = analyze_structure(text, "en")
    assert len(st.listed) == 120 and st.listed[118].heading == frus_gold[119]["heading"]
    assert st.listed_not_found == [] and st.found_not_listed == []
    # a document missing from the text is reported against the printed list
    text2, _ = _frus_dossier(frus_texts, frus_gold, drop=57)
    st2 = analyze_structure(text2, "en")
    assert st2.listed_not_found == [57] and len(st2.documents) == 119


def test_frus_documents_cut_from_the_markup(frus_texts: Path, frus_gold: dict[int, dict[str, object]]) -> None:
    text, spans = _frus_dossier(frus_texts, frus_gold)
    docs = documents_from_text(text, body=markup.escape(text), stem="v06", lang="en")
    assert docs is not None and len(docs) == 120
    assert docs[118].id == "v06-119" and docs[118].addressees == ["Johnson"]
    for doc, (a, b) in zip(docs, spans, strict=True):
        assert markup.plain_text(doc.body) == text[a:b]
    assert [d.language for d in docs] == ["en"] * 120
    # the text before document 1 (contents, list of documents, list of names) is accounted for
    report = Report()
    docs = documents_from_text(text, stem="v06", path="v06.pdf", pages=[[1, 0], [2, spans[0][0]]], report=report)
    assert docs is not None and [d.language for d in docs] == ["en"] * 120  # detected per document
    left = report.stats["left_out"]["v06.pdf"]
    assert len(left) == 1 and left[0]["span"] == [0, len(text[:spans[0][0]].rstrip())]
    assert left[0]["pages"] == "page 1"
    assert [s["kind"] for s in left[0]["sections"]] == ["toc", "list_of_documents", "index_of_names"]
    assert [p.message for p in report.warnings] == [
        f"text before document 1 (page 1, {left[0]['characters']} characters: contents, list of documents, "
        "index of names) is not a numbered document; not imported as one"]


def test_split_tolstoy_volumes(letters: Path) -> None:
    by_volume: dict[int, list[Path]] = {}
    for f in sorted(letters.glob("*.txt")):
        by_volume.setdefault(_volume(f.stem), []).append(f)
    right = total = 0
    for files in by_volume.values():
        text, spans, numbers = "", [], []
        for f in files:
            doc = f.read_text(encoding="utf-8").strip()
            spans.append((len(text), len(text) + len(doc)))
            numbers.append(int(re.match(r"v\d+_(\d+)", f.stem).group(1)))
            text += doc + "\n\n"
        docs = [s for s in split_documents(text, "ru") if s.kind == "document"]
        # numbered notes (`1. Старший брат Толстого…`) and commentaries (`18. Печатается по…`) are not documents
        assert [d.number for d in docs] == numbers
        right += sum(d.span == sp for d, sp in zip(docs, spans, strict=True))
        total += len(numbers)
    print("Tolstoy split:", right, "of", total, "boundaries exact")
    assert right == total == 60


def test_printed_index_and_pages(frus_texts: Path, frus_gold: dict[int, dict[str, object]]) -> None:
    # SYNTHETIC index lines in the two printed styles of docs/standards.md.
    ru = parse_printed_index("Именной указатель\nЦифры означают номера документов\nХрущёв Н. С. — 1, 5, 12\n"
                             "Джонсон Л. — 118–120\nКеннеди Дж. Ф. — 3,\n7, 9")
    assert [(e.name, e.refs, e.kind) for e in ru] == [("Хрущёв Н. С.", (1, 5, 12), "documents"),
                                                       ("Джонсон Л.", (118, 119, 120), "documents"),
                                                       ("Кеннеди Дж. Ф.", (3, 7, 9), "documents")]
    en = parse_printed_index("Khrushchev, N. S., 3, 17–19\nKhrushchov, N. S., see Khrushchev, N. S.")
    assert (en[0].name, en[0].refs, en[0].kind) == ("Khrushchev, N. S.", (3, 17, 18, 19), "pages")
    assert en[1].see == "Khrushchev, N. S." and en[1].refs == ()
    # pages → documents, with page offsets as the PDF reader gives them: here (SYNTHETIC) each
    # document of the real volume starts a page numbered 2n.
    text, spans = _frus_dossier(frus_texts, frus_gold)
    sections = split_documents(text, "en")
    offsets = [[2 * n, a] for n, (a, _) in zip(range(1, 121), spans, strict=True)]
    assert documents_for_pages([238, 240], offsets, sections) == [119, 120]
    assert documents_for_pages([3], offsets, sections) == []
