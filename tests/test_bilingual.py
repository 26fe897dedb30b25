"""Original and translation: paired in compile, side by side on the web, one after the other in print,
parallel divs in TEI, both in the indices.

The pair is real: L. N. Tolstoy to M. K. Gandhi, 25 September (8 October) 1909 — the Russian autograph
and the English text as sent, translated by Aylmer Maude, both printed in the Complete Works, vol. 80,
no. 149 (Tolstoy Digital TEI, CC BY-SA, read from ../shared by `edition_fixtures.tolstoy_gandhi`).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree, html

from dossier import check, project
from dossier.build import build_edition, compile_project
from dossier.model import Document
from dossier.report import Report
from edition_fixtures import gandhi_letter, tolstoy_gandhi

ROOT = Path(__file__).resolve().parents[1]
TEI_RNG = ROOT.parent / "shared" / "schemas" / "tei_all.rng"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def rng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(TEI_RNG)))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Report]:
    base = tmp_path_factory.mktemp("gandhi")
    root = tolstoy_gandhi(base / "project")
    report = Report()
    build_edition(root, base / "out", ["html", "pdf", "tei", "json"], report, incremental=False)
    return root, base / "out", report


def test_the_fixture_is_the_real_letter() -> None:
    english, russian, legend = gandhi_letter()
    assert len(english) == len(russian) == 5
    assert english[0].startswith("I have just received your most interesting letter")
    assert russian[0].startswith("Сейчас получил ваше в высшей степени")
    assert "Эйльмером Моодом" in legend


def test_compile_pairs_the_translation_with_its_number(built: tuple[Path, Path, Report]) -> None:
    root, _out, report = built
    assert not report.errors, report.errors
    compiled = compile_project(root, Report())
    orig, trans = compiled.documents
    assert (orig.id, trans.id) == ("149", "149-en")
    assert trans.n == orig.n == 1 and compiled.is_translation(trans) and not compiled.is_translation(orig)
    assert compiled.translations_of(orig) == [trans] and compiled.main_documents() == [orig]
    entry = next(e for e in compiled.index["place"] if e.id == "pl_transvaal")
    assert entry.documents == ["149", "149-en"]  # the index lists both documents


def test_web_shows_the_paragraphs_side_by_side(built: tuple[Path, Path, Report]) -> None:
    _root, out, _ = built
    english, russian, _legend = gandhi_letter()
    tree = html.parse(str(out / "site" / "documents" / "149.html"))
    rows = tree.xpath("//div[@class='parallel-row']")
    assert len(rows) == 5
    for row, ru, en in zip(rows, russian, english, strict=True):
        cells = row.xpath("./div[contains(@class, 'cell')]")
        assert [c.get("lang") for c in cells] == ["ru", "en"]
        assert " ".join(cells[0].text_content().split()) == ru
        assert " ".join(cells[1].text_content().split()) == en
    head = " ".join(tree.xpath("string(//div[contains(@class,'parallel-head')])").split())
    assert "Перевод" in head and "Переводчик: Aylmer Maude" in head
    assert tree.xpath("//div[@id='document-149-en']")
    # the translation's own address leads to its column; the list of documents has one entry, one number
    stub = (out / "site" / "documents" / "149-en.html").read_text(encoding="utf-8")
    assert 'url=149.html#document-149-en' in stub
    listing = html.parse(str(out / "site" / "documents.html"))
    assert len(listing.xpath("//table[@class='doctable']//tr[@id]")) == 1
    places = html.parse(str(out / "site" / "places.html"))
    refs = places.xpath("//p[@id='pl_transvaal']//span[@class='refs']/a")
    assert [(a.text, a.get("href")) for a in refs] == [("1", "documents/149.html")]


def test_pdf_prints_the_translation_after_the_original(built: tuple[Path, Path, Report]) -> None:
    _root, out, _ = built
    text = " ".join(subprocess.run(["pdftotext", str(out / "edition.pdf"), "-"], check=True, capture_output=True,
                                   text=True).stdout.split())
    heading = text.index("№ 1. Письмо Л. Н. Толстого М. К. Ганди. Ясная Поляна, 25 сентября 1909 г.")
    original = text.index("Сейчас получил ваше в высшей степени")
    label = text.index("ПЕРЕВОД", original)
    translated = text.index("I have just received your most interesting letter")
    assert heading < original < label < translated
    assert "Переводчик: Aylmer Maude" in text[label:translated]
    assert "Трансвааль, 1 (1)" in text  # one number, the page the document begins on
    assert text.count("№ 1.") == 2  # the heading and the list of documents: the translation has no number of its own


def test_tei_parallel_divs(built: tuple[Path, Path, Report], rng: etree.RelaxNG) -> None:
    _root, out, _ = built
    tree = etree.parse(str(out / "edition.tei.xml"))
    assert rng.validate(tree), rng.error_log
    orig, trans = tree.findall(".//t:div[@type='document']", NS)
    assert (orig.get(XML_LANG), trans.get(XML_LANG)) == ("ru", "en")
    assert trans.get("corresp") == "#" + orig.get("{http://www.w3.org/XML/1998/namespace}id")
    assert orig.get("corresp") == "#" + trans.get("{http://www.w3.org/XML/1998/namespace}id")
    assert orig.get("n") == trans.get("n") == "1"
    assert [p.get("ref") for p in tree.iterfind(".//t:placeName[@ref='#pl_transvaal']", NS)] == ["#pl_transvaal"] * 2
    assert len(tree.findall(".//t:div[@type='contents']/t:list/t:item", NS)) == 1
    data = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    assert data["documents"][0]["translations"] == ["149-en"]
    assert data["documents"][1]["translation_of"] == "149" and data["documents"][1]["translator"] == "Aylmer Maude"


def test_a_translation_of_a_missing_original(tmp_path: Path) -> None:
    root = tolstoy_gandhi(tmp_path / "p")
    (root / "documents" / "149.md").unlink()
    report = Report()
    build_edition(root, tmp_path / "out", ["json", "html", "pdf"], report, incremental=False)
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    problems = [e for e in data["errors"] if e["code"] == "translation-unresolved"]
    assert len(problems) == 1 and "translation_of '149': no such document" in problems[0]["message"]
    assert data["written"] == ["149-en"]  # it stands as a document of its own
    assert (tmp_path / "out" / "site" / "documents" / "149-en.html").exists()
    found = [p for p in check.check_project(root) if p.code == "translation-unresolved"]
    assert len(found) == 1 and found[0].line > 0


def test_check_rejects_a_translation_of_a_translation(tmp_path: Path) -> None:
    root = tolstoy_gandhi(tmp_path / "p")
    english, _russian, _ = gandhi_letter()
    # SYNTHETIC: the letter's last English sentence re-used as a "translation of the translation"
    project.write_document(root, Document(id="149-en2", translation_of="149-en", language="en",
                                          body=re.sub(r"\s+", " ", english[-1]) + "\n"))
    found = [p for p in check.check_project(root) if p.code == "translation-chain"]
    assert len(found) == 1 and "name its original ('149')" in found[0].message
    assert not [p for p in check.check_project(root) if p.code.startswith("number")]
