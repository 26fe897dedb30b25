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

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterable, MutableMapping
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


def doc_row(doc: Document, date: str) -> list[Any]:
    heading = re.sub(r"\s+", " ", markup.plain_text(doc.heading)).strip() if doc.heading else ""
    return [doc.n, heading or doc.type or doc.id, date, f"documents/{doc.id}.html"]


def write_index(compiled: CompiledEdition, site: Path, locale: str = "en",
                cache: MutableMapping[str, DocTerms] | None = None,
                cache_keys: dict[str, str] | None = None) -> dict[str, int]:
    """Write OUT/site/search/ for a compiled edition; returns counts (files written, kept, terms).

    `cache` maps a document's content hash (`cache_keys[doc.id]`) to its terms, so an incremental
    build counts words only in documents that changed."""
    from .html import format_doc_date

    per_doc: list[DocTerms] = []
    for doc in compiled.documents:
        h = cache_keys.get(doc.id) if cache_keys else None
        terms = cache.get(h) if (cache is not None and h) else None
        if terms is None:
            terms = doc_terms(document_text(doc))
            if cache is not None and h:
                cache[h] = terms
        per_doc.append(terms)
    postings: dict[str, dict[str, list[int]]] = {"k": {}, "w": {}}
    forms: dict[str, str] = {}
    for i, t in enumerate(per_doc):
        for fam, counts in (("k", t.keys), ("w", t.words)):
            post = postings[fam]
            for term, c in counts.items():
                post.setdefault(term, []).extend((i, c))
        forms.update(t.forms)
    for kind in compiled.index.values():  # names in the registers: their Cyrillic forms too
        for entry in kind:
            for name in (entry.name, *entry.variants, *entry.forms):
                for w in words(name):
                    fw = fold(w)
                    if _CYR.search(fw) and fw not in forms:
                        k = word_key(fw)
                        if k:
                            forms[fw] = k
    files: dict[str, str] = {}
    manifest: dict[str, Any] = {"version": FORMAT_VERSION, "documents": len(compiled.documents), "chunk": CHUNK,
                                **key_tables()}
    families: dict[str, dict[str, Any]] = {"k": postings["k"], "w": postings["w"], "f": forms}
    for fam in FAMILIES:
        data = families[fam]
        sizes = {t: len(t) + 8 + len(json.dumps(v)) for t, v in data.items()}
        shards: dict[str, dict[str, Any]] = {}
        for term, prefix in assign_shards(sizes).items():
            shards.setdefault(prefix, {})[term] = data[term]
        manifest[fam] = sorted(shards)
        for prefix, content in shards.items():
            name = f"{fam}/{shard_name(prefix)}"
            files[name + ".js"] = _js(name, content)
    rows = [doc_row(d, format_doc_date(d.date, locale)) for d in compiled.documents]
    for c in range(0, len(rows), CHUNK):
        name = f"d/{c // CHUNK}"
        files[name + ".js"] = _js(name, rows[c:c + CHUNK])
    files[MANIFEST] = _js("manifest", manifest)
    return _write_files(site / INDEX_DIR, files, sum(len(v) for v in families.values()))


def _write_files(root: Path, files: dict[str, str], terms: int) -> dict[str, int]:
    written = kept = 0
    for rel in sorted(files):
        if write_if_changed(root / rel, files[rel]):
            written += 1
        else:
            kept += 1
    for old in sorted(_all_files(root)):  # shards no longer in the index
        rel = old.relative_to(root).as_posix()
        if rel not in files:
            old.unlink()
    for sub in sorted(p for p in root.iterdir() if p.is_dir()) if root.exists() else []:
        if not any(sub.iterdir()):
            shutil.rmtree(sub)
    return {"search_files_written": written, "search_files_kept": kept, "search_terms": terms}


def _all_files(root: Path) -> Iterable[Path]:
    return (p for p in root.rglob("*") if p.is_file()) if root.exists() else ()
