"""The print edition: headings, front matter, footnotes, index page numbers, determinism, no network.

Test projects are built from the real FRUS volume (Kennedy–Khrushchev exchanges): its documents as
plain text (`frus_index.py text`), marked with a small register of persons, places and organisations,
written with `dossier.project`. The PDF is read back with poppler's `pdftotext`, page by page.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from dossier import markup, project
from dossier.build import compile_project
from dossier.model import Abbreviation, Chapter, DateRange, Document, RegisterEntry, Registers
from dossier.publish import pdf
from dossier.report import Report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FRUS = SHARED / "corpora" / "frus1961-63v06.xml"
FRUS_TOOL = SHARED / "eval" / "frus_index.py"

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATELINE = re.compile(rf"^(?:(?P<place>[A-Z][\w .'’-]*?)(?:, undated)?, )?(?P<month>{MONTHS}) (?P<day>\d{{1,2}}), "
                      rf"(?P<year>\d{{4}})(?:, .*)?\.?$")
NOTE_START = re.compile(r"^(Documents? \d+|See |Printed from|Not printed|Not found|Reference is|Apparent|"
                        r"The source text|Khrushchev is|Kennedy is|Presumably)")

PERSONS = [
    ("p_KNS1", "Khrushchev, Nikita S.", "Chairman of the Council of Ministers of the USSR", "1894", "1971",
     ["Khrushchev", "Chairman Khrushchev"]),
    ("p_KJF1", "Kennedy, John F.", "President of the United States", "1917", "1963", ["President Kennedy", "Kennedy"]),
    ("p_GAA1", "Gromyko, Andrei A.", "Soviet Foreign Minister", "1909", "1989", ["Gromyko"]),
    ("p_DAF1", "Dobrynin, Anatoly F.", "Soviet Ambassador to the United States from 1962", "1919", "2010",
     ["Dobrynin"]),
    ("p_TLE1", "Thompson, Llewellyn E., Jr.", "Ambassador to the Soviet Union until 1962", "1904", "1972",
     ["Thompson"]),
    ("p_RD1", "Rusk, Dean", "Secretary of State", "1909", "1994", ["Rusk"]),
    ("p_MAI1", "Menshikov, Mikhail A.", "Soviet Ambassador to the United States until 1962", "", "",
     ["Menshikov"]),
]
PLACES = [("pl_moscow", "Moscow"), ("pl_washington", "Washington"), ("pl_berlin", "Berlin"), ("pl_laos", "Laos"),
          ("pl_cuba", "Cuba"), ("pl_vienna", "Vienna"), ("pl_geneva", "Geneva")]
ORGS = [("o_un", "United Nations"), ("o_nato", "NATO")]


def frus_texts(dest: Path) -> Path:
    """The FRUS volume's documents as plain text files (d1.txt … d120.txt), made once per folder."""
    if not (dest / "d120.txt").exists():
        subprocess.run([sys.executable, str(FRUS_TOOL), "text", str(FRUS), str(dest)], check=True,
                       capture_output=True)
    return dest


def _spans(text: str) -> list[markup.Span]:
    """Mention spans for the register's names (longest forms first, no overlaps)."""
    forms: list[tuple[str, str, str]] = []
    for pid, _name, _desc, _b, _d, variants in PERSONS:
        forms += [(v, "person", pid) for v in variants]
    forms += [(name, "place", pid) for pid, name in PLACES]
    forms += [(name, "org", oid) for oid, name in ORGS]
    forms.sort(key=lambda f: -len(f[0]))
    taken = [False] * len(text)
    spans = []
    for form, kind, ref in forms:
        for m in re.finditer(rf"\b{re.escape(form)}\b", text):
            if any(taken[m.start():m.end()]):
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            spans.append(markup.Span(m.start(), m.end(), kind, ref))
    return spans


def frus_document(path: Path, chapter: str = "") -> Document:
    """One FRUS document from its text dump: heading, source note, dateline, body with footnotes."""
    paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    head = paras.pop(0)
    m = re.match(r"^(\d+)\.\s+(.*)$", head)
    n, heading = (int(m.group(1)), m.group(2)) if m else (None, head)
    source, dateline, date = "", "", DateRange()
    body: list[str] = []
    notes = 0
    for p in paras:
        if not source and p.startswith("Source:"):
            source = markup.escape(p[len("Source:"):].strip())
            continue
        dm = DATELINE.match(p)
        if not dateline and dm and len(p) < 120:
            dateline = p
            import datetime as dt
            month = MONTHS.split("|").index(dm.group("month")) + 1
            iso = dt.date(int(dm.group("year")), month, int(dm.group("day"))).isoformat()
            date = DateRange(iso, iso, "day", text=p)
            continue
        if body and NOTE_START.match(p) and len(p) < 400:
            notes += 1
            body[-1] += f"[^{notes}]"
            body.append(f"[^{notes}]: " + markup.escape(p))
            continue
        body.append(markup.escape(p))
    text = "\n\n".join(body) + "\n"
    plain = markup.plain_text(text)
    marked, _skipped = markup.mark_spans(text, _spans(plain))
    return Document(id=path.stem, n=n, heading=heading, body=marked, source=source, dateline=dateline, date=date,
                    language="en", chapter=chapter)


def chapter_of(n: int) -> str:
    return "c1961" if n <= 35 else ("c1962" if n <= 80 else "c1963")


def make_frus_project(root: Path, texts: Path, numbers: list[int], style: str = "frus",
                      paper: str | None = None, lang: str = "en") -> Path:
    """A project of FRUS documents `numbers`, with registers, abbreviations, preface and an appendix."""
    project.new_project(root, "Kennedy–Khrushchev Exchanges", style=style, languages=[lang])
    meta = project.read_metadata(root)
    meta.series = "Foreign Relations of the United States, 1961–1963"
    meta.volume = "Volume VI"
    meta.editors = [{"name": "Charles S. Sampson", "role": "Editor"},
                    {"name": "Glenn W. LaFantasie", "role": "General Editor"}]
    meta.publisher = "United States Government Printing Office"
    meta.place = "Washington"
    meta.year = "1996"
    meta.source = ("Documents from Foreign Relations of the United States, 1961–1963, Volume VI "
                   "(HistoryAtState/frus, public domain).")
    meta.preface = "This volume presents the exchanges between President Kennedy and Chairman Khrushchev."
    meta.chapters = [Chapter("c1961", "1961"), Chapter("c1962", "1962"), Chapter("c1963", "1963")]
    if paper:
        meta.extra["paper"] = paper
    project.write_metadata(root, meta)
    regs = Registers(
        persons=[RegisterEntry(pid, "person", name, description=desc, born=b, died=d)
                 for pid, name, desc, b, d, _v in PERSONS]
        + [RegisterEntry("p_khrushchov", "person", "Khrushchov, N. S.", see="p_KNS1")],
        places=[RegisterEntry(pid, "place", name) for pid, name in PLACES],
        organizations=[RegisterEntry(oid, "org", name) for oid, name in ORGS],
        abbreviations=[Abbreviation("t_USSR", "USSR", "Union of Soviet Socialist Republics"),
                       Abbreviation("t_UN", "UN", "United Nations")],
    )
    project.write_registers(root, regs)
    for n in numbers:
        project.write_document(root, frus_document(texts / f"d{n}.txt", chapter_of(n)))
    (root / "appendix" / "a1.md").write_text("---\ntitle: Note on Sources\n---\n\nThe documents come from the "
                                             "Department of State and the Kennedy Library.\n", encoding="utf-8")
    return root


# --- reading the PDF back -------------------------------------------------------------------------


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_texts(path: Path) -> list[str]:
    """The text of every page (index 0 = physical page 1)."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.split("\f")
    return pages[:page_count(path)]


def one_line(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def printed_page_numbers(pages: list[str]) -> dict[int, int]:
    """Physical page (1-based) of each printed arabic page number, read from the running heads."""
    found: dict[int, int] = {}
    for i, text in enumerate(pages):
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if not lines:
            continue
        first = lines[0].strip()
        m = re.match(r"^(\d+)\b", first) or re.search(r"\b(\d+)$", first)
        if m:
            found[int(m.group(1))] = i + 1
    return found


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not FRUS.exists():
        pytest.fail(f"{FRUS} is missing: the tests need ../shared beside the repository")
    return frus_texts(tmp_path_factory.mktemp("frustext"))


NUMBERS = [1, 2, 3, 4, 5, 20, 21, 22, 40, 41, 60, 61, 100, 101, 110, 118]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, texts: Path) -> tuple[Path, Path, Report]:
    root = make_frus_project(tmp_path_factory.mktemp("proj") / "frus", texts, NUMBERS)
    report = Report()
    compiled = compile_project(root, report)
    out = root.parent / "out" / "edition.pdf"
    pdf.write_pdf(compiled, out, report)
    return root, out, report


# --- tests ----------------------------------------------------------------------------------------


def test_headings_in_frus_form(built: tuple[Path, Path, Report], texts: Path) -> None:
    _root, out, report = built
    assert not report.errors, report.errors
    whole = one_line("\n".join(page_texts(out)))
    for n in NUMBERS:
        heading = (texts / f"d{n}.txt").read_text(encoding="utf-8").split("\n", 1)[0]
        # "100. Message From President Kennedy to Chairman Khrushchev" as the volume prints it
        assert re.match(rf"^{n}\. ", heading)
        assert one_line(heading)[:40] in whole, heading


def test_title_page_and_roman_front_matter(built: tuple[Path, Path, Report]) -> None:
    _root, out, _ = built
    pages = page_texts(out)
    title = one_line(pages[0]).casefold()  # series, editors and publisher are set in capitals
    for words in ("Foreign Relations of the United States", "Volume VI", "Kennedy–Khrushchev Exchanges",
                  "Charles S. Sampson", "General Editor", "United States Government Printing Office", "1996"):
        assert words.casefold() in title, words
    contents = next(i for i, p in enumerate(pages) if one_line(p).startswith("CONTENTS"))
    # the contents page carries its roman folio, and the front matter counts from the title page
    assert re.search(rf"\b{['i', 'ii', 'iii', 'iv', 'v'][contents]}\s*$", pages[contents].strip())
    lod = next(i for i, p in enumerate(pages) if one_line(p).startswith("LIST OF DOCUMENTS"))
    toc = one_line(pages[contents])
    roman = {1: "i", 2: "ii", 3: "iii", 4: "iv", 5: "v", 6: "vi", 7: "vii", 8: "viii"}
    assert re.search(rf"List of documents[ .]*{roman[lod + 1]}\b", toc), toc


def test_main_matter_starts_at_page_one_and_contents_point_there(built: tuple[Path, Path, Report]) -> None:
    _root, out, _ = built
    pages = page_texts(out)
    numbers = printed_page_numbers(pages)
    first_doc = next(i for i, p in enumerate(pages) if re.search(r"^\s*1\. Message From Chairman Khrushchev", p, re.M))
    # page 1 of the main matter is the page where the first chapter and document start
    assert numbers.get(2) == first_doc + 2
    toc = one_line(next(p for p in pages if one_line(p).startswith("CONTENTS")))
    m = re.search(r"1962[ .]+(\d+)", toc)
    assert m, toc
    chapter_page = int(m.group(1))
    physical = first_doc + chapter_page  # page n of the main matter is physical page first_doc + n
    assert one_line(pages[physical - 1]).find("1962") >= 0


def test_index_gives_document_numbers_and_the_pages_they_are_on(built: tuple[Path, Path, Report]) -> None:
    root, out, report = built
    compiled = compile_project(root, Report())
    pages = page_texts(out)
    first_doc = next(i for i, p in enumerate(pages) if re.search(r"^\s*1\. Message From Chairman Khrushchev", p, re.M))
    index_start = next(i for i, p in enumerate(pages) if "Index of names Numbers refer to documents" in one_line(p))
    # the index is set in two columns: read it in reading order, not as laid out
    index_text = one_line(subprocess.run(["pdftotext", "-f", str(index_start + 1), str(out), "-"], check=True,
                                         capture_output=True, text=True).stdout)
    checked = 0
    for kind in ("person", "place"):
        for entry in compiled.index[kind]:
            if not entry.documents or entry.see:
                continue
            nums = [compiled.document_by_id()[d].n for d in entry.documents]
            head = re.escape(entry.name)
            m = re.search(head + r"[^()]*?(?:\([\d?–]+\))?[^()]*?((?:\d+ \(\d+\)(?:, )?)+)", index_text)
            assert m, entry.name
            pairs = re.findall(r"(\d+) \((\d+)\)", m.group(1))
            assert [int(a) for a, _ in pairs] == nums, entry.name
            for doc_n, page in pairs:
                physical = first_doc + int(page)
                # pdftotext -f N -l N: the document's heading is on the page the index names
                text = subprocess.run(["pdftotext", "-layout", "-f", str(physical), "-l", str(physical), str(out),
                                       "-"], check=True, capture_output=True, text=True).stdout
                assert re.search(rf"^\s*{doc_n}\. \S", text, re.M), (entry.name, doc_n, page)
                checked += 1
    assert checked > 30


def test_cross_reference_and_life_dates_in_index(built: tuple[Path, Path, Report]) -> None:
    _root, out, _ = built
    index_text = one_line(" ".join(page_texts(out)))
    assert "Khrushchov, N. S., see Khrushchev, Nikita S." in index_text
    assert re.search(r"Khrushchev, Nikita S\. \(1894–1971\), Chairman", index_text)


def test_footnotes_at_the_foot_of_the_page(built: tuple[Path, Path, Report]) -> None:
    _root, out, _ = built
    pages = page_texts(out)
    # document 100 has a source note (footnote 1, on the heading) and notes "Document 98." / "Document 99."
    page = next(p for p in pages if re.search(r"^\s*100\. Message From President Kennedy", p, re.M))
    text = one_line(page)  # a footnote's number is raised, so pdftotext puts it on a line of its own
    body = text.index("I thank you for your message")
    src = text.index("1 Department of State, Presidential Correspondence: Lot 77 D 163")
    assert src > body  # below the text, not where the note was written
    assert text.index("2 Document 98.") > src and text.index("3 Document 99.") > src
    assert re.search(r"100\. Message From President Kennedy to Chairman Khrushchev ?1", text)


def test_running_heads_carry_chapter_and_document_number(built: tuple[Path, Path, Report]) -> None:
    _root, out, _ = built
    pages = page_texts(out)
    heads = [one_line(p.strip().splitlines()[0]) for p in pages if p.strip()]
    assert any(re.match(r"^No\. \d+ 1962 \d+$", h) for h in heads), heads
    assert any(re.match(r"^\d+ KENNEDY–KHRUSHCHEV EXCHANGES No\. \d+$", h) for h in heads), heads


def test_byte_identical_rebuild(built: tuple[Path, Path, Report]) -> None:
    root, out, _ = built
    again = root.parent / "again.pdf"
    pdf.write_pdf(compile_project(root, Report()), again, Report())
    assert again.read_bytes() == out.read_bytes()


def test_soviet_style_and_letter_paper(tmp_path: Path, texts: Path) -> None:
    root = make_frus_project(tmp_path / "sov", texts, [118, 119], style="soviet", paper="letter", lang="ru")
    report = Report()
    compiled = compile_project(root, report)
    compiled.documents[0].legend = type(compiled.documents[0].legend)(
        archive="АВП РФ", fond="0129", opis="47", delo="5", list="1–3", original="подлинник",
        reproduction="машинопись")
    out = tmp_path / "sov.pdf"
    pdf.write_pdf(compiled, out, report)
    text = one_line(" ".join(page_texts(out)))
    assert "№ 118. " in text and "№ 119. " in text
    assert "АВП РФ. Ф. 0129. Оп. 47. Д. 5. Л. 1–3." in text
    assert "Подлинник. Машинопись." in text
    folded = text.casefold()  # front-matter headings are set in capitals
    assert "именной указатель" in folded and "перечень документов" in folded and "содержание" in folded
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True).stdout
    assert "612 x 792 pts" in info  # US Letter


def test_a4_by_default(built: tuple[Path, Path, Report]) -> None:
    _root, out, _ = built
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"595\.2\d* x 841\.8\d* pts", info), info


def test_network_is_refused_and_reported(tmp_path: Path) -> None:
    fetcher = pdf.LocalOnlyFetcher()
    with pytest.raises(ValueError, match="no network"):
        fetcher.fetch("http://example.com/font.woff")
    report = Report()
    html = ('<html><head><style>@font-face { font-family: X; src: url(https://example.com/x.woff) }</style>'
            '</head><body><p>x</p><img src="http://127.0.0.1:9/x.png"></body></html>')
    data = pdf.html_to_pdf(html, tmp_path.as_uri() + "/", report)
    assert data.startswith(b"%PDF")
    refused = " ".join(p.message for p in report.warnings)
    assert "http://127.0.0.1:9/x.png" in refused and "https://example.com/x.woff" in refused


def test_html_escapes_document_text(tmp_path: Path) -> None:
    project.new_project(tmp_path / "p", "A <b>bold</b> & title")
    project.write_document(tmp_path / "p", Document(id="d1", n=1, heading="Note <script>", body="x < y & z\n"))
    html = pdf.render_html(compile_project(tmp_path / "p", Report()))
    assert "A &lt;b&gt;bold&lt;/b&gt; &amp; title" in html
    assert "Note &lt;script&gt;" in html and "x &lt; y &amp; z" in html


def test_photograph_with_caption_and_credit(tmp_path: Path) -> None:
    from PIL import Image

    from dossier.model import Illustration

    root = tmp_path / "photo"
    project.new_project(root, "Condolences", style="soviet", languages=["ru"])
    Image.new("RGB", (300, 200), (90, 90, 90)).save(root / "images" / "book.png")
    project.write_document(root, Document(
        id="p1", n=1, heading="Фотография. Книга соболезнований в посольстве США в Москве", type="photograph",
        date=DateRange("1963-11-23", "1963-11-23", "day"), body="Запись в книге соболезнований.\n",
        illustrations=[Illustration("book.png", caption="Книга соболезнований", credit="Фото: Б. Комесаров, ТАСС")]))
    report = Report()
    out = tmp_path / "photo.pdf"
    pdf.write_pdf(compile_project(root, report), out, report)
    assert not report.problems, report.problems
    text = one_line(" ".join(page_texts(out)))
    assert "№ 1. Фотография. Книга соболезнований" in text
    assert "Книга соболезнований Фото: Б. Комесаров, ТАСС" in text
    assert "23 ноября 1963 г." in text  # the editor's date, as no dateline was printed
    images = subprocess.run(["pdfimages", "-list", str(out)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"\b300\s+200\b", images)


def test_analyze_reads_the_apparatus_of_a_printed_edition(built: tuple[Path, Path, Report]) -> None:
    # the PDF's contents and index are not documents: the import leaves them out, and analyze
    # counts them as the edition's own apparatus
    from dossier.analyze.kind import ARCHIVAL
    from dossier.analyze.profile import analyze_path

    _, out, _ = built
    profile, report = analyze_path(out)
    found = {d.n for d in profile.documents}
    assert found <= set(NUMBERS) and len(found) >= len(NUMBERS) - 1, found
    # (document 1, set at the top of the page after the contents, is not always told from the
    # front matter; it is then reported as text outside the documents, not lost)
    if 1 not in found:
        assert any("before document" in p for p in profile.problems)
    signs = {e.sign for e in profile.characterisation.evidence if e.structural}
    assert {"table of contents", "index of names"} <= signs, signs
    assert profile.characterisation.kind == ARCHIVAL
    # `another copy is in the Kennedy Library` cites a repository: it is no place of the dossier's
    assert not [p["name"] for p in profile.places if "Library" in p["name"] or "Department" in p["name"]]


def _page_numbers_at_line_ends(pdf_path: Path, page_text: str) -> list[float]:
    """Right edges (pt) of the page numbers that end the lines of the page whose text has `page_text`."""
    import re as _re
    import subprocess as _sp

    pages = page_texts(pdf_path)
    index = next(i for i, p in enumerate(pages) if page_text in p) + 1
    xml = _sp.run(["pdftotext", "-f", str(index), "-l", str(index), "-bbox", str(pdf_path), "-"], check=True,
                  capture_output=True, text=True).stdout
    lines: dict[float, list[tuple[float, str]]] = {}
    for y, x_max, word in _re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', xml):
        lines.setdefault(round(float(y)), []).append((float(x_max), word))
    ends = [max(words)[0] for words in lines.values() if max(words)[1].isdigit() and max(words)[0] > 400]
    return ends


def test_list_of_documents_sets_its_page_numbers_flush_right(built: tuple[Path, Path, Report]) -> None:
    # an entry that fills its line once had its page number printed over its last words, and
    # one-line entries stopped their leaders 11 mm short (a hanging indent WeasyPrint mismeasured)
    _root, out, _ = built
    ends = _page_numbers_at_line_ends(out, "LIST OF DOCUMENTS")
    assert len(ends) >= 10
    assert max(ends) - min(ends) < 1.0, ends
