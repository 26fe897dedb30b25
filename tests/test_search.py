"""Search across scripts on the real FRUS volume (and real Russian news text), filters, and bad queries."""

import json
import sqlite3

import pytest

from conftest import FACTRU, FRUS
from dossier import cli, markup, project
from dossier.build import compile_project
from dossier.model import Document
from dossier.publish import catalog as catalog_mod
from dossier.report import DossierError, Report
from dossier.search import Query, compile_query, search
from dossier.search_keys import word_key


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("frus")
    cli.run(["import", str(FRUS), "--into", str(root), "-q"])
    # two real Russian news texts (factRuEval-2016, MIT) beside the English volume
    texts = sorted(FACTRU.glob("*.txt"))
    with_yo = next(t for t in texts if "ё" in t.read_text(encoding="utf-8"))
    for path in (with_yo, texts[0]):
        project.write_document(root, Document(id=path.stem, body=markup.escape(path.read_text(encoding="utf-8")),
                                              language="ru"))
    report = Report()
    compiled = compile_project(root, report)
    cat = root / "catalog.sqlite"
    catalog_mod.write_catalog(compiled, cat, report)
    return root, cat, with_yo


def ids(cat, text, **kw):
    return {h.id for h in search(cat, Query(text, limit=1000, **kw)).hits}


def test_one_name_in_every_script_finds_the_same_documents(built):
    _, cat, _ = built
    found = [ids(cat, q) for q in ("Khrushchev", "Chruschtschow", "Хрущёва", "хрущев", "Khrushchov", "Хрущёвым")]
    assert len(found[0]) > 100
    assert all(f == found[0] for f in found), [len(f) for f in found]
    assert word_key("Комесаровой") == word_key("Komesarov")


def test_exact_mode_turns_transliteration_and_yo_folding_off(built):
    _, cat, with_yo = built
    assert ids(cat, "Хрущёв", exact=True) == set()
    assert len(ids(cat, "Khrushchev", exact=True)) > 100
    text = with_yo.read_text(encoding="utf-8")
    yo_word = next(w for w in markup.plain_text(markup.escape(text)).split() if "ё" in w and w.isalpha())
    e_word = yo_word.replace("ё", "е")
    assert with_yo.stem in ids(cat, e_word)
    assert with_yo.stem in ids(cat, yo_word, exact=True)
    assert with_yo.stem not in ids(cat, e_word, exact=True)


def test_phrases_prefixes_booleans(built):
    _, cat, _ = built
    phrase = ids(cat, '"Dear Mr. President"')
    both = ids(cat, "Dear President")
    assert phrase and phrase <= both and phrase != both
    assert ids(cat, "Cuba OR Berlin") == ids(cat, "Cuba") | ids(cat, "Berlin")
    assert ids(cat, "Cuba NOT Berlin") == ids(cat, "Cuba") - ids(cat, "Berlin")
    assert ids(cat, "-Berlin Cuba") == ids(cat, "Cuba") - ids(cat, "Berlin")
    assert ids(cat, "Kohl*") >= ids(cat, "Kohler")
    hit = search(cat, Query("Chruschtschow condolence")).hits[0]
    assert "[Khrushchev]" in hit.snippet or "[condolence" in hit.snippet.lower()


def test_filters_and_facets(built):
    _, cat, _ = built
    after = search(cat, Query("Kennedy", date_from="1963-11-22", date_to="1963-11-30", limit=100))
    assert after.hits and all(h.date_to >= "1963-11-22" and h.date_from <= "1963-11-30" for h in after.hits)
    assert "d119" in {h.id for h in after.hits}  # Khrushchev to Johnson, 24 November 1963
    by_person = ids(cat, "", person="Хрущёв")
    assert by_person and by_person == ids(cat, "", person="p_KNS2")
    res = search(cat, Query("Cuba", limit=5))
    assert res.facets["person"] and res.total >= len(res.hits)
    assert ids(cat, "", person="Nobody Atall") == set()


@pytest.mark.parametrize("q", ['"unbalanced', "((Cuba", "Cuba))) OR", 'x" OR 1=1; DROP TABLE documents; --',
                               "NEAR(a b)", "^Cuba", "text:Cuba", "* ** ?", "Cuba " * 2500, "'; DELETE FROM fts; --",
                               'disarm*"', '"Kohl*', "Kohl* " * 2500, "-* OR *", "x'* OR 1=1*", "\"'*"])
def test_bad_queries_never_break_or_corrupt_the_catalog(built, q):
    _, cat, _ = built
    before = sqlite3.connect(cat).execute("SELECT count(*) FROM documents").fetchone()[0]
    try:
        search(cat, Query(q))
    except DossierError as exc:
        assert "\n" not in str(exc)
    after = sqlite3.connect(cat).execute("SELECT count(*) FROM documents").fetchone()[0]
    assert before == after > 100
    assert compile_query(q)[0].count("(") == compile_query(q)[0].count(")")


def test_a_failed_catalog_write_keeps_the_old_catalog(built, monkeypatch):
    root, cat, _ = built
    old = cat.read_bytes()

    def boom(*args):
        raise RuntimeError("worker died")

    monkeypatch.setattr(catalog_mod, "_fill", boom)
    with pytest.raises(RuntimeError):
        catalog_mod.write_catalog(compile_project(root, Report()), cat, Report())
    assert cat.read_bytes() == old
    assert not list(cat.parent.glob(".catalog-*"))


def test_search_command_on_a_project(built, capsys):
    root, _, _ = built
    cli.run(["search", str(root), "Chruschtschow", "--from", "1963-11-22", "--json"])
    out = capsys.readouterr().out
    assert '"d119"' in out


def test_partial_and_printed_dates_filter_as_whole_periods(built):
    _, cat, _ = built
    in_1963 = ids(cat, "Khrushchev", date_from="1963", date_to="1963")
    assert in_1963 and in_1963 == ids(cat, "Khrushchev", date_from="1963-01-01", date_to="1963-12-31")
    assert ids(cat, "Khrushchev", date_from="1963-10", date_to="1963-10") == ids(
        cat, "Khrushchev", date_from="1963-10-01", date_to="1963-10-31") != set()
    assert ids(cat, "Khrushchev", date_from="22.11.1963") == ids(cat, "Khrushchev", date_from="1963-11-22")
    for bad in ("1963-13-45", "soon"):
        with pytest.raises(DossierError, match="is not a date"):
            search(cat, Query("Khrushchev", date_from=bad))


def test_source_notes_are_searched_and_their_names_filter(tmp_path):
    from dossier.examples import example_project

    out = tmp_path / "out"
    cli.run(["build", str(example_project()), "--out", str(out), "--format", "json", "-q"])
    cat = out / "catalog.sqlite"
    # McGeorge Bundy is named only in source notes and footnotes of the example
    assert ids(cat, "Bundy") and ids(cat, "Bundy") == ids(cat, "", person="Bundy")


def test_project_catalog_follows_deleted_documents(tmp_path, capsys):
    import shutil

    from dossier.examples import example_project

    root = tmp_path / "p"
    shutil.copytree(example_project(), root)
    cli.run(["search", str(root), "Stevenson", "--json"])
    before = json.loads(capsys.readouterr().out)["total"]
    victim = next(p for p in sorted((root / "documents").glob("*.md")) if "Stevenson" in p.read_text(encoding="utf-8"))
    victim.unlink()
    cli.run(["search", str(root), "Stevenson", "--json"])
    assert json.loads(capsys.readouterr().out)["total"] == before - 1


def test_a_mistyped_option_is_an_error_not_query_words(tmp_path):
    from click.testing import CliRunner

    res = CliRunner().invoke(cli.main, ["search", str(tmp_path), "Khrushchev", "--form", "1963-11-22"])
    assert res.exit_code != 0 and "No such option" in res.output


def _synthetic_catalog(path, n_docs=3000):
    """A catalog made by SQL inserts, as the search benchmark makes its 100,000 documents: every
    document but each fifth names Khrushchev (2,400 of 3,000); 'Gagarin' is in 30, one of them in its heading."""
    from dossier.catalog_schema import SCHEMA, SCHEMA_VERSION, entities_field
    from dossier.search_keys import fold, text_keys

    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    con.execute("INSERT INTO meta VALUES('schema', ?)", (SCHEMA_VERSION,))
    con.execute("INSERT INTO entries VALUES('p_k', 'person', 'Khrushchev, N. S.', '[]', '')")
    for rowid in range(1, n_docs + 1):
        common = rowid % 5 != 0
        text = (f"Report {rowid} on the talks. " + ("Chairman Khrushchev spoke at length. " if common else "")
                + ("Gagarin flew again. " if rowid % 100 == 7 else "") + "The meeting ended.")
        heading = "Gagarin in Moscow" if rowid == 2907 else f"Memorandum {rowid}"
        ents = entities_field([("person", "p_k")] if common else [])
        con.execute("INSERT INTO documents VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (rowid, f"s{rowid}", rowid, heading, "memorandum" if rowid % 2 else "letter",
                     f"1962-{1 + rowid % 12:02d}-01", f"1962-{1 + rowid % 12:02d}-01", "day", "", "en", "", "", ents,
                     text))
        con.execute("INSERT INTO fts(rowid, heading, text, exact, keys) VALUES(?,?,?,?,?)",
                    (rowid, fold(heading), fold(text), heading + "\n" + text, text_keys(heading + "\n" + text)))
        if common:
            con.execute("INSERT INTO mentions VALUES(?, 'p_k', 'person', 'Khrushchev')", (f"s{rowid}",))
    con.commit()
    con.close()
    return path


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return _synthetic_catalog(tmp_path_factory.mktemp("synthetic") / "catalog.sqlite")


def test_a_very_common_name_gives_20_correct_hits_in_edition_order_and_a_labelled_estimate(synthetic):
    from dossier.search import RANK_LIMIT, count

    res = search(synthetic, Query("Хрущёва"))
    true = count(synthetic, Query("Хрущёва"))
    assert true == 2400 > RANK_LIMIT
    # the first 20 documents naming him, in edition order, each with the name in its snippet
    assert [h.id for h in res.hits] == [f"s{i}" for i in range(1, 26) if i % 5][:20]
    assert all("[Khrushchev]" in h.snippet for h in res.hits)
    assert res.order == "edition" and not res.total_exact and res.capped
    assert abs(res.total - true) <= 0.1 * true
    assert any(n.startswith(f"about {res.total:,} documents match") for n in res.notes)
    assert any("edition order" in n for n in res.notes)
    data = res.to_json()
    assert data["order"] == "edition" and data["total_exact"] is False and data["facets_exact"] is False
    # facets are estimates of whole-set counts, not counts of the sample
    assert abs(res.facets["person"]["Khrushchev, N. S."] - true) <= 0.1 * true
    assert abs(res.facets["type"]["letter"] - 1200) <= 150
    # the next page follows on
    page2 = search(synthetic, Query("Khrushchev", offset=20))
    assert [h.id for h in page2.hits] == [f"s{i}" for i in range(1, 60) if i % 5][20:40]


def test_a_rare_word_is_ranked_by_relevance_and_counted_exactly(synthetic):
    res = search(synthetic, Query("Gagarin", limit=100))
    assert res.order == "relevance" and res.total_exact and res.facets_exact
    assert res.total == len(res.hits) == 30
    assert res.hits[0].id == "s2907"  # the heading weighs most
    assert res.facets["person"]["Khrushchev, N. S."] == sum(1 for h in res.hits if int(h.id[1:]) % 5)


def test_a_common_name_with_filters_keeps_only_what_the_filters_allow(synthetic):
    res = search(synthetic, Query("Khrushchev", type="letter", date_from="1962-03-01", date_to="1962-03-31"))
    want = [i for i in range(1, 3001) if i % 5 and i % 2 == 0 and 1 + i % 12 == 3]
    assert [h.id for h in res.hits] == [f"s{i}" for i in want[:20]]
    assert res.total == len(want) and res.total_exact
    only = search(synthetic, Query("", person="Khrushchev"))
    assert only.order == "edition" and not only.total_exact and abs(only.total - 2400) <= 240
    assert [h.id for h in only.hits][:4] == ["s1", "s2", "s3", "s4"]
    excluded = search(synthetic, Query("Khrushchev -Gagarin", limit=1000))
    assert not any(int(h.id[1:]) % 100 == 7 for h in excluded.hits) and len(excluded.hits) == 1000


def test_a_catalog_of_another_schema_is_refused_in_one_line(tmp_path):
    old = _synthetic_catalog(tmp_path / "catalog.sqlite", n_docs=3)
    con = sqlite3.connect(old)
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    con.commit()
    con.close()
    with pytest.raises(DossierError, match="schema 1") as err:
        search(old, Query("Khrushchev"))
    assert "\n" not in str(err.value) and "dossier build" in str(err.value)


def test_a_replaced_catalog_is_read_afresh(tmp_path):
    cat = _synthetic_catalog(tmp_path / "catalog.sqlite", n_docs=10)
    assert search(cat, Query("Khrushchev")).total == 8
    new = _synthetic_catalog(tmp_path / "new.sqlite", n_docs=20)
    new.replace(cat)  # as a build swaps its catalog in
    assert search(cat, Query("Khrushchev")).total == 16


def test_the_build_writes_the_schema_and_each_documents_entities(built):
    from dossier.catalog_schema import SCHEMA_VERSION

    _, cat, _ = built
    con = sqlite3.connect(cat)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == SCHEMA_VERSION
    rows = con.execute("SELECT id, entities FROM documents").fetchall()
    mentions: dict[str, set[str]] = {}
    for doc_id, entry, kind in con.execute("SELECT doc_id, entry_id, kind FROM mentions"):
        mentions.setdefault(doc_id, set()).add(f"{kind}:{entry}")
    assert any(e for _, e in rows)
    assert all(set(filter(None, (e or "").split("\n"))) == mentions.get(doc_id, set()) for doc_id, e in rows)


def _raw_ids(cat, match, extra="", args=()):
    """Document ids straight from FTS5 for a MATCH expression (no prefix spelt out, no search() logic)."""
    con = sqlite3.connect(cat)
    try:
        return [r[0] for r in con.execute(f"SELECT d.id FROM fts JOIN documents d ON d.rowid = fts.rowid "
                                          f"WHERE fts MATCH ? {extra}", (match, *args))]
    finally:
        con.close()


@pytest.mark.parametrize("text,exact", [("Kohl*", False), ("disarm*", False), ("neutral* Laos", False),
                                        ("Kohl*", True), ("-disarm* Cuba", False), ("disarm* OR Berlin", False),
                                        ("Хрущ*", False), ("co*", False)])
def test_a_prefix_spelt_out_as_terms_finds_what_fts5s_prefix_query_finds(built, text, exact):
    from dossier.search import MAX_EXPANSION, _plan, catalog_connection

    _, cat, _ = built
    match, excludes, _ = compile_query(text, exact)
    if excludes:
        match = f"({match})" + "".join(f" NOT ({ex})" for ex in excludes)
    assert ids(cat, text, exact=exact) == set(_raw_ids(cat, match))
    with catalog_connection(cat) as con:
        plan = _plan(con, Query(text, exact=exact))
    assert plan.match == match  # shown and ranked as typed
    if text in ("Kohl*", "disarm*"):  # spelt out: no prefix query left
        assert "*" not in plan.fast
    if text == "co*":  # more than MAX_EXPANSION terms: FTS5's prefix query
        assert plan.fast == plan.match and MAX_EXPANSION < 1000


def test_a_one_letter_prefix_is_left_out_with_a_note(built):
    _, cat, _ = built
    res = search(cat, Query("a* Berlin"))
    assert ids(cat, "a* Berlin") == ids(cat, "Berlin")
    assert any("a prefix needs at least 2 letters" in n for n in res.notes)
    with pytest.raises(DossierError, match="a prefix needs at least 2 letters"):
        search(cat, Query("s*"))


def test_a_ranked_page_with_filters_is_bm25_order_of_what_the_filters_keep(built):
    _, cat, _ = built
    extra = "AND d.date_to >= ? AND d.date_from <= ? ORDER BY fts.rank, fts.rowid"
    want = _raw_ids(cat, compile_query("Kennedy")[0], extra, ("1962-01-01", "1962-12-31"))
    assert 14 < len(want) <= 1000
    got = search(cat, Query("Kennedy", date_from="1962", date_to="1962", limit=1000))
    assert got.order == "relevance" and got.total == len(want) and [h.id for h in got.hits] == want
    page2 = search(cat, Query("Kennedy", date_from="1962", date_to="1962", limit=7, offset=7))
    assert [h.id for h in page2.hits] == want[7:14]


def test_the_sample_from_the_hits_already_read_is_the_stratified_sample(synthetic):
    """The estimate and facets of a filtered common name: the first hits read for the count stand in for
    the parts of the catalog they cover, and the result is what reading each part afresh gives."""
    from dossier.search import PER_STRATUM, RANK_LIMIT, STRATA

    con = sqlite3.connect(synthetic)
    match = compile_query("Khrushchev")[0]
    top = con.execute("SELECT max(rowid) FROM documents").fetchone()[0]
    estimate, sample = 0.0, 0
    for i in range(STRATA):
        lo, hi = 1 + i * top // STRATA, 1 + (i + 1) * top // STRATA
        rows = [r[0] for r in con.execute(
            "SELECT fts.rowid FROM fts JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH ? AND d.type = ? "
            "AND fts.rowid >= ? AND fts.rowid < ? ORDER BY fts.rowid LIMIT ?", (match, "letter", lo, hi, PER_STRATUM))]
        part = float(len(rows))
        if len(rows) == PER_STRATUM:
            part = min(float(hi - lo), max(part, (PER_STRATUM - 1) * (hi - lo) / (rows[-1] - lo + 1)))
        estimate, sample = estimate + part, sample + len(rows)
    con.close()
    res = search(synthetic, Query("Khrushchev", type="letter"))
    assert not res.total_exact and res.total > RANK_LIMIT
    step = 10 ** (len(str(round(estimate))) - 2)
    assert res.total == round(round(estimate) / step) * step
    assert f"estimated from {sample} of them" in res.notes[0]
    assert res.facets["type"] == {"letter": round(estimate)}


def test_snippets_find_the_first_match_however_far_into_a_long_text():
    from dossier.search import snippet

    filler = "word " * 300  # 1,500 characters: the match is beyond the first pieces read
    text = filler + "Chairman Khrushchevs Хрущёвым spoke; later Khrushchev again."
    assert "[Хрущёвым]" in snippet(text, "Khrushchev")
    assert "[Khrushchev]" in snippet(text, "Khrushchev", exact=True)
    # a word across the place where a piece ends is read whole, not as two words
    long_word = "x" * 510 + "berlin"
    assert "[" not in snippet(long_word + " end", "berlin")
    assert "[Berlin]" in snippet(long_word + " Berlin", "berlin")
    assert "[disarmament]" in snippet(filler + "on disarmament", "disarm*")
    assert snippet("no such words", "zzz") == "no such words"


@pytest.mark.parametrize("person,text", [("Хрущёв", ""), ("Khrushchev", "Berlin"), ("Kennedy", "Cuba OR Berlin")])
def test_a_person_filter_keeps_the_documents_that_mention_them(built, person, text):
    """The filter reads a document's `entities`; the documents are those `mentions` names."""
    from dossier.search import _entry_ids, catalog_connection

    _, cat, _ = built
    with catalog_connection(cat) as con:
        wanted = _entry_ids(con, "person", person)
    assert wanted
    con = sqlite3.connect(cat)
    marks = ",".join("?" * len(wanted))
    mentioned = {r[0] for r in con.execute(f"SELECT doc_id FROM mentions WHERE entry_id IN ({marks})", wanted)}
    con.close()
    matching = set(_raw_ids(cat, compile_query(text)[0])) if text else None
    want = mentioned & matching if matching is not None else mentioned
    assert want and ids(cat, text, person=person) == want
