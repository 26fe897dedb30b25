"""Search a catalog: a small query language over FTS5, across scripts, with filters, facets and snippets.

Queries: words (all must match), `"a phrase"`, `prefix*`, `OR`, `NOT` / `-word`, parentheses. By
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
import re
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .report import DossierError
from .search_keys import WORD, fold, text_keys, word_key, words

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
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
    query: str
    match: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    capped: bool = False  # True: more than `total` documents match

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "more": self.capped, "hits": [h.to_json() for h in self.hits],
                "facets": self.facets, "notes": self.notes}


def _quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def _term(raw: str, exact: bool) -> str | None:
    """The FTS5 expression for one word or phrase of the query (None when it has no letters)."""
    prefix = raw.endswith("*")
    body = raw.rstrip("*")
    ws = words(body)
    if not ws:
        return None
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


def compile_query(text: str, exact: bool = False) -> tuple[str, list[str], list[str]]:
    """The FTS5 MATCH expression for a query, the expressions to exclude, and notes on what was changed.

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
        expr = _term(tok, exact)
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


def open_catalog(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise DossierError(str(path), "no catalog here; build the edition first ('dossier build')")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    except sqlite3.DatabaseError as exc:
        con.close()
        raise DossierError(str(path), f"not a dossier catalog ({exc})") from exc
    return con


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
        marks = ",".join("?" * len(ids))
        where.append(f"d.id IN (SELECT doc_id FROM mentions WHERE entry_id IN ({marks}))")
        params.extend(ids)
    return where, params, notes


def search(catalog: Path, q: Query) -> Results:
    con = open_catalog(catalog)
    try:
        return _search(con, q)
    finally:
        con.close()


COUNT_CAP = 1000  # counts beyond this are reported as "1000+"
FACET_SAMPLE = 1000  # facets are counted over the best matches up to this many


def _search(con: sqlite3.Connection, q: Query) -> Results:
    match, excludes, notes = compile_query(q.text, q.exact)
    where, params, fnotes = _filters(con, q)
    notes += fnotes
    for ex in excludes:
        where.append("d.rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
        params.append(ex)
    if match:
        # ranked by FTS5's own `rank` (bm25 with the column weights the catalog sets): the ordering
        # FTS5 computes while matching, no second sort
        base = ("FROM fts JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH ?"
                + "".join(" AND " + w for w in where))
        args: list[Any] = [match, *params]
        order = "fts.rank"
    else:
        if not where:
            raise DossierError("query", "give words to search for, or a filter (--person, --from, ...)")
        base = "FROM documents d" + (" WHERE " + " AND ".join(where) if where else "")
        args = list(params)
        order = "d.date_from, d.n"
    try:
        # one unordered pass for the count and the facet sample, one ranked pass for the page of hits
        sample_rows = [r[0] for r in con.execute(f"SELECT d.rowid {base} LIMIT {COUNT_CAP + 1}", args)]
        total = len(sample_rows)
        rows = con.execute(
            f"SELECT d.id, d.n, d.heading, d.date_from, d.date_to, d.type, d.language, d.text {base} "
            f"ORDER BY {order} LIMIT ? OFFSET ?", [*args, max(1, min(q.limit, 1000)), max(0, q.offset)]).fetchall()
        sample = json.dumps(sample_rows[:FACET_SAMPLE])
        in_sample = "d.rowid IN (SELECT value FROM json_each(?))"
        facets: dict[str, dict[str, int]] = {}
        for col in ("type", "language", "chapter"):
            facets[col] = {str(r[0]): r[1] for r in con.execute(
                f"SELECT d.{col}, count(*) FROM documents d WHERE {in_sample} AND d.{col} != '' "
                f"GROUP BY d.{col} ORDER BY count(*) DESC, d.{col} LIMIT 20", [sample])}
        for kind in ("person", "place", "org"):
            facets[kind] = {str(r[0]): r[1] for r in con.execute(
                "SELECT e.name, count(DISTINCT m.doc_id) FROM mentions m JOIN entries e ON e.id = m.entry_id "
                f"WHERE m.kind = ? AND m.doc_id IN (SELECT d.id FROM documents d WHERE {in_sample}) "
                "GROUP BY e.id ORDER BY 2 DESC, e.name LIMIT 10", [kind, sample])}
    except sqlite3.OperationalError as exc:
        raise DossierError("query", f"the query could not be run: {exc}") from exc
    capped = total > COUNT_CAP
    if capped:
        notes.append(f"more than {COUNT_CAP} documents match; facets count the first {FACET_SAMPLE}")
    hits = [Hit(r["id"], r["n"], r["heading"], r["date_from"], r["date_to"], r["type"], r["language"],
                snippet(r["text"], q.text, q.exact)) for r in rows]
    return Results(q.text, match, min(total, COUNT_CAP), hits, facets, notes, capped)


def snippet(text: str, query: str, exact: bool = False, width: int = 80) -> str:
    """A piece of `text` around the first word that matches the query, the word in [brackets]."""
    prefixes = [fold(t.rstrip("*")) for t in re.findall(r"[^\W\d_]+\*", query)]
    terms = [w for w in words(query) if w not in ("AND", "OR", "NOT")]
    if not terms:
        return re.sub(r"\s+", " ", text[:width * 2]).strip()
    if exact:
        wanted = {w.casefold() for w in terms}
        test = lambda w: w.casefold() in wanted  # noqa: E731
    else:
        folded = {fold(w) for w in terms}
        keys = {word_key(w) for w in terms} - {""}
        test = lambda w: (fold(w) in folded or word_key(w) in keys  # noqa: E731
                          or any(fold(w).startswith(p) for p in prefixes))
    for m in WORD.finditer(text):
        if test(m.group(0)):
            a, b = m.span()
            start = max(0, a - width)
            end = min(len(text), b + width)
            pre = ("…" if start else "") + text[start:a]
            post = text[b:end] + ("…" if end < len(text) else "")
            return re.sub(r"\s+", " ", f"{pre}[{text[a:b]}]{post}").strip()
    return re.sub(r"\s+", " ", text[:width * 2]).strip()
