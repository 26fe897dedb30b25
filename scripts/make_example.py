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
    .venv/bin/python scripts/make_example.py --bilingual   # examples/kennedy-bilingual
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

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


def read_selection(frus: Path, selection: list[int]) -> tuple[list[Document], Registers, Metadata] | None:
    """The FRUS documents of `selection`, numbered 1.. in the volume's order (each keeps its FRUS number
    and address under `frus`), with the register entries and abbreviations they mention."""
    report = Report()
    result = tei.read(frus, ImportOptions(lang="en"), report)
    if report.errors:
        for p in report.errors:
            print(p, file=sys.stderr)
        return None
    by_n = {d.n: d for d in result.documents}
    missing = [n for n in selection if n not in by_n]
    if missing:
        print(f"{frus}: documents {missing} are not in this volume", file=sys.stderr)
        return None
    docs = [by_n[n] for n in sorted(selection)]
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
    return docs, registers, result.metadata or Metadata(title="Kennedy-Khrushchev Exchanges")


def _from_volume(src: Metadata, suffix: str, docs: list[Document]) -> dict[str, Any]:
    """What an example takes over from the FRUS volume's own metadata, and its chapters that the
    selection uses."""
    used = {d.chapter for d in docs}
    return {"series": src.series, "volume": src.volume, "editors": src.editors, "publisher": src.publisher,
            "place": src.place, "year": src.year, "style": "frus",
            "identifier": f"{src.identifier}-{suffix}" if src.identifier else f"kennedy-khrushchev-{suffix}",
            "chapters": [c for c in src.chapters if c.id in used]}


def write_example(out: Path, meta: Metadata, docs: list[Document], registers: Registers, readme: str) -> None:
    if out.exists():
        shutil.rmtree(out)
    project.new_project(out, meta.title, meta.style, meta.languages)
    project.write_metadata(out, meta)
    for d in docs:
        d.path = ""
        project.write_document(out, d)
    project.write_registers(out, registers)
    (out / "README.md").write_text(readme, encoding="utf-8")


def build(frus: Path, out: Path) -> int:
    selected = read_selection(frus, SELECTION)
    if selected is None:
        return 1
    docs, registers, src = selected
    meta = Metadata(
        title="Kennedy–Khrushchev Exchanges: A Selection",
        subtitle="25 documents, November 1960 – December 1963",
        **_from_volume(src, "selection", docs),
        languages=["en"],
        source=SOURCE,
        license="Public domain (a work of the United States Government).",
        preface=PREFACE,
    )
    write_example(out, meta, docs, registers, README.format(numbers=", ".join(str(n) for n in sorted(SELECTION))))
    print(f"Wrote {out}: {len(docs)} documents, {len(registers.persons)} persons, "
          f"{len(registers.abbreviations)} abbreviations.")
    return 0


BILINGUAL_SELECTION = [1, 2, 71, 72]  # two exchanges: Khrushchev's message and Kennedy's reply, twice
TRANSLATIONS = ROOT / "scripts" / "example_translations"
BILINGUAL_OUT = ROOT / "examples" / "kennedy-bilingual"
TYPEWRITER_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
FACSIMILE_CAPTION = ("SYNTHETIC facsimile, not a photograph of the original: the English text of this letter "
                     "as printed in FRUS, set in a typewriter face by scripts/make_example.py to show how "
                     "dossier handles page images.")
FACSIMILE_CREDIT = "dossier project, 2026 (synthetic image, public domain)"

BILINGUAL_SOURCE = (SOURCE + " The Russian translations of documents 2 and 4 are NOT historical: they were "
                    "written in 2026 by the dossier project for this example (CC0); the page image of "
                    "document 4 and the photograph, document 5, are synthetic, drawn by "
                    "scripts/make_example.py.")
# Document 5: a photograph, SYNTHETIC. No public-domain photograph of these exchanges could be had
# offline, and none is invented: the script photographs, in simulation, its own synthetic page image
# of document 4 (a sheet on a desk, seen at an angle, with light falling off and film grain).
PHOTO_ID = "ph1"
PHOTO_FILE = "ph1-desk.jpg"
PHOTO_DATE = "2026-12-07"
PHOTO_HEADING = "Photograph: The Synthetic Page Image of Document 4 on a Desk (SYNTHETIC, Not a Historical Photograph)"
PHOTO_CAPTION = ("SYNTHETIC photograph, made by scripts/make_example.py: the synthetic page image of document 4 "
                 "laid on a desk and photographed in simulation (perspective, light and grain computed). It "
                 "shows how dossier publishes a photograph — caption, credit, agency, date, list of "
                 "illustrations, zoom — and depicts nothing historical.")
PHOTO_CAPTION_RU = ("СИНТЕТИЧЕСКАЯ фотография, сделанная скриптом scripts/make_example.py: синтетическое "
                    "изображение страницы документа 4 на столе, «снятое» в расчёте (перспектива, свет, зерно). "
                    "Показывает, как dossier публикует фотографию; ничего исторического не изображает.")
PHOTO_CREDIT = "Synthetic image: scripts/make_example.py (CC0)"
PHOTO_AGENCY = "dossier project, 2026"

BILINGUAL_README = """# Kennedy–Khrushchev: two exchanges, English and Russian (dossier example)

Four documents from *Foreign Relations of the United States, 1961–1963, Volume VI, Kennedy-Khrushchev
Exchanges* (FRUS documents 1, 2, 71 and 72: Khrushchev's congratulations of November 9, 1960 and
Kennedy's reply; Khrushchev's letter of October 30, 1962 and Kennedy's reply of November 3), with
Russian translations of Kennedy's two English originals.

- Source and rights of the documents: a work of the US Government, in the public domain (repository
  HistoryAtState/frus, `volumes/frus1961-63v06.xml`); texts, headings, source notes and footnotes are
  unaltered.
- **The Russian translations are not historical documents.** They were written in 2026 by the dossier
  project for this example (`scripts/example_translations/`, CC0) and say so in their `translator`
  field, which every output prints. Khrushchev's letters are printed in FRUS in English translation
  only; their Russian originals are not reproduced here.
- **The page image of document 4 is synthetic** (`images/d72-facsimile.png`): the letter's English
  text set in a typewriter face by `scripts/make_example.py`; its caption says so. It is not a
  photograph of the original.
- **Document 5, a photograph, is synthetic** (`images/ph1-desk.jpg`): the same synthetic page image
  laid on a desk and "photographed" in simulation by `scripts/make_example.py` (perspective, light
  and grain computed), with an English caption and a Russian translation of it. It is there to show
  how dossier publishes a photograph (caption, credit, agency, date, list of illustrations, zoom); it
  depicts nothing historical. No public-domain photograph of these exchanges was available to the
  project offline, and none was invented.
- Made by `scripts/make_example.py --bilingual` (do not edit by hand: re-run the script instead).

Build it with `dossier build examples/kennedy-bilingual --out /tmp/bi`.
"""


def draw_facsimile(text: str, path: Path) -> None:
    """A page image of `text` (SYNTHETIC): an A4 sheet at 150 dpi, typewriter face, wrapped lines."""
    import textwrap

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(TYPEWRITER_FONT), 22)
    page = Image.new("L", (1240, 1754), 246)
    draw = ImageDraw.Draw(page)
    y = 150
    for paragraph in text.split("\n\n"):
        for line in textwrap.wrap(paragraph, width=72) or [""]:
            draw.text((130, y), line, font=font, fill=40)
            y += 34
        y += 22
    path.parent.mkdir(parents=True, exist_ok=True)
    page.save(path, format="PNG")


def draw_photograph(page_path: Path, path: Path) -> None:
    """A photograph of the page image at `page_path` (SYNTHETIC): the sheet on a dark desk, seen at an
    angle, light falling off towards the corners, film grain from a fixed seed (the same bytes every
    run)."""
    import random

    from PIL import Image, ImageFilter

    page = Image.open(page_path).convert("L")
    w, h = 1200, 900
    desk = Image.new("L", (w, h), 58)
    # the sheet's corners in the photograph (top-left, top-right, bottom-right, bottom-left)
    quad = [(250, 60), (930, 95), (1010, 860), (170, 830)]
    coeffs = _perspective(quad, [(0, 0), (page.width, 0), (page.width, page.height), (0, page.height)])
    sheet = page.transform((w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC, fillcolor=0)
    mask = Image.new("L", page.size, 255).transform((w, h), Image.Transform.PERSPECTIVE, coeffs,
                                                     Image.Resampling.BICUBIC, fillcolor=0)
    desk.paste(sheet, (0, 0), mask)
    rnd = random.Random(1962)
    px = desk.load()
    cx, cy = w * 0.45, h * 0.4
    for y in range(h):
        for x in range(w):
            d = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5 / (w * 0.75)
            v = px[x, y] * (1.0 - 0.45 * d * d) + rnd.gauss(0, 6)
            px[x, y] = max(0, min(255, int(v)))
    photo = desk.filter(ImageFilter.GaussianBlur(0.8)).convert("RGB")
    r, g, b = photo.split()  # a warm tint, as an old print
    photo = Image.merge("RGB", (r.point(lambda v: min(255, int(v * 1.04))), g, b.point(lambda v: int(v * 0.9))))
    path.parent.mkdir(parents=True, exist_ok=True)
    photo.save(path, format="JPEG", quality=85, optimize=False, progressive=False)


def _perspective(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> list[float]:
    """The eight coefficients PIL's perspective transform needs to map `dst` corners onto `src` ones."""
    rows: list[list[float]] = []
    rhs: list[float] = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rhs.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.append(v)
    n = 8  # Gaussian elimination, small and exact enough
    m = [row + [r] for row, r in zip(rows, rhs, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda i: abs(m[i][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for i in range(n):
            if i != col:
                f = m[i][col] / m[col][col]
                m[i] = [a - f * b for a, b in zip(m[i], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


def photograph_documents(chapter: str) -> list[Document]:
    """Document 5 (SYNTHETIC photograph) and its Russian caption as a translation."""
    from dossier.model import DateRange, Illustration

    date = DateRange(PHOTO_DATE, PHOTO_DATE, "day", "December 7, 2026")
    photo = Document(id=PHOTO_ID, n=5, type="photograph", heading=PHOTO_HEADING, date=date, chapter=chapter,
                     language="en", body=markup.escape(PHOTO_CAPTION) + "\n",
                     illustrations=[Illustration(file=PHOTO_FILE, caption=PHOTO_CAPTION, credit=PHOTO_CREDIT,
                                                 agency=PHOTO_AGENCY)])
    photo.extra["synthetic"] = True
    caption_ru = Document(id=f"{PHOTO_ID}-ru", type="photograph", language="ru", translation_of=PHOTO_ID,
                          heading="Фотография: синтетическое изображение страницы документа 4 на столе "
                                  "(СИНТЕТИЧЕСКАЯ, не историческая фотография)",
                          translator="проект dossier, 2026 (перевод подписи сделан для примера; не исторический перевод)",
                          body=markup.escape(PHOTO_CAPTION_RU) + "\n")
    return [photo, caption_ru]


def build_bilingual(frus: Path, out: Path) -> int:
    from dossier.model import Illustration

    selected = read_selection(frus, BILINGUAL_SELECTION)
    if selected is None:
        return 1
    docs, registers, src = selected
    by_id = {d.id: d for d in docs}
    translations = []
    for path in sorted(TRANSLATIONS.glob("*.md")):
        if path.name == "README.md":
            continue
        doc = project.read_document(path)
        if doc.translation_of not in by_id:
            print(f"{path}: translation_of {doc.translation_of!r} is not in the selection", file=sys.stderr)
            return 1
        translations.append(doc)
    original = by_id["d72"]
    original.illustrations = [Illustration(file="d72-facsimile.png", caption=FACSIMILE_CAPTION,
                                           credit=FACSIMILE_CREDIT)]
    meta = Metadata(
        title="Kennedy–Khrushchev: Two Exchanges",
        subtitle="English originals and Russian translations, November 1960 and October–November 1962",
        **_from_volume(src, "bilingual", docs),
        languages=["en", "ru"],
        source=BILINGUAL_SOURCE,
        license="Documents: public domain (a work of the United States Government). Russian translations, "
                "the synthetic page image and the synthetic photograph: the dossier project, CC0.",
        preface=("Two exchanges from FRUS 1961–1963, Volume VI: Khrushchev's congratulations to the President-elect and Kennedy's reply (November "
                 "1960), Khrushchev's letter of 30 October 1962 and Kennedy's reply of 3 November. "
                 "Kennedy's English originals are printed with Russian translations made for this "
                 "example by the dossier project (not historical translations); the page image of "
                 "document 4 and the photograph, document 5, are synthetic."),
    )
    photos = photograph_documents(original.chapter)
    write_example(out, meta, docs + translations + photos, registers, BILINGUAL_README)
    text = "\n".join(line for line in original.body.splitlines() if not line.startswith("[^"))  # no notes
    body = "\n\n".join(p for p in markup.plain_text(text).split("\n\n") if p.strip())
    draw_facsimile(body, out / "images" / "d72-facsimile.png")
    draw_photograph(out / "images" / "d72-facsimile.png", out / "images" / PHOTO_FILE)
    print(f"Wrote {out}: {len(docs)} documents, {len(translations)} translations, 1 synthetic photograph "
          f"with its caption in Russian, {len(registers.persons)} persons.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frus", type=Path, default=DEFAULT_FRUS, help="the FRUS TEI volume")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the example folder (replaced)")
    parser.add_argument("--bilingual", action="store_true",
                        help="make examples/kennedy-bilingual instead (English originals, Russian translations)")
    args = parser.parse_args(argv)
    if args.bilingual:
        return build_bilingual(args.frus, args.out if args.out != DEFAULT_OUT else BILINGUAL_OUT)
    return build(args.frus, args.out)


if __name__ == "__main__":
    sys.exit(main())
