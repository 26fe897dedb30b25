"""The prebuilt search index of the static web edition: OUT/site/search/, read by static/search.js.

What it is for: searching the web edition opened from disk, with no server. At build time every
document's heading and text are cut into words (`dossier.search_keys.words`) and each word is indexed
twice: its folded form (case, ё/е) and its search key (`word_key`: the same for `Chruschtschow`,
`Khrushchev`, `Хрущёва`). Postings list, per term, the documents (their position in edition order)
and how often the term occurs there. The index is cut into small shards so that a query loads only
what it needs:

    search/manifest.js      the shard prefixes of each family, the document count, and the tables the
                            JavaScript needs to compute keys exactly as Python does (iuliia's Wikipedia
                            transliteration, the skeleton rules of `search_keys`)
    search/k/<p>.js         keys starting with prefix p: {key: [doc, count, doc, count, ...]}
    search/w/<p>.js         folded words, the same way
    search/f/<p>.js         "forms": each folded Cyrillic word of the edition -> its key. The browser
                            cannot run pymorphy3, so it looks up an inflected word here first; a word
                            not in the edition falls back to a regex for surname endings
    search/d/<i>.js         documents i*CHUNK .. (i+1)*CHUNK-1: [n, heading, date, href]

A prefix is the term's first two letters; a shard larger than SHARD_BYTES is split into three-letter
(then four-letter) prefixes, and the manifest lists the prefixes that exist, so the browser picks the
longest listed prefix of a term. File names spell the prefix as hex code points (`78-72` for `xr`),
safe on every file system. Each file is a script calling `DossierSearch.load(name, data)`: browsers
refuse fetch() of file:// URLs but run <script> tags, so shards are loaded by script injection.
Output is deterministic (sorted keys, no timestamps); unchanged files are not rewritten.

What it is not: the catalog (`dossier.publish.catalog`, SQLite for `dossier search` and `serve`), nor
a phrase index: postings hold no positions, so "a phrase" finds documents holding all its words.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import shutil
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import markup
from ..compile.edition import CompiledEdition
from ..model import Document
from ..search_keys import _CYR, _SKELETON, _SURNAME, _translit, fold, word_key, words

INDEX_DIR = "search"
MANIFEST = "manifest.js"
SHARD_BYTES = 48_000
MAX_PREFIX = 4
CHUNK = 500
RUN = 128  # documents whose postings are held before they go to disk (see _Postings)
FAMILIES = ("k", "w", "f")
FORMAT_VERSION = 1


@dataclass
class DocTerms:
    """What one document contributes to the index: counts of keys and folded words, Cyrillic forms."""

    keys: dict[str, int] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"k": self.keys, "w": self.words, "f": self.forms}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocTerms:
        return cls(dict(data["k"]), dict(data["w"]), dict(data["f"]))


def document_text(doc: Document) -> str:
    """The text a document is searched by, as the catalog has it (`catalog.searchable`)."""
    from .catalog import searchable

    heading, text = searchable(doc)
    return heading + "\n" + text


def doc_terms(text: str) -> DocTerms:
    """Count the folded words and keys of a text; keep each Cyrillic word's key (its form)."""
    ws = words(text)
    folded = Counter(fold(w) for w in ws)
    keys: Counter[str] = Counter()
    forms: dict[str, str] = {}
    for w, c in folded.items():
        k = word_key(w)
        if k:
            keys[k] += c
            if _CYR.search(w):
                forms[w] = k
    return DocTerms(dict(keys), dict(folded), forms)


def shard_name(prefix: str) -> str:
    return "-".join(f"{ord(c):x}" for c in prefix)


def assign_shards(sizes: dict[str, int]) -> dict[str, str]:
    """term -> shard prefix: two letters, split further where a shard would exceed SHARD_BYTES."""
    out: dict[str, str] = {}

    def split(terms: list[str], length: int) -> None:
        groups: dict[str, list[str]] = {}
        for t in terms:
            groups.setdefault(t[:length], []).append(t)
        for p, ts in groups.items():
            if length < MAX_PREFIX and sum(sizes[t] for t in ts) > SHARD_BYTES:
                short = [t for t in ts if len(t) <= length]
                for t in short:
                    out[t] = p
                split([t for t in ts if len(t) > length], length + 1)
            else:
                for t in ts:
                    out[t] = p

    split(sorted(sizes), 2)
    return out


def _js(name: str, data: Any) -> str:
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"DossierSearch.load({json.dumps(name)},{payload});\n"


def write_if_changed(path: Path, text: str) -> bool:
    """Write `text` unless the file already holds exactly it (keeps mtimes of unchanged files)."""
    data = text.encode("utf-8")
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def key_tables() -> dict[str, Any]:
    """The tables search.js computes keys with, taken from the Python code itself (one source of truth)."""
    raw = json.loads(Path(_translit().path).read_text(encoding="utf-8"))  # iuliia's own schema file
    lower = {k: v for k, v in raw["mapping"].items()}
    tables = {name: dict(raw.get(key) or {}) for name, key in
              (("prev", "prev_mapping"), ("next", "next_mapping"), ("ending", "ending_mapping"))}
    return {"translit": {"map": lower, **tables},
            "skeleton": [list(p) for p in _SKELETON], "surname": _SURNAME.pattern}


_DATES: dict[tuple[Any, ...], str] = {}  # a date in words, by its fields and the locale (babel is slow)


def _date_text(doc: Document, locale: str, format_date: Callable[[Any, str], str]) -> str:
    d = doc.date
    key = (d.start, d.end, d.precision, d.text, d.inferred, locale)
    text = _DATES.get(key)
    if text is None:
        if len(_DATES) > 1 << 16:
            _DATES.clear()
        text = _DATES[key] = format_date(d, locale)
    return text


def doc_row(doc: Document, date: str) -> list[Any]:
    heading = re.sub(r"\s+", " ", markup.plain_text(doc.heading)).strip() if doc.heading else ""
    return [doc.n, heading or doc.type or doc.id, date, f"documents/{doc.id}.html"]


@dataclass
class _Family:
    """One family of the index (k, w or f): the shards of each two-letter group of terms (shards are cut
    inside such a group only), how many terms it has, and for f its data."""

    data: dict[str, Any] = field(default_factory=dict)  # kept for f only: k and w are read from their shards
    shards: dict[str, list[str]] = field(default_factory=dict)  # two-letter group -> its shard prefixes
    terms: int = 0  # how many terms the family has


@dataclass
class IndexState:
    """What an incremental build keeps of the index between builds (`write_index(state_path=...)`)."""

    version: int
    order: list[str]  # document ids in edition order
    doc_keys: list[str]  # the content hash of each document's terms
    families: dict[str, _Family]
    manifest: str = ""  # the hash of the manifest written with this state
    doc_forms: dict[str, str] = field(default_factory=dict)  # the documents' Cyrillic words -> key
    form_counts: dict[str, int] = field(default_factory=dict)  # in how many documents each is


def _patch(state: IndexState, compiled: CompiledEdition, doc_keys: list[str], cache: MutableMapping[str, DocTerms],
           terms_of: Callable[[Document, str], DocTerms], files: dict[str, str], root: Path) -> list[str]:
    """Patch `state` for the documents whose terms changed (same documents, same order); put the files
    of the groups that changed into `files`; return the shard files that are gone. The postings of a
    changed group of k and w are read back from its shard files."""
    touched: dict[str, set[str]] = {fam: set() for fam in FAMILIES}
    loaded: dict[tuple[str, str], dict[str, Any]] = {}

    def postings(fam: str, term: str) -> dict[str, Any]:
        key = (fam, term[:2])
        if key not in loaded:
            loaded[key] = _read_group(root, fam, state.families[fam].shards.get(term[:2], []))
        return loaded[key]

    for i, h in enumerate(doc_keys):
        if h == state.doc_keys[i]:
            continue
        old = cache[state.doc_keys[i]]
        new = terms_of(compiled.documents[i], h)
        for fam, old_counts, new_counts in (("k", old.keys, new.keys), ("w", old.words, new.words)):
            family = state.families[fam]
            for term, c in old_counts.items():
                if new_counts.get(term) == c:
                    continue  # the same count in the same document: its postings stay
                post = postings(fam, term)
                lst = post[term]
                at = next(j for j in range(0, len(lst), 2) if lst[j] == i)
                del lst[at:at + 2]
                if not lst:
                    del post[term]
                    family.terms -= 1
                touched[fam].add(term)
            for term, c in new_counts.items():
                if old_counts.get(term) == c:
                    continue
                post = postings(fam, term)
                if term not in post:
                    post[term] = []
                    family.terms += 1
                lst = post[term]
                at = next((j for j in range(0, len(lst), 2) if lst[j] > i), len(lst))
                lst[at:at] = [i, c]
                touched[fam].add(term)
        for w in old.forms:
            state.form_counts[w] -= 1
            if not state.form_counts[w]:
                del state.form_counts[w], state.doc_forms[w]
        for w, k in new.forms.items():
            state.form_counts[w] = state.form_counts.get(w, 0) + 1
            state.doc_forms[w] = k
    fam_f = state.families["f"]
    old_forms = fam_f.data
    fam_f.data = {**state.doc_forms, **_register_forms(compiled, state.doc_forms)}
    fam_f.terms = len(fam_f.data)
    touched["f"] = {t for t in old_forms.keys() | fam_f.data.keys() if old_forms.get(t) != fam_f.data.get(t)}
    f_groups: dict[str, dict[str, Any]] = {}
    for term, value in fam_f.data.items():
        f_groups.setdefault(term[:2], {})[term] = value
    deleted: list[str] = []
    for fam in FAMILIES:
        family = state.families[fam]
        for group in sorted({term[:2] for term in touched[fam]}):
            data = f_groups.get(group, {}) if fam == "f" else loaded[(fam, group)]
            before = family.shards.pop(group, [])
            if data:
                files.update(_group_files(fam, family, group, data))
            deleted += [f"{fam}/{shard_name(p)}.js" for p in before if p not in family.shards.get(group, [])]
    state.doc_keys = doc_keys
    return deleted


def _size(term: str, value: Any) -> int:
    return len(term) + 8 + len(json.dumps(value))


def _register_forms(compiled: CompiledEdition, forms: dict[str, str]) -> dict[str, str]:
    """Cyrillic words of the registers' names not among `forms` (the documents' words), with their keys."""
    out: dict[str, str] = {}
    for kind in compiled.index.values():
        for entry in kind:
            for name in (entry.name, *entry.variants, *entry.forms):
                for w in words(name):
                    fw = fold(w)
                    if _CYR.search(fw) and fw not in forms and fw not in out:
                        k = word_key(fw)
                        if k:
                            out[fw] = k
    return out


def write_index(compiled: CompiledEdition, site: Path, locale: str = "en",
                cache: MutableMapping[str, DocTerms] | None = None,
                cache_keys: dict[str, str] | None = None, state_path: Path | None = None) -> dict[str, int]:
    """Write OUT/site/search/ for a compiled edition; returns counts (files written, kept, terms).

    `cache` maps a document's content hash (`cache_keys[doc.id]`) to its terms, so an incremental
    build counts words only in documents that changed. With `state_path` too, the postings of the
    last build are kept there and patched for the documents that changed: only the shards of the
    two-letter groups whose terms changed are written again (the files are the same as a clean
    build's)."""
    from .html import format_doc_date

    order = [d.id for d in compiled.documents]
    doc_keys = [(cache_keys or {}).get(d.id, "") for d in compiled.documents]

    def terms_of(doc: Document, h: str) -> DocTerms:
        terms = cache.get(h) if (cache is not None and h) else None
        if terms is None:
            terms = doc_terms(document_text(doc))
            if cache is not None and h:
                cache[h] = terms
        return terms

    root = site / INDEX_DIR
    state = _load_state(state_path) if state_path is not None and cache is not None and all(doc_keys) else None
    if state_path is not None:
        state_path.unlink(missing_ok=True)  # files are about to change: an interrupted build starts afresh
    files: dict[str, str] = {}
    deleted: list[str] = []
    patched = state is not None and state.order == order and _manifest_sha(root) == state.manifest
    if state is not None and patched:
        assert cache is not None
        try:
            deleted = _patch(state, compiled, doc_keys, cache, terms_of, files, root)
        except (KeyError, StopIteration, OSError, ValueError):  # the kept state does not fit: start afresh
            patched = False
            files.clear()
    out = _Writer(root)
    if not patched:
        state = IndexState(FORMAT_VERSION, order, doc_keys, {fam: _Family() for fam in FAMILIES})
        forms: dict[str, str] = {}
        site.mkdir(parents=True, exist_ok=True)
        # postings built one document at a time and spilled to disk every RUN documents: only one run's
        # postings and one group's merged postings are ever held (the documents' words are not kept)
        with _Postings(site) as postings:
            for d, h in zip(compiled.documents, doc_keys, strict=True):
                t = terms_of(d, h)
                postings.add(t.keys, t.words)
                forms.update(t.forms)
                for w in t.forms:
                    state.form_counts[w] = state.form_counts.get(w, 0) + 1
            state.doc_forms = dict(forms)
            forms.update(_register_forms(compiled, forms))
            for fam in FAMILIES:
                family = state.families[fam]
                if fam == "f":
                    groups: dict[str, dict[str, Any]] = {}
                    for term, value in forms.items():
                        groups.setdefault(term[:2], {})[term] = value
                    merged: Iterable[tuple[str, dict[str, Any]]] = ((g, groups.pop(g)) for g in sorted(groups))
                    family.terms = len(forms)
                    family.data = forms
                else:
                    merged = postings.groups(fam)
                for g, data in merged:
                    if fam != "f":
                        family.terms += len(data)
                    out.write(_group_files(fam, family, g, data))  # written now: never all at once
    assert state is not None
    manifest: dict[str, Any] = {"version": FORMAT_VERSION, "documents": len(compiled.documents), "chunk": CHUNK,
                                **key_tables()}
    for fam in FAMILIES:
        manifest[fam] = sorted(p for ps in state.families[fam].shards.values() for p in ps)
    docs = compiled.documents
    for c in range(0, len(docs), CHUNK):  # one chunk of rows at a time
        name = f"d/{c // CHUNK}"
        out.write({name + ".js": _js(name, [doc_row(d, _date_text(d, locale, format_doc_date))
                                            for d in docs[c:c + CHUNK]])})
    files[MANIFEST] = _js("manifest", manifest)
    out.write(files)
    terms = sum(state.families[fam].terms for fam in FAMILIES)
    if patched:
        total = sum(len(manifest[fam]) for fam in FAMILIES) + (len(docs) + CHUNK - 1) // CHUNK + 1
        out.remove(deleted)
        counts = {"search_files_written": out.written, "search_files_kept": total - out.written, "search_terms": terms}
    else:
        out.remove_others()
        counts = {"search_files_written": out.written, "search_files_kept": out.kept, "search_terms": terms}
    if state_path is not None and cache is not None and all(doc_keys):
        state.manifest = _manifest_sha(root)
        state_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = state_path.with_name(state_path.name + ".tmp")
        tmp.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(state_path)
    return counts


class _Postings:
    """The postings of families k and w, added one document at a time (documents numbered 0, 1, ... in
    edition order). Every RUN documents the run's postings go to an unnamed temporary file, one record
    per two-letter group; `groups(fam)` then gives each group's postings merged across the runs, in
    the groups' order. What is held: one run's postings, or one group's while it is merged and written
    (and an empty array per term seen, reused by the next run: the vocabulary, not the postings).
    """

    def __init__(self, folder: Path) -> None:
        self._file = tempfile.TemporaryFile(dir=folder, prefix=".search-postings-")
        self._end = 0
        self._doc = 0
        self._run: dict[str, dict[str, array[int]]] = {"k": {}, "w": {}}
        self._runs = 0
        self._where: dict[str, dict[str, list[tuple[int, int]]]] = {"k": {}, "w": {}}  # group -> records

    def add(self, *counts: dict[str, int]) -> None:
        """One document's counts of each family (k, w): its postings."""
        i = self._doc
        for fam, fam_counts in zip(("k", "w"), counts, strict=True):
            post = self._run[fam]
            for term, c in fam_counts.items():
                lst = post.get(term)
                if lst is None:
                    lst = post[term] = array("i")
                lst.append(i)
                lst.append(c)
        self._doc += 1
        self._runs += 1
        if self._runs >= RUN:
            self._flush()

    def _flush(self) -> None:
        for fam, post in self._run.items():
            groups: dict[str, list[str]] = {}
            for term, lst in post.items():
                if lst:
                    groups.setdefault(term[:2], []).append(term)
            for g, terms in groups.items():
                lens = array("i", [len(post[t]) for t in terms])
                flat = array("i")
                for t in terms:
                    lst = post[t]
                    flat.extend(lst)
                    del lst[:]  # its memory is freed; the empty array is reused by the next run
                blob = pickle.dumps((terms, lens.tobytes(), flat.tobytes()), protocol=pickle.HIGHEST_PROTOCOL)
                os.pwrite(self._file.fileno(), blob, self._end)
                self._where[fam].setdefault(g, []).append((self._end, len(blob)))
                self._end += len(blob)
        self._runs = 0

    def groups(self, fam: str) -> Iterator[tuple[str, dict[str, array[int]]]]:
        """(group, its terms' postings) of family `fam`, the groups in sorted order."""
        if not self._end:  # one run, never spilled: its postings are the whole family's
            post = self._run[fam]
            by_group: dict[str, list[str]] = {}
            for term in post:
                by_group.setdefault(term[:2], []).append(term)
            for g in sorted(by_group):
                yield g, {t: post.pop(t) for t in by_group.pop(g)}
            return
        if self._runs:
            self._flush()
        self._run[fam].clear()
        for g in sorted(self._where[fam]):
            merged: dict[str, array[int]] = {}
            for at, size in self._where[fam][g]:  # runs in document order: postings stay in order
                terms, lens_data, flat_data = pickle.loads(os.pread(self._file.fileno(), size, at))
                lens, flat = array("i"), array("i")
                lens.frombytes(lens_data)
                flat.frombytes(flat_data)
                pos = 0
                for t, n in zip(terms, lens, strict=True):
                    part = flat[pos:pos + n]
                    pos += n
                    lst = merged.get(t)
                    if lst is None:
                        merged[t] = part
                    else:
                        lst.extend(part)
            yield g, merged

    def __enter__(self) -> _Postings:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


def _group_files(fam: str, family: _Family, group: str, data: dict[str, Any]) -> dict[str, str]:
    """The shard files of one two-letter group, from its terms' `data` (the group's shard prefixes are
    noted in `family`)."""
    data = {t: v.tolist() if isinstance(v, array) else v for t, v in data.items()}
    shards: dict[str, dict[str, Any]] = {}
    for term, prefix in assign_shards({t: _size(t, v) for t, v in data.items()}).items():
        shards.setdefault(prefix, {})[term] = data[term]
    family.shards[group] = sorted(shards)
    out: dict[str, str] = {}
    for prefix, content in shards.items():
        name = f"{fam}/{shard_name(prefix)}"
        out[name + ".js"] = _js(name, content)
    return out


def _read_group(root: Path, fam: str, prefixes: list[str]) -> dict[str, Any]:
    """The terms of the shard files `prefixes` of family `fam`, read back from what `_js` wrote."""
    out: dict[str, Any] = {}
    for prefix in prefixes:
        name = f"{fam}/{shard_name(prefix)}"
        text = (root / f"{name}.js").read_text(encoding="utf-8")
        head, tail = f"DossierSearch.load({json.dumps(name)},", ");\n"
        if not (text.startswith(head) and text.endswith(tail)):
            raise ValueError(f"{name}.js is not a shard this module wrote")
        out.update(json.loads(text[len(head):-len(tail)]))
    return out


def _manifest_sha(root: Path) -> str:
    try:
        return hashlib.sha256((root / MANIFEST).read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def _load_state(path: Path) -> IndexState | None:
    try:
        with path.open("rb") as fh:
            state = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    return state if isinstance(state, IndexState) and state.version == FORMAT_VERSION else None


class _Writer:
    """Writes the index's files as they are made (unchanged ones are left alone) and removes the rest."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.names: set[str] = set()
        self.written = self.kept = 0

    def write(self, files: dict[str, str]) -> None:
        for rel in sorted(files):
            self.names.add(rel)
            if write_if_changed(self.root / rel, files[rel]):
                self.written += 1
            else:
                self.kept += 1

    def remove(self, names: Iterable[str]) -> None:
        """Remove the shards `names` that are gone from a patched index."""
        gone = sorted(set(names) - self.names)
        for rel in gone:
            (self.root / rel).unlink(missing_ok=True)
        if gone:
            self._drop_empty_folders()

    def remove_others(self) -> None:
        """Remove every file of the index folder this index did not write (a whole index)."""
        for old in sorted(_all_files(self.root)):
            if old.relative_to(self.root).as_posix() not in self.names:
                old.unlink()
        self._drop_empty_folders()

    def _drop_empty_folders(self) -> None:
        for sub in sorted(p for p in self.root.iterdir() if p.is_dir()) if self.root.exists() else []:
            if not any(sub.iterdir()):
                shutil.rmtree(sub)


def _all_files(root: Path) -> Iterable[Path]:
    return (p for p in root.rglob("*") if p.is_file()) if root.exists() else ()
