"""The static web edition (dossier.publish.html) on real FRUS text.

The sample project is made the way a user with scans would make one: the plain text of six documents
of FRUS 1961-63 vol. VI (written by ../shared/eval/frus_index.py), names marked with mark_spans, the
editors' own footnotes turned into notes, and a register of persons from the volume's List of Names.
The whole volume is imported with the TEI importer and its site checked too.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import FRUS, SHARED
from dossier import markup, project
from dossier.build import build_edition
from dossier.compile.edition import compile_edition
from dossier.i18n import catalog_path, translator
from dossier.model import Chapter, DateRange, Document
from dossier.publish.html import write_site
from dossier.report import Report

SAMPLE = ("1", "5", "60", "118", "119", "120")
# The editors' footnotes of those documents (FRUS note text, as frus_index.py writes it).
FOOTNOTE_STARTS = ("Printed from", "For text of", "On November 24 President Johnson also wrote")
PERSONS = """\
- id: p_KNS2
  name: Khrushchev, Nikita S.
  description: Chairman of the Council of Ministers of the Soviet Union
  born: '1894'
  died: '1971'
  variants: ['Хрущёв, Никита Сергеевич', Chruschtschow, Khrushchov]
- id: p_KJF2
  name: Kennedy, John F.
  description: President of the United States until November 22, 1963
- id: p_JLB1
  name: Johnson, Lyndon B.
  description: Vice President of the United States until November 22, 1963; thereafter President
- id: p_MAI1
  name: Mikoyan, Anastas I.
  description: First Deputy Chairman of the Soviet Council of Ministers
- id: p_KFD1
  name: Kohler, Foy D.
  description: Assistant Secretary of State for European Affairs until August 1962; thereafter Ambassador to the Soviet Union
- id: p_ZVA1
  name: Zorin, Valerian A.
  description: Deputy Soviet Foreign Minister and Permanent Representative to the United Nations
- id: p_KJB1
  name: Kennedy, Jacqueline
- id: p_DAF1
  name: Dobrynin, Anatoly F.
  description: Chief of the American Countries Division, Soviet Foreign Ministry until March 1962; thereafter Ambassador to the United States
- id: p_KNS_x
  name: Khrushchov, N. S.
  see: p_KNS2
"""
NAMES = [  # (pattern, kind, ref): longest first; None = an unlinked mark the compile step files itself
    (r"Jacqueline Kennedy|Mrs\. ?Kennedy", "person", "p_KJB1"),
    (r"John F\.\s*Kennedy|President Kennedy|President-elect Kennedy|Kennedy", "person", "p_KJF2"),
    (r"Chairman Khrushchev|N\. Khrushchev|Khrushchev", "person", "p_KNS2"),
    (r"President Johnson|Johnson", "person", "p_JLB1"),
    (r"A\.I\. Mikoyan|Mr\. ?Mikoyan|Mikoyan", "person", "p_MAI1"),
    (r"Kohler", "person", "p_KFD1"),
    (r"Zorin", "person", "p_ZVA1"),
    (r"Franklin Roosevelt", "person", None),
    (r"Moscow|Washington|Vienna|Dallas|London", "place", None),
    (r"Department of State|Kennedy Library", "org", None),
    (r"U\.S\.S\.R\.", "term", "t_USSR1"),
]


def _frus_texts(tmp: Path) -> Path:
    out = tmp / "frustext"
    subprocess.run([sys.executable, str(SHARED / "eval" / "frus_index.py"), "text", str(FRUS), str(out)],
                   check=True, capture_output=True)
    return out


def _mark(text: str) -> str:
    body = markup.escape(text)
    plain = markup.plain_text(body)
    spans, taken = [], set()
    for pattern, kind, ref in NAMES:
        for m in re.finditer(rf"\b(?:{pattern})(?![\w])", plain):
            if taken.isdisjoint(range(m.start(), m.end())):
                spans.append(markup.Span(m.start(), m.end(), kind, ref))
                taken.update(range(m.start(), m.end()))
    marked, skipped = markup.mark_spans(body, spans)
    assert not skipped
    return marked.rstrip("\n")


def make_sample(root: Path, texts: Path, style: str = "frus", lang: str = "en") -> list[Document]:
    """A project of six real FRUS documents with marked names, notes, a register and an appendix."""
    project.new_project(root, "Kennedy-Khrushchev Exchanges", style, [lang])
    meta = project.read_metadata(root)
    meta.series = "Foreign Relations of the United States, 1961–1963"
    meta.volume = "VI"
    meta.editors = [{"name": "Charles S. Sampson", "role": "Editor"},
                    {"name": "Glenn W. LaFantasie", "role": "General Editor"}]
    meta.publisher = "United States Government Printing Office"
    meta.place, meta.year = "Washington", "1996"
    meta.source = "From FRUS 1961–63 vol. VI (HistoryAtState/frus); a work of the US Government, in the public domain."
    meta.chapters = [Chapter("c1", "The first exchanges, 1960–1961", 1), Chapter("c2", "After Dallas, 1963", 2)]
    project.write_metadata(root, meta)
    (root / "registers" / "persons.yaml").write_text(PERSONS, encoding="utf-8")
    (root / "registers" / "abbreviations.yaml").write_text(
        "- id: t_USSR1\n  abbr: USSR\n  expansion: Union of Soviet Socialist Republics\n"
        "- id: t_TASS1\n  abbr: TASS\n  expansion: Telegraph Agency of the Soviet Union\n", encoding="utf-8")
    (root / "appendix" / "a1.md").write_text(
        "---\ntitle: Note on the texts\n---\n\nThe texts are printed from the FRUS edition of "
        "[Khrushchev]{person=p_KNS2}'s correspondence.[^1]\n\n[^1]: See the source note of each document.\n",
        encoding="utf-8")
    docs = []
    for n in SAMPLE:
        paras = (texts / f"d{n}.txt").read_text(encoding="utf-8").strip().split("\n\n")
        heading = re.sub(rf"^{n}\.\s+", "", paras[0])
        source = next(p for p in paras if p.startswith("Source:"))
        rest = [p for p in paras[1:] if p is not source]
        dateline = rest.pop(0) if rest and re.search(r"\b1[96]\d\d\b", rest[0]) and len(rest[0]) < 80 else ""
        body_paras, notes = [], []
        for p in rest:
            if p.startswith(FOOTNOTE_STARTS) and body_paras:
                notes.append(p)
                body_paras[-1] += f"[^{len(notes)}]"
            else:
                body_paras.append(_mark(p))
        closer = body_paras.pop() if len(body_paras) > 1 and len(markup.plain_text(body_paras[-1])) < 40 else ""
        body = "\n\n".join(body_paras)
        if closer:
            body += f"\n\n::: closer\n{closer}\n:::"
        body += "".join(f"\n\n[^{i}]: {_mark(t)}" for i, t in enumerate(notes, 1))
        m = re.search(r"(\w+ \d{1,2}, \d{4})", dateline)
        day = dt.datetime.strptime(m.group(1), "%B %d, %Y").date().isoformat() if m else None
        doc = Document(id=f"d{n}", n=int(n), heading=_mark(heading), body=body, source=_mark(source),
                       dateline=_mark(dateline), chapter="c1" if int(n) < 100 else "c2",
                       date=DateRange(day, day, "day" if day else "undated", m.group(1) if m else ""),
                       subtype="historical-document")
        project.write_document(root, doc)
        docs.append(doc)
    return docs


class Links(HTMLParser):
    """hrefs, srcs and ids of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.mentions: list[tuple[str, str]] = []  # (class, href) of marked names
        self.spans: list[str] = []  # classes of marks rendered without a link

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        for key in ("href", "src"):
            if a.get(key):
                self.hrefs.append(a[key] or "")
        cls = a.get("class") or ""
        if "mention" in cls.split():
            if tag == "a":
                self.mentions.append((cls, a.get("href") or ""))
            else:
                self.spans.append(cls)


def parse_site(site: Path) -> dict[Path, Links]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        parser = Links()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.resolve()] = parser
    return pages


def broken_links(site: Path, pages: dict[Path, Links]) -> list[str]:
    """Every relative href must name an existing file and, with a fragment, an id in that page."""
    bad = []
    for path, links in pages.items():
        for href in links.hrefs:
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc, f"{path.name}: external URL {href}"
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.exists():
                bad.append(f"{path.relative_to(site)}: {href} (no file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in pages[target].ids:
                bad.append(f"{path.relative_to(site)}: {href} (no anchor)")
    return bad


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _frus_texts(tmp_path_factory.mktemp("frus"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, texts: Path) -> tuple[Path, Report, object]:
    root = tmp_path_factory.mktemp("sample") / "kennedy"
    make_sample(root, texts)
    report = Report()
    out = root.parent / "dist"
    build_edition(root, out, ["html"], report)
    from dossier.build import compile_project
    return out / "site", report, compile_project(root, Report())


def test_every_page_exists_and_every_link_resolves(built: tuple[Path, Report, object]) -> None:
    site, report, _ = built
    names = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert {"index.html", "documents.html", "persons.html", "places.html", "organizations.html",
            "abbreviations.html", "appendix.html", "chapters/c1.html", "chapters/c2.html"} <= names
    assert {f"documents/d{n}.html" for n in SAMPLE} <= names
    assert (site / "static" / "edition.css").exists() and (site / "static" / "edition.js").exists()
    pages = parse_site(site)
    assert broken_links(site, pages) == []
    assert not [p for p in report.problems if "html" in p.message.lower()]


def test_every_marked_name_links_to_its_entry(built: tuple[Path, Report, object]) -> None:
    site, _, compiled = built
    pages = parse_site(site)
    doc119 = pages[(site / "documents" / "d119.html").resolve()]
    hrefs = [h for _, h in doc119.mentions]
    assert "../persons.html#p_KJF2" in hrefs and "../persons.html#p_MAI1" in hrefs
    assert any(h.startswith("../places.html#pl-") for h in hrefs)  # an unlinked "Moscow" mark
    # every mark in every document became a link (none left as an unresolved span)
    for doc in compiled.documents:  # type: ignore[attr-defined]
        page = pages[(site / "documents" / f"{doc.id}.html").resolve()]
        marks = markup.mentions(doc.body) + markup.mentions(doc.source) + markup.mentions(doc.heading) \
            + markup.mentions(doc.dateline)
        assert len(page.mentions) == len(marks), doc.id
        assert page.spans == []
    # terms go to the abbreviations page
    doc1 = (site / "documents" / "d1.html").read_text(encoding="utf-8")
    assert 'href="../abbreviations.html#t_USSR1"' in doc1


def test_index_entries_link_to_documents_by_number(built: tuple[Path, Report, object]) -> None:
    site, _, compiled = built
    html = (site / "persons.html").read_text(encoding="utf-8")
    entry = re.search(r'<p class="entry[^"]*" id="p_KNS2".*?</p>', html, re.S)
    assert entry
    text = re.sub(r"<[^>]+>", "", entry.group(0))
    text = re.sub(r"\s+", " ", text).strip()
    assert text.startswith("Khrushchev, Nikita S. (1894–1971), Chairman of the Council of Ministers")
    assert "Chruschtschow" in text and "Хрущёв, Никита Сергеевич" in text
    by_id = {e.id: e for e in compiled.index["person"]}  # type: ignore[attr-defined]
    numbers = [int(d[1:]) for d in by_id["p_KNS2"].documents]
    assert text.endswith("— " + ", ".join(str(n) for n in numbers))
    assert numbers == [1, 5, 60, 118, 119, 120]
    for n in numbers:
        assert f'href="documents/d{n}.html">{n}</a>' in entry.group(0)
    # a cross-reference, and a register entry no document names
    assert re.search(r'id="p_KNS_x".*?Khrushchov, N\. S\.</span>, <span class="see">see</span> '
                     r'<a href="#p_KNS2">Khrushchev, Nikita S\.</a>', html, re.S)
    dobrynin = re.search(r'id="p_DAF1".*?</p>', html, re.S)
    assert dobrynin and "no documents" in dobrynin.group(0)
    # filed alphabetically, in the compile step's order, under letters
    ids = re.findall(r'<p class="entry[^"]*" id="([^"]+)"', html)
    assert ids == [e.id for e in compiled.index["person"]]  # type: ignore[attr-defined]
    assert '<h2 class="letter-head">K</h2>' in html


def test_document_page_heading_notes_source_and_pager(built: tuple[Path, Report, object]) -> None:
    site, _, _ = built
    html = (site / "documents" / "d119.html").read_text(encoding="utf-8")
    heading = re.search(r'<h1 class="doc-heading">(.*?)</h1>', html, re.S).group(1)  # type: ignore[union-attr]
    assert re.sub(r"<[^>]+>", "", heading) == "119. Letter From Chairman Khrushchev to President Johnson"
    assert 'href="../persons.html#p_JLB1"' in heading
    assert '<p class="dateline"><a class="mention place"' in html and "November 24, 1963" in html
    # two footnotes, numbered, each with a back-link to its reference
    assert html.count('role="doc-noteref"') == 2
    for k in (1, 2):
        assert f'<sup class="noteref"><a id="fnref{k}" href="#fn{k}"' in html
        assert re.search(rf'<li id="fn{k}" value="{k}".*?<a class="backref" href="#fnref{k}"', html, re.S)
    assert "thanking the Chairman for his letter of condolence" in html.split('class="notes"')[1]
    source = html.split('class="source"')[1]
    assert "Presidential Correspondence: Lot 66 D 204. Confidential." in source
    assert 'class="apparatus-head">Source<' not in source  # the note says "Source:" itself
    assert 'rel="prev" href="d118.html"' in html and 'rel="next" href="d120.html"' in html
    assert '<div class="block closer">' in (site / "documents" / "d5.html").read_text(encoding="utf-8")


def test_title_page_contents_and_list_of_documents(built: tuple[Path, Report, object]) -> None:
    site, _, _ = built
    home = (site / "index.html").read_text(encoding="utf-8")
    for text in ("Foreign Relations of the United States, 1961–1963", "Volume VI", "Kennedy-Khrushchev Exchanges",
                 "Charles S. Sampson", "General Editor", "United States Government Printing Office",
                 "Washington, 1996", "public domain", "Table of contents", "Documents 1–60", "Documents 118–120",
                 'href="persons.html">Index of names', 'href="abbreviations.html">Abbreviations'):
        assert text in home, text
    listing = (site / "documents.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="n(\d+)">.*?<td class="col-date">(.*?)</td>', listing)
    assert [int(n) for n, _ in rows] == [1, 5, 60, 118, 119, 120]
    assert dict(rows)["120"] == "December 1, 1963"
    appendix = (site / "appendix.html").read_text(encoding="utf-8")
    assert 'href="persons.html#p_KNS2"' in appendix and 'id="a1-fn1"' in appendix


def test_output_is_deterministic(built: tuple[Path, Report, object], tmp_path: Path) -> None:
    site, _, compiled = built
    again = tmp_path / "site"
    write_site(compiled, again, Report())  # type: ignore[arg-type]
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_russian_edition_uses_the_russian_catalog(texts: Path, tmp_path: Path) -> None:
    root = tmp_path / "ru"
    make_sample(root, texts, style="soviet", lang="ru")
    report = Report()
    compiled = compile_edition(project.load_project(root, report), report)
    write_site(compiled, tmp_path / "site", report)
    site = tmp_path / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in home
    for word in ("Содержание", "Перечень документов", "Именной указатель", "Географический указатель",
                 "Указатель организаций", "Список сокращений", "Приложения", "Том VI"):
        assert word in home, word
    assert "Index of names" not in home
    doc = (site / "documents" / "d119.html").read_text(encoding="utf-8")
    assert re.search(r'<span class="doc-n">№&nbsp;119\.</span>', doc)
    assert "Примечания" in doc and "Источник" in doc and "Предыдущий" in doc
    persons = (site / "persons.html").read_text(encoding="utf-8")
    assert '<span class="see">см.</span>' in persons and "документов нет" in persons
    listing = (site / "documents.html").read_text(encoding="utf-8")
    assert "1 декабря 1963 г." in re.sub("[\u00a0\u202f]", " ", listing)


def test_catalogs_translate_every_template_message() -> None:
    from jinja2.ext import babel_extract

    templates = Path(__file__).resolve().parents[1] / "src" / "dossier" / "publish" / "templates"
    wanted = set()
    for path in sorted(templates.glob("*.html")):
        with path.open("rb") as fh:
            for _, _, msg, _ in babel_extract(fh, ["_"], [], {"extensions": "jinja2.ext.i18n"}):
                wanted.add(msg[0] if isinstance(msg, tuple) else msg)
    from babel.messages.pofile import read_po
    for lang in ("en", "ru"):
        with catalog_path(lang).open("rb") as fh:
            catalog = read_po(fh)
        have = {m.id: m.string for m in catalog if m.id}
        assert wanted - set(have) == set(), lang
        assert all(have[w] for w in wanted), lang
    assert translator("ru").gettext("Index of names") == "Именной указатель"
    assert translator("ru-RU").gettext("see") == "см."
    assert translator("de").gettext("see") == "see"


def test_python_holds_no_html_or_interface_words() -> None:
    src = (Path(__file__).resolve().parents[1] / "src" / "dossier" / "publish" / "html.py").read_text(encoding="utf-8")
    assert not re.search(r"""["'][^"'\n]*<(?:a|p|div|span|li|h\d|html|sup)[\s>]""", src)


def interface_literals(path: Path, messages: set[str]) -> list[str]:
    """String literals of a Python file that are messages of the catalog, outside the i18n plumbing:
    not an argument of gettext / ngettext / N_ (anywhere inside it), not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    plumbing: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in ("gettext", "ngettext", "N_", "_"):
                plumbing |= {id(n) for arg in node.args for n in ast.walk(arg)}
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                plumbing.add(id(first.value))
    return [f"{path.name}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in messages
            and id(node) not in plumbing]


def test_no_interface_words_in_the_python_of_publish_and_compile() -> None:
    """Every word printed around the documents comes from the catalogs: no message of the English catalog
    is written as a literal in dossier.publish or dossier.compile. Messages that are one lower-case word
    ('note', 'letter', 'see', 'undated') are left out: they are also the names of block kinds, document
    types and fields in the code."""
    from babel.messages.pofile import read_po

    with catalog_path("en").open("rb") as fh:
        catalog = read_po(fh)
    messages = {m for msg in catalog if msg.id for m in ((msg.id,) if isinstance(msg.id, str) else msg.id)}
    messages = {m for m in messages if not re.fullmatch(r"[a-z]+", m)}
    assert {"Documents", "Other documents", "Index of names", "Box"} <= messages
    src = Path(__file__).resolve().parents[1] / "src" / "dossier"
    found = [hit for package in ("publish", "compile") for path in sorted((src / package).glob("*.py"))
             for hit in interface_literals(path, messages)]
    assert found == []


def test_documents_without_a_chapter_are_titled_in_the_editions_language(tmp_path: Path) -> None:
    from dossier.examples import example_project

    root = tmp_path / "kk"
    shutil.copytree(example_project(), root)
    edition = project.load_project(root, Report())
    edition.meta.languages = ["ru"]
    edition.documents[0].chapter = ""
    compiled = compile_edition(edition, Report())
    assert [c.chapter.title for c in compiled.chapters] == ["Kennedy-Khrushchev Exchanges", "Другие документы"]
    edition = project.load_project(root, Report())
    edition.meta.languages, edition.meta.chapters = ["ru"], []
    assert [c.chapter.title for c in compile_edition(edition, Report()).chapters] == ["Документы"]


@pytest.mark.slow
def test_whole_frus_volume_site(tmp_path: Path) -> None:
    # the TEI importer is part of dossier: when it fails, this test fails (it is never skipped)
    root = tmp_path / "frus"
    proc = subprocess.run([sys.executable, "-m", "dossier.cli", "import", str(FRUS), "--into", str(root), "-q"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, f"dossier import of {FRUS} failed: {proc.stderr.strip()[:500]}"
    report = Report()
    out = tmp_path / "dist"
    build_edition(root, out, ["html"], report)
    site = out / "site"
    pages = parse_site(site)
    assert len(list((site / "documents").glob("*.html"))) == 120
    assert broken_links(site, pages) == []
    from dossier.build import compile_project
    compiled = compile_project(root, Report())
    persons = pages[(site / "persons.html").resolve()]
    for entry in compiled.index["person"]:
        assert entry.id in persons.ids
    total_marks = sum(len(p.mentions) + len(p.spans) for path, p in pages.items() if path.parent.name == "documents")
    assert total_marks > 900
    assert sum(len(p.spans) for path, p in pages.items() if path.parent.name == "documents") == 0
