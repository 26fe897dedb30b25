"""A poor scan of a real page comes back as the clean one does: turned level before OCR, its notes
and headings found; and an index set in two columns that Tesseract reads as one is read column by
column.

The pages are the bundled example's print edition (`print_fixture`) rasterised at 300 dpi. The
degradation is synthetic, as `benchmarks/bench_ocr.degrade_image` makes it: turned by 1.8°, blurred
(Gaussian, radius 0.9) and blended with seeded grey noise. OCR takes a few seconds a page.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

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


def _page(edition_pdf: Path, number: int, out: Path) -> Image.Image:
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-f", str(number), "-l", str(number), "-singlefile",
                    str(edition_pdf), str(out)], check=True, capture_output=True)
    return Image.open(out.with_suffix(".pgm")).convert("L")


def _degraded(page: Image.Image, angle: float, seed: int) -> Image.Image:
    turned = page.rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    blurred = turned.filter(ImageFilter.GaussianBlur(0.9))
    rnd = random.Random(seed)
    n = blurred.width * blurred.height
    a, b = (Image.frombytes("L", blurred.size, rnd.randbytes(n)) for _ in range(2))
    noise = Image.blend(a, b, 0.5).point(lambda v: max(0, min(255, round(128 + (v - 128) * 0.54))))
    return Image.blend(blurred, noise, 0.18)



@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    source, edition_pdf = example_print()
    gold = example_documents(source)
    texts = pdf_page_texts(edition_pdf)
    heading = f"1. {markup.plain_text(gold[1].heading)}"
    first = page_where(texts, heading, gold[1].dateline)
    places = next(i for i, t in enumerate(texts) if t.startswith("INDEX OF PLACES") or "Index of places Numbers" in t) + 1
    return {"pdf": edition_pdf, "gold": gold, "first": first, "places": places,
            "tmp": tmp_path_factory.mktemp("degraded")}


def test_skew_found_on_a_real_page(printed):
    page = _page(printed["pdf"], printed["first"], printed["tmp"] / "upright")
    assert pages.skew_angle(page) == 0.0
    for angle in (-1.6, 1.3, 2.4):
        got = pages.skew_angle(page.rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC))
        assert abs(got + angle) <= 0.15, (angle, got)


def test_a_skewed_page_goes_to_tesseract_level_in_black_and_white(printed, tmp_path):
    """A level page is given to Tesseract as it is (grey: its recogniser reads grey lines); a skewed
    one turned level in black and white, its lines level again by the same measure."""
    upright = printed["tmp"] / "upright-level.pgm"
    page = _page(printed["pdf"], printed["first"], upright.with_suffix(""))
    same, picture = pages._levelled(upright, str(tmp_path))
    assert same == upright and picture.mode == "L"
    skewed = tmp_path / "skewed.pgm"
    _degraded(page, 1.8, 7).save(skewed)
    level, picture = pages._levelled(skewed, str(tmp_path))
    assert level.suffix == ".pbm" and picture.mode == "1"
    assert abs(pages.skew_angle(picture.convert("L"))) < pages.MIN_SKEW


def test_a_degraded_scan_reads_like_the_clean_one(printed):
    """Headings without their marks, and the five notes at the page's foot each with its document."""
    gold, tmp = printed["gold"], printed["tmp"]
    page = _degraded(_page(printed["pdf"], printed["first"], tmp / "first"), 1.8, 7)
    scan = tmp / "scan.pdf"
    page.save(scan, resolution=300)
    report = Report()
    docs = {d.n: d for d in pdf.read(scan, ImportOptions(lang="en"), report).documents}
    assert sorted(docs) == [1, 2]
    for n in (1, 2):
        assert docs[n].heading == markup.plain_text(gold[n].heading)
        assert docs[n].dateline == gold[n].dateline
        want = [markup.plain_text(gold[n].source), *note_texts(gold[n].body)]
        assert [fold_hyphens(x) for x in note_texts(docs[n].body)] == [fold_hyphens(w) for w in want]
    assert report.stats["notes"]["scan.pdf"]["attached"] == 5


def test_two_columns_read_as_one_are_parted(printed):
    """The index of places: two short columns, which Tesseract's layout analysis takes for one
    (`Moscow, 1 (1), … 9 (20), Washington, 4 (2), …` on one line); the lines come back column by
    column, the left one first, and the page number set apart on the running head's line joins it."""
    page = _page(printed["pdf"], printed["places"], printed["tmp"] / "places")
    got = pages.ocr_image(printed["tmp"] / "places.pgm", "eng")
    assert page.size and got.lines
    texts = [ln.text for ln in got.lines]
    assert not any("Moscow" in t and "Washington" in t for t in texts)
    moscow = next(k for k, t in enumerate(texts) if t.startswith("Moscow,"))
    washington = next(k for k, t in enumerate(texts) if t.startswith("Washington,"))
    assert moscow < washington and texts[moscow + 1][:1].isdigit()
    assert texts[0].split()[-1].isdigit() and not any(t.isdigit() for t in texts)  # `INDEX OF PLACES 57`


def test_a_letter_read_twice_before_the_mark_goes_with_it(printed):
    """The page where document 13 starts, degraded as the round-trip benchmark degrades it (turned
    by the angle its page number seeds): Tesseract reads `Kennedy¹` as `Kennedy’!`, the `y`'s arm
    read again as `’` and the raised `1` as `!`; both go with the mark, and its reading stays `!`."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_ocr import degrade_image

    gold = printed["gold"]
    texts = pdf_page_texts(printed["pdf"])
    heading = f"13. {markup.plain_text(gold[13].heading)}"
    number = page_where(texts, heading, gold[13].dateline)
    page = degrade_image(_page(printed["pdf"], number, printed["tmp"] / "thirteen"), number)
    page.save(printed["tmp"] / "thirteen-degraded.pgm")
    got = pages.ocr_image(printed["tmp"] / "thirteen-degraded.pgm", "eng")
    line = next(ln for ln in got.lines if ln.text.startswith("13. "))
    assert line.refs, line
    start, end, read = line.refs[-1]
    assert line.text[:start] == heading and end == len(line.text) and read in ("!", "1", "’", "'")
