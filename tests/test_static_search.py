"""The static search of the web edition: the prebuilt index in site/search/, queried by the real
static/search.js under node, as the browser would (script files calling DossierSearch.load)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from dossier.build import build_edition
from dossier.examples import example_project
from dossier.publish import static_search
from dossier.publish.html import STATIC
from dossier.report import Report
from dossier.search import Query, search

NODE = shutil.which("node")
SEARCH_JS = STATIC / "search.js"

RUNNER = r"""
const fs = require("fs"), path = require("path"), vm = require("vm");
const [, , jsPath, indexDir, queriesJson] = process.argv;
const {makeSearch} = require(jsPath);
let engine;
const loads = [];
const ctx = vm.createContext({DossierSearch: {load: (n, d) => engine.load(n, d)}});
engine = makeSearch((name) => { loads.push(name);
  vm.runInContext(fs.readFileSync(path.join(indexDir, name + ".js"), "utf8"), ctx); });
(async () => {
  const out = {};
  for (const q of JSON.parse(queriesJson)) {
    const before = loads.length;
    const r = await engine.search(q);
    const rows = await engine.documents(r.hits.map((h) => h.doc));
    out[q] = {total: r.total, ids: rows.map((row) => row[3].replace(/^documents\/|\.html$/g, "")),
              rows: rows, loaded: loads.slice(before)};
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e.stack || e); process.exit(2); });
"""


def run_js(site: Path, queries: list[str], tmp: Path) -> dict[str, dict[str, object]]:
    if NODE is None:
        pytest.fail("node is needed to run static/search.js")
    runner = tmp / "runner.js"
    runner.write_text(RUNNER, encoding="utf-8")
    done = subprocess.run([NODE, str(runner), str(SEARCH_JS), str(site / "search"), json.dumps(queries)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("static") / "out"
    build_edition(example_project(), out, ["html"], Report(), workers=1)
    return out


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_index_files_exist_and_are_deterministic(built: Path, tmp_path: Path) -> None:
    index = built / "site" / "search"
    files = tree(index)
    assert "manifest.js" in files and any(f.startswith("k/") for f in files) and any(f.startswith("w/") for f in files)
    assert "d/0.js" in files
    manifest = files["manifest.js"].decode()
    assert manifest.startswith('DossierSearch.load("manifest",')
    # the key of Khrushchev lives in the shard of its first two letters (x, r): k/78-72.js
    assert '"xruxev":[' in files["k/78-72.js"].decode()
    again = tmp_path / "again"
    build_edition(example_project(), again, ["html"], Report(), workers=1)
    assert tree(again / "site" / "search") == files
    # the search page is linked from every page's menu
    assert 'href="search.html"' in (built / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="../search.html"' in (built / "site" / "documents" / "d1.html").read_text(encoding="utf-8")


def test_js_finds_khrushchev_in_any_script_or_spelling(built: Path, tmp_path: Path) -> None:
    queries = ["Khrushchev", "Chruschtschow", "Хрущёва", "хрущев", "Khrushchov", "KHRUSHCHEV"]
    res = run_js(built / "site", queries, tmp_path)
    expected = search(built / "catalog.sqlite", Query("Khrushchev", limit=1000))
    want = {h.id for h in expected.hits}
    assert len(want) > 10
    for q in queries:
        assert set(res[q]["ids"]) == want, q  # type: ignore[arg-type]
    # hits carry number, heading, date and link
    n, heading, date, href = res["Chruschtschow"]["rows"][0]  # type: ignore[index]
    assert isinstance(n, int) and heading and date and href.startswith("documents/")
    assert (built / "site" / href).exists()


def test_js_loads_only_the_shards_a_query_needs(built: Path, tmp_path: Path) -> None:
    res = run_js(built / "site", ["Chruschtschow"], tmp_path)
    loaded = res["Chruschtschow"]["loaded"]
    all_shards = [p for p in (built / "site" / "search").rglob("*.js")]
    assert "manifest" in loaded and "k/78-72" in loaded  # type: ignore[operator]
    assert len(loaded) <= 5 < len(all_shards)  # type: ignore[arg-type]


def test_js_agrees_with_the_catalog_search(built: Path, tmp_path: Path) -> None:
    """Words, OR, NOT and prefixes give the documents `dossier search` gives; a phrase, without
    positions in the index, gives every document holding all its words (a superset)."""
    words = ["Berlin", "Cuba missiles", "Berlin OR Cuba", "Berlin -Cuba", "quarantine", "Kuzn*", "Dobrynin"]
    res = run_js(built / "site", [*words, '"Soviet Government"'], tmp_path)
    for q in words:
        py = {h.id for h in search(built / "catalog.sqlite", Query(q, limit=1000)).hits}
        assert set(res[q]["ids"]) == py, q  # type: ignore[arg-type]
        assert py or q == "Kuzn*", q
    phrase = {h.id for h in search(built / "catalog.sqlite", Query('"Soviet Government"', limit=1000)).hits}
    assert phrase and phrase <= set(res['"Soviet Government"']["ids"])  # type: ignore[arg-type]


def test_russian_forms_are_looked_up_first(tmp_path: Path) -> None:
    """A Russian edition: inflected forms in the text map to pymorphy3's key through the forms shards;
    a form the edition does not hold falls back to the surname rule and still finds the name."""
    from dossier import project

    root = tmp_path / "ru"
    project.new_project(root, "Письма", "soviet", ["ru"])
    (root / "documents" / "r1.md").write_text(
        "---\nn: 1\nheading: Письмо Хрущёву\nlanguage: ru\n---\n\nМы писали Никите Сергеевичу Хрущёву о переговорах.\n",
        encoding="utf-8")
    (root / "documents" / "r2.md").write_text(
        "---\nn: 2\nheading: Записка\nlanguage: ru\n---\n\nПереговоры в Берлине шли долго.\n", encoding="utf-8")
    out = tmp_path / "out"
    build_edition(root, out, ["html"], Report(), workers=1)
    forms_dir = out / "site" / "search" / "f"
    forms = "".join(p.read_text(encoding="utf-8") for p in sorted(forms_dir.glob("*.js")))
    assert '"хрущеву":"xruxev"' in forms
    res = run_js(out / "site", ["Хрущёвым", "Khrushchev", "хрущеву", "Берлин", "Переговоры", "Berlin"], tmp_path)
    assert res["Хрущёвым"]["ids"] == ["r1"] and res["Khrushchev"]["ids"] == ["r1"] and res["хрущеву"]["ids"] == ["r1"]
    assert res["Берлин"]["ids"] == ["r2"] and res["Berlin"]["ids"] == ["r2"]
    # another form of a word the edition holds meets it through the key pymorphy3 gave both forms
    assert sorted(res["Переговоры"]["ids"]) == ["r1", "r2"]  # type: ignore[arg-type]


def test_shards_split_when_large() -> None:
    sizes = {f"ab{c}": 30_000 for c in "cdef"} | {"ab": 10, "xy": 5}
    shards = static_search.assign_shards(sizes)
    assert shards["abc"] == "abc" and shards["ab"] == "ab" and shards["xy"] == "xy"
    assert static_search.shard_name("xr") == "78-72"
