"""The bundled bilingual example, examples/kennedy-bilingual/: English originals from FRUS with Russian
translations and a page image, built in both styles, as a user runs it.

The originals are real (FRUS 1961-1963 vol. VI, documents 1, 2, 71, 72; public domain). The Russian
translations were written for the example by the dossier project and the page image is SYNTHETIC: the
tests check that every output says so, since an edition must never pass them off as historical.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest
from lxml import etree, html

from dossier.build import build_edition, compile_project
from dossier.report import Report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kennedy-bilingual"
FRUS = ROOT.parent / "shared" / "corpora" / "frus1961-63v06.xml"
TEI_RNG = ROOT.parent / "shared" / "schemas" / "tei_all.rng"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _paragraphs(path: Path) -> list[str]:
    """The body paragraphs of a document file as a reader sees them (no note definitions, no marks)."""
    from dossier import markup, project

    doc = project.read_document(path)
    text = "\n".join(line for line in doc.body.splitlines() if not line.startswith("[^"))
    return [" ".join(p.split()) for p in markup.plain_text(text).split("\n\n") if p.strip()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Report]]:
    base = tmp_path_factory.mktemp("bilingual")
    out: dict[str, tuple[Path, Report]] = {}
    for style in ("frus", "soviet"):
        report = Report()
        build_edition(EXAMPLE, base / style, ["html", "pdf", "tei", "json"], report, style=style,
                      incremental=False)
        out[style] = (base / style, report)
    return out


def _pdf_text(out: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(out / "edition.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_example_is_what_the_script_makes(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "make_example.py"
    spec = importlib.util.spec_from_file_location("make_example", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = tmp_path / "bi"
    assert module.main(["--bilingual", "--frus", str(FRUS), "--out", str(made)]) == 0
    files = sorted(p.relative_to(made) for p in made.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(EXAMPLE) for p in EXAMPLE.rglob("*") if p.is_file())
    for rel in files:
        assert (made / rel).read_bytes() == (EXAMPLE / rel).read_bytes(), rel


def test_it_says_what_is_not_historical() -> None:
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    assert "not historical documents" in readme and "synthetic" in readme
    compiled = compile_project(EXAMPLE, Report())
    assert "NOT historical" in compiled.edition.meta.source and "public domain" in compiled.edition.meta.source
    translations = [d for d in compiled.documents if compiled.is_translation(d)]
    assert [d.id for d in translations] == ["d2-ru", "d72-ru", "ph1-ru"]
    assert all("не исторический перевод" in d.translator for d in translations)
    ills = [i.ill for i in compiled.illustrations]
    assert len(ills) == 2
    assert all(ill.caption.startswith("SYNTHETIC") and "synthetic" in ill.credit.lower() for ill in ills)
    photo = compiled.document_by_id()["ph1"]
    assert photo.type == "photograph" and "SYNTHETIC" in photo.heading and photo.extra.get("synthetic") is True


def test_pairs_numbers_and_index(built: dict[str, tuple[Path, Report]]) -> None:
    out, report = built["frus"]
    assert not report.errors and not report.warnings, (report.errors, report.warnings)
    compiled = compile_project(EXAMPLE, Report())
    assert [(d.id, d.n) for d in compiled.main_documents()] == [("d1", 1), ("d2", 2), ("d71", 3), ("d72", 4),
                                                                 ("ph1", 5)]
    assert [t.n for t in compiled.translations_of(compiled.document_by_id()["d72"])] == [4]
    data = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    by_id = {d["id"]: d for d in data["documents"]}
    assert by_id["d72"]["translations"] == ["d72-ru"] and by_id["d72-ru"]["translation_of"] == "d72"
    # a Russian inflected form in the translation points to the same register entry as the English
    ru_refs = {m["text"]: m["ref"] for m in by_id["d72-ru"]["mentions"]}
    en_refs = {m["text"]: m["ref"] for m in by_id["d72"]["mentions"]}
    assert ru_refs["Микояну"] == en_refs["Mikoyan"] == "p_MAI1"
    assert ru_refs["Кастро"] == en_refs["Castro"] == "p_CRF1"
    castro = next(e for e in compiled.index["person"] if e.id == "p_CRF1")
    assert castro.documents == ["d72", "d72-ru"]


def test_web_shows_original_and_translation_side_by_side(built: dict[str, tuple[Path, Report]]) -> None:
    out, _ = built["frus"]
    tree = html.parse(str(out / "site" / "documents" / "d72.html"))
    rows = tree.xpath("//div[@class='parallel-row']")
    english = _paragraphs(EXAMPLE / "documents" / "d72.md")
    russian = _paragraphs(EXAMPLE / "documents" / "d72-ru.md")
    assert len(rows) == len(english) == len(russian) == 4
    for row, en, ru in zip(rows, english, russian, strict=True):
        cells = row.xpath("./div[contains(@class, 'cell')]")
        assert [c.get("lang") for c in cells] == ["en", "ru"]
        for ref in row.xpath(".//sup"):  # the footnote numbers
            ref.drop_tree()
        assert " ".join(cells[0].text_content().split()) == en
        assert " ".join(cells[1].text_content().split()) == ru
    (img,) = tree.xpath("//figure[contains(@class,'illustration')]//img")
    assert (out / "site" / "documents" / img.get("src")).resolve().is_file()
    caption = " ".join(tree.xpath("string(//figure[contains(@class,'illustration')]//figcaption)").split())
    assert caption.startswith("SYNTHETIC facsimile")
    listed = html.parse(str(out / "site" / "illustrations.html")).xpath("string(//main)")
    assert "SYNTHETIC facsimile" in listed


def test_print_puts_the_translation_after_its_original(built: dict[str, tuple[Path, Report]]) -> None:
    text = _pdf_text(built["frus"][0])
    flat = " ".join(text.split())
    original = flat.index("Dear Mr. Chairman: I wish to thank you for your letter of October 30.")
    label = flat.index("TRANSLATION Translated by проект dossier", original)
    assert flat.index("Уважаемый господин Председатель!") > label
    between = flat[label:flat.index("Уважаемый господин Председатель!")]
    assert "Undated" not in between  # a translation without a date of its own follows its original's
    # the list of illustrations gives the page the figure is printed on
    pages = text.split("\f")
    listed = next(p for p in pages if "LIST OF ILLUSTRATIONS" in p)
    after = " ".join(listed.split()).split("(4)")[1].split()
    page_no = int(next(tok for tok in after if tok.isdigit()))  # the dot leader ends in the page number
    figure_page = next(i for i, p in enumerate(pages) if "SYNTHETIC facsimile" in p and "LIST OF" not in p)
    running_head = next(line for line in pages[figure_page].splitlines() if line.strip()).split()
    assert str(page_no) in (running_head[0], running_head[-1])  # the page number in the running head


def test_the_photograph_is_a_document_with_caption_credit_agency_and_viewer(
        built: dict[str, tuple[Path, Report]]) -> None:
    out, _ = built["frus"]
    tree = html.parse(str(out / "site" / "documents" / "ph1.html"))
    (img,) = tree.xpath("//figure[contains(@class,'illustration')]//img")
    src = (out / "site" / "documents" / img.get("src")).resolve()
    assert src.read_bytes()[:3] == b"\xff\xd8\xff"  # the JPEG itself, copied into the site
    figcaption = " ".join(tree.xpath("string(//figure[contains(@class,'illustration')]//figcaption)").split())
    assert figcaption.startswith("SYNTHETIC photograph")
    assert "Synthetic image: scripts/make_example.py (CC0)" in figcaption and "dossier project, 2026" in figcaption
    assert tree.xpath("//script[contains(@src, 'viewer')]") or "viewer" in html.tostring(tree, encoding="unicode")
    listed = " ".join(html.parse(str(out / "site" / "illustrations.html")).xpath("string(//main)").split())
    assert "SYNTHETIC photograph" in listed and "SYNTHETIC facsimile" in listed
    pages = _pdf_text(out).split("\f")
    figure = [" ".join(p.split()) for p in pages if "Synthetic image: scripts/make_example.py" in p and "LIST OF" not in p]
    assert figure and "SYNTHETIC photograph" in figure[0]  # the figure, its caption and credit
    tei = etree.parse(str(out / "edition.tei.xml"))
    heads = [" ".join(h.split()) for h in tei.xpath("//t:figure/t:head/text()", namespaces=NS)]
    assert any(h.startswith("SYNTHETIC photograph") for h in heads)
    assert tei.xpath("//t:figure/t:note[@type='credit']", namespaces=NS)


def test_soviet_style_speaks_russian_around_the_same_texts(built: dict[str, tuple[Path, Report]]) -> None:
    out, report = built["soviet"]
    assert not report.errors
    flat = " ".join(_pdf_text(out).split())
    assert "№ 4. Letter From President Kennedy to Chairman Khrushchev" in flat
    assert "Уважаемый господин Председатель!" in flat


def test_tei_has_parallel_divs_and_validates(built: dict[str, tuple[Path, Report]]) -> None:
    out, _ = built["frus"]
    tree = etree.parse(str(out / "edition.tei.xml"))
    divs = tree.xpath("//t:div[@type='document'][@n='4']", namespaces=NS)
    assert [d.get(XML_LANG) for d in divs] == ["en", "ru"]
    assert divs[1].get("corresp") == "#" + divs[0].get("{http://www.w3.org/XML/1998/namespace}id")
    assert tree.xpath("//t:facsimile//t:graphic", namespaces=NS)
    rng = etree.RelaxNG(etree.parse(str(TEI_RNG)))
    assert rng.validate(tree), rng.error_log.last_error
