"""Incremental builds: after one document changes, only what depends on it is redone, and the output
is the same as a clean build of the changed project (the bundled Kennedy-Khrushchev example)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from dossier import cache as cache_mod
from dossier.build import build_edition
from dossier.examples import example_project
from dossier.report import Report
from dossier.search import Query, search

FORMATS = ["html", "tei", "json"]


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(out).parts}


def mtimes(out: Path) -> dict[str, int]:
    return {p.relative_to(out / "site").as_posix(): p.stat().st_mtime_ns for p in sorted((out / "site").rglob("*.html"))}


def catalog_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(path)
    try:
        return {t: sorted(con.execute(q).fetchall(), key=repr) for t, q in {
            "documents": "SELECT * FROM documents", "fts": "SELECT rowid, * FROM fts",
            "mentions": "SELECT * FROM mentions", "entries": "SELECT * FROM entries", "meta": "SELECT * FROM meta"}.items()}
    finally:
        con.close()


def report_without_cache(out: Path) -> dict[str, object]:
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    data["stats"].pop("cache", None)
    return data  # type: ignore[no-any-return]


def build(src: Path, out: Path, incremental: bool = True) -> Report:
    report = Report()
    build_edition(src, out, FORMATS, report, workers=1, incremental=incremental)
    return report


def same_as_clean_build(src: Path, out: Path, tmp: Path) -> None:
    clean = tmp / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    build(src, clean, incremental=False)
    got, want = files(out), files(clean)
    for name in ("catalog.sqlite", "report.json"):
        got.pop(name), want.pop(name)
    assert sorted(got) == sorted(want)
    assert [k for k in got if got[k] != want[k]] == []
    assert catalog_rows(out / "catalog.sqlite") == catalog_rows(clean / "catalog.sqlite")
    assert (out / "catalog.sqlite").stat().st_mode == (clean / "catalog.sqlite").stat().st_mode
    assert report_without_cache(out) == report_without_cache(clean)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    src = tmp_path / "kk"
    shutil.copytree(example_project(), src)
    return src


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_changing_one_text_rerenders_only_its_page(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(project, out)
    assert first.stats["cache"]["documents_read"] == 25 and first.stats["cache"]["pages_reused"] == 0
    before = mtimes(out)
    doc = project / "documents" / "d63.md"
    edit(doc, "Dear Mr. President", "Dear Mr. President (zyzzyvaword)")
    again = build(project, out)
    stats = again.stats["cache"]
    assert stats["documents_read"] == 1 and stats["documents_reused"] == 24
    assert stats["pages_rendered"] == 1 and stats["search_terms_counted"] == 1
    assert stats["catalog_documents_indexed"] == 1
    after = mtimes(out)
    changed = sorted(k for k in after if after[k] != before[k])
    n63 = "documents/d63.html"
    assert changed == [n63]
    assert "zyzzyvaword" in (out / "site" / n63).read_text(encoding="utf-8")
    # the catalog was patched, and finds the new word
    hits = search(out / "catalog.sqlite", Query("zyzzyvaword"))
    assert [h.id for h in hits.hits] == ["d63"]
    same_as_clean_build(project, out, tmp_path)
    # nothing changed: nothing is redone
    third = build(project, out)
    assert third.stats["cache"]["pages_rendered"] == 0 and third.stats["cache"]["documents_read"] == 0
    assert mtimes(out) == after


def test_a_new_heading_rerenders_the_neighbours_and_lists(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(project, out)
    before = mtimes(out)
    edit(project / "documents" / "d63.md", "heading: ", "heading: Urgent. ")
    build(project, out)
    after = mtimes(out)
    changed = {k for k in after if after[k] != before[k]}
    assert {"documents/d63.html", "documents.html"} <= changed
    neighbours = {k for k in changed if k.startswith("documents/")} - {"documents/d63.html"}
    assert len(neighbours) == 2  # the previous and the next document show its heading
    assert len([k for k in after if k.startswith("documents/")]) - len(neighbours) - 1 > 20  # the rest untouched
    same_as_clean_build(project, out, tmp_path)


def test_new_marks_and_removed_documents_stay_consistent(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(project, out)
    edit(project / "documents" / "d63.md", "Dear Mr. President", "Dear Mr. President, [Fidel Castro]{person}")
    (project / "documents" / "d120.md").unlink()
    build(project, out)
    assert not (out / "site" / "documents" / "d120.html").exists()
    same_as_clean_build(project, out, tmp_path)


def test_a_failed_catalog_patch_leaves_the_old_catalog_whole(project: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build(project, out)
    old = (out / "catalog.sqlite").read_bytes()
    edit(project / "documents" / "d63.md", "Dear Mr. President", "Dear Mr. President (zyzzyvaword)")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("worker died")

    monkeypatch.setattr("dossier.publish.catalog._fill", boom)
    with pytest.raises(RuntimeError):
        build(project, out)
    assert (out / "catalog.sqlite").read_bytes() == old
    assert not list(out.glob(".catalog-*"))
    assert search(out / "catalog.sqlite", Query("Chruschtschow")).total > 0
    monkeypatch.undo()
    build(project, out)  # the next build mends it
    same_as_clean_build(project, out, tmp_path)


def test_code_changes_invalidate_the_cache(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build(project, out)
    cache_mod.code_version.cache_clear()
    monkeypatch.setattr(cache_mod, "code_version", lambda: "another version")
    again = build(project, out)
    assert again.stats["cache"]["pages_reused"] == 0 and again.stats["cache"]["documents_read"] == 25


def test_successive_edits_give_a_clean_builds_bytes_and_redo_only_the_changed_pieces(project: Path,
                                                                                     tmp_path: Path) -> None:
    """Words added and removed, counts changed, a new name, a new note: after each edit the incremental
    build equals a clean build byte for byte (site and its search index, TEI, JSON), and only the
    changed document's TEI div and JSON object are rendered again."""
    out = tmp_path / "out"
    build(project, out)
    d63, d64 = project / "documents" / "d63.md", project / "documents" / "d64.md"
    # words added and removed, one word's count changed: the search index is patched
    edit(d63, "Just imagine, Mr. President,", "Just suppose, qwxyzzy qwxyzzy, Mr. President, Mr. President,")
    stats = build(project, out).stats["cache"]
    assert stats["tei_documents_rendered"] == 1 and stats["json_documents_rendered"] == 1
    assert stats["documents_checked"] == 1 and stats["pages_rendered"] == 1
    assert stats["search_files_written"] < 20 < stats["search_files_kept"]
    same_as_clean_build(project, out, tmp_path)
    # a new name (an unlinked mark): the index of persons, the TEI standOff and the JSON index hold it
    edit(d64, "[^1]: See the source note", "[^1]: [Qwertina Zyzzyx]{person} saw the source note")
    build(project, out)
    assert "Qwertina Zyzzyx" in (out / "site" / "persons.html").read_text(encoding="utf-8")
    entries = json.loads((out / "edition.json").read_text(encoding="utf-8"))["index"]["persons"]
    assert [e["documents"] for e in entries if e["name"] == "Qwertina Zyzzyx"] == [["d64"]]
    assert "<persName>Qwertina Zyzzyx</persName>" in (out / "edition.tei.xml").read_text(encoding="utf-8")
    same_as_clean_build(project, out, tmp_path)
    # a new note (new note ids in the TEI) and a new heading (the list of documents)
    edit(d63, "I have received your letter", "I have received[^9] your letter")
    d63.write_text(d63.read_text(encoding="utf-8") + "\n[^9]: A note added by the editor.\n", encoding="utf-8")
    edit(d64, "heading: ", "heading: Qwxyzzy heading. ")
    build(project, out)
    assert "Qwxyzzy heading" in (out / "site" / "documents.html").read_text(encoding="utf-8")
    same_as_clean_build(project, out, tmp_path)
    # the edit taken back: the kept pieces of the first build may serve again, the result is still exact
    edit(d63, "I have received[^9] your letter", "I have received your letter")
    d63.write_text(d63.read_text(encoding="utf-8").replace("\n[^9]: A note added by the editor.\n", ""),
                   encoding="utf-8")
    build(project, out)
    same_as_clean_build(project, out, tmp_path)
    # nothing changed: no piece is rendered, no search file written
    stats = build(project, out).stats["cache"]
    assert "tei_documents_rendered" not in stats and "json_documents_rendered" not in stats
    assert stats["search_files_written"] == 0


def test_a_lost_search_state_or_fragment_store_only_costs_time(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(project, out)
    (out / ".cache" / cache_mod.FRAGMENTS).write_bytes(b"not a database")
    (out / ".cache" / cache_mod.SEARCH_STATE).unlink()
    edit(project / "documents" / "d63.md", "Dear Mr. President", "Dear Mr. President (zyzzyvaword)")
    stats = build(project, out).stats["cache"]
    assert stats["tei_documents_rendered"] == 25
    same_as_clean_build(project, out, tmp_path)


def test_a_patch_failing_midway_rolls_the_catalog_back(project: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalog is patched in one SQLite transaction: rows already replaced when the patch fails are
    rolled back, and the catalog still answers as before."""
    out = tmp_path / "out"
    build(project, out)
    before = catalog_rows(out / "catalog.sqlite")
    edit(project / "documents" / "d63.md", "Dear Mr. President", "Dear Mr. President (zyzzyvaword)")
    made = cache_mod._changed_rows

    def with_a_bad_row(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        part = made(*args, **kwargs)
        row = part.execute("SELECT * FROM documents").fetchone()
        part.execute(f"INSERT INTO documents VALUES({','.join('?' * len(row))})", (row[0] + 1, "no-such-doc", *row[2:]))
        return part

    monkeypatch.setattr(cache_mod, "_changed_rows", with_a_bad_row)
    with pytest.raises(KeyError):
        build(project, out)
    assert catalog_rows(out / "catalog.sqlite") == before
    assert search(out / "catalog.sqlite", Query("zyzzyvaword")).total == 0
    monkeypatch.undo()
    build(project, out)
    assert [h.id for h in search(out / "catalog.sqlite", Query("zyzzyvaword")).hits] == ["d63"]
    same_as_clean_build(project, out, tmp_path)


def test_a_build_failing_while_the_catalog_is_patched_beside_it(project: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A few documents' catalog rows are patched in a thread while the TEI and JSON are written: a
    renderer failing meanwhile leaves the catalog whole (the patch ends before the build does), and the
    next build is the same as a clean one."""
    from dossier.publish import tei

    out = tmp_path / "out"
    build(project, out)
    edit(project / "documents" / "d63.md", "Dear Mr. President", "Dear Mr. President (zyzzyvaword)")

    def failing(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a renderer failed")

    monkeypatch.setattr(tei, "write_tei", failing)
    with pytest.raises(RuntimeError):
        build(project, out)
    assert search(out / "catalog.sqlite", Query("zyzzyvaword")).total in (0, 1)  # old or new, readable
    monkeypatch.undo()
    build(project, out)
    assert [h.id for h in search(out / "catalog.sqlite", Query("zyzzyvaword")).hits] == ["d63"]
    same_as_clean_build(project, out, tmp_path)


def test_a_cached_value_that_fails_its_checksum_is_made_again(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(project, out)
    con = sqlite3.connect(out / ".cache" / cache_mod.FRAGMENTS)
    with con:  # a torn write: the last byte of every stored TEI div changed
        for key, value in con.execute("SELECT key, value FROM piece WHERE fmt = 'tei'").fetchall():
            con.execute("UPDATE piece SET value = ? WHERE fmt = 'tei' AND key = ?",
                        (value[:-1] + bytes([value[-1] ^ 1]), key))
    con.close()
    edit(project / "documents" / "d63.md", "Dear Mr. President", "Dear Mr. President (zyzzyvaword)")
    stats = build(project, out).stats["cache"]
    assert stats["tei_documents_rendered"] == 25 and stats["json_documents_rendered"] == 1
    same_as_clean_build(project, out, tmp_path)


def test_reordered_keys_of_an_editor_reach_the_json_as_a_clean_build_writes_them(project: Path,
                                                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(project, out)
    edit(project / "dossier.toml", '{ name = "Charles S. Sampson", role = "editor" }',
         '{ role = "editor", name = "Charles S. Sampson" }')
    build(project, out)
    same_as_clean_build(project, out, tmp_path)
