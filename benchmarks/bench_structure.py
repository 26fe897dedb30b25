"""Measure structure recovery from plain text (dossier.ingest.structure) on the real corpora.

What it is for: the figures quoted in closing notes. Tolstoy letters (`letters.py text`): number,
addressee surname, first date, full interval, place of each letter's heading against gold.json, and
the same through `letters.py score` on an edition.json-like file built from `describe_document`.
FRUS 1961–63 vol. VI (`frus_index.py text`): number, heading, date (vs `frus:doc-dateTime-min`),
authors and addressees (vs `persName`/`gloss` typed `from`/`to` in the TEI head). Splitting:
`split_documents` on the concatenated texts (with a synthetic list of documents and list of names
for FRUS; one printed volume at a time for Tolstoy).

What it is not: a test (tests/test_structure.py asserts the goals) or a timing benchmark.

    .venv/bin/python benchmarks/bench_structure.py [--verbose]
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from lxml import etree

from dossier.enrich import names_ru
from dossier.ingest.structure import addressees_from_title, analyze_structure, describe_document

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LETTERS = SHARED / "corpora" / "tolstoy-letters"
FRUS = SHARED / "corpora" / "frus1961-63v06.xml"
EVAL = SHARED / "eval"
TEI = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
NS = {"t": TEI}

# Stands for the edition's printed list of abbreviations (the 90-volume edition expands `Я. П.`).
ABBREVIATIONS = {"Я. П.": "Ясная Поляна", "М.": "Москва", "П.": "Петербург"}
# The titles of the volumes whose letters all go to one person, as the volumes print them
# (PSS vols. 83–84 «Письма к С. А. Толстой», 85–89 «Письма к В. Г. Черткову»): their letter
# headings name no addressee.
VOLUME_TITLES = {83: "Письма к С. А. Толстой", 84: "Письма к С. А. Толстой", 85: "Письма к В. Г. Черткову",
                 86: "Письма к В. Г. Черткову", 87: "Письма к В. Г. Черткову", 88: "Письма к В. Г. Черткову",
                 89: "Письма к В. Г. Черткову"}


def texts(kind: str, out: Path) -> Path:
    if kind == "letters":
        subprocess.run([sys.executable, str(EVAL / "letters.py"), "text", str(LETTERS), str(out)], check=True,
                       capture_output=True)
    else:
        subprocess.run([sys.executable, str(EVAL / "frus_index.py"), "text", str(FRUS), str(out)], check=True,
                       capture_output=True)
    return out


def volume_of(stem: str) -> int:
    return int(re.match(r"v(\d+)_", stem).group(1))  # type: ignore[union-attr]


def key(s: str) -> str:
    return names_ru.fold(s).replace("ё", "е")


def first_surname(s: str) -> str:
    return key(re.split(r"[\s,(]", s.strip())[0])


def place_key(s: str | None) -> str:
    """letters.py's own place comparison: the last capitalised word, its first five letters."""
    toks = [w for w in re.findall(r"[А-ЯЁA-Z][а-яёa-z\-]+", s or "") if len(w) > 2]
    return toks[-1].lower().replace("ё", "е")[:5] if toks else ""


def tolstoy(tdir: Path, verbose: bool = False) -> tuple[dict[str, float], dict[str, object]]:
    gold = {Path(g["file"]).stem: g for g in json.loads((LETTERS / "gold.json").read_text(encoding="utf-8"))}
    n = got_n = got_to = to_total = got_to_own = to_own_total = got_from = got_iv = got_place = place_total = 0
    docs = []
    for f in sorted(tdir.glob("*.txt")):
        g = gold[f.stem]
        ctx = addressees_from_title(VOLUME_TITLES[volume_of(f.stem)]) if volume_of(f.stem) in VOLUME_TITLES else None
        facts = describe_document(f.read_text(encoding="utf-8"), "ru", ABBREVIATIONS, context_addressees=ctx)
        n += 1
        m = re.match(r"\*?\s*(\d+)", g["opener"])
        if m and facts.n == int(m.group(1)):
            got_n += 1
        gsur = {first_surname(r["name"]) for r in g["receivers"] if r and r.get("name")}
        psur = {first_surname(a) for a in facts.addressees}
        if gsur:
            to_total += 1
            ok = bool(gsur & psur)
            got_to += ok
            if volume_of(f.stem) not in VOLUME_TITLES:
                to_own_total += 1
                got_to_own += ok
            if verbose and not ok:
                print("  addressee", f.stem, facts.addressees, gsur)
        gd = g["date"]
        gf = gd.get("when") or gd.get("notBefore")
        gt = gd.get("when") or gd.get("notAfter")
        if facts.date.start == gf:
            got_from += 1
            if facts.date.end == gt:
                got_iv += 1
            elif verbose:
                print("  interval", f.stem, facts.date.start, facts.date.end, gd)
        elif verbose:
            print("  date", f.stem, facts.date, gd)
        if g["placeName"]:
            place_total += 1
            if place_key(g["placeName"]) == place_key(facts.place):
                got_place += 1
            elif verbose:
                print("  place", f.stem, facts.place, g["placeName"])
        docs.append({"id": f.stem, "n": facts.n, "addressees": facts.addressees,
                     "date": {"from": facts.date.start, "to": facts.date.end}, "place": facts.place})
    r = lambda a, b: round(a / b, 4) if b else 0.0  # noqa: E731
    figures = {"letters": n, "number": r(got_n, n), "addressee": r(got_to, to_total),
               "addressee_own_heading": r(got_to_own, to_own_total), "date_from": r(got_from, n),
               "date_interval": r(got_iv, n), "place": r(got_place, place_total)}
    return figures, {"documents": docs}


def letters_score(edition: dict[str, object]) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "edition.json"
        p.write_text(json.dumps(edition, ensure_ascii=False), encoding="utf-8")
        out = subprocess.run([sys.executable, str(EVAL / "letters.py"), "score", str(LETTERS), str(p)],
                             check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def frus_gold() -> dict[int, dict[str, object]]:
    tree = etree.parse(str(FRUS), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    out: dict[int, dict[str, object]] = {}
    for div in tree.iterfind(".//t:div[@type='document']", NS):
        head = div.find("t:head", NS)
        copy = etree.fromstring(etree.tostring(head, with_tail=False))
        for note in list(copy.iter(f"{{{TEI}}}note")):
            note.getparent().remove(note)
        text = re.sub(r"\s+", " ", "".join(copy.itertext())).strip()

        def names(role: str, h: etree._Element = head) -> list[str]:
            return [re.sub(r"\s+", " ", "".join(e.itertext())).strip()
                    for e in h.iter(f"{{{TEI}}}persName", f"{{{TEI}}}gloss")
                    if e.get("type") == role and not e.xpath("ancestor::t:note", namespaces=NS)]

        out[int(div.get("n"))] = {"heading": re.sub(r"^\d+\.\s*", "", text),
                                  "date": (div.get(f"{{{FRUS_NS}}}doc-dateTime-min") or "")[:10],
                                  "from": names("from"), "to": names("to")}
    return out


def same_party(g: str, p: str) -> bool:
    a, b = g.lower(), p.lower()
    return a == b or a.endswith(" " + b) or b.endswith(" " + a)


def frus(fdir: Path, verbose: bool = False) -> dict[str, float]:
    gold = frus_gold()
    n = got_n = got_head = got_date = got_from = got_to = 0
    for num, g in sorted(gold.items()):
        facts = describe_document((fdir / f"d{num}.txt").read_text(encoding="utf-8"), "en")
        n += 1
        got_n += facts.n == num
        got_head += facts.heading == g["heading"]
        ok_date = facts.date.start == g["date"]
        got_date += ok_date
        ok_from = all(any(same_party(x, y) for y in facts.authors) for x in g["from"])  # type: ignore[union-attr]
        ok_to = all(any(same_party(x, y) for y in facts.addressees) for x in g["to"])  # type: ignore[union-attr]
        got_from += ok_from
        got_to += ok_to
        if verbose and not (ok_date and ok_from and ok_to):
            print("  frus", num, facts.date.start, g["date"], facts.authors, g["from"], facts.addressees, g["to"])
    r = lambda a, b: round(a / b, 4) if b else 0.0  # noqa: E731
    return {"documents": n, "number": r(got_n, n), "heading": r(got_head, n), "date": r(got_date, n),
            "authors": r(got_from, n), "addressees": r(got_to, n)}


def frus_dossier(fdir: Path) -> tuple[str, list[tuple[int, int]]]:
    """A whole volume's text: a synthetic list of documents and list of names, then the 120 documents.

    Returns the text and each document's true [start, end)."""
    gold = frus_gold()
    parts = ["Foreign Relations of the United States, 1961–1963, Volume VI", "Contents",
             "Preface . . . . . iii", "List of Documents . . . . . vii", "List of Names . . . . . xxi",
             "Documents . . . . . 1"]
    parts.append("List of Documents")
    for num in sorted(gold):
        parts.append(f"{num}. {gold[num]['heading']} . . . . . {num * 3}")
    parts.append("List of Names")
    persons = sorted({x for g in gold.values() for x in g["from"] + g["to"]})  # type: ignore[operator]
    for p in persons:
        parts.append(f"{p}, correspondent in this volume")
    text = "\n\n".join(parts) + "\n\n"
    spans = []
    for num in sorted(gold):
        doc = (fdir / f"d{num}.txt").read_text(encoding="utf-8").strip()
        start = len(text)
        text += doc
        spans.append((start, len(text)))
        text += "\n\n"
    return text, spans


def split_accuracy(text: str, spans: list[tuple[int, int]], numbers: list[int], lang: str) -> dict[str, object]:
    st = analyze_structure(text, lang)
    docs = st.documents
    got = {d.number: d.span for d in docs}
    right_n = sum(1 for n in numbers if n in got)
    right_span = sum(1 for n, sp in zip(numbers, spans, strict=True) if got.get(n) == sp)
    return {"documents_true": len(numbers), "documents_found": len(docs), "numbers_right": right_n,
            "spans_right": right_span, "kinds": sorted({s.kind for s in st.sections}),
            "listed_not_found": st.listed_not_found, "found_not_listed": st.found_not_listed}


def tolstoy_volumes(tdir: Path) -> dict[str, object]:
    by_vol: dict[int, list[Path]] = defaultdict(list)
    for f in sorted(tdir.glob("*.txt")):
        by_vol[volume_of(f.stem)].append(f)
    total = found = right_n = right_span = 0
    for files in by_vol.values():
        text = ""
        spans, numbers = [], []
        for f in files:
            doc = f.read_text(encoding="utf-8").strip()
            spans.append((len(text), len(text) + len(doc)))
            numbers.append(int(re.match(r"v\d+_(\d+)", f.stem).group(1)))  # type: ignore[union-attr]
            text += doc + "\n\n"
        res = split_accuracy(text, spans, numbers, "ru")
        total += len(numbers)
        found += res["documents_found"]  # type: ignore[operator]
        right_n += res["numbers_right"]  # type: ignore[operator]
        right_span += res["spans_right"]  # type: ignore[operator]
    return {"volumes": len(by_vol), "documents_true": total, "documents_found": found, "numbers_right": right_n,
            "spans_right": right_span}


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    with tempfile.TemporaryDirectory() as tmp:
        tdir = texts("letters", Path(tmp) / "letters")
        fdir = texts("frus", Path(tmp) / "frus")
        figures, edition = tolstoy(tdir, verbose)
        print("Tolstoy (describe_document vs gold.json):", json.dumps(figures, ensure_ascii=False))
        print("Tolstoy (letters.py score):", json.dumps(letters_score(edition), ensure_ascii=False))
        print("FRUS (describe_document vs TEI head):", json.dumps(frus(fdir, verbose)))
        text, spans = frus_dossier(fdir)
        print("FRUS split (120 documents + synthetic apparatus):",
              json.dumps(split_accuracy(text, spans, list(range(1, 121)), "en")))
        print("Tolstoy split (one text per printed volume):", json.dumps(tolstoy_volumes(tdir)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
