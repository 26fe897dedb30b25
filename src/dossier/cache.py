"""Incremental builds: a content-hash cache under OUT/.cache/ so a rebuild redoes only what changed.

What it is for: `dossier build` run again after an edit. Everything is keyed by hashes of content,
never by mtimes (our own outputs are recognised by size, mtime and inode, so one replaced or edited
since is written again):

- a document file is read (YAML + markup check) only when its bytes change; otherwise its parsed
  `Document` comes from the cache (the hash covers the bytes, the path and the code); the registers
  are kept while the registers folder's bytes stay;
- the note and mark rules (`compile.rules.document_problems`) are remembered per document file and
  registers; ordering, numbering and the indices are redone every time (they depend on every
  document), from the documents' marks;
- each page of the site has a dependency hash: for a document page its own fields, the summaries
  (number, heading, date) of its neighbours for previous/next, its chapter, the index entries'
  names and descriptions (what a mention's link shows), dossier.toml, registers, appendix, the
  style and the code (dossier's Python, templates, static files, catalogs); for the other pages
  (contents, lists, indexes, search page) every document's summary and the whole index with its
  document lists. A page whose hash is unchanged and whose file is on disk is not rendered again;
  the warnings its rendering gave last time are replayed into the report, so report.json is the
  same as a clean build's;
- the search index's words per document are cached by the document's hash, and the index keeps a
  small state (`search-index.pickle`) so that only the shards of the terms that changed are written;
- edition.tei.xml and edition.json are assembled from per-document pieces (a TEI div, a JSON
  object) and a frame (everything else), each stored with what it depends on besides the document
  (ids, names, style, ...: `publish.fragments`); only the pieces whose document or context changed
  are rendered, the others are spliced in as bytes. edition.pdf is rewritten whole when anything
  changed, skipped (with its warnings replayed) when nothing did;
- the catalog is patched in place, in one SQLite transaction, for changed documents; when the
  documents' order changes, or more than a quarter of them changed, it is written afresh.

Documents, search words and pieces live in one SQLite file (`fragments.sqlite`, write-ahead log);
lookups go in windows of a few hundred keys, in the order the build asks for them. Counters land in
`report.stats["cache"]` (documents read, pages rendered and reused, TEI divs and JSON objects
rendered, ...). The state is written last (temp file + rename), so an interrupted build only costs a
rebuild.

What it is not: a cache of compiling as a whole (it depends on every document), nor of the
recognition steps (`dossier annotate`, which writes its marks into the documents themselves).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from . import markup
from .compile import rules
from .compile.edition import CompiledEdition, compile_edition, document_marks
from .model import ENTITY_KINDS, Document, Edition, Registers
from .report import DossierError, Problem, Report
from .spill import TextSpill

CACHE_DIR = ".cache"
STATE = "state.json"
STATE_VERSION = 1
SEARCH_STATE = "search-index.pickle"
FRAGMENTS = "fragments.sqlite"
WINDOW = 256  # pieces fetched by one query
_CHECK = 4  # bytes of the checksum (CRC-32, big-endian) each stored value starts with: it finds a value torn by
# a crash, which is all it is for, at a fifth of blake2b's cost (the rebuild checks every piece it splices)
FRAGMENT_FORMATS = ("tei", "json")  # the single-file outputs built from per-document pieces
PKG = Path(__file__).resolve().parent


_ENCODER = json.JSONEncoder(sort_keys=True, default=str, ensure_ascii=False)
_STATE_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False)  # state.json's


def _sha(*parts: Any) -> str:
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, bytes):
            h.update(p)
        elif isinstance(p, str) and p.isalnum():  # its JSON form, without json's machinery
            h.update(b'"' + p.encode() + b'"')
        else:
            h.update(_ENCODER.encode(p).encode())
        h.update(b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of dossier's own code and data (Python, templates, static files, catalogs)."""
    h = hashlib.sha256()
    for p in sorted(PKG.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".html", ".css", ".js", ".po", ".j2", ".yaml", ".json", ".txt"):
            h.update(p.relative_to(PKG).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def _tree_hash(*paths: Path) -> str:
    h = hashlib.sha256()
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
        for p in files:
            h.update(str(p).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def doc_sig(doc: Document) -> str:
    """A hash of everything a document holds (after numbering)."""
    return _sha(asdict(doc))


def summary(doc: Document | None) -> Any:
    """What another page shows of a document: number, heading, date, type."""
    if doc is None:
        return None
    return [doc.id, doc.n, doc.heading, doc.date.to_json(), doc.subtype, doc.type, doc.chapter]


def _document_marks(doc: Document) -> list[markup.MentionNode]:
    """`compile.edition.document_marks`, the fields parsed here: markup's cache of parsed texts would keep
    each body alive (up to 256 of them) after it went to the spill."""
    nodes = markup.mentions(markup.parse(doc.body))
    if doc.source:
        nodes += markup.mentions(markup.parse(doc.source))
    for extra in (doc.heading, doc.dateline):
        if extra:
            try:
                nodes += markup.mentions(markup.parse(extra))
            except markup.MarkupError:
                pass
    return nodes


def _problems(data: list[dict[str, Any]]) -> list[Problem]:
    return [Problem(**p) for p in data]


class TermStore(MutableMapping[str, Any]):
    """The search index's words per document by content hash: a view of one kind of the cache's pieces."""

    def __init__(self, db: FragmentDB, fmt: str) -> None:
        self.db = db
        self.fmt = fmt
        self.made = 0

    def __getitem__(self, key: str) -> Any:
        value = self.db.get(self.fmt, key)
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self.db.put(self.fmt, key, value)
        self.made += 1

    def __delitem__(self, key: str) -> None:
        self.db.delete(self.fmt, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.db.keys(self.fmt))

    def __len__(self) -> int:
        return len(self.db.keys(self.fmt))

    def get(self, key: str, default: Any = None) -> Any:
        value = self.db.get(self.fmt, key)
        return default if value is None else value


class FragmentDB:
    """The pieces of the single-file outputs (`publish.fragments`), documents and search words: one
    SQLite file, so a lookup costs no file of its own. Write-ahead logging keeps it whole when a build
    is interrupted; it is never synced (it is only a cache): each value carries a checksum, a value
    that fails it is made again, and a file that cannot be read is started afresh."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.used: dict[str, set[str]] = {}  # keys used by this build, per kind (until `spill_used`)
        self._used_kinds: set[str] = set()  # kinds whose used keys went to the `used` table
        self.made = 0
        self._con: sqlite3.Connection | None = None
        self._plan: dict[str, tuple[list[str], dict[str, int]]] = {}
        self._window: dict[str, dict[str, bytes | None]] = {}

    def _db(self) -> sqlite3.Connection:
        if self._con is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._con = self._open()
            except sqlite3.DatabaseError:
                for p in (self.path, self.path.with_name(self.path.name + "-wal"),
                          self.path.with_name(self.path.name + "-shm")):
                    p.unlink(missing_ok=True)
                self._con = self._open()
        return self._con

    def _open(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, isolation_level=None)
        try:
            con.execute("PRAGMA page_size=16384")  # a new file: a piece (about 8-40 KB) in a few pages, not ten
            con.execute("PRAGMA journal_mode=WAL")  # whole after a crash of the build
            con.execute("PRAGMA synchronous=OFF")  # no fsync: a value torn by a crash of the machine fails its check
            con.execute("CREATE TABLE IF NOT EXISTS piece(fmt TEXT, key TEXT, value BLOB, PRIMARY KEY(fmt, key))"
                        " WITHOUT ROWID")
            # the keys this build used, kept here rather than in memory once the renderers are done
            con.execute("CREATE TABLE IF NOT EXISTS used(fmt TEXT, key TEXT, PRIMARY KEY(fmt, key)) WITHOUT ROWID")
            con.execute("BEGIN")
            con.execute("DELETE FROM used")  # left by a build that failed
        except sqlite3.DatabaseError:
            con.close()
            raise
        return con

    def forget(self, *fmts: str) -> None:
        """The plans of `fmts` are done with: their keys and windows leave memory."""
        for fmt in fmts:
            self._plan.pop(fmt, None)
            self._window.pop(fmt, None)

    def spill_used(self) -> None:
        """Move the keys used so far to the `used` table (pruning reads them there), out of memory: at 16x
        the FRUS volume they are about 1 MB of strings, held until the build's end otherwise."""
        if not self.used:
            return
        con = self._db()
        for fmt, keys in sorted(self.used.items()):
            con.executemany("INSERT OR IGNORE INTO used VALUES(?, ?)", ((fmt, k) for k in keys))
            self._used_kinds.add(fmt)
        self.used = {}

    def release(self) -> None:
        """Commit what this build stored so far and give back SQLite's page cache (about 2 MB, all of it
        dirty pages of the open transaction otherwise); the build goes on in a new transaction. Each
        piece is whole and keyed by its content, so a build interrupted after this loses nothing."""
        if self._con is None:
            return
        self.spill_used()
        self._con.execute("COMMIT")
        self._con.execute("PRAGMA shrink_memory")
        self._con.execute("BEGIN")

    def expect(self, fmt: str, keys: list[str]) -> None:
        """`keys` of `fmt` will be asked for in this order: `get` fetches them in windows of WINDOW
        (one query each), so memory stays bounded and lookups cost no query each."""
        self._plan[fmt] = (keys, {k: i for i, k in enumerate(keys)})
        self._window.pop(fmt, None)

    def get(self, fmt: str, key: str) -> Any:
        self.used.setdefault(fmt, set()).add(key)
        try:
            window = self._window.get(fmt)
            plan = self._plan.get(fmt)
            if (window is None or key not in window) and plan is not None and key in plan[1]:
                at = plan[1][key]
                wanted = plan[0][at:at + WINDOW]
                marks = ",".join("?" * len(wanted))
                window = self._window[fmt] = dict.fromkeys(wanted)
                window.update(self._db().execute(f"SELECT key, value FROM piece WHERE fmt = ? AND key IN ({marks})",
                                                 (fmt, *wanted)).fetchall())
            if window is not None and key in window:
                data = window.pop(key)
            else:
                row = self._db().execute("SELECT value FROM piece WHERE fmt = ? AND key = ?", (fmt, key)).fetchone()
                data = row[0] if row is not None else None
            if data is None or len(data) < _CHECK:
                return None  # missing: made
            body = memoryview(data)[_CHECK:]  # no copy of the value
            if zlib.crc32(body) != int.from_bytes(data[:_CHECK], "big"):
                return None  # not what was written: made again
            return pickle.loads(body)
        except (sqlite3.DatabaseError, EOFError, pickle.UnpicklingError):
            return None

    def put(self, fmt: str, key: str, value: Any) -> None:
        self.used.setdefault(fmt, set()).add(key)
        self._window.get(fmt, {}).pop(key, None)
        self.made += 1
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        check = zlib.crc32(data).to_bytes(_CHECK, "big")
        self._db().execute("INSERT OR REPLACE INTO piece VALUES(?, ?, ?)", (fmt, key, check + data))

    def delete(self, fmt: str, key: str) -> None:
        self._db().execute("DELETE FROM piece WHERE fmt = ? AND key = ?", (fmt, key))

    def keys(self, fmt: str) -> list[str]:
        return [k for (k,) in self._db().execute("SELECT key FROM piece WHERE fmt = ? ORDER BY key", (fmt,))]

    def close(self, prune: bool = False) -> None:
        """Commit; with `prune`, drop the pieces of the formats used now that this build did not use."""
        if self._con is None:
            return
        try:
            if prune:
                self.spill_used()
                for fmt in sorted(self._used_kinds):
                    self._con.execute("DELETE FROM piece WHERE fmt = ? AND key NOT IN (SELECT key FROM used"
                                      " WHERE fmt = ?)", (fmt, fmt))
            self._con.execute("DELETE FROM used")
            self._con.execute("COMMIT")
        finally:
            con, self._con = self._con, None
            con.close()


def _atomic_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


class BuildCache:
    """The cache of one output folder (OUT/.cache); one instance per build."""

    def __init__(self, out: Path, root: Path) -> None:
        self.out = out
        self.root = root
        self.dir = out / CACHE_DIR
        self.state: dict[str, Any] = {}
        try:
            state = json.loads((self.dir / STATE).read_text(encoding="utf-8"))
            if state.get("version") == STATE_VERSION and state.get("code") == code_version():
                self.state = state
        except (OSError, ValueError):
            pass
        if not self.state:  # no usable state (first build, other code): the index's postings start afresh
            (self.dir / SEARCH_STATE).unlink(missing_ok=True)
        self.new: dict[str, Any] = {"version": STATE_VERSION, "code": code_version(), "pages": {}, "files": {}}
        self.stats: dict[str, int] = {"documents_read": 0, "documents_reused": 0}
        self.fragments = FragmentDB(self.dir / FRAGMENTS)
        self.terms = TermStore(self.fragments, "terms")
        self.file_keys: dict[str, str] = {}  # document path -> the hash of its file (bytes, path, code)
        self.registers_sig = ""
        self.marks: dict[str, list[tuple[str, str | None, str]]] = {}  # document path -> its marks
        self._compiled_keys: dict[str, str] = {}  # document path -> doc_key (set once compile is done)
        self._deps: dict[str, str] = {}
        self._doc_keys: dict[str, str] = {}
        self._encoded: dict[str, str] = {}  # parts of the new state already in their JSON form
        self._catalog_job: dict[str, Any] | None = None  # a patch of the catalog running (`start_catalog`)

    # loading -----------------------------------------------------------------------------------

    def load_project(self, report: Report, spill: TextSpill | None = None) -> Edition:
        """`project.load_project`, reading only the document files whose bytes changed (the texts go
        to `spill` as there)."""
        from . import project

        meta = project.read_metadata(self.root)
        docs: list[Document] = []
        paths = project.document_files(self.root)
        keys = [_sha(path.read_bytes(), str(path), code_version()) for path in paths]
        self.fragments.expect("doc", keys)
        for path, key in zip(paths, keys, strict=True):
            report.inputs.append(path.stem)
            record = self.fragments.get("doc", key)
            doc: Document | None = None
            if isinstance(record, tuple) and len(record) == 2 and isinstance(record[0], Document):
                doc, self.marks[doc.path] = record
                self.stats["documents_reused"] += 1
            if doc is None:
                try:
                    doc = project.read_document(path)
                except DossierError as exc:
                    p = exc.problem
                    report.reject(path.stem, p.file, p.message, p.line)
                    continue
                self.stats["documents_read"] += 1
                marks = [(n.kind, n.ref, markup.inline_text(n.children)) for n in _document_marks(doc)]
                self.marks[doc.path] = marks
                self.fragments.put("doc", key, (doc, marks))  # the marks: compile need not parse the body
            self.file_keys[doc.path or str(path)] = key
            if spill is not None:
                doc.spill(spill.put)
            docs.append(doc)
        self.fragments.forget("doc")
        return Edition(meta=meta, documents=docs, registers=self.read_registers(report),
                       appendix=project.read_appendix(self.root, report), root=str(self.root))

    def read_registers(self, report: Report) -> Registers:
        """`project.read_registers`, kept (with the problems it reported) while the folder's bytes stay."""
        from . import project

        self.registers_sig = _tree_hash(self.root / "registers")
        key = _sha(self.registers_sig, str(self.root), code_version())
        path = self.dir / "registers.pickle"
        try:
            with path.open("rb") as fh:
                old_key, registers, problems = pickle.load(fh)
            if old_key == key:
                report.extend(_problems(problems))
                return cast(Registers, registers)
        except (OSError, EOFError, ValueError, pickle.UnpicklingError, AttributeError, ImportError):
            pass
        before = len(report.problems)
        registers = project.read_registers(self.root, report)
        data = (key, registers, [asdict(p) for p in report.problems[before:]])
        path.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        return registers

    def compile(self, report: Report, style: str | None = None, spill: TextSpill | None = None) -> CompiledEdition:
        edition = self.load_project(report, spill)
        if style:
            edition.meta.style = style
        self.new["rules"] = {}
        compiled = compile_edition(edition, report, self.document_rules, self.marks_of)
        self.marks.clear()  # compile alone counts them: no need to hold every document's marks on
        self._plan(compiled)
        return compiled

    def document_rules(self, doc: Document, targets: rules.Targets) -> list[Problem]:
        """`rules.document_problems`, remembered by the document file's hash and the registers' bytes."""
        file_key = self.file_keys.get(doc.path)
        if file_key is None or targets.unreadable:  # unreadable registers: marks are counted, not cached
            return rules.document_problems(doc, targets)
        key = f"{file_key}:{self.registers_sig[:32]}"  # both hashes already
        old = self.state.get("rules", {}).get(key)
        if old is None:
            problems = rules.document_problems(doc, targets)
            old = [asdict(p) for p in problems]
            self.stats["documents_checked"] = self.stats.get("documents_checked", 0) + 1
        self.new["rules"][key] = old
        return _problems(old)

    def marks_of(self, doc: Document) -> list[markup.MentionNode]:
        """The marks compile counts for `doc` (`compile.edition.document_marks`), kept with the document."""
        marks = self.marks.get(doc.path)
        if marks is None:
            return document_marks(doc)
        return [markup.MentionNode(kind, ref, [markup.Text(text)]) for kind, ref, text in marks]

    def doc_key(self, doc: Document) -> str | None:
        """A hash of a compiled document: its file's, its number and what compile noted in `extra`."""
        file_key = self.file_keys.get(doc.path)
        if file_key is None:
            return None
        key = self._compiled_keys.get(doc.path)
        if key is None:
            key = self._compiled_keys[doc.path] = _sha(file_key, doc.n, doc.extra)
        return key

    # dependency hashes -------------------------------------------------------------------------

    def _plan(self, compiled: CompiledEdition) -> None:
        from .publish import html

        root = self.root
        glob = _sha(code_version(), _tree_hash(root / "dossier.toml", root / "appendix"), self.registers_sig,
                    asdict(compiled.meta))
        entries = [[e.id, e.kind, e.name, e.description, e.see, e.status, e.variants, e.born, e.died]
                   for k in ENTITY_KINDS for e in compiled.index[k]]
        names = _sha(entries)
        index_full = _sha(entries, [[e.id, e.documents, e.forms] for k in ENTITY_KINDS for e in compiled.index[k]])
        docs = compiled.documents
        by_id = {d.id: d for d in docs}
        chapter_of = {d.id: [c.chapter.id, c.chapter.title, c.chapter.n] for c in compiled.chapters for d in c.documents}
        sigs = [self.doc_key(d) or doc_sig(d) for d in docs]
        summaries = [summary(d) for d in docs]
        everything_but_bodies = _sha(glob, index_full, summaries, list(chapter_of.items()),
                                     [asdict(c.chapter) for c in compiled.chapters])
        deps: dict[str, str] = {}
        for i, d in enumerate(docs):
            deps[html.document_path(d)] = _sha(
                glob, names, sigs[i], summaries[i - 1] if i else None, summaries[i + 1] if i + 1 < len(docs) else None,
                chapter_of.get(d.id), summary(by_id.get(d.translation_of)) if d.translation_of else None)
            self._doc_keys[d.id] = sigs[i]  # a file's hash covers the code version
        self._others = everything_but_bodies
        self._deps = deps
        self.edition_sig = _sha(everything_but_bodies, sigs)
        shared = _sha(code_version(), compiled.meta.title, sorted(compiled._unlinked.items()))
        chapter_sig = {d.id: h for c in compiled.chapters
                       for h in [_sha([c.chapter.id, c.chapter.title, c.chapter.n])[:16]] for d in c.documents}
        self.catalog_sigs = {d.id: f"{shared[:32]}:{sigs[i]}:{chapter_sig.get(d.id, '')}" for i, d in enumerate(docs)}
        for fmt in FRAGMENT_FORMATS:  # the writers will ask for every document's piece, in this order
            self.fragments.expect(fmt, [self._piece_key(k) for k in sigs])

    # the site (html.PageStore) -----------------------------------------------------------------

    def _page_dep(self, rel: str) -> str:
        return self._deps.get(rel) or _sha(self._others, rel)

    def current(self, rel: str) -> list[Problem] | None:
        old = self.state.get("pages", {}).get(rel)
        if old and old["deps"] == self._page_dep(rel):
            self.new["pages"][rel] = old
            return _problems(old["problems"])
        return None

    def rendered(self, rel: str, problems: list[Problem]) -> None:
        self.new["pages"][rel] = {"deps": self._page_dep(rel), "problems": [asdict(p) for p in problems]}

    def search_terms(self) -> tuple[MutableMapping[str, Any], dict[str, str]]:
        self.fragments.used.setdefault("terms", set()).update(self._doc_keys.values())  # for the next patch
        return self.terms, self._doc_keys

    def search_state(self) -> Path:
        """Where the site's search index keeps its postings between builds."""
        return self.dir / SEARCH_STATE

    # pieces of the single-file outputs (publish.fragments.FragmentStore) ------------------------

    @staticmethod
    def _piece_key(key: str) -> str:
        return f"{code_version()[:32]}:{key}"

    def get_fragment(self, fmt: str, key: str) -> dict[str, Any] | None:
        record = self.fragments.get(fmt, self._piece_key(key))
        return record if isinstance(record, dict) else None

    def put_fragment(self, fmt: str, key: str, record: dict[str, Any]) -> None:
        self.fragments.put(fmt, self._piece_key(key), record)
        name = f"{fmt}_documents_rendered" if not fmt.endswith("-frame") else f"{fmt.split('-')[0]}_frame_rendered"
        self.stats[name] = self.stats.get(name, 0) + 1

    # whole files -------------------------------------------------------------------------------

    def whole_file(self, name: str, target: Path, report: Report, write: Callable[[], None]) -> bool:
        """Run `write` unless the edition is unchanged and `target` is what it wrote last; True if written."""
        old = self.state.get("files", {}).get(name)
        if old and old["deps"] == self.edition_sig and target.is_file() and _file_stamp(target) == old["sha"]:
            report.extend(_problems(old["problems"]))
            self.new["files"][name] = old
            return False
        before = len(report.problems)
        write()
        self.new["files"][name] = {"deps": self.edition_sig, "sha": _file_stamp(target) if target.is_file() else "",
                                   "problems": [asdict(p) for p in report.problems[before:]]}
        return True

    def renderers_done(self) -> None:
        """The site and the single-file outputs are written: drop what only they needed (the page and
        rule states, the documents' hashes, the pieces' plans, the keys used, which go to the cache's
        file) before the catalog, the build's last and largest step, so that it reuses that memory. At
        16x the FRUS volume these are about 4 MB of small strings and dicts."""
        for part in ("pages", "rules"):
            self.state.pop(part, None)
            if part in self.new:
                self._encoded[part] = _STATE_ENCODER.encode(self.new.pop(part))
        self.fragments.forget(*FRAGMENT_FORMATS)
        self.fragments.release()
        self.file_keys = {}
        self._compiled_keys = {}
        self._deps = {}
        self._doc_keys = {}

    # the catalog -------------------------------------------------------------------------------

    def _catalog_plan(self, compiled: CompiledEdition, target: Path) -> tuple[str, list[Document]]:
        """What the catalog needs: "kept", "patch" (the documents that changed) or "write"."""
        old = self.state.get("catalog") or {}
        order = [d.id for d in compiled.documents]
        changed = [d for d in compiled.documents if old.get("docs", {}).get(d.id) != self.catalog_sigs[d.id]]
        ok = (target.is_file() and old.get("order") == order and old.get("sha") == _file_stamp(target)
              and len(changed) <= max(1, len(order) // 4))
        return ("kept" if not changed else "patch") if ok else "write", changed

    def start_catalog(self, compiled: CompiledEdition, target: Path, workers: int | None = None,
                      scheduler: str | None = None) -> None:
        """Patch the catalog now, in a thread beside the renderers still to run, when only a few documents
        changed (their search keys then are made in this process: no pool is started from the thread).
        Most of a patch is waiting for the disk (the commit syncs the catalog twice, about 15 ms, and
        SQLite lets other threads run meanwhile), which this hides behind the TEI and JSON writing;
        the patch is the same, and `write_catalog` waits for it. Anything else waits for `write_catalog`."""
        from .parallel import DEFAULT_BATCH

        how, changed = self._catalog_plan(compiled, target)
        if how != "patch" or scheduler or len(changed) > DEFAULT_BATCH or self._catalog_job is not None:
            return
        job: dict[str, Any] = {"changed": changed}

        def run() -> None:
            try:
                patch_catalog(compiled, target, changed, workers, scheduler)
            except BaseException as exc:  # handed to the build's thread by write_catalog
                job["error"] = exc

        job["thread"] = thread = threading.Thread(target=run, name="dossier-catalog-patch")
        self._catalog_job = job
        thread.start()

    def _join_catalog(self) -> dict[str, Any] | None:
        job, self._catalog_job = self._catalog_job, None
        if job is not None:
            job["thread"].join()
        return job

    def write_catalog(self, compiled: CompiledEdition, target: Path, report: Report, workers: int | None = None,
                      scheduler: str | None = None) -> str:
        """Patch the catalog for the documents that changed, or write it afresh; returns what was done."""
        from .publish.catalog import write_catalog

        job = self._join_catalog()
        if job is not None:
            if "error" in job:
                raise job["error"]
            how, changed = "patched", job["changed"]
        else:
            how, changed = self._catalog_plan(compiled, target)
            if how == "patch":
                patch_catalog(compiled, target, changed, workers, scheduler)
                how = "patched"
            elif how == "write":
                write_catalog(compiled, target, report, workers=workers, scheduler=scheduler)
                how = "written"
        if how == "patched":
            how = f"patched {len(changed)}"
        report.stats["catalog_documents"] = len(compiled.documents)
        self.new["catalog"] = {"order": [d.id for d in compiled.documents], "docs": self.catalog_sigs,
                               "sha": _file_stamp(target)}
        self.stats["catalog_documents_indexed"] = len(compiled.documents) if how == "written" else len(changed)
        return how

    # saving ------------------------------------------------------------------------------------

    def close(self) -> None:
        self._join_catalog()  # a build that failed: the patch ends (whole, or rolled back) before the texts go
        self.fragments.close()

    def save(self, report: Report) -> None:
        """Write the new state (last, atomically) and drop cached files no longer used."""
        self.stats["search_terms_counted"] = self.terms.made
        report.stats.setdefault("cache", {}).update(self.stats)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.fragments.close(prune=True)  # the kinds used now drop the pieces this build did not use
        parts = {k: _STATE_ENCODER.encode(v) for k, v in self.new.items()}
        parts.update(self._encoded)  # json.dumps(state, sort_keys=True) as it would write it, put together
        text = "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in sorted(parts.items())) + "}"
        _atomic_bytes(self.dir / STATE, text.encode())


def _file_stamp(path: Path) -> str:
    """Which file of ours `path` is: size, modification time and inode as we left them (an output
    replaced or edited since is written again). Inputs are never judged this way: they go by hash."""
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def _changed_rows(compiled: CompiledEdition, changed: list[Document], workers: int | None,
                  scheduler: str | None) -> sqlite3.Connection:
    """A catalog in memory of the `changed` documents only, filled by the catalog's own code (so their
    rows are exactly those a full build makes)."""
    from .publish import catalog

    sub = CompiledEdition(compiled.edition, changed, compiled.chapters, compiled.index, compiled._unlinked)
    con = sqlite3.connect(":memory:")
    con.executescript(catalog.SCHEMA)
    catalog._fill(con, sub, workers, scheduler)
    return con


def patch_catalog(compiled: CompiledEdition, target: Path, changed: list[Document], workers: int | None = None,
                  scheduler: str | None = None) -> None:
    """Replace the rows of `changed` documents in the catalog at `target`, atomically.

    The changed documents' rows are made first, by the catalog module itself (see `_changed_rows`);
    then one SQLite transaction puts them at the documents' positions in the catalog and replaces the
    entries whole. SQLite's atomic commit is the guarantee: a failure before or during the patch
    leaves the catalog as it was (its journal rolls back), and readers see the old rows or the new."""
    position = {d.id: i + 1 for i, d in enumerate(compiled.documents)}
    with contextlib.ExitStack() as stack:
        part = _changed_rows(compiled, changed, workers, scheduler)
        stack.callback(part.close)
        con = sqlite3.connect(target, isolation_level=None)
        stack.callback(con.close)
        con.execute("PRAGMA synchronous=FULL")  # the rollback journal is atomic against a power cut only so
        con.execute("BEGIN IMMEDIATE")
        try:
            rows = part.execute("SELECT * FROM documents ORDER BY rowid").fetchall()
            for row in rows:
                doc_id = row[1]
                rowid = position[doc_id]
                con.execute("DELETE FROM documents WHERE rowid = ?", (rowid,))
                con.execute("DELETE FROM fts WHERE rowid = ?", (rowid,))
                con.execute("DELETE FROM mentions WHERE doc_id = ?", (doc_id,))
                con.execute(f"INSERT INTO documents VALUES({','.join('?' * len(row))})", (rowid, *row[1:]))
                fts = part.execute("SELECT heading, text, exact, keys FROM fts WHERE rowid = ?", (row[0],)).fetchone()
                con.execute("INSERT INTO fts(rowid, heading, text, exact, keys) VALUES(?,?,?,?,?)", (rowid, *fts))
            for table in ("mentions", "entries", "meta"):
                data = part.execute(f"SELECT * FROM {table}").fetchall()
                if table != "mentions":
                    con.execute(f"DELETE FROM {table}")
                if data:
                    con.executemany(f"INSERT INTO {table} VALUES({','.join('?' * len(data[0]))})", data)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
