"""The JSON export: the contract's keys, the FRUS volume's dates and numbers kept, read by letters.py.

Real data only: the FRUS 1961-63 vol. VI volume imported with `dossier import`; Tolstoy letters
(their plain text, with the editors' metadata in the front matter) scored by letters.py, which reads
edition.json exactly as other tools do.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from conftest import FACTRU, FRUS, LETTERS, SHARED
from dossier import markup, project
from dossier.build import build_edition
from dossier.compile.edition import compile_edition
from dossier.model import DateRange, Document, RegisterEntry, Registers
from dossier.publish.json_export import edition_json, to_text
from dossier.report import Report

NS = {"t": "http://www.tei-c.org/ns/1.0"}
EVAL = SHARED / "eval"
DOC_KEYS = {"id", "n", "heading", "type", "date", "place", "authors", "addressees", "language", "chapter", "source",
            "legend", "text", "notes", "mentions"}
ENTRY_KEYS = {"id", "name", "variants", "documents", "description", "see"}


@pytest.fixture(scope="module")
def frus_json(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    base = tmp_path_factory.mktemp("frus-json")
    proc = subprocess.run([sys.executable, "-m", "dossier.cli", "import", str(FRUS), "--into", str(base / "proj"),
                           "-q"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    build_edition(base / "proj", base / "out", ["json"], Report())
    return base, json.loads((base / "out" / "edition.json").read_text(encoding="utf-8"))


def test_frus_volume_has_every_document_with_the_sources_dates(frus_json):
    _, data = frus_json
    assert set(data) >= {"edition", "chapters", "documents", "index", "abbreviations", "appendix"}
    docs = data["documents"]
    assert len(docs) == 120
    assert [d["n"] for d in docs] == list(range(1, 121))
    source = etree.parse(str(FRUS), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    frus = "http://history.state.gov/frus/ns/1.0"
    by_id = {d["id"]: d for d in docs}
    for div in source.iterfind(".//t:div[@type='document']", NS):
        d = by_id[div.get("{http://www.w3.org/XML/1998/namespace}id")]
        assert str(d["n"]) == div.get("n")
        assert d["date"]["from"] == div.get(f"{{{frus}}}doc-dateTime-min")[:10], d["id"]
        assert d["date"]["to"] == div.get(f"{{{frus}}}doc-dateTime-max")[:10], d["id"]
    for d in docs:
        assert DOC_KEYS <= set(d), d["id"]
        assert set(d["date"]) >= {"from", "to", "precision", "text"}
    d42 = by_id["d42"]
    assert d42["heading"] == "Letter From Chairman Khrushchev to President Kennedy"
    assert d42["heading_markup"].startswith("Letter From Chairman [Khrushchev]{person=p_KNS2}")
    assert d42["place"] == "Moscow" and d42["date"]["text"] == "March 10, 1962"
    assert d42["text"].startswith("Dear Mr. President, I have received your message on the German affairs")
    assert {"label": "1", "text": "Document 34."} in d42["notes"]
    assert {"kind": "person", "text": "Thompson", "ref": "p_TLET1", "in": "body"} in d42["mentions"]


def test_frus_index_entries_list_their_documents(frus_json):
    _, data = frus_json
    persons = {e["id"]: e for e in data["index"]["persons"]}
    assert set(data["index"]) == {"persons", "places", "organizations"}
    for e in persons.values():
        assert ENTRY_KEYS <= set(e)
    k = persons["p_KNS2"]
    assert k["name"].startswith("Khrushchev")
    numbers = {d["id"]: d["n"] for d in data["documents"]}
    assert len(k["documents"]) > 100 and k["numbers"] == [numbers[x] for x in k["documents"]]
    # every mention's ref is an entry of the index (or an abbreviation, for terms)
    ids = {e["id"] for kind in data["index"].values() for e in kind} | {a["id"] for a in data["abbreviations"]}
    assert all(m["ref"] in ids for d in data["documents"] for m in d["mentions"])
    assert {"id": "t_USSR1", "abbr": "USSR", "expansion": "Union of Soviet Socialist Republics"} in data["abbreviations"]


def test_frus_json_is_deterministic(frus_json, tmp_path):
    base, _ = frus_json
    build_edition(base / "proj", tmp_path, ["json"], Report())
    assert (tmp_path / "edition.json").read_bytes() == (base / "out" / "edition.json").read_bytes()


def test_russian_text_is_written_as_itself(tmp_path):
    """factRuEval text with one linked and one unlinked mark: Cyrillic unescaped, text = plain text."""
    txt = sorted(FACTRU.glob("*.txt"))[0]
    text = txt.read_text(encoding="utf-8")
    body = markup.escape(text)
    plain = markup.plain_text(body)
    first = plain.index("Москвы")
    body, skipped = markup.mark_spans(body, [markup.Span(first, first + 6, "place", "pl_moscow"),
                                             markup.Span(plain.index("Лужков"), plain.index("Лужков") + 7, "person")])
    assert not skipped
    project.new_project(tmp_path, "factRuEval", "soviet", ["ru"])
    project.write_registers(tmp_path, Registers(places=[RegisterEntry("pl_moscow", "place", "Москва",
                                                                      variants=["Moscow"])]))
    project.write_document(tmp_path, Document(id=txt.stem, body=body, language="ru",
                                              date=DateRange("2010-06-28", "2010-06-28", "day", "28 июня")))
    build_edition(tmp_path, tmp_path / "out", ["json"], Report())
    raw = (tmp_path / "out" / "edition.json").read_text(encoding="utf-8")
    assert "Москва" in raw and "\\u04" not in raw
    data = json.loads(raw)
    doc = data["documents"][0]
    assert doc["id"] == txt.stem and doc["n"] == 1 and doc["language"] == "ru"
    assert doc["text"] == markup.plain_text(body) == plain
    assert doc["mentions"][0] == {"kind": "place", "text": "Москвы", "ref": "pl_moscow", "in": "body"}
    person = doc["mentions"][1]
    assert person["text"] == "Лужкова" and person["ref"] in {e["id"] for e in data["index"]["persons"]}
    place = data["index"]["places"][0]
    assert (place["name"], place["variants"], place["documents"]) == ("Москва", ["Moscow"], [txt.stem])
    assert data["edition"]["style"] == "soviet" and data["edition"]["languages"] == ["ru"]
    report = Report()
    compiled = compile_edition(project.load_project(tmp_path, report), report)
    assert to_text(edition_json(compiled, report)) == raw


def test_letters_scorer_reads_the_documents(tmp_path):
    """Tolstoy letters written with the editors' own metadata: letters.py must find all of it in edition.json."""
    lines = subprocess.run([sys.executable, str(EVAL / "letters.py"), "gold", str(LETTERS)], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    texts = tmp_path / "texts"
    subprocess.run([sys.executable, str(EVAL / "letters.py"), "text", str(LETTERS), str(texts)], check=True,
                   capture_output=True)
    root = tmp_path / "tolstoy"
    project.new_project(root, "Толстой. Письма", "soviet", ["ru"])
    for line in lines:
        g = json.loads(line)
        stem = Path(g["file"]).stem
        date = DateRange(g["from"], g["to"], "day") if g["from"] else DateRange()
        project.write_document(root, Document(
            id=stem, n=g["n"], date=date, place=g["place"] or "", addressees=[a for a in g["addressees"] if a],
            body=markup.escape((texts / f"{stem}.txt").read_text(encoding="utf-8")), language="ru"))
    build_edition(root, tmp_path / "out", ["json"], Report())
    proc = subprocess.run([sys.executable, str(EVAL / "letters.py"), "score", str(LETTERS),
                           str(tmp_path / "out" / "edition.json")], capture_output=True, text=True, check=True)
    score = json.loads(proc.stdout)
    assert score["letters"] == score["documents_found"] == len(lines)
    for key in ("number", "addressee", "date_from", "date_interval", "place"):
        assert score[key] == 1.0, (key, score)
