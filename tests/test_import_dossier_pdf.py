"""A whole dossier in one PDF (text layer, and scanned) imports as its numbered documents.

The PDFs are typeset here with WeasyPrint (running heads, page numbers, hyphenation: see
test_import_pdf.make_pdf) from real documents: FRUS 1961–63 vol. VI as `frus_index.py text` gives
them. The gold is the volume's TEI: each document's number, heading (notes left out) and date
(its first `date/@when`, the dateline's, as printed in local time; else `frus:doc-dateTime-min`). The title page before the documents is SYNTHETIC (two lines), there to
be reported as text that is no document. The scan is two pages rasterised at 300 dpi and OCR'd.
"""

from __future__ import annotations

import re

import pytest
from lxml import etree
from PIL import Image

from dossier import markup
from dossier.ingest import pdf
from dossier.ingest.registry import ImportOptions
from dossier.report import Report
from test_import_pdf import FRUS, make_pdf, page_count, raster, source_texts

TEI = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
NUMBERS = list(range(110, 121))  # telegrams with `1203.`-style numbers in their bodies, letters, a message
TITLE = "Letters and Telegrams of 1963\n\nThe last documents of the volume, October to December 1963"


def frus_gold() -> dict[int, tuple[str, str]]:
    """Number → (heading as the editors print it, without notes; the day its dateline prints)."""
    tree = etree.parse(str(FRUS), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    out = {}
    for div in tree.iterfind(".//t:div[@type='document']", {"t": TEI}):
        head = etree.fromstring(etree.tostring(div.find(f"{{{TEI}}}head"), with_tail=False))
        for note in list(head.iter(f"{{{TEI}}}note")):
            note.getparent().remove(note)
        heading = re.sub(r"^\d+\.\s*", "", " ".join("".join(head.itertext()).split()))
        # the day the dateline prints (local time: 1 a.m. in Moscow is the day before in UTC)
        date = next(div.iter(f"{{{TEI}}}date"), None)
        day = date.get("when", "")[:10] if date is not None and date.get("when") else ""
        out[int(div.get("n"))] = (heading, day or div.get(f"{{{FRUS_NS}}}doc-dateTime-min")[:10])
    return out


@pytest.fixture(scope="module")
def volume(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("dossier-pdf")
    source_texts(base / "frus")  # writes all the volume's documents, one text file each
    texts = {n: (base / "frus" / f"d{n}.txt").read_text(encoding="utf-8") for n in [1, 2, 3, *NUMBERS]}
    whole = make_pdf([TITLE] + [texts[n] for n in NUMBERS], base / "volume.pdf")
    short = make_pdf([texts[n] for n in (1, 2, 3)], base / "short.pdf")
    return {"base": base, "texts": texts, "pdf": whole, "short": short, "gold": frus_gold()}


def test_a_volume_in_one_pdf_imports_as_its_documents(volume):
    report = Report()
    result = pdf.read(volume["pdf"], ImportOptions(), report)
    docs = result.documents
    gold = volume["gold"]
    assert [d.n for d in docs] == NUMBERS
    assert [d.id for d in docs] == [f"volume-{n}" for n in NUMBERS]
    assert [d.heading for d in docs] == [gold[n][0] for n in NUMBERS]
    # a document printed `Washington, undated.` (117) is undated in print: its TEI date is the editors' note
    printed = [None if re.search(r"(?m)^\w[^\n]*, undated\.$", volume["texts"][n]) else gold[n][1] for n in NUMBERS]
    assert printed.count(None) == 1
    assert [d.date.start for d in docs] == printed
    assert docs[-2].addressees == ["Johnson"] and docs[-1].authors == ["Jacqueline Kennedy"]
    for doc in docs:
        # each document is its own text, as the file gave it (whitespace aside), with its own pages
        truth = " ".join(volume["texts"][doc.n].split())
        got = " ".join(markup.plain_text(doc.body).split())
        assert got.replace("Mc\u2010Sweeney", "McSweeney") == truth, doc.n
        assert doc.extra["source_file"] == "volume.pdf" and doc.language == "en"
        assert all(0 <= off < len(markup.plain_text(doc.body)) for _, off in doc.extra["pages"])
    starts = [p for d in docs for p, _ in d.extra["pages"]]
    assert starts == sorted(starts) and starts[-1] == page_count(volume["pdf"])
    # the title page is no document, and the report says so, with its pages
    left = report.stats["left_out"]["volume.pdf"]
    assert len(left) == 1 and left[0]["pages"] == "page 1" and left[0]["characters"] == len(TITLE)
    assert [p.message for p in report.warnings] == [
        f"text before document 110 (page 1, {left[0]['characters']} characters) is not a numbered document; "
        "not imported as one"]


def test_import_command_writes_each_document_of_a_volume(volume, tmp_path):
    import json

    from dossier import project
    from dossier.cli import run

    run(["import", str(volume["pdf"]), "--into", str(tmp_path / "proj"), "-q"])  # warnings only: exits 0
    written = sorted(p.stem for p in project.document_files(tmp_path / "proj"))
    assert written == sorted(f"volume-{n}" for n in NUMBERS)
    doc = project.read_document(tmp_path / "proj" / "documents" / "volume-119.md")
    assert doc.n == 119 and doc.type and doc.date.start == volume["gold"][119][1]
    rep = json.loads((tmp_path / "proj" / "import-report.json").read_text(encoding="utf-8"))
    assert rep["documents_written"] == len(NUMBERS) and rep["stats"]["left_out"]["volume.pdf"][0]["pages"] == "page 1"


def test_a_scanned_dossier_is_split_after_ocr(volume, tmp_path):
    """Two pages of three short documents, rasterised: an image-only PDF (OCR, about 10 s a page)."""
    short = volume["short"]
    shots = [Image.open(raster(short, n, tmp_path / f"p{n}")) for n in (1, 2)]
    scanned = tmp_path / "scanned.pdf"
    shots[0].save(scanned, save_all=True, append_images=shots[1:], resolution=300)
    report = Report()
    result = pdf.read(scanned, ImportOptions(lang="en"), report)
    docs = result.documents
    gold = volume["gold"]
    assert report.stats["pages"]["ocr"] == 2
    assert [d.n for d in docs][:2] == [1, 2] and [d.heading for d in docs][:2] == [gold[1][0], gold[2][0]]
    assert [d.date.start for d in docs][:2] == [gold[1][1], gold[2][1]]
    assert all(d.extra["facsimiles"] == ["scanned.pdf"] and d.extra["ocr"]["pages"] == 2 for d in docs)
    assert result.files == [(scanned, "scanned.pdf")]
