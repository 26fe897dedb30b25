"""The catalog's schema, shared by its writer (`dossier.publish.catalog`) and its reader (`dossier.search`).

What it is for: one place for the tables, the version number a reader checks, and the one derived
field a document row carries: `entities`, the register entries the document names, which search
counts for its person/place/organisation facets without a join over `mentions`. Everything in a
document's row is computed from that document alone, so the incremental build can copy rows from a
small catalog into a large one (`dossier.cache.patch_catalog`) and the catalog stays what a full
build writes.

What it is not: the writing (publish/catalog.py) or the querying (search.py). It imports nothing
heavy, so that `dossier search` starts fast.
"""

from __future__ import annotations

from collections.abc import Iterable

SCHEMA_VERSION = "2"  # 1: the first; 2: documents.entities (the facets of a document)

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE documents(
    rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, n INTEGER, heading TEXT, type TEXT, date_from TEXT,
    date_to TEXT, precision TEXT, place TEXT, language TEXT, chapter TEXT, chapter_title TEXT,
    entities TEXT, text TEXT);
CREATE TABLE entries(id TEXT PRIMARY KEY, kind TEXT, name TEXT, variants TEXT, description TEXT);
CREATE TABLE mentions(doc_id TEXT, entry_id TEXT, kind TEXT, surface TEXT);
CREATE INDEX mentions_entry ON mentions(entry_id, doc_id);
CREATE INDEX mentions_doc ON mentions(doc_id);
CREATE INDEX documents_date ON documents(date_from, date_to);
CREATE VIRTUAL TABLE fts USING fts5(
    heading, text, exact, keys, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO fts(fts, rank) VALUES('rank', 'bm25(8.0, 4.0, 1.0, 2.0)');
"""
# `entities` stands before `text`: reading a row's facets then never follows the text's overflow pages.


def entities_field(refs: Iterable[tuple[str, str]]) -> str:
    """The `entities` value of a document: its distinct (kind, entry id) pairs as `kind:id`, sorted, one
    a line (search counts these tokens, and `type:`, `language:`, `chapter:` ones it makes the same way)."""
    return "\n".join(sorted({f"{kind}:{entry}" for kind, entry in refs}))

