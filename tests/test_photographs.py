"""Photographs are documents: list of illustrations, figures with caption and credit, the zoom viewer,
TEI `figure` and `facsimile`, and clear reports for a missing image or a file that is no image.

The edition is the bundled example's real FRUS documents plus photograph documents whose images are
SYNTHETIC (a grey frame drawn with PIL; their captions say so): no real photograph could be had offline.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree, html

from dossier import check
from dossier.build import build_edition
from dossier.compile.edition import image_kind
from dossier.report import Report
from edition_fixtures import add_photograph, frus_edition

ROOT = Path(__file__).resolve().parents[1]
TEI_RNG = ROOT.parent / "shared" / "schemas" / "tei_all.rng"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


@pytest.fixture(scope="module")
def rng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(TEI_RNG)))


@pytest.fixture(scope="module", params=[("soviet", "ru"), ("frus", "en")], ids=["soviet", "frus"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    style, lang = request.param
    base = tmp_path_factory.mktemp(style)
    root = frus_edition(base / "project", style, lang, ["d119", "d120"])
    add_photograph(root, "photo1", 3, "photo1.png", lang=lang)
    add_photograph(root, "photo2", 4, "lost.png", lang=lang, make_image=False)  # the file is missing
    add_photograph(root, "photo3", 5, "notes.jpg", lang=lang, make_image=False)
    (root / "images" / "notes.jpg").write_text("This is a text file named like a JPEG.\n", encoding="utf-8")
    report = Report()
    build_edition(root, base / "out", ["html", "pdf", "tei", "json"], report, incremental=False)
    return root, base / "out", lang


def test_magic_bytes(tmp_path: Path) -> None:
    from edition_fixtures import synthetic_photo

    assert image_kind(synthetic_photo(tmp_path / "a.png")) == "png"
    (tmp_path / "b.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(20))
    (tmp_path / "c.png").write_text("not a png")
    assert image_kind(tmp_path / "b.jpg") == "jpeg" and image_kind(tmp_path / "c.png") == ""


def test_bad_images_are_reported_and_the_rest_builds(built: tuple[Path, Path, str]) -> None:
    root, out, _lang = built
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    codes = {(w["file"].rsplit("/", 1)[-1], w["code"]) for w in data["warnings"]}
    assert ("photo2.md", "image-missing") in codes and ("photo3.md", "image-not-image") in codes
    message = next(w["message"] for w in data["warnings"] if w["code"] == "image-not-image")
    assert "'notes.jpg' is not an image" in message
    assert data["documents_written"] == 5 and not data["errors"]
    for name in ("edition.pdf", "edition.tei.xml", "edition.json", "site/index.html"):
        assert (out / name).exists()
    assert (out / "site" / "images" / "photo1.png").exists()
    assert not (out / "site" / "images" / "notes.jpg").exists()
    found = {(p.file.rsplit("/", 1)[-1], p.code, p.severity) for p in check.check_project(root)}
    assert ("photo2.md", "image-missing", "error") in found and ("photo3.md", "image-not-image", "error") in found


def test_web_figure_viewer_and_list_of_illustrations(built: tuple[Path, Path, str]) -> None:
    _root, out, lang = built
    site = out / "site"
    page = html.parse(str(site / "documents" / "photo1.html"))
    fig = page.xpath("//figure[@class='illustration']")[0]
    link = fig.xpath("./a[@class='zoomable']")[0]
    assert link.get("href") == "../images/photo1.png" and link.xpath("./img/@src") == ["../images/photo1.png"]
    caption = " ".join(fig.xpath("string(./figcaption)").split())
    assert ("SYNTHETIC" in caption or "СИНТЕТИЧЕСКОЕ" in caption) and "PIL" in caption
    assert page.xpath("//script[contains(@src, 'viewer.js')]") and page.xpath("//link[contains(@href, 'viewer.css')]")
    assert page.xpath("//div[@id='viewer-words']/@data-zoom-in") == (["Увеличить"] if lang == "ru" else ["Zoom in"])
    assert (site / "static" / "viewer.js").exists()
    # a photograph without a file keeps its caption, without an image
    lost = html.parse(str(site / "documents" / "photo2.html"))
    assert not lost.xpath("//figure//img") and lost.xpath("//figure/figcaption")
    listing = html.parse(str(site / "illustrations.html"))
    items = listing.xpath("//ol[@class='illustration-list']/li")
    assert [li.get("id") for li in items] == ["ill-1", "ill-2", "ill-3"]
    assert items[0].xpath(".//a/@href")[0] == "documents/photo1.html#ill-1"


def test_pdf_figure_caption_credit_and_list_with_pages(built: tuple[Path, Path, str]) -> None:
    _root, out, lang = built
    pdf = out / "edition.pdf"
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout.split())
    credit = "Тестовый файл, создан PIL, dossier tests" if lang == "ru" else "Test fixture, generated with PIL, dossier tests"
    assert credit in text
    title = "СПИСОК ИЛЛЮСТРАЦИЙ" if lang == "ru" else "LIST OF ILLUSTRATIONS"
    listing = text[text.index(title):]  # the heading (set in capitals; the contents line is not)
    entries = re.findall(r"(\d)\. (?:SYNTHETIC|СИНТЕТИЧЕСКОЕ).*?\((?:№ )?(\d)\) [. ]*?(\d+)", listing)
    assert [(a, b) for a, b, _ in entries[:3]] == [("1", "3"), ("2", "4"), ("3", "5")]
    # the page the list gives is the page the photograph's document is printed on
    page_of_photo = int(entries[0][2])
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    label = "№ 3." if lang == "ru" else "3. Photograph"
    # the last page that begins a line with the label: the list of documents comes before the document
    physical = max(i for i, p in enumerate(pages) if re.search(rf"^\s*{re.escape(label)}", p, re.M))
    head = next(ln for ln in pages[physical].splitlines() if ln.strip())
    assert re.search(rf"(^\s*{page_of_photo}\s)|(\s{page_of_photo}\s*$)", head), head
    images = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert len([ln for ln in images.splitlines()[2:] if re.search(r"\b640\s+420\b", ln)]) == 1


def test_tei_figure_and_facsimile(built: tuple[Path, Path, str], rng: etree.RelaxNG) -> None:
    _root, out, _lang = built
    tree = etree.parse(str(out / "edition.tei.xml"))
    assert rng.validate(tree), rng.error_log
    surfaces = tree.findall("t:facsimile/t:surface", NS)
    assert len(surfaces) == 1 and surfaces[0].find("t:graphic", NS).get("url") == "images/photo1.png"
    figures = tree.findall(".//t:div[@type='document']/t:figure", NS)
    assert len(figures) == 3
    first = figures[0]
    assert first.get("facs") == "#" + surfaces[0].get("{http://www.w3.org/XML/1998/namespace}id")
    assert first.find("t:head", NS).text and "PIL" in first.find("t:note[@type='credit']", NS).text
    data = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    assert [(i["file"], i["shown"]) for i in data["illustrations"]] == \
        [("photo1.png", True), ("lost.png", False), ("notes.jpg", False)]
