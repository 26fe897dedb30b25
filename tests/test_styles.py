"""Styles (frus, soviet): headings, dates, legends, filing order, in the functions and in the built PDF.

The unit tests word real correspondents and dates of FRUS 1961–1963 vol. VI; the editions are built
from the bundled example's documents (public domain) by `edition_fixtures.frus_edition`, with their
headings removed so the style composes them. The legend `АВП РФ. Ф. 0129. Оп. 47. П. 329. Д. 5. Л. 1–3.`
is the form example of docs/standards.md, SYNTHETIC on the letter it is attached to.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from dossier import check
from dossier.build import build_edition
from dossier.compile import styles
from dossier.i18n import translator
from dossier.model import DateRange, Document, SourceLegend
from dossier.report import DossierError, Report
from edition_fixtures import frus_edition

ROOT = Path(__file__).resolve().parents[1]
TEI_RNG = ROOT.parent / "shared" / "schemas" / "tei_all.rng"
RU, EN = translator("ru"), translator("en")
SOVIET, FRUS = styles.get_style("soviet"), styles.get_style("frus")


def sp(text: str) -> str:
    """Babel sets no-break spaces (`1963\u202fг.`, `№\u00a012`): compare them as spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def day(iso: str, inferred: bool = False) -> DateRange:
    return DateRange(iso, iso, "day", inferred=inferred)


# --- headings ---------------------------------------------------------------------------------------


def test_soviet_heading_puts_author_in_the_genitive_and_addressee_in_the_dative() -> None:
    doc = Document(id="d", n=12, type="telegram", authors=["Н. С. Хрущёв"], addressees=["Л. Джонсон"], place="Москва",
                   date=day("1963-11-23"))
    heading = styles.compose_heading(doc, SOVIET, "ru", RU)
    assert sp(f"{styles.doc_label(SOVIET, 12)} {heading}") == "№ 12. Телеграмма Н. С. Хрущёва Л. Джонсону. Москва, 23 ноября 1963 г."
    doc.addressees, doc.extra = ["Дж. Кеннеди"], {"summary": "с соболезнованием"}
    assert sp(styles.compose_heading(doc, SOVIET, "ru", RU)) == \
        "Телеграмма Н. С. Хрущёва Дж. Кеннеди с соболезнованием. Москва, 23 ноября 1963 г."


def test_frus_heading_from_the_fields() -> None:
    doc = Document(id="d", n=12, type="telegram", authors=["Chairman Khrushchev"], addressees=["President Johnson"],
                   place="Moscow", date=day("1963-11-23"))
    assert f"{styles.doc_label(FRUS, 12)} {styles.compose_heading(doc, FRUS, 'en', EN)}" == \
        "12. Telegram From Chairman Khrushchev to President Johnson, Moscow, November 23, 1963"


@pytest.mark.parametrize(("name", "gent", "datv"), [
    ("Н. С. Хрущёв", "Н. С. Хрущёва", "Н. С. Хрущёву"),  # ё kept
    ("Хрущёв Н. С.", "Хрущёва Н. С.", "Хрущёву Н. С."),
    ("Дж. Кеннеди", "Дж. Кеннеди", "Дж. Кеннеди"),  # indeclinable
    ("А. А. Громыко", "А. А. Громыко", "А. А. Громыко"),
    ("Ф. Д. Кохлер", "Ф. Д. Кохлера", "Ф. Д. Кохлеру"),  # unknown to the dictionary: by its ending
    ("Н. П. Хрущёва", "Н. П. Хрущёвой", "Н. П. Хрущёвой"),  # a woman's surname
    ("Жаклин Кеннеди", "Жаклин Кеннеди", "Жаклин Кеннеди"),
    ("Никита Сергеевич Хрущёв", "Никиты Сергеевича Хрущёва", "Никите Сергеевичу Хрущёву"),
    ("Посольство США в СССР", "Посольства США в СССР", "Посольству США в СССР"),
    ("Государственный департамент США", "Государственного департамента США", "Государственному департаменту США"),
    ("Kennedy", "Kennedy", "Kennedy"),  # Latin names stay as written
])
def test_russian_names_in_cases(name: str, gent: str, datv: str) -> None:
    assert styles.inflect_name(name, "gent") == gent
    assert styles.inflect_name(name, "datv") == datv


def test_an_editors_heading_is_never_changed() -> None:
    doc = Document(id="d", heading="Письмо [Н. С. Хрущёва]{person=p1}", type="letter", authors=["Н. С. Хрущёв"])
    assert styles.heading_markup(doc, SOVIET, "ru", RU) == doc.heading
    assert not styles.heading_is_composed(doc)


def test_unknown_style() -> None:
    with pytest.raises(styles.UnknownStyle, match="style 'sovet' does not exist"):
        styles.get_style("sovet")


# --- dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end", "precision", "ru", "en"), [
    ("1963-11-23", "1963-11-23", "day", "23 ноября 1963 г.", "November 23, 1963"),
    ("1963-11-23", "1963-11-25", "day", "23–25 ноября 1963 г.", "November 23–25, 1963"),
    ("1963-11-30", "1963-12-01", "day", "30 ноября – 1 декабря 1963 г.", "November 30–December 1, 1963"),
    ("1962-12-31", "1963-01-01", "day", "31 декабря 1962 г. – 1 января 1963 г.", "December 31, 1962–January 1, 1963"),
    ("1963-11-01", "1963-11-30", "month", "ноябрь 1963 г.", "November 1963"),
    ("1963-01-01", "1963-12-31", "year", "1963 г.", "1963"),
    ("1961-01-01", "1963-12-31", "year", "1961–1963 гг.", "1961–1963"),
])
def test_dates_in_words(start: str, end: str, precision: str, ru: str, en: str) -> None:
    date = DateRange(start, end, precision)  # type: ignore[arg-type]
    assert sp(styles.format_date(date, "ru", RU)) == ru
    assert sp(styles.format_date(date, "en", EN)) == en
    inferred = DateRange(start, end, precision, inferred=True)  # type: ignore[arg-type]
    assert sp(styles.format_date(inferred, "ru", RU)) == f"[{ru}]"


def test_undated() -> None:
    assert styles.format_date(DateRange(), "ru", RU) == "Без даты"
    assert styles.format_date(DateRange(), "en", EN) == "Undated"
    doc = Document(id="d", type="letter", authors=["Н. С. Хрущёв"], place="Москва")
    assert styles.compose_heading(doc, SOVIET, "ru", RU) == "Письмо Н. С. Хрущёва. Москва, без даты"


# --- legends ----------------------------------------------------------------------------------------


RU_LEGEND = SourceLegend(archive="АВП РФ", fond="0129", opis="47", delo="5", list="1–3", original="подлинник",
                         extra=(("papka", "329"),))  # the form example of docs/standards.md


def test_russian_legend() -> None:
    assert styles.legend_line(RU_LEGEND, SOVIET, RU) == "АВП РФ. Ф. 0129. Оп. 47. П. 329. Д. 5. Л. 1–3. Подлинник."
    assert styles.legend_problems(RU_LEGEND) == []


def test_us_legend_from_a_frus_source_note() -> None:
    # "Source: Department of State, Presidential Correspondence: Lot 66 D 204." (FRUS vol. VI, doc. 119)
    legend = SourceLegend(repository="Department of State", lot_file="66 D 204", extra=(("collection", "Presidential Correspondence"),))
    assert styles.legend_line(legend, FRUS, EN) == "Department of State, Presidential Correspondence, Lot 66 D 204."
    archives = SourceLegend(repository="National Archives", record_group="59", box="3", folder="2")
    assert styles.legend_line(archives, FRUS, EN) == "National Archives, RG 59, Box 3, Folder 2."


def test_fixture_legends_say_original_or_copy_only_when_the_source_note_does() -> None:
    from edition_fixtures import EXAMPLE, example_document, frus_legend

    legends = [frus_legend(example_document(p.stem)) for p in sorted((EXAMPLE / "documents").glob("*.md"))]
    assert sum(not legend.is_empty() for legend in legends) >= 10
    assert {legend.original for legend in legends} == {""}  # no source note of the example says it
    doc = example_document("d119")
    doc.source = "Source: Department of State, Presidential Correspondence: Lot 66 D 204. The source text is a copy."
    assert frus_legend(doc).original == "copy"


def test_incomplete_legends() -> None:
    no_archive = SourceLegend(fond="0129", delo="5")
    assert [k for k, _ in styles.legend_problems(no_archive)] == ["archive"]
    no_delo = SourceLegend(archive="АВП РФ", fond="0129", opis="47")
    assert [k for k, _ in styles.legend_problems(no_delo)] == ["delo"]
    assert [k for k, _ in styles.legend_problems(SourceLegend(box="3"))] == ["repository"]


# --- filing -----------------------------------------------------------------------------------------


def test_russian_filing_order() -> None:
    names = ["Kennedy, John F.", "Кеннеди Жаклин", "Хрущёв Н. С.", "Кеннеди Р. Ф.", "Хрущева Н. П.", "Кеннеди Дж. Ф.",
             "Ёлкин А.", "Елизаров В."]
    filed = sorted(names, key=lambda n: styles.filing_key(n, "ru"))
    # Cyrillic before Latin; ё filed as е; of one surname, forms with initials before the form without
    assert filed == ["Елизаров В.", "Ёлкин А.", "Кеннеди Дж. Ф.", "Кеннеди Р. Ф.", "Кеннеди Жаклин", "Хрущёв Н. С.",
                     "Хрущева Н. П.", "Kennedy, John F."]


def test_english_filing_is_letter_by_letter() -> None:
    names = ["New York", "Newark", "Kennedy, Robert F.", "Kennedy, John F.", "Kennedy Library"]
    assert sorted(names, key=lambda n: styles.filing_key(n, "en")) == \
        ["Kennedy, John F.", "Kennedy Library", "Kennedy, Robert F.", "Newark", "New York"]


# --- built editions, both styles ----------------------------------------------------------------------


def page_texts(pdf: Path, layout: bool = True) -> list[str]:
    """The text of each page: laid out (running heads first) or in reading order (two-column index)."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.split("\f")


def one_line(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()  # \s takes no-break spaces too


@pytest.fixture(scope="module")
def rng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(TEI_RNG)))


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, Report]]:
    out: dict[str, tuple[Path, Path, Report]] = {}
    for style, lang in (("soviet", "ru"), ("frus", "en")):
        base = tmp_path_factory.mktemp(style)
        root = frus_edition(base / "project", style, lang, ["d118", "d119", "d120"], synthetic_russian_legend="d119")
        report = Report()
        build_edition(root, base / "out", ["pdf", "tei", "json", "html"], report, incremental=False)
        out[style] = (root, base / "out", report)
    return out


def _index_refs(pages: list[str], title: str) -> dict[str, list[tuple[int, int]]]:
    """Index lines (read in reading order) -> [(document number, page)]."""
    start = next(i for i, p in enumerate(pages) if title in one_line(p) and "(" in p)
    text = "\n".join(pages[start:])
    lines: dict[str, list[tuple[int, int]]] = {}
    for m in re.finditer(r"^\s*(\S[^\n]*?)((?:,? \d+ \(\d+\))+)\s*$", text, re.M):
        lines[m.group(1).strip()] = [(int(a), int(b)) for a, b in re.findall(r"(\d+) \((\d+)\)", m.group(2))]
    return lines


def _doc_pages(pages: list[str], label: str) -> dict[int, int]:
    """Document number -> printed page it begins on (printed numbers are in the running heads)."""
    found: dict[int, int] = {}
    for text in pages:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if not lines:
            continue
        m = re.match(r"^\s*(\d+)\s", lines[0]) or re.search(r"\s(\d+)\s*$", lines[0])
        if not m:
            continue
        for n in re.findall(rf"^\s*{re.escape(label)}\s?(\d+)\. \S", text, re.M):
            found.setdefault(int(n), int(m.group(1)))
    return found


def test_soviet_pdf_headings_legends_and_index(editions: dict[str, tuple[Path, Path, Report]]) -> None:
    _root, out, report = editions["soviet"]
    assert not report.errors, report.errors
    pages = page_texts(out / "edition.pdf")
    text = one_line(" ".join(page_texts(out / "edition.pdf", layout=False)))
    assert "№ 1. Телеграмма Посольства США в СССР Государственному департаменту США. Москва, 10 октября 1963 г." in text
    assert "№ 2. Письмо Н. С. Хрущёва Л. Джонсону. Москва, 24 ноября 1963 г." in text
    assert "№ 3. Письмо Жаклин Кеннеди Н. С. Хрущёву. Вашингтон, 1 декабря 1963 г." in text
    assert "АВП РФ. Ф. 0129. Оп. 47. П. 329. Д. 5. Л. 1–3. Подлинник." in text
    # the source notes do not say whether the source text is a copy: the legend does not say it either
    assert "Department of State. Presidential Correspondence. Lot 66 D 204." in text and "Копия" not in text
    for word in ("ПЕРЕЧЕНЬ ДОКУМЕНТОВ", "СПИСОК СОКРАЩЕНИЙ", "СПИСОК АРХИВОВ И ФОНДОВ", "Именной указатель"):
        assert word in text, word
    assert "АВП РФ. Ф. 0129. Оп. 47. Документы: 2." in text
    # index: annotated entry, "см." cross-reference, Cyrillic before Latin, pages where the documents begin
    assert re.search(r"Хрущёв Н\. С\. \(1894–1971\) — Председатель Совета Ми.?нистров СССР, 1 \(1\), 2 \(\d+\), 3 \(\d+\)",
                     text.replace("‐ ", "")), text[-2000:]
    assert "Хрущов Н. С. см. Хрущёв Н. С." in text
    index = text[text.index("Именной указатель Цифры"):]
    assert index.index("Хрущёв Н. С.") < index.index("Kohler, Foy D.")
    assert index.index("Кеннеди Дж. Ф.") < index.index("Кеннеди Р. Ф.") < index.index("Хрущёв")
    starts = _doc_pages(pages, "№")
    refs = _index_refs(page_texts(out / "edition.pdf", layout=False), "Именной указатель")
    checked = 0
    for line, pairs in refs.items():
        for n, page in pairs:
            assert starts[n] == page, (line, n, page, starts)
            checked += 1
    assert checked >= 8


def test_frus_pdf_headings_legends_and_index(editions: dict[str, tuple[Path, Path, Report]]) -> None:
    _root, out, report = editions["frus"]
    assert not report.errors, report.errors
    pages = page_texts(out / "edition.pdf")
    text = one_line(" ".join(page_texts(out / "edition.pdf", layout=False)))
    assert "1. Telegram From the Embassy in the Soviet Union to the Department of State, Moscow, October 10, 1963" in text
    assert "2. Letter From Chairman Khrushchev to President Johnson, Moscow, November 24, 1963" in text
    assert "Department of State, Presidential Correspondence, Lot 66 D 204." in text and "Copy." not in text
    assert "LIST OF ARCHIVES AND COLLECTIONS" in text
    assert "Khrushchev, Nikita S., Chairman of the Council of Ministers" in text
    starts = _doc_pages(pages, "")
    refs = _index_refs(page_texts(out / "edition.pdf", layout=False), "Index of names")
    checked = 0
    for line, pairs in refs.items():
        for n, page in pairs:
            assert starts[n] == page, (line, n, page)
            checked += 1
    assert checked >= 8


def test_tei_of_both_styles_is_valid_with_composed_heads(editions: dict[str, tuple[Path, Path, Report]],
                                                          rng: etree.RelaxNG) -> None:
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    for style, head in (("soviet", "Письмо Н. С. Хрущёва Л. Джонсону. Москва, 24 ноября 1963 г."),
                        ("frus", "Letter From Chairman Khrushchev to President Johnson, Moscow, November 24, 1963")):
        tree = etree.parse(str(editions[style][1] / "edition.tei.xml"))
        assert rng.validate(tree), rng.error_log
        assert sp(tree.find(".//t:div[@type='document'][@n='2']/t:head", ns).text) == head
        data = json.loads((editions[style][1] / "edition.json").read_text(encoding="utf-8"))
        second = data["documents"][1]
        assert sp(second["heading"]) == head and second["heading_composed"] is True


def test_web_edition_uses_the_style(editions: dict[str, tuple[Path, Path, Report]]) -> None:
    site = editions["soviet"][1] / "site"
    page = sp((site / "documents" / "d119.html").read_text(encoding="utf-8"))
    assert "Письмо Н. С. Хрущёва Л. Джонсону. Москва, 24 ноября 1963 г." in page
    assert "АВП РФ. Ф. 0129. Оп. 47. П. 329. Д. 5. Л. 1–3. Подлинник." in page
    archives = (site / "archives.html").read_text(encoding="utf-8")
    assert "АВП РФ" in archives and "Department of State" in archives


def test_unknown_style_on_the_flag_and_in_dossier_toml(editions: dict[str, tuple[Path, Path, Report]],
                                                       tmp_path: Path) -> None:
    root = editions["frus"][0]
    with pytest.raises(DossierError) as exc:
        build_edition(root, tmp_path / "flag", ["json"], Report(), style="sovet", incremental=False)
    assert str(exc.value) == "--style: error: style 'sovet' does not exist (choose frus or soviet)"
    assert not (tmp_path / "flag").exists()
    toml = root / "dossier.toml"
    saved = toml.read_text(encoding="utf-8")
    try:
        toml.write_text(saved.replace('style = "frus"', 'style = "fruss"'), encoding="utf-8")
        report = Report()
        build_edition(root, tmp_path / "toml", ["json", "pdf"], report, incremental=False)
        data = json.loads((tmp_path / "toml" / "report.json").read_text(encoding="utf-8"))
        errors = [e for e in data["errors"] if e["code"] == "style-unknown"]
        assert len(errors) == 1 and errors[0]["file"].endswith("dossier.toml") and errors[0]["line"] > 0
        assert "style 'fruss' does not exist" in errors[0]["message"]
        assert data["documents_written"] == 3 and (tmp_path / "toml" / "edition.pdf").exists()
        found = check.check_project(root)
        assert any(p.code == "style-unknown" and p.file.endswith("dossier.toml") for p in found)
    finally:
        toml.write_text(saved, encoding="utf-8")


def test_check_and_build_report_an_incomplete_legend(tmp_path: Path) -> None:
    root = frus_edition(tmp_path / "p", "soviet", "ru", ["d119"])
    path = root / "documents" / "d119.md"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("legend:"), text.index("pages:") if "pages:" in text else text.index("frus:")
    path.write_text(text[:start] + "legend:\n  fond: '0129'\n  delo: '5'\n" + text[end:], encoding="utf-8")
    found = [p for p in check.check_project(root) if p.code == "legend-incomplete"]
    assert len(found) == 1 and found[0].severity == "error" and found[0].line > 0
    assert "no archive" in found[0].message
    report = Report()
    build_edition(root, tmp_path / "out", ["json"], report, incremental=False)
    assert any(p.code == "legend-incomplete" for p in report.warnings)
