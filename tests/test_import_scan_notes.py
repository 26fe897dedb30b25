"""A scanned print edition's page-foot notes come back as the documents' notes after OCR.

Two pages of the bundled example's print PDF (tests/print_fixture.py), rasterised at 300 dpi as
a scanner would and wrapped as an image-only PDF: the page that holds document 11 whole and the
one after it (document 12 starts there). Each has a source note and text notes at its foot, set
smaller below the text, and raised marks after the headings that Tesseract reads as `!` or `'`
(`Soviet Union!`). The gold is the example project. OCR takes a few seconds a page.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from dossier import markup
from dossier.ingest import pages, pdf
from dossier.ingest.registry import ImportOptions
from dossier.report import Report
from print_fixture import (
    example_documents,
    example_print,
    fold_hyphens,
    note_texts,
    page_where,
    pdf_page_texts,
)

pytestmark = pytest.mark.skipif(pages.check_ocr("eng") is not None, reason="Tesseract with eng is not installed")



@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    source, edition_pdf = example_print()
    gold = example_documents(source)
    heading = f"11. {gold[11].heading}"
    texts = pdf_page_texts(edition_pdf)
    # the page document 11 starts on (the list of documents at the front prints its heading too)
    first = page_where(texts, heading, gold[11].dateline)
    tmp = tmp_path_factory.mktemp("scan")
    shots = []
    for number in (first, first + 1):
        base = tmp / f"page-{number}"
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-f", str(number), "-l", str(number), "-singlefile",
                        str(edition_pdf), str(base)], check=True, capture_output=True)
        shots.append(Image.open(base.with_suffix(".pgm")))
    scan = tmp / "scan.pdf"
    shots[0].save(scan, save_all=True, append_images=shots[1:], resolution=300)
    report = Report()
    docs = pdf.read(scan, ImportOptions(lang="en"), report).documents
    return {"docs": {d.n: d for d in docs}, "gold": gold, "report": report, "scan": scan}


def test_a_scans_page_foot_notes_become_the_documents_notes(scanned):
    docs, gold, report = scanned["docs"], scanned["gold"], scanned["report"]
    assert report.stats["pages"]["ocr"] == 2
    assert 11 in docs and 12 in docs
    eleven = docs[11]
    # the raised mark after the heading is a note mark, not a `!` glued to `Union`
    assert eleven.heading == gold[11].heading
    want = [markup.plain_text(gold[11].source), *note_texts(gold[11].body)]
    got = note_texts(eleven.body)
    assert [fold_hyphens(x) for x in got] == [fold_hyphens(w) for w in want]
    # every mark has its note, every note its mark; the source note gives the document its source
    assert sorted(label for label, _ in markup.note_refs(eleven.body)) == sorted(
        b.label for b in markup.iter_blocks(markup.parse(eleven.body)) if b.kind == "note")
    assert eleven.source and fold_hyphens(eleven.source) == fold_hyphens(markup.plain_text(gold[11].source))
    # the notes left the text (two pages are too few to tell their running heads apart from text)
    text = markup.plain_text("\n\n".join(b for b in eleven.body.split("\n\n") if not b.startswith("[^")))
    assert "\n\nRusk\n\n" in text and "Presidential Correspondence" not in text and "Document 63" not in text
    stats = report.stats["notes"]["scan.pdf"]
    assert stats["attached"] >= 5 and stats["at_page_feet"] >= stats["attached"]


def test_ocr_lines_carry_size_place_and_raised_marks(scanned, tmp_path):
    """One page read once: the hOCR of the same run gives the lines; the notes' lines are smaller
    (x-height) and stand below the text; labels and marks are found raised, whatever they read."""
    scan: Path = scanned["scan"]  # type: ignore[assignment]
    got = pages.ocr_pdf_page(str(scan), 1, "eng")
    assert got.lines and pages.lines_text(got.lines) == got.text
    heading = next(ln for ln in got.lines if ln.text.startswith("Soviet Union"))
    assert heading.refs and heading.refs[0][0] == len("Soviet Union")
    body = [ln for ln in got.lines if ln.size and not ln.lead]
    foot = [ln for ln in got.lines if ln.lead]
    assert [ln.text[:ln.lead] for ln in foot][:1] == ["1"] and foot[0].text[2:].startswith("Source:")
    assert all(f.size < 0.92 * heading.size and f.y > max(b.y for b in body if b.size >= 0.95 * heading.size)
               for f in foot)


@pytest.fixture(scope="module")
def first_page(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The page that holds documents 1 and 2 whole, scanned: Tesseract reads the raised marks after
    both headings as `!` (one box with the `y` and the `v` before them), the mark after `people.` as
    `’`, the label of that note as `?`, and the mark after `time.` as nothing (the stop's box takes it)."""
    source, edition_pdf = example_print()
    gold = example_documents(source)
    texts = pdf_page_texts(edition_pdf)
    heading = f"1. {markup.plain_text(gold[1].heading)}"
    number = page_where(texts, heading, gold[1].dateline)
    tmp = tmp_path_factory.mktemp("scan1")
    base = tmp / "page"
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-f", str(number), "-l", str(number), "-singlefile",
                    str(edition_pdf), str(base)], check=True, capture_output=True)
    scan = tmp / "scan.pdf"
    Image.open(base.with_suffix(".pgm")).save(scan, resolution=300)
    report = Report()
    docs = pdf.read(scan, ImportOptions(lang="en"), report).documents
    return {"docs": {d.n: d for d in docs}, "gold": gold, "report": report}


def test_marks_misread_where_their_boxes_overlap_the_letter_before(first_page):
    """The page's ink shows the raised marks the glyph boxes miss: both headings come back without a
    `!`, and each of the page's five notes goes to its own document, in order."""
    docs, gold, report = first_page["docs"], first_page["gold"], first_page["report"]
    assert sorted(docs) == [1, 2]
    for n in (1, 2):
        assert docs[n].heading == markup.plain_text(gold[n].heading)
        want = [markup.plain_text(gold[n].source), *note_texts(gold[n].body)]
        assert [fold_hyphens(x) for x in note_texts(docs[n].body)] == [fold_hyphens(w) for w in want]
        text = markup.plain_text("\n\n".join(b for b in docs[n].body.split("\n\n") if not b.startswith("[^")))
        assert "Source:" not in text and "’" not in text[-3:]
    assert report.stats["notes"]["scan.pdf"] == {"at_page_feet": 5, "attached": 5, "in_no_document": 0}


def test_a_line_with_few_lowercase_letters_takes_its_paragraphs_size():
    """Tesseract's x-height of a line of figures is a guess (26 px in a paragraph of 20, seen on one
    resampling of the example's page): the line takes the paragraph's size, so one guess cannot move a
    note out of the page's foot. Lines made here (synthetic), not OCR'd."""
    body = [pages.OcrLine("Foreign Relations of the United States, volume", size=20.0),
            pages.OcrLine("which the Department of State published later", size=21.0),
            pages.OcrLine("19, 1973, pp. 640-645.", size=26.0)]
    pages._trusted_sizes([(ln, []) for ln in body])
    assert [ln.size for ln in body] == [20.0, 21.0, 20.5]
    capitals = [pages.OcrLine("SECRET", size=30.0), pages.OcrLine("1963", size=12.0)]
    pages._trusted_sizes([(ln, []) for ln in capitals])  # no line to trust: sizes stay as read
    assert [ln.size for ln in capitals] == [30.0, 12.0]


def test_a_raised_mark_read_as_a_quote_may_stand_for_any_note():
    """`Sincerely,’` for `Sincerely,³`: a mark read as no figure matches a later note's label too, while a
    mark read as a figure is held to the labels the page prints later."""
    assert pdf._labels_match("’", "3", {"4"}, loose=True)
    assert pdf._labels_match("’", "3", {"1"}, loose=True)
    assert not pdf._labels_match("1", "3", {"1"}, loose=True)
    assert not pdf._labels_match("’", "3", set(), loose=False)
