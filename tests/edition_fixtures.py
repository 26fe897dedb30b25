"""Test projects for the style, bilingual and photograph tests, made only of real text.

- `frus_edition`: documents of the bundled example (FRUS 1961–1963, vol. VI, public domain) with
  their editor's headings taken away, so the style composes them from the fields. Authors and
  addressees are the words of the real FRUS headings ("Chairman Khrushchev"); for a Soviet-style
  edition they are given as a Russian editor writes them ("Н. С. Хрущёв") — metadata, not text.
  Their legends are the real FRUS source notes as fields (`Department of State, Presidential
  Correspondence: Lot 66 D 204`). One document may get the example legend of `docs/standards.md`
  (`АВП РФ. Ф. 0129. Оп. 47. П. 329. Д. 5. Л. 1–3.`): SYNTHETIC, a form to print, not where that
  letter is kept.
- `tolstoy_gandhi`: a real bilingual pair. Tolstoy's letter to M. K. Gandhi of 25 September / 7 October
  1909 (Complete Works, vol. 80, no. 149; Tolstoy Digital TEI, CC BY-SA, from ../shared by path): the
  Russian autograph and the English text as sent, translated by Aylmer Maude; the 90-volume edition
  prints both. Five paragraphs each.
- `synthetic_photo`: a grey PNG drawn with PIL. SYNTHETIC: its caption says so.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from lxml import etree

from dossier import markup, project
from dossier.model import DateRange, Document, Illustration, RegisterEntry, Registers, SourceLegend
from dossier.report import Report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kennedy-khrushchev"
LETTERS = ROOT.parent / "shared" / "corpora" / "tolstoy-letters"
GANDHI = LETTERS / "v80_149_MaxatmeGandiMohandasGandhi.xml"
TEI = {"t": "http://www.tei-c.org/ns/1.0"}

# How a Russian editor writes the correspondents of the FRUS headings (names, not historical text).
RUSSIAN_NAMES = {
    "Chairman Khrushchev": "Н. С. Хрущёв", "President Johnson": "Л. Джонсон", "President Kennedy": "Дж. Кеннеди",
    "Jacqueline Kennedy": "Жаклин Кеннеди", "the Embassy in the Soviet Union": "Посольство США в СССР",
    "the Department of State": "Государственный департамент США",
}
RUSSIAN_PLACES = {"Moscow": "Москва", "Washington": "Вашингтон"}
# The register of persons of a Russian edition: the example's ids, filed as a Russian index files them.
RUSSIAN_PERSONS = [
    ("p_KNS2", "Хрущёв Н. С.", "Председатель Совета Министров СССР", "1894", "1971"),
    ("p_JLB1", "Джонсон Л. Б.", "президент США с 22 ноября 1963 г.", "1908", "1973"),
    ("p_KJF2", "Кеннеди Дж. Ф.", "президент США", "1917", "1963"),
    ("p_KRF1", "Кеннеди Р. Ф.", "министр юстиции США", "1925", "1968"),
    ("p_TLET1", "Томпсон Л. Э.", "посол США в СССР в 1957–1962 гг.", "1904", "1972"),
    ("p_BMG2", "Банди М.", "помощник президента США по национальной безопасности", "1919", "1996"),
    ("p_JUA1", "Джонсон У. А.", "заместитель заместителя государственного секретаря США", "1908", "1997"),
    ("p_MHS2", "Макмиллан Г.", "премьер-министр Великобритании", "1894", "1986"),
    ("p_KVV2", "Кузнецов В. В.", "первый заместитель министра иностранных дел СССР", "1901", "1990"),
]


def example_document(doc_id: str) -> Document:
    return project.read_document(EXAMPLE / "documents" / f"{doc_id}.md")


def fields_from_heading(heading: str) -> tuple[str, list[str], list[str]]:
    """(type, authors, addressees) as the FRUS heading words them: 'Letter From Chairman [X]{..} to ...'."""
    plain = markup.plain_text(heading).strip()
    m = re.match(r"^(\w+) From (.+?) to (.+)$", plain)
    assert m, plain
    return m.group(1).lower(), [m.group(2)], [m.group(3)]


# What the source note says the source text is ("The source text is a copy", "Printed from an unsigned copy").
# Notes that say where *another* copy is ("Another copy of this message is in ...") say nothing of it.
_ORIGINAL = re.compile(r"\b(?:[Tt]he source text is|[Pp]rinted from) an? (?:[\w-]+ )?(copy|original)\b")


def frus_legend(doc: Document) -> SourceLegend:
    """The FRUS source note's citation as fields ('Source: Department of State, Presidential
    Correspondence: Lot 66 D 204. ...'): repository, collection, lot file; whether the source text is an
    original or a copy only when the note says so."""
    note = markup.plain_text(doc.source)
    m = re.match(r"Source: (Department of State), ([^:]+): Lot (\d+ D \d+)\.", note)
    if not m:  # a source note that cites no lot file (a printed book): no structured legend
        return SourceLegend()
    said = _ORIGINAL.search(note)
    return SourceLegend(repository=m.group(1), lot_file=m.group(3), original=said.group(1) if said else "",
                        extra=(("collection", m.group(2)),))


def frus_edition(root: Path, style: str, lang: str, ids: list[str], *, synthetic_russian_legend: str = "",
                 title: str = "Kennedy–Khrushchev Exchanges, 1963") -> Path:
    """A project of the example's documents `ids` (renumbered 1..n), headings composed by `style`."""
    project.new_project(root, title, style, [lang])
    russian = lang == "ru"
    if russian:
        # the example's register with the persons a Russian editor names in Russian; the others keep their
        # Latin form (the index files them after the Cyrillic ones)
        example = project.read_registers(EXAMPLE, Report())
        ours = {pid for pid, *_ in RUSSIAN_PERSONS}
        project.write_registers(root, Registers(persons=[
            RegisterEntry(pid, "person", name, description=desc, born=born, died=died)
            for pid, name, desc, born, died in RUSSIAN_PERSONS] + [
            RegisterEntry("p_KNS2_x", "person", "Хрущов Н. С.", see="p_KNS2")] + [
            e for e in example.persons if e.id not in ours], abbreviations=example.abbreviations))
    else:
        for name in ("persons.yaml", "places.yaml", "organizations.yaml", "abbreviations.yaml"):
            shutil.copyfile(EXAMPLE / "registers" / name, root / "registers" / name)
    for n, doc_id in enumerate(ids, start=1):
        doc = example_document(doc_id)
        kind, authors, addressees = fields_from_heading(doc.heading)
        doc.heading = ""  # the style composes it
        doc.n, doc.type, doc.chapter = n, kind, ""
        doc.extra = {k: v for k, v in doc.extra.items() if k in ("frus",)}
        doc.legend = frus_legend(doc)
        if russian:
            doc.authors = [RUSSIAN_NAMES[a] for a in authors]
            doc.addressees = [RUSSIAN_NAMES[a] for a in addressees]
            doc.place = RUSSIAN_PLACES.get(doc.place, doc.place)
            if not doc.legend.is_empty():
                doc.legend = SourceLegend(repository=doc.legend.repository, lot_file=doc.legend.lot_file,
                                          original={"copy": "копия", "original": "подлинник"}.get(
                                              doc.legend.original, ""), extra=doc.legend.extra)
            if doc_id == synthetic_russian_legend:
                # SYNTHETIC: the example legend of docs/standards.md, a form to print, not where this letter is
                doc.legend = SourceLegend(archive="АВП РФ", fond="0129", opis="47", delo="5", list="1–3",
                                          original="подлинник", extra=(("papka", "329"),))
        else:
            doc.authors, doc.addressees = authors, addressees
        project.write_document(root, doc)
    return root


# --- a real bilingual pair: Tolstoy to Gandhi, 1909 --------------------------------------------------


def _para_text(p: etree._Element) -> str:
    """A paragraph's words as the reading edition prints them: modern spelling and the editor's
    corrections (`reg`, `corr`), without notes and note numbers (as ../shared/eval/letters.py reads them)."""
    out = [p.text or ""]
    for child in p:
        if etree.QName(child).localname not in ("note", "ref", "orig", "sic"):
            out.append("".join(_para_text(child)))
        out.append(child.tail or "")
    return " ".join("".join(out).split())


def gandhi_letter() -> tuple[list[str], list[str], str]:
    """(English paragraphs as sent, Russian paragraphs of the autograph, the edition's legend)."""
    tree = etree.parse(str(GANDHI))
    paras = tree.findall(".//t:text/t:body/t:div/t:p", TEI)
    texts = [(_para_text(p), p.get("rend") or "") for p in paras]
    ru_date = next(i for i, (t, _r) in enumerate(texts) if t.startswith("[7 окт."))
    english = [t for t, r in texts[1:ru_date] if r == "left"]
    russian = [t for t, r in texts[ru_date + 1:] if r == "left" and re.search(r"[а-я]", t)][:len(english)]
    legend = next(t for t in (_para_text(p) for p in tree.iter(f"{{{TEI['t']}}}p"))
                  if t.startswith("Печатается по машинописной копии"))
    return english, russian, legend


def tolstoy_gandhi(root: Path, lang: str = "ru", style: str = "soviet") -> Path:
    """The letter as an original (Russian autograph) and its translation (the English text as sent)."""
    english, russian, legend = gandhi_letter()
    project.new_project(root, "Л. Н. Толстой. Письмо М. К. Ганди (1909)", style, [lang])
    # the edition's date (old style, as its correspDesc gives it); the English text is dated 7 Oct. 1909
    date = DateRange("1909-09-25", "1909-09-25", "day", "1909 г. Сентября 25/октября 8")
    project.write_document(root, Document(
        id="149", n=1, type="letter", authors=["Л. Н. Толстой"], addressees=["М. К. Ганди"], place="Ясная Поляна",
        date=date, language="ru", body="\n\n".join(markup.escape(p) for p in russian) + "\n",
        legend=SourceLegend(text=legend)))
    project.write_document(root, Document(
        id="149-en", type="letter", heading="Letter From L. N. Tolstoy to M. K. Gandhi", translation_of="149",
        translator="Aylmer Maude", language="en", dateline="7 Oct. 1909.", date=date,
        body="\n\n".join(markup.escape(p) for p in english) + "\n"))
    project.write_registers(root, Registers(
        places=[RegisterEntry("pl_transvaal", "place", "Трансвааль", variants=["Transvaal"])]))
    # mark the names in both texts, so that the index points to both documents
    for doc_id, marks in (("149", [("Трансваале", "place", "pl_transvaal")]),
                          ("149-en", [("Transvaal", "place", "pl_transvaal")])):
        path = root / "documents" / f"{doc_id}.md"
        text = path.read_text(encoding="utf-8")
        for word, kind, ref in marks:
            text = text.replace(word, f"[{word}]{{{kind}={ref}}}", 1)
        path.write_text(text, encoding="utf-8")
    return root


def synthetic_photo(path: Path, size: tuple[int, int] = (640, 420)) -> Path:
    """A SYNTHETIC grey test image with a frame and a diagonal, drawn with PIL (no historical content)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, (150, 150, 150))
    draw = ImageDraw.Draw(img)
    draw.rectangle([8, 8, size[0] - 9, size[1] - 9], outline=(40, 40, 40), width=6)
    draw.line([0, 0, size[0], size[1]], fill=(60, 60, 60), width=4)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)
    return path


def add_photograph(root: Path, doc_id: str, n: int, file: str, *, lang: str = "en", make_image: bool = True) -> None:
    """A photograph document whose image is SYNTHETIC (said in the caption); no text of its own."""
    if make_image:
        synthetic_photo(root / "images" / file)
    caption = "SYNTHETIC test image (grey frame), not a historical photograph" if lang != "ru" else \
        "СИНТЕТИЧЕСКОЕ тестовое изображение (серая рамка), не историческая фотография"
    credit = "Test fixture, generated with PIL" if lang != "ru" else "Тестовый файл, создан PIL"
    project.write_document(root, Document(
        id=doc_id, n=n, type="photograph", date=DateRange("1963-11-25", "1963-11-25", "day", inferred=True),
        place="Moscow" if lang != "ru" else "Москва",
        illustrations=[Illustration(file, caption=caption, credit=credit, agency="dossier tests")]))
