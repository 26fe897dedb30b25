"""PDF and page-image import on real text: text layer, OCR of scans, rotated pages, bad files.

The PDFs are typeset here with WeasyPrint from real documents — FRUS 1961–63 vol. VI (plain texts
from `frus_index.py text`) and Russian news texts of factRuEval-2016 — with alternating running
heads (one carrying the page number), a page number at the foot, justified text and automatic
hyphenation, as a printed volume has them. Scans are made from those pages by poppler's
`pdftoppm -r 300`. OCR is slow (seconds a page), so only two pages with text are OCR'd in the
whole file: one scanned PDF page (mixed English and Russian), one rotated TIFF frame (Russian).
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from rapidfuzz.distance import Levenshtein

from dossier import markup, project
from dossier.ingest import images, pdf
from dossier.ingest.importer import import_files
from dossier.ingest.registry import ImportOptions
from dossier.report import DossierError, Report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FRUS = SHARED / "corpora" / "frus1961-63v06.xml"
FRUS_TOOL = SHARED / "eval" / "frus_index.py"
FACTRU = SHARED / "corpora" / "factRuEval-2016" / "devset"
HEAD_VERSO = "FOREIGN RELATIONS, 1961–1963, VOLUME VI"
HEAD_RECTO = "KENNEDY–KHRUSHCHEV EXCHANGES"
CSS = f"""@page {{ size: A5; margin: 2cm 1.8cm;
  @top-center {{ content: "{HEAD_RECTO}"; font-size: 9pt }}
  @bottom-center {{ content: "— " counter(page) " —"; font-size: 9pt }} }}
@page :left {{ @top-center {{ content: counter(page) "   {HEAD_VERSO}" }} }}
body {{ font-family: serif; font-size: 11pt; hyphens: auto; text-align: justify }}
p {{ margin: 0 0 .6em }}"""


def source_texts(dest: Path) -> list[str]:
    """Seven FRUS documents and two Russian news texts, as their files give them."""
    if not (dest / "d7.txt").exists():
        subprocess.run([sys.executable, str(FRUS_TOOL), "text", str(FRUS), str(dest)], check=True,
                       capture_output=True)
    texts = [(dest / f"d{i}.txt").read_text(encoding="utf-8") for i in range(1, 8)]
    texts += [(FACTRU / f"book_{n}.txt").read_text(encoding="utf-8") for n in (100, 105)]
    return texts


def make_pdf(texts: list[str], out: Path) -> Path:
    """A typeset PDF of the texts (paragraphs at blank lines or line ends), heads, numbers, hyphens."""
    from weasyprint import HTML

    parts = []
    for t in texts:
        lang = "ru" if re.search("[а-я]", t) else "en"
        for para in re.split(r"\n\s*\n|\n", t):
            if para.strip():
                parts.append(f'<p lang="{lang}">{html.escape(para.strip())}</p>')
    HTML(string=f"<html lang=en><style>{CSS}</style><body>{''.join(parts)}</body></html>").write_pdf(out)
    return out


_FURNITURE = re.compile(r"KENNEDY.KHRUSHCHEV EXCHANGES|\d* *FOREIGN RELATIONS, 1961.1963, VOLUME VI|[—-] *\d+ *[—-]")


def body_only(text: str) -> str:
    """A single page's text without its head and page number (a lone page has nothing to compare
    them with; the text layer gives them last, OCR first)."""
    return _FURNITURE.sub(" ", text)


def norm(text: str) -> str:
    return " ".join(text.split())


def cer(truth: str, got: str) -> float:
    a, b = norm(truth), norm(got)
    return Levenshtein.distance(a, b) / max(1, len(a))


def read_documents(path: Path, lang: str = "") -> tuple[list, Report, list]:
    report = Report()
    reader = pdf if path.suffix == ".pdf" else images
    result = reader.read(path, ImportOptions(lang=lang), report)
    return result.documents, report, result.files


def read(path: Path, lang: str = "") -> tuple[str, dict, Report, list]:
    """A file that holds one document (a page of the volume that starts none, a scan, a blank)."""
    docs, report, files = read_documents(path, lang)
    assert len(docs) == 1, [d.id for d in docs]
    return markup.plain_text(docs[0].body), docs[0].extra, report, files


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | list[str]]:
    base = tmp_path_factory.mktemp("pdf")
    texts = source_texts(base / "frus")
    printed = make_pdf(texts, base / "printed.pdf")
    return {"base": base, "texts": texts, "pdf": printed}


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def one_page(src: Path, number: int, out: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(src).pages[number - 1])
    writer.write(out)
    return out


def raster(src: Path, number: int, out_base: Path) -> Path:
    subprocess.run(["pdftoppm", "-r", "300", "-f", str(number), "-l", str(number), "-png", "-singlefile",
                    "-gray", str(src), str(out_base)], check=True)
    return out_base.with_suffix(".png")


# --- text layer -----------------------------------------------------------------------------------


def test_text_layer_gives_the_text_without_heads_numbers_or_hyphenation(work):
    docs, report, files = read_documents(work["pdf"])
    # the seven FRUS documents are cut apart at their headings (the Russian texts, which have none,
    # stay with the seventh), and together they are the whole text: nothing before or between them
    assert [d.n for d in docs] == list(range(1, 8)) and [d.id for d in docs] == [f"printed-{n:03d}" for n in range(1, 8)]
    text = "\n\n".join(markup.plain_text(d.body) for d in docs)
    truth = "\n\n".join(work["texts"])
    assert cer(truth, text) < 0.0005  # one name split at a line end (Mc-Sweeney) may stay hyphenated
    for furniture in (HEAD_VERSO, HEAD_RECTO, "— 3 —"):
        assert furniture not in text
    assert not re.search(r"(?m)^\d+$", text)
    # words the typesetter split are whole again, real hyphens kept
    assert "\u2010" not in text.replace("Mc\u2010Sweeney", "")
    compounds = set(re.findall(r"\w+-\w+", truth))
    assert {"Soviet-American", "President-elect", "какой-либо", "горе-пророка"} <= compounds
    assert compounds <= set(re.findall(r"\w+-\w+", text))
    # every page starts in exactly one document, in order
    n = page_count(work["pdf"])
    assert [p[0] for d in docs for p in d.extra["pages"]] == list(range(1, n + 1))
    assert docs[0].extra["pages"][0] == [1, 0]
    for d in docs:
        offsets = [p[1] for p in d.extra["pages"]]
        assert offsets == sorted(offsets) and all(0 <= o < len(markup.plain_text(d.body)) for o in offsets)
        assert d.extra["source_file"] == "printed.pdf"
    assert report.stats["pages"]["read"] == n == report.stats["pages"]["text"]
    assert report.stats["pages"]["empty"] == [] and not report.problems and not files
    assert "left_out" not in report.stats


def test_page_offsets_point_at_each_pages_first_words(work):
    docs, _, _ = read_documents(work["pdf"])
    from pypdf import PdfReader

    reader = PdfReader(work["pdf"])
    checked = 0
    for doc in docs:
        text = markup.plain_text(doc.body)
        for number, offset in doc.extra["pages"]:
            lines = [ln.strip() for ln in reader.pages[number - 1].extract_text().split("\n") if ln.strip()]
            first = next(ln for ln in lines if HEAD_RECTO not in ln and HEAD_VERSO not in ln)
            word = re.match(r"\S+", first).group().rstrip("\u2010-")
            assert text[offset:offset + len(word)] == word, (number, text[offset:offset + 40], first)
            checked += 1
    assert checked == page_count(work["pdf"])


def test_import_command_writes_the_documents_and_accounts_for_pages(work, tmp_path):
    from dossier.cli import run

    run(["import", str(work["pdf"]), "--into", str(tmp_path / "proj"), "-q"])
    names = sorted(p.name for p in (tmp_path / "proj" / "documents").glob("*.md"))
    assert names == [f"printed-{n:03d}.md" for n in range(1, 8)]
    doc = project.read_document(tmp_path / "proj" / "documents" / "printed-001.md")
    assert doc.extra["pages"][0] == [1, 0] and doc.extra["source_file"] == "printed.pdf"
    assert doc.n == 1 and doc.heading == "Message From Chairman Khrushchev to President-elect Kennedy"
    import json

    rep = json.loads((tmp_path / "proj" / "import-report.json").read_text(encoding="utf-8"))
    assert rep["documents_written"] == 7 and rep["stats"]["pages"]["read"] == page_count(work["pdf"])


# --- bad PDFs -------------------------------------------------------------------------------------


def _one_line_error(path: Path, *words: str) -> str:
    with pytest.raises(DossierError) as exc:
        read(path)
    message = str(exc.value)
    assert "\n" not in message and str(path) in message
    for w in words:
        assert w in message
    return message


def test_encrypted_pdf_is_refused_in_one_line(work, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(work["pdf"]))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    writer.write(locked)
    _one_line_error(locked, "encrypted", "decrypted copy")


def test_pdf_encrypted_with_the_empty_password_is_read(work, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(one_page(work["pdf"], 2, tmp_path / "p2.pdf")))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    restricted = tmp_path / "restricted.pdf"
    writer.write(restricted)
    docs, _, _ = read_documents(restricted)
    plain, _, _ = read_documents(tmp_path / "p2.pdf")
    texts = [markup.plain_text(d.body) for d in docs]
    assert texts == [markup.plain_text(d.body) for d in plain] and sum(map(len, texts)) > 500


def test_truncated_pdf_is_refused_in_one_line(work, tmp_path):
    data = work["pdf"].read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    _one_line_error(cut, "truncated")


def test_damaged_and_non_pdf_files_are_refused_in_one_line(work, tmp_path):
    fake = tmp_path / "notes.pdf"
    fake.write_text("Message From Chairman Khrushchev to President-elect Kennedy", encoding="utf-8")
    _one_line_error(fake, "not a PDF")
    data = work["pdf"].read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[:16] + b"\x00" * (len(data) - 1040) + data[-1024:])  # header and tail only
    _one_line_error(broken)


def test_blank_pdf_pages_are_warned_and_accounted(work, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(work["pdf"]).pages[0])
    writer.add_blank_page()
    mixed = tmp_path / "with-blank.pdf"
    writer.write(mixed)
    text, _, report, _ = read(mixed)
    assert text and report.stats["pages"]["empty"] == ["with-blank.pdf:2"]
    assert report.stats["pages"]["read"] == 2 and report.stats["pages"]["text"] == 1
    assert any("page 2" in p.message and "blank" in p.message for p in report.warnings)


# --- OCR (two pages with text in all) -------------------------------------------------------------


def _mixed_page(path: Path) -> int:
    """The page where the English documents end and the Russian texts begin."""
    from pypdf import PdfReader

    for i, page in enumerate(PdfReader(path).pages):
        t = page.extract_text()
        if re.search("[а-я]{4}", t) and re.search("[a-z]{4}", t):
            return i + 1
    raise AssertionError("no page with both scripts")


def test_scanned_pdf_is_read_by_ocr_with_few_errors(work, tmp_path):
    number = _mixed_page(work["pdf"])
    truth, _, _, _ = read(one_page(work["pdf"], number, tmp_path / "page.pdf"))
    scan_png = raster(work["pdf"], number, tmp_path / "scan")
    blank = Image.new("L", Image.open(scan_png).size, 255)
    scanned = tmp_path / "scanned.pdf"
    Image.open(scan_png).save(scanned, save_all=True, append_images=[blank], resolution=300)
    text, extra, report, files = read(scanned, lang="ru+en")
    assert cer(body_only(truth), body_only(text)) <= 0.02, (truth[-300:], text[-300:])
    pages = report.stats["pages"]
    assert pages["read"] == 2 and pages["ocr"] == 1 and pages["empty"] == ["scanned.pdf:2"]
    assert any("page 2" in p.message for p in report.warnings)
    assert extra["ocr"]["lang"] == "rus+eng" and extra["facsimiles"] == ["scanned.pdf"]
    assert files == [(scanned, "scanned.pdf")]


def test_rotated_multipage_tiff_reads_upright_and_is_kept_as_facsimile(work, tmp_path):
    number = page_count(work["pdf"]) - 1  # Russian text
    truth, _, _, _ = read(one_page(work["pdf"], number, tmp_path / "page.pdf"))
    page = Image.open(raster(work["pdf"], number, tmp_path / "ru"))
    tiff = tmp_path / "scan-ru.tif"
    page.rotate(90, expand=True).save(tiff, save_all=True, append_images=[Image.new("L", page.size, 255)],
                                      compression="tiff_lzw")
    report = Report()
    summary = import_files([tiff], tmp_path / "proj", "ru+en", False, report, lambda items, label, total: items)
    assert "Imported 1 document from 1 file into" in summary
    doc = project.read_document(tmp_path / "proj" / "documents" / "scan-ru.md")
    assert cer(body_only(truth), body_only(markup.plain_text(doc.body))) <= 0.02
    assert doc.extra["facsimiles"] == ["scan-ru.tif"] and doc.language == "ru"
    assert (tmp_path / "proj" / "images" / "scan-ru.tif").read_bytes() == tiff.read_bytes()
    assert report.stats["pages"]["files"]["scan-ru.tif"] == {"pages": 2, "text": 0, "ocr": 1, "empty": [2]}


def test_blank_page_image_is_warned_accounted_and_kept(tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("L", (1240, 1754), 255).save(blank)  # synthetic: an empty A5 page at 150 dpi
    text, extra, report, files = read(blank)
    assert text == "" and extra["facsimiles"] == ["blank.png"] and files == [(blank, "blank.png")]
    assert report.stats["pages"] == {"read": 1, "text": 0, "ocr": 0, "empty": ["blank.png:1"],
                                     "files": {"blank.png": {"pages": 1, "text": 0, "ocr": 0, "empty": [1]}}}
    assert len(report.warnings) == 1 and "no text" in report.warnings[0].message


def test_not_an_image_is_refused_in_one_line(tmp_path):
    fake = tmp_path / "page.png"
    fake.write_bytes(b"%PDF-1.7 not an image")
    with pytest.raises(DossierError) as exc:
        read(fake)
    assert "not a PNG, JPEG or TIFF" in str(exc.value) and "\n" not in str(exc.value)
