"""Write a compiled edition as `edition.json`: the edition's data for scripts, search and scorers.

What it is for: one JSON object with

- `edition`: title page metadata (title, subtitle, series, volume, editors, publisher, place, year,
  identifier, source, license), `style`, `languages`;
- `chapters`: `[{id, n, title, documents: [document ids]}]` in edition order;
- `documents`: `[{id, n, heading (plain text; composed by the style when the editor wrote none, then
  `heading_composed` is true), heading_markup, type, subtype, date {from, to,
  precision, text, inferred}, dateline, place, authors, addressees, language, chapter, source
  (plain text), source_markup, legend {...}, legend_text (as the style prints it), translation_of,
  translator, translations (ids of the documents that translate it), illustrations, text (the
  body's plain text, `markup.plain_text`), notes [{label, text}], mentions [{kind, text, ref}]}]`;
  `heading_markup`/`source_markup` appear only when they differ from the plain text;
- `index`: `{"persons": [...], "places": [...], "organizations": [...]}`, each entry
  `{id, name, variants, documents, description, see, born, died, status, forms, numbers}`
  (`numbers`: the document numbers, in the order of `documents`);
- `abbreviations`: `[{id, abbr, expansion}]`; `appendix`: `[{id, title, text}]`;
- `illustrations`: the list of illustrations `[{n, document, file, caption, credit, agency, shown,
  problem}]`; `archives`: the archives and fonds cited `[{name, expansion, collections, documents}]`.

The keys named in `docs/architecture.md` ("Contracts other tools rely on") are always present.
Output is UTF-8 (`ensure_ascii=False`), indented by 2, and byte-identical across runs.

What it is not: a project format (the project folder is that), nor a reader of JSON back.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path
from typing import Any

from .. import markup
from ..compile import styles
from ..compile.edition import CompiledEdition
from ..model import ENTITY_KINDS, INDEX_KEYS, Document, SourceLegend
from ..report import Report
from .fragments import FragmentStore, context_hash


def _plain(text: str) -> str:
    """The plain text of a one-line markup field; a field that is not valid markup is returned as is."""
    if not text:
        return ""
    try:
        return markup.plain_text(text)
    except markup.MarkupError:
        return text


def _legend(legend: SourceLegend) -> dict[str, str]:
    out = {f.name: getattr(legend, f.name) for f in fields(SourceLegend)
           if f.name != "extra" and getattr(legend, f.name)}
    out.update({k: v for k, v in legend.extra})
    return out


def _blocks(text: str) -> list[markup.Block]:
    try:
        return markup.parse(text)
    except markup.MarkupError:
        return [markup.Block("p", [markup.Text(text)])]


def document_json(compiled: CompiledEdition, doc: Document, chapter: str, report: Report) -> dict[str, Any]:
    """One document as the contract describes it."""
    blocks = _blocks(doc.body)
    heading = _plain(compiled.heading(doc))
    source = _plain(doc.source)
    notes = [{"label": b.label, "text": markup.inline_text(b.inlines)}
             for b in markup.iter_blocks(blocks) if b.kind == "note"]
    found: list[dict[str, Any]] = []
    for where, nodes in (("heading", markup.mentions(_blocks(doc.heading)) if doc.heading else []),
                         ("body", markup.mentions(blocks)),
                         ("source", markup.mentions(_blocks(doc.source)) if doc.source else [])):
        for node in nodes:
            found.append({"kind": node.kind, "text": re.sub(r"\s+", " ", markup.inline_text(node.children)).strip(),
                          "ref": compiled.entry_for(node), "in": where})
    data: dict[str, Any] = {
        "id": doc.id,
        "n": doc.n,
        "heading": heading,
        "heading_composed": compiled.heading_is_composed(doc),
    }
    if doc.heading and doc.heading != heading:
        data["heading_markup"] = doc.heading
    data.update({
        "type": doc.type,
        "subtype": doc.subtype,
        "date": doc.date.to_json(),
        "dateline": doc.dateline,
        "place": doc.place,
        "authors": list(doc.authors),
        "addressees": list(doc.addressees),
        "language": doc.language,
        "chapter": chapter,
        "source": source,
    })
    if doc.source and doc.source != source:
        data["source_markup"] = doc.source
    data.update({
        "legend": _legend(doc.legend),
        "legend_text": " ".join(styles.legend_lines(doc.legend, compiled.style, compiled.tr)),
        "translation_of": doc.translation_of,
        "translator": doc.translator,
        "translations": [t.id for t in compiled.translations_of(doc)],
        "illustrations": [{"file": i.file, "caption": i.caption, "credit": i.credit, "agency": i.agency}
                          for i in doc.illustrations],
        "text": markup.plain_text(blocks),
        "notes": notes,
        "mentions": found,
    })
    return data


def edition_json(compiled: CompiledEdition, report: Report) -> dict[str, Any]:
    """The whole edition as one JSON-ready object."""
    data = _edition_parts(compiled)
    chapter_of = _chapter_of(compiled)
    data["documents"] = [document_json(compiled, d, chapter_of.get(d.id, d.chapter), report)
                         for d in compiled.documents]
    return data


def _chapter_of(compiled: CompiledEdition) -> dict[str, str]:
    return {d.id: ch.chapter.id for ch in compiled.chapters for d in ch.documents}


def _edition_parts(compiled: CompiledEdition) -> dict[str, Any]:
    """The edition's object with `documents` left empty (in its place among the keys)."""
    m = compiled.meta
    chapter_of: dict[str, str] = {}
    chapters = []
    for ch in compiled.chapters:
        chapters.append({"id": ch.chapter.id, "n": ch.chapter.n, "title": ch.chapter.title,
                         "documents": [d.id for d in ch.documents]})
        for d in ch.documents:
            chapter_of[d.id] = ch.chapter.id
    numbers = {d.id: d.n for d in compiled.documents}
    index: dict[str, list[dict[str, Any]]] = {}
    for kind in ENTITY_KINDS:
        entries = []
        for e in compiled.index[kind]:
            entry = e.to_json()
            entry["numbers"] = [numbers.get(x) for x in e.documents]
            entries.append(entry)
        index[INDEX_KEYS[kind]] = entries
    return {
        "edition": {
            "title": m.title, "subtitle": m.subtitle, "series": m.series, "volume": m.volume,
            "editors": [dict(e) for e in m.editors], "publisher": m.publisher, "place": m.place, "year": m.year,
            "identifier": m.identifier, "source": m.source, "license": m.license,
            "style": m.style, "languages": list(m.languages),
            "preface": _plain(m.preface) if m.preface else "",
        },
        "chapters": chapters,
        "documents": [],
        "index": index,
        "abbreviations": [{"id": a.id, "abbr": a.abbr, "expansion": a.expansion}
                          for a in compiled.edition.registers.abbreviations],
        "appendix": [{"id": a.id, "title": a.title, "text": markup.plain_text(_blocks(a.body))}
                     for a in compiled.edition.appendix],
        "illustrations": [{"n": e.n, "document": e.doc.id, "file": e.ill.file, "caption": e.ill.caption,
                           "credit": e.ill.credit, "agency": e.ill.agency, "shown": e.ok, "problem": e.problem}
                          for e in compiled.illustrations],
        "archives": [{"name": a.name, "expansion": a.expansion, "collections": a.collections,
                      "documents": a.documents} for a in compiled.archives],
    }


def to_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _dumps(value: Any, indent: str) -> str:
    """`value` as `to_text` prints it at a depth whose lines start with `indent`."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)


def write_json(compiled: CompiledEdition, path: Path, report: Report, store: FragmentStore | None = None) -> None:
    """Write `edition.json` (the build calls this), the same bytes as `to_text(edition_json(...))`.

    Documents are written one at a time (the whole text is never held); with a `store` (an incremental
    build) a document whose object cannot have changed is copied from the store."""
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = _edition_parts(compiled)
    chapter_of = _chapter_of(compiled)
    shared = context_hash(compiled.style.name, compiled.lang, sorted(compiled._unlinked.items())) if store else ""
    texts = _frame_texts(parts, store)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("{")
        for i, (name, value) in enumerate(parts.items()):
            fh.write(("," if i else "") + "\n  " + json.dumps(name, ensure_ascii=False) + ": ")
            if name != "documents" or not compiled.documents:
                fh.write(texts[name] if texts is not None else _dumps(value, "  "))
                continue
            fh.write("[")
            for k, d in enumerate(compiled.documents):
                chapter = chapter_of.get(d.id, d.chapter)
                fh.write(("," if k else "") + "\n    ")
                fh.write(_document_text(compiled, d, chapter, report, store, shared))
            fh.write("\n  ]")
        fh.write("\n}\n")


def _frame_texts(parts: dict[str, Any], store: FragmentStore | None) -> dict[str, str] | None:
    """The indented text of each part but the documents, from the store when the parts are unchanged
    (json's indenting encoder is pure Python; the compact one that checks the parts is not)."""
    if store is None:
        return None
    context = context_hash(json.dumps(parts, ensure_ascii=False))  # key order is written too: it counts
    record = store.get_fragment("json-frame", "frame")
    if record is not None and record["context"] == context:
        return dict(record["data"])
    texts = {name: _dumps(value, "  ") for name, value in parts.items() if name != "documents"}
    store.put_fragment("json-frame", "frame", {"context": context, "data": texts})
    return texts


def _document_text(compiled: CompiledEdition, doc: Document, chapter: str, report: Report,
                   store: FragmentStore | None, shared: str) -> str:
    """One document's object as `write_json` prints it (from the store when it is current there)."""
    key = store.doc_key(doc) if store is not None else None
    if store is None or key is None:
        return _dumps(document_json(compiled, doc, chapter, report), "    ")
    context = [shared, chapter, [t.id for t in compiled.translations_of(doc)], compiled.heading(doc)]
    record = store.get_fragment("json", key)
    if record is not None and record["context"] == context:
        return str(record["data"])
    text = _dumps(document_json(compiled, doc, chapter, report), "    ")
    store.put_fragment("json", key, {"context": context, "data": text})
    return text
