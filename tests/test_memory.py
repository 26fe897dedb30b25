"""A build's memory does not grow with its documents' texts: the texts wait on disk (`dossier.spill`)
and each renderer reads them one document at a time; the search index spills its postings every
`RUN` documents; the TEI frame holds no document's pieces. Checked by what is held, not by timing."""

from __future__ import annotations

import gc
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest

from dossier import build as build_mod
from dossier import markup, project
from dossier.build import build_edition, compile_project
from dossier.compile.edition import CompiledEdition
from dossier.examples import example_project
from dossier.model import Document, SpillableText
from dossier.publish import static_search, tei
from dossier.report import Report
from dossier.spill import TextSpill

FORMATS = ["html", "tei", "json"]


def test_a_spilled_document_reads_as_the_file_holds_it(tmp_path: Path) -> None:
    root = example_project()
    plain = project.load_project(root, Report())
    with TextSpill(tmp_path) as spill:
        spilled = project.load_project(root, Report(), spill)
        assert spilled.documents == plain.documents
        assert all(SpillableText.is_stored(d, "body") for d in spilled.documents if d.body)
        assert spill.bytes == sum(len(d.body.encode()) + len(d.source.encode()) for d in plain.documents)
        doc = spilled.documents[0]
        again = pickle.loads(pickle.dumps(doc))  # a pickle holds the text, never where it lay
        assert not SpillableText.is_stored(again, "body") and again == doc
        doc.body = "changed"  # setting a field keeps the new text in memory
        assert not SpillableText.is_stored(doc, "body") and doc.body == "changed"
    with pytest.raises(ValueError):
        _ = spilled.documents[1].body  # the build that spilled it is over
    assert Document("x", body="text").body == "text" and Document("y").body == ""


class _Text(str):
    """A text read from the spill, counted while it lives (texts of an earlier count are not counted)."""

    round = 0
    live = 0
    most = 0

    @classmethod
    def start(cls) -> None:
        cls.round += 1
        cls.live = cls.most = 0

    def __new__(cls, value: str) -> _Text:
        obj = super().__new__(cls, value)
        obj.counted = cls.round
        cls.live += 1
        if cls.live > cls.most:
            gc.collect()  # texts in reference cycles only wait for the collector
            cls.most = max(cls.most, cls.live)
        return obj

    def __del__(self) -> None:
        if self.counted == type(self).round:
            type(self).live -= 1


@pytest.mark.parametrize("incremental", [False, True])
def test_a_build_holds_a_few_documents_texts_at_a_time(incremental: bool, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The texts read back from the spill live only while one document is rendered: a renderer (or the
    compile) that kept every document's text would hold 25 of them here."""
    # markup remembers the last bodies it parsed (a bounded cache); without it, only the renderers hold texts
    monkeypatch.setattr(markup, "_plain_text_of", markup._plain_text_of.__wrapped__)
    monkeypatch.setattr(markup, "_mentions_of", markup._mentions_of.__wrapped__)
    original_read = TextSpill.read
    monkeypatch.setattr(TextSpill, "read", lambda self, at, size: _Text(original_read(self, at, size)))
    _Text.start()
    compiled: list[CompiledEdition] = []
    original_compile = build_mod.compile_project

    def keep(*args: Any, **kwargs: Any) -> CompiledEdition:
        compiled.append(original_compile(*args, **kwargs))
        return compiled[-1]

    monkeypatch.setattr(build_mod, "compile_project", keep)
    if incremental:
        from dossier import cache

        original = cache.BuildCache.compile

        def keep_cached(self: cache.BuildCache, *args: Any, **kwargs: Any) -> CompiledEdition:
            compiled.append(original(self, *args, **kwargs))
            return compiled[-1]

        monkeypatch.setattr(cache.BuildCache, "compile", keep_cached)
    build_edition(example_project(), tmp_path / "out", FORMATS, Report(), workers=1, incremental=incremental)
    docs = compiled[0].documents
    assert len(docs) == 25
    assert all(SpillableText.is_stored(d, "body") for d in docs)  # no step put a text back into memory
    assert 0 < _Text.most <= 4, f"{_Text.most} texts held at once"


def test_outputs_are_the_same_with_the_texts_spilled(tmp_path: Path) -> None:
    root = example_project()
    build_edition(root, tmp_path / "built", FORMATS, Report(), workers=1, incremental=False)
    # the same renderers on an edition compiled in memory
    compiled = compile_project(root, Report())
    tei.write_tei(compiled, tmp_path / "edition.tei.xml", Report())
    assert (tmp_path / "edition.tei.xml").read_bytes() == (tmp_path / "built" / "edition.tei.xml").read_bytes()


def test_the_search_index_holds_one_run_of_postings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = compile_project(example_project(), Report())
    static_search.write_index(compiled, tmp_path / "whole")  # RUN > 25: one run
    held: list[int] = []
    original_add = static_search._Postings.add

    def add(self: static_search._Postings, *counts: dict[str, int]) -> None:
        original_add(self, *counts)
        held.append(len({i for post in self._run.values() for lst in post.values() for i in lst[::2]}))

    monkeypatch.setattr(static_search, "RUN", 3)
    monkeypatch.setattr(static_search._Postings, "add", add)
    static_search.write_index(compiled, tmp_path / "runs")
    assert len(held) == 25 and max(held) <= 3  # documents whose postings were in memory at once
    whole, runs = tmp_path / "whole" / "search", tmp_path / "runs" / "search"
    names = sorted(p.relative_to(whole).as_posix() for p in whole.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(runs).as_posix() for p in runs.rglob("*") if p.is_file())
    for name in names:
        assert (whole / name).read_bytes() == (runs / name).read_bytes(), name


def test_the_tei_frame_holds_no_document_piece(tmp_path: Path) -> None:
    compiled = compile_project(example_project(), Report())
    writer = tei.TeiWriter(compiled, Report())
    writer.assign_surfaces()
    pieces: list[tuple[str, int]] = []
    writer._placeholders = [True] * len(compiled.documents)
    writer._sink = lambda el, level: pieces.append((tei.etree.QName(el).localname, level)) or len(pieces) - 1
    root = writer.build().getroot()
    ns = {"t": tei.TEI_NS}
    assert not root.xpath("//t:correspDesc | //t:div[@type='contents']/t:list/t:item | //t:div[@type='document']",
                          namespaces=ns)
    assert {name for name, _ in pieces} == {"correspDesc", "item"}
    assert sum(1 for name, _ in pieces if name == "item") == len(compiled.main_documents())


def test_an_edition_copied_many_times_builds_the_same_bytes_as_one_in_memory(tmp_path: Path) -> None:
    """More documents than one run of postings: the index merged from runs is the one built whole."""
    root = tmp_path / "proj"
    shutil.copytree(example_project(), root)
    docs = sorted((root / "documents").glob("*.md"))
    for r in range(1, 7):  # 175 documents
        for p in docs:
            (root / "documents" / f"{p.stem}-r{r}.md").write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    build_edition(root, tmp_path / "out", ["html"], Report(), workers=1, incremental=False)
    compiled = compile_project(root, Report())
    assert len(compiled.documents) > static_search.RUN
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(static_search, "RUN", 10**9)
        static_search.write_index(compiled, tmp_path / "whole")
    whole, built = tmp_path / "whole" / "search", tmp_path / "out" / "site" / "search"
    for p in whole.rglob("*.js"):
        assert p.read_bytes() == (built / p.relative_to(whole)).read_bytes(), p
