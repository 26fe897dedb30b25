"""A printed index read by OCR: the references of an index that cites documents with their pages
(`7 (9)`) come back though OCR garbles them, and a name's generational suffix is kept both ways.
And a scanned PDF page that is one 300 dpi image is read from its stored pixels, as rasterising
it would read it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from dossier.ingest import pages, pdf
from dossier.ingest.structure import name_variants, parse_printed_index

NOTE = "Numbers refer to documents; page numbers follow in parentheses."


def _entries(*lines: str) -> dict[str, tuple[int, ...]]:
    return {e.name: e.refs for e in parse_printed_index("\n".join((NOTE, *lines)))}


def test_references_garbled_by_ocr_are_read() -> None:
    got = _entries(
        "Khrushchev, Nikita S., Chairman of the Council of Ministers, 1 (1), 2 (1),",
        "9 (20), 10:(21); 11 (23), 12:(24), 13°(28); 14:31),",  # stops and specks, a lost parenthesis
        "15 (32)",
        "Salinger, Pierre, President's Press Secretary,",
        "7ZA(9)",  # the space read as letters
        "Souvanna Phouma, Prince, Prime Minister of Laos,",
        "7(Q)",  # a figure read as the letter it looks like
        "Kennedy, John F., 1O (21), l1 (23)",
        "Zorin, 23 (51)",
    )
    assert got["Khrushchev, Nikita S."] == (1, 2, 9, 10, 11, 12, 13, 14, 15)
    assert got["Salinger, Pierre"] == (7,)
    assert got["Souvanna Phouma, Prince"] == (7,)
    assert got["Kennedy, John F."] == (10, 11)
    assert got["Zorin"] == (23,)


def test_years_in_a_description_are_not_references() -> None:
    got = parse_printed_index("\n".join((
        NOTE,
        "Johnson, Lyndon B., Vice President of the United States until November 22, 1963;",
        "thereafter President, 24 (53)",
        "Thompson, Llewellyn E., Jr., Ambassador at Large from October 1962, 4 (2), 25 (54)",
        "INDEX OF PLACES 57",  # a running head with its page number: no document with its page
    )))
    assert [(e.name, e.refs) for e in got] == [("Johnson, Lyndon B.", (24,)), ("Thompson, Llewellyn E., Jr.", (4, 25))]
    assert got[0].description.endswith("November 22, 1963; thereafter President")


def test_a_generational_suffix() -> None:
    got = parse_printed_index("\n".join((
        NOTE,
        "Thompson, Llewellyn E., Jr, Ambassador to the Soviet Union, 4 (2)",  # the stop read as the comma
        "Stevenson, Adlai E., III, Permanent Representative to the United Nations, 20 (44)",
    )))
    assert [e.name for e in got] == ["Thompson, Llewellyn E., Jr.", "Stevenson, Adlai E., III"]
    assert got[1].description == "Permanent Representative to the United Nations"
    assert name_variants("Stevenson, Adlai E., III") == ["Stevenson, Adlai E."]
    assert name_variants("Thompson, Llewellyn E., Jr.") == ["Thompson, Llewellyn E.", "Thompson, Llewellyn E., Jr"]
    assert name_variants("Khrushchev, Nikita S.") == []
    assert name_variants("Louis XIV") == []  # no comma: not an index's `Surname, Given, Suffix`


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An image-only PDF of one 300 dpi page (A5) of printed lines, as a scanner writes it (PIL: JPEG)."""
    out = tmp_path_factory.mktemp("scan")
    page = Image.new("L", (1748, 2480), 255)
    draw = ImageDraw.Draw(page)
    lines = ["The Soviet Union desires to help the Cubans build", "their life as they themselves wish.",
             "Numbers refer to documents; page numbers follow.", "Salinger, Pierre, Press Secretary, 7 (9)"]
    for k, line in enumerate(lines):
        draw.text((150, 300 + 90 * k), line, fill=0, font=_font(44))
    page.save(out / "scan.pdf", resolution=300)
    page.save(out / "scan-150.pdf", resolution=150)
    return out


def test_a_scanned_page_is_recognised_as_one_image(scanned: Path) -> None:
    from pypdf import PdfReader

    assert pdf.scanned_image(PdfReader(scanned / "scan.pdf").pages[0])
    # at another resolution rasterising resamples it: not the stored pixels
    assert not pdf.scanned_image(PdfReader(scanned / "scan-150.pdf").pages[0])


@pytest.mark.skipif(pages.check_ocr("eng") is not None, reason="Tesseract with eng is not installed")
def test_the_stored_image_reads_as_the_rasterised_page(scanned: Path, tmp_path: Path) -> None:
    stored = pages._stored_image(str(scanned / "scan.pdf"), 1, tmp_path)
    assert stored is not None and stored.suffix == ".pgm"
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-singlefile", str(scanned / "scan.pdf"), str(tmp_path / "r")],
                   check=True, capture_output=True)
    with Image.open(stored) as a, Image.open(tmp_path / "r.pgm") as b:
        assert a.size == b.size
    whole = pages.ocr_pdf_page(str(scanned / "scan.pdf"), 1, "eng", whole_image=True)
    rendered = pages.ocr_pdf_page(str(scanned / "scan.pdf"), 1, "eng")
    assert "Salinger, Pierre, Press Secretary, 7 (9)" in whole.text
    assert whole.text == rendered.text
