"""Write `catalog.sqlite`: documents, register entries and mentions, with an FTS5 index across scripts.

What it is for: the embedded catalog every build writes and `dossier search` / `dossier serve` read.
Each document is indexed three ways in one FTS5 table: `text` (case and ё/е folded, diacritics
removed), `exact` (the text as printed, case folded only) and `keys` (one search key per word: the
word's dictionary form, transliterated to Latin and reduced to a phonetic skeleton, so that
`Chruschtschow`, `Khrushchev` and `Хрущёва` meet). The catalog is written to a temporary file and
swapped in, so a failed build never leaves a corrupted catalog.

What it is not: the query language (that is `dossier.search`), nor the static index of the web
edition.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from .. import markup
from ..catalog_schema import SCHEMA, SCHEMA_VERSION, entities_field
from ..compile.edition import CompiledEdition
from ..model import Document
from ..parallel import DEFAULT_BATCH, default_workers, run_batches
from ..report import Report
from ..search_keys import fold, keys_batch

__all__ = ["SCHEMA", "SCHEMA_VERSION", "marked", "searchable", "write_catalog"]


def write_catalog(compiled: CompiledEdition, out: Path, report: Report, workers: int | None = 1,
                  scheduler: str | None = None) -> None:
    """Write the catalog to OUT (a file path) atomically; search keys are computed in parallel batches."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".catalog-", suffix=".sqlite", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript(SCHEMA)
            _fill(con, compiled, workers, scheduler)
            con.commit()
            con.execute("VACUUM")
        finally:
            con.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    report.stats["catalog_documents"] = len(compiled.documents)


def searchable(doc: Document) -> tuple[str, str]:
    """(heading, text) a document is searched by: its heading, and its body with the dateline and the
    source note (each added only when the body does not already hold it word for word)."""
    heading = _plain(doc.heading)
    body = markup.plain_text(markup.parse(doc.body))  # parsed here: markup's cache of bodies would keep every
    # text it saw (up to 256 documents' texts and results alive in memory, read back from the spill)
    extra = [t for t in (_plain(doc.dateline), _plain(doc.source)) if t and t not in body]
    return heading, "\n\n".join([body, *extra]) if extra else body


def marked(doc: Document) -> list[markup.MentionNode]:
    """The marks of a document in every field that holds them: heading, dateline, body, source note."""
    nodes: list[markup.MentionNode] = []
    for field_text in (doc.heading, doc.dateline, doc.body, doc.source):
        if field_text:
            try:
                nodes.extend(markup.mentions(markup.parse(field_text)))  # parsed, not cached (see `searchable`)
            except markup.MarkupError:
                pass
    return nodes


def _plain(field_text: str) -> str:
    if not field_text:
        return ""
    try:
        return markup.plain_text(markup.parse(field_text))
    except markup.MarkupError:
        return field_text


# Documents indexed per round: their texts and search keys are held for one round only, so memory
# does not grow with the edition. Locally a round is one batch (`parallel.DEFAULT_BATCH`) per worker
# process, so every worker has work (FRUS at 16x: peak 151 MB with one round of all documents, 102 MB
# with rounds of 512); starting the worker processes once per round costs no measurable time. A Dask
# cluster gets rounds of DASK_ROUND documents, for its many workers.
DASK_ROUND = 512


def round_size(workers: int | None, scheduler: str | None) -> int:
    """How many documents one round of `_fill` indexes."""
    return DASK_ROUND if scheduler else DEFAULT_BATCH * max(1, workers or default_workers())


def _fill(con: sqlite3.Connection, compiled: CompiledEdition, workers: int | None = 1,
          scheduler: str | None = None) -> None:
    import json

    con.execute("INSERT INTO meta VALUES('schema', ?)", (SCHEMA_VERSION,))
    con.execute("INSERT INTO meta VALUES('title', ?)", (compiled.meta.title,))
    chapter_titles = {c.chapter.id: c.chapter.title for c in compiled.chapters}
    docs = compiled.documents
    size = round_size(workers, scheduler)
    for first in range(0, len(docs), size):
        part = docs[first:first + size]
        fields = [searchable(d) for d in part]
        keys = run_batches(keys_batch, [(h + "\n" + t, d.language) for (h, t), d in zip(fields, part, strict=True)],
                           workers=workers, scheduler=scheduler, label="Indexing")
        for i, doc in enumerate(part):
            rowid = first + i + 1
            heading, text = fields[i]
            chapter = doc.chapter if doc.chapter in chapter_titles else ""
            mentions: list[tuple[str, str, str, str]] = []
            for node in marked(doc):
                if node.kind == "term":
                    continue
                ref = compiled.entry_for(node)
                if ref:
                    mentions.append((doc.id, ref, node.kind, markup.inline_text(node.children)))
            con.execute(
                "INSERT INTO documents VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (rowid, doc.id, doc.n, heading, doc.type, doc.date.start, doc.date.end, doc.date.precision,
                 doc.place, doc.language, chapter, chapter_titles.get(chapter, ""),
                 entities_field((kind, ref) for _, ref, kind, _ in mentions), text))
            both = heading + "\n" + text
            con.execute("INSERT INTO fts(rowid, heading, text, exact, keys) VALUES(?,?,?,?,?)",
                        (rowid, fold(heading), fold(text), both, keys[i]))
            con.executemany("INSERT INTO mentions VALUES(?,?,?,?)", mentions)
        del fields, keys
    for kind, entries in sorted(compiled.index.items()):
        for e in entries:
            con.execute("INSERT INTO entries VALUES(?,?,?,?,?)",
                        (e.id, kind, e.name, json.dumps(e.variants, ensure_ascii=False), e.description))
