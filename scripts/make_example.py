"""Build the bundled example dossier, examples/kennedy-khrushchev/, from the FRUS volume.

What it is for: making the example reproducibly. It reads FRUS 1961-1963 vol. VI (Kennedy-Khrushchev
Exchanges; public domain, HistoryAtState/frus `volumes/frus1961-63v06.xml`) with dossier's TEI reader,
keeps a selection of 25 documents (the first exchanges of November 1960-1961, the Cuban missile crisis
of October-November 1962, and all of documents 118-120 of October-December 1963), numbers them
1-25 in the volume's order (each keeps its FRUS number and address under `frus`), keeps only the
register entries and abbreviations the selection mentions, and writes the project folder afresh.
Running it twice gives byte-identical files.

What it is not: part of the dossier package, or a general tool for making selections.

    .venv/bin/python scripts/make_example.py [--frus PATH] [--out DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from dossier import markup, project
from dossier.ingest import tei
from dossier.ingest.registry import ImportOptions
from dossier.model import Document, Metadata, Registers
from dossier.report import Report

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FRUS = ROOT.parent / "shared" / "corpora" / "frus1961-63v06.xml"
DEFAULT_OUT = ROOT / "examples" / "kennedy-khrushchev"
FRUS_URL = "https://history.state.gov/historicaldocuments/frus1961-63v06/{id}"

# FRUS document numbers kept, by period.
FIRST_EXCHANGES = [1, 2, 3, 7, 10, 11, 21]  # November 1960 - September 1961
CUBAN_CRISIS = [60, 61, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75]  # 22 October - 11 November 1962
AFTER_DALLAS = [118, 119, 120]  # October - December 1963: the last letters, to Johnson, from Jacqueline Kennedy
SELECTION = FIRST_EXCHANGES + CUBAN_CRISIS + AFTER_DALLAS

SOURCE = ("Public domain. The documents, their headings, source notes and footnotes, and the List of Names "
          "and List of Abbreviations are taken unaltered from Foreign Relations of the United States, "
          "1961–1963, Volume VI, Kennedy-Khrushchev Exchanges, ed. Charles S. Sampson, general editor "
          "Glenn W. LaFantasie (United States Government Printing Office, Washington, 1996), published by "
          "the US Department of State, Office of the Historian: a work of the US Government, in the public "
          "domain. TEI text: repository HistoryAtState/frus, volumes/frus1961-63v06.xml.")

PREFACE = ("A selection of 25 of the 120 documents of FRUS 1961–1963, Volume VI, made to show dossier at "
           "work: seven from the first exchanges between Khrushchev and Kennedy (November 1960 to "
           "September 1961), fifteen from the Cuban missile crisis (22 October to 11 November 1962), and "
           "the last three documents of the volume (October to December 1963), among them Khrushchev's "
           "letter to President Johnson after the assassination and Jacqueline Kennedy's letter to "
           "Khrushchev. Documents are numbered 1–25 in the volume's order; each keeps its FRUS number. "
           "Names are marked as the FRUS editors tagged them; registers hold only the entries the "
           "selection mentions. Built by scripts/make_example.py from the FRUS TEI.")

README = """# Kennedy–Khrushchev Exchanges: a selection (dossier example)

25 documents from *Foreign Relations of the United States, 1961–1963, Volume VI, Kennedy-Khrushchev
Exchanges* (US Department of State, Office of the Historian, 1996), in dossier's project format.

- Source and rights: a work of the US Government, in the public domain. The TEI text is from the
  repository HistoryAtState/frus, `volumes/frus1961-63v06.xml`; texts, headings, source notes and
  footnotes are unaltered.
- Selection: FRUS documents {numbers}.
  Each document file keeps its FRUS number and address under `frus:` in its front matter.
- Made by `scripts/make_example.py` (do not edit by hand: re-run the script instead).

Build it with `dossier build examples/kennedy-khrushchev --out /tmp/ex` or simply `dossier demo`.
"""


def mentioned(docs: list[Document]) -> tuple[set[str], set[str]]:
    """Ids of register entries and of terms that the documents' marks point to."""
    refs: set[str] = set()
    terms: set[str] = set()
    for d in docs:
        for text in (d.heading, d.source, d.body):
            for node in markup.mentions(text):
                if node.ref:
                    (terms if node.kind == "term" else refs).add(node.ref)
    return refs, terms


def build(frus: Path, out: Path) -> int:
    report = Report()
    result = tei.read(frus, ImportOptions(lang="en"), report)
    if report.errors:
        for p in report.errors:
            print(p, file=sys.stderr)
        return 1
    by_n = {d.n: d for d in result.documents}
    missing = [n for n in SELECTION if n not in by_n]
    if missing:
        print(f"{frus}: documents {missing} are not in this volume", file=sys.stderr)
        return 1
    docs = [by_n[n] for n in sorted(SELECTION)]
    for i, d in enumerate(docs, start=1):
        d.extra["frus"] = {"n": d.n, "url": FRUS_URL.format(id=d.id)}
        d.n = i
    refs, terms = mentioned(docs)
    regs = result.registers
    registers = Registers(
        persons=[e for e in regs.persons if e.id in refs],
        places=[e for e in regs.places if e.id in refs],
        organizations=[e for e in regs.organizations if e.id in refs],
        abbreviations=[a for a in regs.abbreviations if a.id in terms],
    )
    src = result.metadata or Metadata(title="Kennedy-Khrushchev Exchanges")
    used_chapters = {d.chapter for d in docs}
    meta = Metadata(
        title="Kennedy–Khrushchev Exchanges: A Selection",
        subtitle="25 documents, November 1960 – December 1963",
        series=src.series,
        volume=src.volume,
        editors=src.editors,
        publisher=src.publisher,
        place=src.place,
        year=src.year,
        identifier=f"{src.identifier}-selection" if src.identifier else "kennedy-khrushchev-selection",
        style="frus",
        languages=["en"],
        chapters=[c for c in src.chapters if c.id in used_chapters],
        source=SOURCE,
        license="Public domain (a work of the United States Government).",
        preface=PREFACE,
    )
    if out.exists():
        shutil.rmtree(out)
    project.new_project(out, meta.title, meta.style, meta.languages)
    project.write_metadata(out, meta)
    for d in docs:
        d.path = ""
        project.write_document(out, d)
    project.write_registers(out, registers)
    (out / "README.md").write_text(README.format(numbers=", ".join(str(n) for n in sorted(SELECTION))),
                                   encoding="utf-8")
    print(f"Wrote {out}: {len(docs)} documents, {len(registers.persons)} persons, "
          f"{len(registers.abbreviations)} abbreviations.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frus", type=Path, default=DEFAULT_FRUS, help="the FRUS TEI volume")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the example folder (replaced)")
    args = parser.parse_args(argv)
    return build(args.frus, args.out)


if __name__ == "__main__":
    sys.exit(main())
