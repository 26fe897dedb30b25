"""The text and Markdown reader on real texts: FRUS 1961-63 vol. VI as plain text (frus_index.py text) and
the Russian news texts of factRuEval-2016, re-encoded here into the encodings archives actually hold.

Expected texts are the corpus files themselves; the only change the reader may make is the layout the
document markup cannot hold (line endings, runs of blank lines, blank lines at the ends), computed here
independently of the reader.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FACTRU, FRUS, SHARED
from dossier import markup, project
from dossier.cli import run
from dossier.ingest import registry, text
from dossier.ingest.registry import ImportOptions
from dossier.report import DossierError, Report

ENCODINGS = ("cp1251", "koi8-r", "utf-16", "utf-16-be-bom", "utf-8-sig", "utf-8")


def expected(source: str) -> str:
    """What the markup keeps of a text: \\n line ends, one blank line between paragraphs, no blank ends."""
    lines = [ln if ln.strip(" \t\f\v") else "" for ln in source.replace("\r\n", "\n").split("\n")]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return out.strip("\n")


def encode(source: str, encoding: str) -> bytes:
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + source.encode("utf-16-be")
    return source.encode(encoding)


def russian_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(FACTRU.glob("*.txt"))}


def encodable(source: str, encoding: str) -> bool:
    try:
        encode(source, encoding)
    except UnicodeEncodeError:
        return False
    return True


@pytest.fixture(scope="module")
def frus_texts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("frus-text")
    subprocess.run([sys.executable, str(SHARED / "eval" / "frus_index.py"), "text", str(FRUS), str(out)],
                   check=True, capture_output=True)
    return out


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_russian_texts_come_back_exactly_in_every_encoding(tmp_path, encoding):
    texts = {k: v for k, v in russian_texts().items() if encodable(v, encoding)}
    # KOI8-R has no « » or —, so fewer news texts fit it; there must still be a real sample.
    assert len(texts) >= 10
    for stem, source in texts.items():
        path = tmp_path / f"{stem}.txt"
        path.write_bytes(encode(source.replace("\n", "\r\n"), encoding))
        doc = text.read_document(path, ImportOptions(lang="ru"), Report())
        assert doc.id == stem
        assert markup.plain_text(doc.body) == expected(source), (stem, encoding)
        assert doc.language == "ru"
        want = {"utf-16": "utf-16-le", "utf-16-be-bom": "utf-16-be", "utf-8-sig": "utf-8"}.get(encoding, encoding)
        assert doc.extra.get("source_encoding", "utf-8") == want


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_short_russian_texts_are_read_right_or_refused_never_misread(encoding):
    """The hard case: the opening words of each text alone. A wrong reading is never returned."""
    right = refused = 0
    for source in russian_texts().values():
        words = " ".join(source.split()[:12])
        if not encodable(words, encoding):
            continue
        try:
            got = text.decode(words.encode(encoding))
        except text.EncodingError:
            refused += 1
            continue
        assert got.text == words, (encoding, got.encoding, words)
        right += 1
    assert right >= 0.9 * (right + refused)


def test_mixed_encodings_and_broken_utf8_are_refused():
    source = next(iter(russian_texts().values()))
    half = len(source) // 2
    pasted = source[:half].encode("cp1251", "replace") + source[half:].encode("koi8-r", "replace")
    with pytest.raises(text.EncodingError, match="mixed encodings"):
        text.decode(pasted)
    broken = source[:half].encode("utf-8") + source[half:].encode("cp1251", "replace")
    with pytest.raises(text.EncodingError, match="UTF-8"):
        text.decode(broken)


def test_files_that_are_not_text_are_rejected_with_one_line(tmp_path, frus_texts):
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    pdf = tmp_path / "scan.txt"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    binary = tmp_path / "data.md"
    binary.write_bytes(bytes(range(256)) * 8)
    cases = {png: "PNG image", pdf: "PDF document", binary: "NUL bytes"}
    for path, what in cases.items():
        with pytest.raises(DossierError) as err:
            text.read_document(path, ImportOptions(), Report())
        assert what in err.value.problem.message
        assert err.value.problem.file == str(path)
        assert "\n" not in str(err.value)


def test_frus_plain_texts_keep_their_words_and_find_the_dateline(frus_texts):
    files = sorted(frus_texts.glob("*.txt"))
    assert len(files) == 120
    dated = 0
    for path in files:
        source = path.read_text(encoding="utf-8")
        doc = text.read_document(path, ImportOptions(), Report())
        assert markup.plain_text(doc.body) == expected(source), path.name
        assert doc.language == "en"
        if not doc.date.is_undated:
            dated += 1
            # the dateline is one line of the text as printed, and holds the date's text
            assert doc.dateline in expected(source).split("\n")
            assert doc.date.text in doc.dateline
            assert doc.date.start[:4] in doc.dateline
    assert dated >= 100


def test_markdown_with_front_matter_is_a_document_file(tmp_path, frus_texts):
    source = (frus_texts / "d1.txt").read_text(encoding="utf-8")
    front = "---\nn: 1\ntype: message\ndate:\n  from: 1960-11-09\n  precision: day\n---\n\n"
    path = tmp_path / "d1.md"
    path.write_bytes((front + markup.escape(expected(source)) + "\n").encode("cp1251"))
    doc = text.read_document(path, ImportOptions(), Report())
    assert (doc.n, doc.type, doc.date.start) == (1, "message", "1960-11-09")
    assert markup.plain_text(doc.body) == expected(source)
    assert doc.language == "en"
    # without front matter, Markdown is text: its marks stay characters
    plain = tmp_path / "notes.md"
    plain.write_text("# Heading\n\n*not emphasis* and [a]{person} \\ as typed\n", encoding="utf-8")
    doc = text.read_document(plain, ImportOptions(), Report())
    assert markup.plain_text(doc.body) == "# Heading\n\n*not emphasis* and [a]{person} \\ as typed"
    # a broken front matter names its line
    bad = tmp_path / "bad.md"
    bad.write_text("---\nn: 1\ndate:\n  from: 1963-11-31\n---\n\ntext\n", encoding="utf-8")
    with pytest.raises(DossierError) as err:
        text.read_document(bad, ImportOptions(), Report())
    assert (err.value.problem.line, "does not exist" in err.value.problem.message) == (3, True)  # the date: line


def test_language_is_detected_by_script_when_not_given(tmp_path, frus_texts):
    ru_name, ru_source = next(iter(russian_texts().items()))
    (tmp_path / f"{ru_name}.txt").write_text(ru_source, encoding="utf-8")
    doc = text.read_document(tmp_path / f"{ru_name}.txt", ImportOptions(), Report())
    assert doc.language == "ru"
    doc = text.read_document(frus_texts / "d1.txt", ImportOptions(lang="ru+en"), Report())
    assert doc.language == "en"


def test_the_text_reader_wins_text_files_only(frus_texts):
    assert registry.choose(frus_texts / "d1.txt").name == "text"
    assert registry.choose(FRUS).name != "text"


def test_import_folder_end_to_end_accounts_for_every_file(tmp_path, frus_texts):
    folder = tmp_path / "in"
    folder.mkdir()
    texts = russian_texts()
    chosen = sorted(texts)[:12]
    encodings = ["cp1251", "utf-16", "utf-8-sig", "utf-8"]
    written = {}
    for i, stem in enumerate(chosen):
        enc = encodings[i % len(encodings)]
        (folder / f"{stem}.txt").write_bytes(encode(texts[stem], enc))
        written[stem] = texts[stem]
    koi = next(s for s in sorted(texts) if encodable(texts[s], "koi8-r") and s not in written)
    (folder / f"{koi}.txt").write_bytes(texts[koi].encode("koi8-r"))
    written[koi] = texts[koi]
    # files the text reader must refuse (a PNG or PDF under a .txt name may go to the image or PDF reader,
    # whose bid wins on content; these two are nobody else's): binary data, and two encodings pasted together
    (folder / "data.txt").write_bytes(bytes(range(256)) * 8)
    first, second = texts[chosen[0]], texts[chosen[1]]
    (folder / "pasted.txt").write_bytes(first.encode("cp1251", "replace") + second.encode("koi8-r", "replace"))
    into = tmp_path / "proj"
    with pytest.raises(SystemExit) as exit_:
        run(["import", str(folder), "--into", str(into), "--lang", "ru", "-q"])
    assert exit_.value.code == 3
    rep = json.loads((into / "import-report.json").read_text(encoding="utf-8"))
    assert rep["documents_in"] == rep["documents_written"] + rep["documents_rejected"] == len(written) + 2
    reasons = {r["document"]: r["reason"] for r in rep["rejected"]}
    assert sorted(reasons) == ["data.txt", "pasted.txt"]
    assert "NUL bytes" in reasons["data.txt"] and "mixed encodings" in reasons["pasted.txt"]
    assert all(r["file"] == str(folder / r["document"]) for r in rep["rejected"])
    report = Report()
    edition = project.load_project(into, report)
    assert not report.errors
    got = {d.id: d for d in edition.documents}
    assert sorted(got) == sorted(written)
    for stem, source in written.items():
        assert markup.plain_text(got[stem].body) == expected(source), stem
        assert got[stem].language == "ru"
    # re-running does not overwrite the editor's files: every document is refused, none lost
    before = {p.name: p.read_bytes() for p in (into / "documents").iterdir()}
    with pytest.raises(SystemExit):
        run(["import", str(folder), "--into", str(into), "--lang", "ru", "-q"])
    assert {p.name: p.read_bytes() for p in (into / "documents").iterdir()} == before
