"""DOCX import: a Word file made here with zipfile from a real FRUS document reads back exactly.

The document.xml is minimal but valid WordprocessingML (what Word itself needs to open it): the text
is FRUS 1961–63 vol. VI document 5 (Kennedy to Khrushchev, 13 February 1961) from `frus_index.py
text`, its heading in a heading style, its source note as a footnote, the dateline in italics, the
signature in bold after a tab, a line break inside a paragraph, and characters the markup must
escape.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pytest

from dossier import markup
from dossier.ingest import docx
from dossier.ingest.registry import ImportOptions, choose
from dossier.report import DossierError, Report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FRUS = SHARED / "corpora" / "frus1961-63v06.xml"
FRUS_TOOL = SHARED / "eval" / "frus_index.py"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/footnotes.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="word/document.xml"/></Relationships>"""
DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
 Target="footnotes.xml"/></Relationships>"""


def run(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r>'


def para(*runs: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


@pytest.fixture(scope="module")
def frus5(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    dest = tmp_path_factory.mktemp("frus")
    subprocess.run([sys.executable, str(FRUS_TOOL), "text", str(FRUS), str(dest)], check=True, capture_output=True)
    paras = (dest / "d5.txt").read_text(encoding="utf-8").strip().split("\n\n")
    heading, source, dateline, body, signature = paras
    assert source.startswith("Source:") and dateline.startswith("Washington")
    return {"heading": heading, "source": source, "dateline": dateline, "body": body, "signature": signature}


def make_docx(path: Path, parts: dict[str, str]) -> Path:
    first, rest = parts["body"].split(". ", 1)
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
        + para(run(parts["heading"]), '<w:r><w:footnoteReference w:id="1"/></w:r>', style="Heading1")
        + para(run(parts["dateline"], "<w:i/>"))
        + para(run(first + "."), "<w:r><w:br/></w:r>", run(rest))
        + para(run("[Signed]", '<w:b w:val="0"/>'), "<w:r><w:tab/></w:r>", run(parts["signature"], "<w:b/>"))
        + para(run("* Kennedy*s note: "), run("*", "<w:i/>"))
        + '<w:sectPr/></w:body></w:document>')
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>{run(" " + parts["source"])}</w:p>'
                 '</w:footnote></w:footnotes>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/_rels/document.xml.rels", DOC_RELS)
        zf.writestr("word/document.xml", document)
        zf.writestr("word/footnotes.xml", footnotes)
    return path


def test_docx_reads_back_exactly_with_emphasis_breaks_and_footnotes(frus5, tmp_path):
    path = make_docx(tmp_path / "kennedy-1961-02-13.docx", frus5)
    assert choose(path).name == "docx"
    report = Report()
    result = docx.read(path, ImportOptions(), report)
    [doc] = result.documents
    first, rest = frus5["body"].split(". ", 1)
    expected = "\n\n".join([frus5["heading"], frus5["dateline"], first + ".\n" + rest,
                            "[Signed]\t" + frus5["signature"], "* Kennedy*s note: *", frus5["source"]])
    assert markup.plain_text(doc.body) == expected
    assert doc.id == "kennedy-1961-02-13" and doc.language == "en" and not report.problems
    blocks = markup.parse(doc.body)
    assert blocks[0].kind == "head" and isinstance(blocks[0].inlines[-1], markup.NoteRef)
    assert blocks[-1].kind == "note" and blocks[-1].label == "1"
    assert doc.body.split("\n\n")[1] == f"*{frus5['dateline']}*"
    assert f"**{frus5['signature']}**" in doc.body
    assert "\\*" in doc.body  # literal asterisks escaped, the italic one too
    assert doc.extra["notes"] == 1


def test_not_a_zip_and_zip_without_document_are_refused_in_one_line(frus5, tmp_path):
    fake = tmp_path / "letter.docx"
    fake.write_text(frus5["body"], encoding="utf-8")
    empty_zip = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty_zip, "w") as zf:
        zf.writestr("word/styles.xml", "<styles/>")
    old = tmp_path / "old.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    for path, words in ((fake, "not a zip"), (empty_zip, "without word/document.xml"), (old, "97–2003")):
        with pytest.raises(DossierError) as exc:
            docx.read(path, ImportOptions(), Report())
        assert words in str(exc.value) and str(path) in str(exc.value) and "\n" not in str(exc.value)
