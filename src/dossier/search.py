"""Search a catalog: a small query language over FTS5, across scripts, with filters, facets and snippets.

Queries: words (all must match), `"a phrase"`, `prefix*` (two letters at least: a one-letter prefix
is left out with a note), `OR`, `NOT` / `-word`, parentheses. By
default a word matches its folded form (case, ё/е) or its search key (`dossier.search_keys`: same
word in another script, transliteration or inflection); `exact=True` matches the text as printed
(case folded only: `ё` and `е` differ). Filters: date range (documents whose interval overlaps it),
person / place / organisation (an entry id or a name in any script), type, chapter, language.

The user's query never reaches SQLite as syntax: every word is quoted, operators are rebuilt, and
unbalanced quotes or parentheses are closed or dropped; filters are bound parameters.

What it is not: the writing of the catalog (`dossier.publish.catalog`) or the HTTP API (`serve`).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from bisect import bisect_left
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .catalog_schema import SCHEMA_VERSION
from .report import DossierError
from .search_keys import WORD, fold, text_keys, word_key, words

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
MIN_PREFIX = 2  # a one-letter prefix matches nearly every document and takes seconds at 100,000
_TOKEN = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')


@dataclass
class Query:
    text: str
    exact: bool = False
    date_from: str | None = None
    date_to: str | None = None
    person: str | None = None
    place: str | None = None
    org: str | None = None
    type: str | None = None
    chapter: str | None = None
    language: str | None = None
    limit: int = 20
    offset: int = 0


@dataclass
class Hit:
    id: str
    n: int | None
    heading: str
    date_from: str | None
    date_to: str | None
    type: str
    language: str
    snippet: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "n": self.n, "heading": self.heading, "date": {"from": self.date_from, "to": self.date_to},
                "type": self.type, "language": self.language, "snippet": self.snippet}


@dataclass
class Results:
    """What a search found. `total` is exact when `total_exact`, else an estimate (see `search`);
    `order` is "relevance" (bm25) or "edition" (the order of the list of documents); facet counts are
    exact when `facets_exact`, else estimated from the same sample as the total."""

    query: str
    match: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    total_exact: bool = True
    order: str = "relevance"
    facets_exact: bool = True

    @property
    def capped(self) -> bool:
        """True when `total` is not an exact count (the name the command line reads)."""
        return not self.total_exact

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "total_exact": self.total_exact, "more": not self.total_exact,
                "order": self.order, "hits": [h.to_json() for h in self.hits], "facets": self.facets,
                "facets_exact": self.facets_exact, "notes": self.notes}


def _quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


Expand = Callable[[str, bool], "list[str] | None"]
"""A prefix's terms in the index: (the prefix as the index spells its words, exact) -> the terms, or None
to leave the prefix to FTS5."""


def _term(raw: str, exact: bool, expand: Expand | None = None) -> str | None:
    """The FTS5 expression for one word or phrase of the query (None when it has no letters). With
    `expand`, a one-word prefix becomes the OR of the terms it stands for, when `expand` gives them."""
    prefix = raw.endswith("*")
    body = raw.rstrip("*")
    ws = words(body)
    if not ws:
        return None
    cols = "exact" if exact else "{heading text}"
    if prefix and expand is not None and len(ws) == 1:
        terms = expand(ws[0].lower() if exact else fold(ws[0]), exact)
        if terms:
            return f"({cols} : (" + " OR ".join(map(_quote, terms)) + "))"
    if exact:
        expr = _quote(" ".join(ws)) + ("*" if prefix else "")
        return f"exact : {expr}"
    folded = _quote(" ".join(fold(w) for w in ws)) + ("*" if prefix else "")
    parts = [f"{{heading text}} : {folded}"]
    if not prefix:
        keys = [word_key(w) for w in ws]
        if all(keys):
            parts.append(f"keys : {_quote(' '.join(keys))}")
    return "(" + " OR ".join(parts) + ")"


def compile_query(text: str, exact: bool = False, expand: Expand | None = None) -> tuple[str, list[str], list[str]]:
    """The FTS5 MATCH expression for a query, the expressions to exclude, and notes on what was changed.
    `expand` spells prefixes out as their terms (see `_term`): the same documents, found faster.

    FTS5 has no unary NOT, so a negated word that stands first (`-Berlin`, `NOT Berlin`) becomes an
    exclusion applied beside the match."""
    notes: list[str] = []
    excludes: list[str] = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(f"query cut to its first {MAX_QUERY_CHARS} characters")
    out: list[str] = []
    depth = 0
    terms = 0
    pending_not = False
    for tok in _TOKEN.findall(text):
        if tok in ("AND", "OR", "NOT"):
            if out and out[-1] not in ("AND", "OR", "NOT", "("):
                out.append(tok)
            elif tok == "NOT":
                pending_not = True
            continue
        if tok == "(":
            if out and out[-1] not in ("AND", "OR", "NOT", "("):
                out.append("AND")
            out.append("(")
            depth += 1
            continue
        if tok == ")":
            if depth and out and out[-1] != "(":
                while out and out[-1] in ("AND", "OR", "NOT"):
                    out.pop()
                out.append(")")
                depth -= 1
            elif depth and out and out[-1] == "(":
                out.pop()
                depth -= 1
            continue
        negate = False
        if tok.startswith("-") and len(tok) > 1:
            negate, tok = True, tok[1:]
        if tok.startswith('"'):
            tok = tok.strip('"')
        if tok.endswith("*") and len("".join(words(tok.rstrip("*")))) < MIN_PREFIX:
            notes.append(f"{tok} was left out: a prefix needs at least {MIN_PREFIX} letters")
            continue
        expr = _term(tok, exact, expand)
        if expr is None:
            continue
        terms += 1
        if terms > MAX_TERMS:
            notes.append(f"only the first {MAX_TERMS} words were used")
            break
        if negate or pending_not:
            if not out or out[-1] in ("(", "OR", "AND"):
                excludes.append(expr)
                pending_not = False
                continue
            out.append("NOT")
            pending_not = False
        elif out and out[-1] not in ("AND", "OR", "NOT", "("):
            out.append("AND")
        out.append(expr)
    while out and out[-1] in ("AND", "OR", "NOT", "("):
        if out[-1] == "(":
            depth -= 1
        out.pop()
    out.extend(")" * depth)
    if text.count('"') % 2:
        notes.append("an unclosed quote was closed at the end")
    # drop empty groups "( )" that dropping terms can leave
    expr = " ".join(out)
    while "( )" in expr:
        expr = expr.replace("( )", "").strip()
    return expr, excludes, notes


class _Catalog(sqlite3.Connection):
    """A catalog connection and what its searches learnt that the next one can reuse: the terms a
    prefix stands for (the catalog behind a connection never changes: a rebuilt one is a new file,
    which the pool opens afresh)."""

    PREFIXES = 512  # prefixes remembered

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefixes: OrderedDict[tuple[str, bool], list[str] | None] = OrderedDict()
        self.vocab = False  # the temp fts5vocab table exists


def open_catalog(path: Path) -> sqlite3.Connection:
    """A read-only connection to the catalog at `path`, tuned for searching; DossierError (one line
    naming the file) when there is none, it is no catalog, or another version of dossier wrote it."""
    if not path.exists():
        raise DossierError(str(path), "no catalog here; build the edition first ('dossier build')")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, factory=_Catalog)
    con.row_factory = sqlite3.Row
    try:
        row = con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    except sqlite3.DatabaseError as exc:
        con.close()
        raise DossierError(str(path), f"not a dossier catalog ({exc})") from exc
    version = row[0] if row else "?"
    if version != SCHEMA_VERSION:
        con.close()
        again = ("delete it and search again" if path.parent.name == ".dossier"
                 else "build the edition again ('dossier build')")
        raise DossierError(str(path), f"catalog of schema {version}, written by another version of dossier "
                                      f"(this one reads schema {SCHEMA_VERSION}): {again}")
    # reads go through a memory map (no copy per page), the page cache outlives one query when the
    # connection is reused (see _Pool), sorts stay in memory
    con.executescript("PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;")
    return con


class _Pool:
    """Open catalog connections kept for the next search (the command line's one search, every
    request of `dossier serve`, a benchmark's queries): SQLite's page cache and its prepared
    statements (the sqlite3 module keeps 128 a connection) survive from one query to the next.

    A connection serves one search at a time, from any thread. A catalog that was replaced since
    (builds swap in a new file) is seen by its file's identity and opened afresh."""

    KEEP = 4  # idle connections per catalog
    CATALOGS = 8  # catalogs kept open

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: OrderedDict[str, tuple[tuple[int, ...], list[sqlite3.Connection]]] = OrderedDict()

    @staticmethod
    def _identity(path: Path) -> tuple[int, ...]:
        try:
            st = path.stat()
        except OSError:
            return ()
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)

    @contextmanager
    def connection(self, path: Path) -> Iterator[sqlite3.Connection]:
        key = os.path.abspath(path)
        ident = self._identity(path)
        con: sqlite3.Connection | None = None
        stale: list[sqlite3.Connection] = []
        with self._lock:
            kept = self._idle.get(key)
            if kept and kept[0] != ident:
                stale = kept[1]
                del self._idle[key]
            elif kept and kept[1]:
                con = kept[1].pop()
                self._idle.move_to_end(key)
        for old in stale:
            old.close()
        if con is None:
            con = open_catalog(path)
        try:
            yield con
        except DossierError:  # the query's fault, not the connection's
            self._release(key, ident, con)
            raise
        except BaseException:
            con.close()
            raise
        self._release(key, ident, con)

    def _release(self, key: str, ident: tuple[int, ...], con: sqlite3.Connection) -> None:
        closing: list[sqlite3.Connection] = []
        with self._lock:
            kept = self._idle.setdefault(key, (ident, []))
            if ident and kept[0] == ident and len(kept[1]) < self.KEEP:
                kept[1].append(con)
                self._idle.move_to_end(key)
            else:
                closing.append(con)
            while len(self._idle) > self.CATALOGS:
                closing.extend(self._idle.popitem(last=False)[1][1])
        for c in closing:
            c.close()

    def close(self) -> None:
        with self._lock:
            kept, self._idle = list(self._idle.values()), OrderedDict()
        for _, cons in kept:
            for c in cons:
                c.close()


_POOL = _Pool()


def catalog_connection(path: Path) -> AbstractContextManager[sqlite3.Connection]:
    """A connection to the catalog at `path` from the pool, returned to it when the block ends."""
    return _POOL.connection(path)


def _entry_ids(con: sqlite3.Connection, kind: str, value: str) -> list[str]:
    """Entries of a kind named by id, or by a name in any script (every word's key must occur)."""
    if con.execute("SELECT 1 FROM entries WHERE kind = ? AND id = ?", (kind, value)).fetchone():
        return [value]
    wanted = set(text_keys(value).split())
    if not wanted:
        return []
    rows = con.execute("SELECT id, name, variants FROM entries WHERE kind = ?", (kind,)).fetchall()
    return [r["id"] for r in rows if wanted <= _entry_keys(r["name"], r["variants"] or "")]


@lru_cache(maxsize=100_000)
def _entry_keys(name: str, variants: str) -> frozenset[str]:
    return frozenset(text_keys(name + " " + variants).split())


_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def date_bound(value: str, end: bool, name: str = "date") -> str:
    """A filter date as a day: `1963` and `1963-11` stand for their first day (`--from`) or last day
    (`--to`); `22.11.1963`, `November 1963`, `23 ноября 1963` are read as printed dates. DossierError
    for anything else."""
    import calendar
    import datetime as _dt

    v = value.strip()
    m = _PARTIAL.match(v)
    try:
        if m:
            year, month, day = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
            if not month:
                return f"{year:04d}-12-31" if end else f"{year:04d}-01-01"
            if not day:
                last = calendar.monthrange(year, month)[1]
                return _dt.date(year, month, last if end else 1).isoformat()
            return _dt.date(year, month, day).isoformat()
    except ValueError as exc:
        raise DossierError(name, f"{value!r} is not a date ({exc})") from exc
    from .enrich.dates import parse_date

    parsed = parse_date(v)
    if parsed is None or parsed.start is None or parsed.end is None:
        raise DossierError(name, f"{value!r} is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)")
    return parsed.end if end else parsed.start


def _filters(con: sqlite3.Connection, q: Query) -> tuple[list[str], list[Any], list[str]]:
    where: list[str] = []
    params: list[Any] = []
    notes: list[str] = []
    if q.date_from:
        where.append("d.date_to >= ?")
        params.append(date_bound(q.date_from, end=False, name="--from"))
    if q.date_to:
        where.append("d.date_from <= ?")
        params.append(date_bound(q.date_to, end=True, name="--to"))
    for col, value in (("type", q.type), ("chapter", q.chapter), ("language", q.language)):
        if value:
            where.append(f"d.{col} = ?")
            params.append(value)
    for kind, value in (("person", q.person), ("place", q.place), ("org", q.org)):
        if not value:
            continue
        ids = _entry_ids(con, kind, value)
        if not ids:
            notes.append(f"no {kind} called {value!r} in the index")
            where.append("0")
            continue
        # probed per document, so that a page stops early: a common name's documents are never all
        # gathered. The row's `entities` ("kind:id" a line, written from the same mentions) is read
        # anyway; an id that could be misread in it (a colon, a line break) asks `mentions` instead.
        if any(":" in i or "\n" in i for i in ids):
            marks = ",".join("?" * len(ids))
            where.append(f"EXISTS (SELECT 1 FROM mentions m WHERE m.entry_id IN ({marks}) AND m.doc_id = d.id)")
        else:
            where.append("(" + " OR ".join(["instr(char(10) || d.entities || char(10), ':' || ? || char(10))"]
                                           * len(ids)) + ")")
        params.extend(ids)
    return where, params, notes


def search(catalog: Path, q: Query) -> Results:
    """Run `q` on the catalog at `catalog` (a pooled connection, see `catalog_connection`).

    How hits are ordered and counted, so that a name in most documents costs no more than a rare one:

    - When the query's words match at most `RANK_LIMIT` (1,000) documents of the catalog, hits are
      ranked by relevance: FTS5's bm25 with the catalog's column weights (heading 8, text 4, keys 2,
      exact 1), ties in edition order. `order` is "relevance".
    - When they match more (or there are no words, only filters), scoring every document would cost
      as much as the number of documents, so hits come in edition order (the order of the list of
      documents) and a page is read from the start of that order and stops when full. `order` is
      "edition", and a note says why.
    - `total` is exact when at most `RANK_LIMIT` documents match (after filters). Beyond that it is
      estimated: the catalog's rowids are cut into `STRATA` equal parts, the first `PER_STRATUM` hits
      of each are read, and each part's count is its hit density times its length (a part with fewer
      hits is counted exactly); the estimate is rounded to two significant figures and never below
      `RANK_LIMIT` + 1. `total_exact` is false and a note says "about N".
    - Facets count every hit when the total is exact; otherwise they count the same sample, each hit
      weighted by its part's estimate over its sample, so they read as estimates of whole-set counts
      (`facets_exact` false)."""
    with catalog_connection(catalog) as con:
        return _search(con, q)


RANK_LIMIT = 1000  # words matching more documents than this are not ranked; totals beyond it are estimated
STRATA = 8  # parts of the catalog sampled for an estimated total and its facets
PER_STRATUM = 64  # hits read from each part
TOP_ENTRIES = 10  # persons / places / organisations per facet
TOP_VALUES = 20  # types / languages / chapters per facet


@dataclass
class _Plan:
    """A query made SQL: `base` is the FROM and WHERE (parameters `args`) of the documents found,
    `rid` their rowid, `rank` the ranking expression ("" without words). `match` is the MATCH
    expression as the query gives it (shown, and ranked); `fast` the same documents with prefixes
    spelt out as terms, which `base` uses. `where`/`params` are the filters alone (on `d`, the
    documents row), `filtered` whether there are any beside words."""

    match: str
    fast: str
    base: str
    args: list[Any]
    rid: str
    rank: str
    notes: list[str]
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    @property
    def filtered(self) -> bool:
        return bool(self.match and self.where)


MAX_EXPANSION = 64  # a prefix of more terms stays a prefix query
_PLAIN = re.compile(r"[a-zа-яё]+")  # letters unicode61 (remove_diacritics 2) keeps as they are


def _prefix_terms(con: sqlite3.Connection, prefix: str, exact: bool) -> list[str] | None:
    """The terms of the catalog's words (heading and text, or the exact column) that begin with
    `prefix`, or None when there are more than MAX_EXPANSION, or `prefix` has letters the index
    spells otherwise. FTS5 answers `prefix*` by merging the lists of all those terms, anew for each
    statement, while a search runs up to ten over the same words: spelt out as an OR of terms, each
    statement only seeks in their lists. The terms come from an fts5vocab table in the connection's
    temp schema (the catalog file is not touched) and are remembered for the connection."""
    if not _PLAIN.fullmatch(prefix):
        return None
    memo: OrderedDict[tuple[str, bool], list[str] | None] | None = getattr(con, "prefixes", None)
    if memo is not None and (prefix, exact) in memo:
        memo.move_to_end((prefix, exact))
        return memo[prefix, exact]
    terms: list[str] | None = None
    try:
        if not getattr(con, "vocab", False):
            con.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.dossier_vocab USING fts5vocab(main, 'fts', 'col')")
            if memo is not None:
                con.vocab = True  # type: ignore[attr-defined]
        cols = ("exact",) if exact else ("heading", "text")
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        found = [t for (t,) in con.execute(
            f"SELECT DISTINCT term FROM temp.dossier_vocab WHERE term >= ? AND term < ? AND col IN "
            f"({','.join('?' * len(cols))}) LIMIT ?", [prefix, upper, *cols, MAX_EXPANSION + 1]) if t.startswith(prefix)]
        # too many to spell out: FTS5's prefix query; none: FTS5's own lookup finds nothing as fast
        terms = found if 0 < len(found) <= MAX_EXPANSION else None
    except sqlite3.OperationalError:  # no temp schema to write to: FTS5's prefix query, as before
        return None
    if memo is not None:
        memo[prefix, exact] = terms
        while len(memo) > _Catalog.PREFIXES:
            memo.popitem(last=False)
    return terms


def _plan(con: sqlite3.Connection, q: Query) -> _Plan:
    match, excludes, notes = compile_query(q.text, q.exact)
    fast, fast_excludes = match, excludes
    if "*" in q.text:
        fast, fast_excludes, _ = compile_query(q.text, q.exact, lambda p, exact: _prefix_terms(con, p, exact))
    where, params, fnotes = _filters(con, q)
    notes += fnotes
    if match and excludes:  # `-Berlin Cuba`: FTS5's binary NOT, inside the one MATCH
        match = f"({match})" + "".join(f" NOT ({ex})" for ex in excludes)
        fast = f"({fast})" + "".join(f" NOT ({ex})" for ex in fast_excludes)
        excludes = fast_excludes = []
    filters, fparams = list(where), list(params)
    for ex in fast_excludes:  # nothing to match, only to exclude (beside a filter)
        where.append("d.rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
        params.append(ex)
    if not match and not where:
        short = [n for n in notes if "a prefix needs" in n]
        raise DossierError("query", short[0] if short else "give words to search for, or a filter (--person, --from, ...)")
    if match and where:
        return _Plan(match, fast, "FROM fts JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH ? AND "
                     + " AND ".join(where), [fast, *params], "fts.rowid", "fts.rank", notes, filters, fparams)
    if match:
        return _Plan(match, fast, "FROM fts WHERE fts MATCH ?", [fast], "rowid", "rank", notes)
    return _Plan(match, fast, "FROM documents d WHERE " + " AND ".join(where), list(params), "d.rowid", "", notes,
                 where, params)


def count(catalog: Path, q: Query) -> int:
    """The exact number of documents `q` finds. Every hit is visited, so for a common word this is
    slower than `search`; it is there to check `search`'s estimates."""
    with catalog_connection(catalog) as con:
        plan = _plan(con, q)
        try:
            return int(con.execute(f"SELECT count(*) {plan.base}", plan.args).fetchone()[0])
        except sqlite3.OperationalError as exc:
            raise DossierError("query", f"the query could not be run: {exc}") from exc


def _rowids(con: sqlite3.Connection, sql: str, args: list[Any]) -> list[int]:
    return [r[0] for r in con.execute(sql, args)]


def _search(con: sqlite3.Connection, q: Query) -> Results:
    plan = _plan(con, q)
    base, args, rid, notes = plan.base, plan.args, plan.rid, plan.notes
    limit, offset = max(1, min(q.limit, 1000)), max(0, q.offset)
    more = RANK_LIMIT + 1
    try:
        # `found`: the first RANK_LIMIT + 1 hits in edition order (the exact count when there are no
        # more); every hit up to its last one, so that the sample below reads only beyond it
        ranked = False
        read: list[str] | None = None  # the facet values of the rows in `found`, when the filters read them
        if plan.match:
            words = _rowids(con, "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid LIMIT ?", [plan.fast, more])
            ranked = len(words) <= RANK_LIMIT
            found = words
            if plan.filtered and words:  # the filters on the words' first hits, then on the hits beyond
                keep = ("FROM documents d WHERE d.rowid IN (SELECT value FROM json_each(?)) AND "
                        + " AND ".join(plan.where) + " ORDER BY d.rowid")
                if ranked:  # these are all the hits, counted exactly: their facets are read on the way
                    rows = con.execute(f"SELECT d.rowid, {_TOKENS} {keep}", [json.dumps(words), *plan.params])
                    found, read = [], []
                    for r, tokens in rows:
                        found.append(r)
                        read.append(tokens)
                else:
                    found = _rowids(con, f"SELECT d.rowid {keep}", [json.dumps(words), *plan.params])
                    if len(found) < more:
                        found += _rowids(con, f"SELECT {rid} {base} AND {rid} > ? ORDER BY {rid} LIMIT ?",
                                         [*args, words[-1], more - len(found)])
        else:
            found = _rowids(con, f"SELECT {rid} {base} ORDER BY {rid} LIMIT ?", [*args, more])
        if ranked:
            page = _ranked_page(con, plan, found, limit, offset)
        elif offset + limit <= len(found) or len(found) <= RANK_LIMIT:
            page = found[offset:offset + limit]
        else:
            page = _rowids(con, f"SELECT {rid} {base} ORDER BY {rid} LIMIT ? OFFSET ?", [*args, limit, offset])
        exact = len(found) <= RANK_LIMIT
        if exact:
            total, weights = len(found), dict.fromkeys(found, 1.0)
        else:
            estimate, weights = _sample(con, base, args, rid, found)
            total = max(RANK_LIMIT + 1, _two_figures(estimate))
            read = None
        facets = _facets(con, weights, read)
        hits = _hits(con, page, q)
    except sqlite3.OperationalError as exc:
        raise DossierError("query", f"the query could not be run: {exc}") from exc
    if not exact:
        notes.append(f"about {total:,} documents match (estimated from {len(weights)} of them, spread over the "
                     "catalog); the facets are estimated from the same sample")
    if plan.match and not ranked:
        notes.append(f"the words match more than {RANK_LIMIT:,} documents, too many to rank: hits are in edition "
                     "order (more words narrow the search and rank it)")
    return Results(q.text, plan.match, total, hits, facets, notes, total_exact=exact,
                   order="relevance" if ranked else "edition", facets_exact=exact)


def _ranked_page(con: sqlite3.Connection, plan: _Plan, found: list[int], limit: int, offset: int) -> list[int]:
    """A page of `found` (every hit, at most RANK_LIMIT) by bm25, ties in edition order. With filters,
    only the hits they keep are scored (a CASE that SQLite evaluates lazily), and the words' MATCH is
    not joined to the documents again."""
    if not plan.filtered:
        return _rowids(con, "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank, rowid LIMIT ? OFFSET ?",
                       [plan.match, limit, offset])
    if not found:
        return []
    scored = con.execute("SELECT rowid, CASE WHEN rowid IN (SELECT value FROM json_each(?)) THEN rank END "
                         "FROM fts WHERE fts MATCH ?", [json.dumps(found), plan.match]).fetchall()
    return [r for _, r in sorted((s, r) for r, s in scored if s is not None)][offset:offset + limit]


def _two_figures(x: float) -> int:
    """`x` rounded to two significant figures (85,728 -> 86,000)."""
    n = max(1, round(x))
    step = 10 ** max(0, len(str(n)) - 2)
    return int(round(n / step) * step)


def _sample(con: sqlite3.Connection, base: str, args: list[Any], rid: str,
            known: list[int]) -> tuple[float, dict[int, float]]:
    """(estimated number of hits, {rowid: weight}) from the first PER_STRATUM hits of each of STRATA
    equal parts of the catalog's rowids; each hit's weight is its part's estimate over its sample.
    `known` are the first hits in edition order, all of them up to the last: a part is read from
    the catalog only beyond it."""
    top = con.execute("SELECT max(rowid) FROM documents").fetchone()[0] or 0
    last = known[-1] if known else 0
    estimate = 0.0
    weights: dict[int, float] = {}
    for i in range(STRATA):
        lo, hi = 1 + i * top // STRATA, 1 + (i + 1) * top // STRATA
        if hi <= lo:
            continue
        rows = known[bisect_left(known, lo):bisect_left(known, hi)][:PER_STRATUM]
        if len(rows) < PER_STRATUM and hi - 1 > last:
            rows += _rowids(con, f"SELECT {rid} {base} AND {rid} >= ? AND {rid} < ? ORDER BY {rid} LIMIT ?",
                            [*args, max(lo, last + 1), hi, PER_STRATUM - len(rows)])
        if not rows:
            continue
        part = float(len(rows))
        if len(rows) == PER_STRATUM:  # density of hits up to the last one read, over the whole part
            part = min(float(hi - lo), max(part, (PER_STRATUM - 1) * (hi - lo) / (rows[-1] - lo + 1)))
        estimate += part
        for r in rows:
            weights[r] = part / len(rows)
    return estimate, weights


# a documents row's facet values, as Counter reads them: "kind:value" a line
_TOKENS = ("'type:' || ifnull(d.type, '') || char(10) || 'language:' || ifnull(d.language, '') || char(10) "
           "|| 'chapter:' || ifnull(d.chapter, '') || char(10) || ifnull(d.entities, '')")
_FACET_TOKENS = (f"SELECT group_concat({_TOKENS}, char(10)) FROM documents d "
                 "WHERE d.rowid IN (SELECT value FROM json_each(?))")


def _facets(con: sqlite3.Connection, weights: dict[int, float],
            read: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Type, language, chapter, person, place and organisation counts over the documents in `weights`
    (each counted with its weight), from each document's row alone (its `entities`). SQLite joins the
    rows' values into one text per weight and Counter counts it: no Python loop over documents.
    `read`: the rows' values (`_TOKENS`) when the search has read them already, every weight 1."""
    groups: dict[float, list[int]] = defaultdict(list)
    for rowid, w in weights.items():
        groups[w].append(rowid)
    counts: dict[str, defaultdict[str, float]] = {k: defaultdict(float) for k in (
        "type", "language", "chapter", "person", "place", "org")}
    for w, rowids in sorted(groups.items()):
        if read is not None:
            joined = "\n".join(read)
        else:
            joined = con.execute(_FACET_TOKENS, [json.dumps(sorted(rowids))]).fetchone()[0] or ""
        for token, n in Counter(joined.split("\n")).items():
            kind, _, value = token.partition(":")
            if value and kind in counts:
                counts[kind][value] += w * n
    facets: dict[str, dict[str, int]] = {}
    for col in ("type", "language", "chapter"):
        top = sorted(counts[col].items(), key=lambda kv: (-round(kv[1]), kv[0]))[:TOP_VALUES]
        facets[col] = {k: round(v) for k, v in top}
    entries = {e for kind in ("person", "place", "org") for e in counts[kind]}
    names: dict[str, str] = {}
    if entries:
        names = {r[0]: r[1] for r in con.execute("SELECT id, name FROM entries WHERE id IN (SELECT value FROM "
                                                 "json_each(?))", [json.dumps(sorted(entries))])}
    for kind in ("person", "place", "org"):
        named = sorted(((names[e], round(v)) for e, v in counts[kind].items() if e in names),
                       key=lambda nv: (-nv[1], nv[0]))
        facet: dict[str, int] = {}
        for name, v in named:
            if len(facet) == TOP_ENTRIES:
                break
            facet.setdefault(name, v)
        facets[kind] = facet
    return facets


def _hits(con: sqlite3.Connection, page: list[int], q: Query) -> list[Hit]:
    if not page:
        return []
    rows = {r["rowid"]: r for r in con.execute(
        "SELECT rowid, id, n, heading, date_from, date_to, type, language, text FROM documents "
        "WHERE rowid IN (SELECT value FROM json_each(?))", [json.dumps(page)])}
    matcher = _Matcher(q.text, q.exact)
    return [Hit(r["id"], r["n"], r["heading"], r["date_from"], r["date_to"], r["type"], r["language"],
                matcher.snippet(r["text"])) for r in (rows[p] for p in page if p in rows)]


@lru_cache(maxsize=200_000)
def _fold_and_key(word: str) -> tuple[str, str]:
    """A text word's folded form and search key, remembered: snippets meet the same words again and again."""
    return fold(word), word_key(word)


class _Matcher:
    """Which words of a text match a query, as `snippet` marks them: the text's words are read in
    order up to the first that matches, each distinct word tested once for all the texts of a page
    (the hits of one query share most of their words)."""

    def __init__(self, query: str, exact: bool) -> None:
        self.prefixes = tuple(fold(t.rstrip("*")) for t in re.findall(r"[^\W\d_]+\*", query))
        self.terms = [w for w in words(query) if w not in ("AND", "OR", "NOT")]
        self.exact = exact
        self.wanted = {w.casefold() for w in self.terms}
        self.folded = {fold(w) for w in self.terms}
        self.keys = {word_key(w) for w in self.terms} - {""} if not exact else set()
        self.memo = _Memo(self.test)

    def test(self, w: str) -> bool:
        if self.exact:
            return w.casefold() in self.wanted
        f, k = _fold_and_key(w)
        return f in self.folded or k in self.keys or bool(self.prefixes and f.startswith(self.prefixes))

    def first(self, text: str) -> re.Match[str] | None:
        """Where the first word of `text` that matches is (WORD's runs of letters, as the index splits
        them). The text is read in growing pieces, each cut where no word is, so that a long text whose
        first lines match is not read to its end."""
        pos, size = 0, 512
        while pos < len(text):
            cut = _NON_LETTER.search(text, pos + size) if pos + size < len(text) else None
            end = cut.start() if cut else len(text)
            word = next(filter(self.memo.__getitem__, WORD.findall(text, pos, end)), None)
            if word:  # its first whole occurrence is the one found: no word before it matches
                return _words_rx((word,)).search(text)
            pos, size = end, size * 4
        return None

    def snippet(self, text: str, width: int = 80) -> str:
        found = self.first(text) if self.terms else None
        if found:
            a, b = found.span()
            start = max(0, a - width)
            end = min(len(text), b + width)
            pre = ("…" if start else "") + text[start:a]
            post = text[b:end] + ("…" if end < len(text) else "")
            return _SPACES.sub(" ", f"{pre}[{text[a:b]}]{post}").strip()
        return _SPACES.sub(" ", text[:width * 2]).strip()


_NON_LETTER = re.compile(r"[\W\d_]")
_SPACES = re.compile(r"\s+")


class _Memo(dict[str, bool]):
    """test(word), remembered: a miss calls the test, a hit stays in C."""

    def __init__(self, test: Callable[[str], bool]) -> None:
        super().__init__()
        self.test = test

    def __missing__(self, word: str) -> bool:
        hit = self[word] = self.test(word)
        return hit


@lru_cache(maxsize=1024)
def _words_rx(ws: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the words `ws`, whole (as WORD splits a text: runs of letters)."""
    return re.compile(r"(?<![^\W\d_])(?:" + "|".join(map(re.escape, ws)) + r")(?![^\W\d_])")


def snippet(text: str, query: str, exact: bool = False, width: int = 80) -> str:
    """A piece of `text` around the first word that matches the query, the word in [brackets]."""
    return _Matcher(query, exact).snippet(text, width)
