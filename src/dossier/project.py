"""A dossier project on disk: create it, read it into an `Edition`, write documents and registers back.

The folder a person edits and keeps in git:

    dossier.toml                 title page, style, languages, chapters in order
    documents/ID.md              one document: YAML front matter between '---' lines, then its body
    registers/persons.yaml       curated persons (also places.yaml, organizations.yaml)
    registers/abbreviations.yaml abbreviations and terms
    images/                      photographs and facsimiles the documents name
    appendix/*.md                appendix pieces (front matter: title)

The document id is the file stem. What it is not: the place for rules about an edition's integrity
(that is `dossier.check`) or for formatting (the renderers). Problems in single files go to the
`Report` and the file is skipped; only an unreadable `dossier.toml` stops the load.
"""

from __future__ import annotations

import datetime as _dt
import sys
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

import tomli_w
import yaml

from . import markup
from .model import (
    ENTITY_KINDS,
    REGISTER_FILES,
    Abbreviation,
    AppendixItem,
    Chapter,
    DateRange,
    Document,
    Edition,
    EntityKind,
    Illustration,
    Metadata,
    ModelError,
    RegisterEntry,
    Registers,
    SourceLegend,
)
from .report import DossierError, Report
from .spill import TextSpill

TOML = "dossier.toml"
DOC_DIR = "documents"
REG_DIR = "registers"
FRONT = "---"

# Front matter keys in the order they are written; anything else is kept in Document.extra.
_DOC_KEYS = ("n", "type", "heading", "date", "dateline", "place", "authors", "addressees", "language",
             "chapter", "subtype", "translation_of", "translator", "source", "legend", "illustrations")
_ENTRY_KEYS = ("id", "name", "status", "see", "description", "born", "died", "variants", "evidence")

PROJECT_README = """# {title}

A dossier project. Edit these files with any text editor and keep them in git:

- `dossier.toml`: title page, style (`frus` or `soviet`), languages, chapters in order.
- `documents/`: one Markdown file per document, YAML front matter first (see the dossier docs,
  `docs/project-format.md`).
- `registers/`: persons, places, organisations and abbreviations, as YAML.
- `images/`: photographs and facsimiles; `appendix/`: appendix pieces.

Build the edition with `dossier build . --out dist`; check it with `dossier check .`.
"""


# --- YAML helpers ---------------------------------------------------------------------------------


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: ~10x faster


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe YAML that leaves dates as text: `1963-11-31` must reach the model's check, not crash here."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


class _Dumper(yaml.SafeDumper):
    """Block style, unicode, long lines kept whole, multi-line strings as literal blocks."""


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100000,
                     default_flow_style=False)


def _key_lines(text: str) -> dict[str, int]:
    """Line (1-based, within `text`) of each top-level key of a YAML mapping, for messages."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _yaml_error(file: str, exc: yaml.YAMLError, offset: int = 0) -> DossierError:
    mark = getattr(exc, "problem_mark", None)
    line = (mark.line + 1 + offset) if mark is not None else 0
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return DossierError(file, f"YAML syntax error: {problem}", line)


def _iso(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


# --- creating ---------------------------------------------------------------------------------------


def new_project(root: Path, title: str, style: str = "frus", languages: list[str] | None = None) -> None:
    """Create an empty project folder. Refuses to touch a folder that already holds a project."""
    if (root / TOML).exists():
        raise DossierError(str(root / TOML), "a dossier project already exists here; nothing was changed")
    root.mkdir(parents=True, exist_ok=True)
    for sub in (DOC_DIR, REG_DIR, "images", "appendix"):
        (root / sub).mkdir(exist_ok=True)
    meta = Metadata(title=title, style=style, languages=languages or ["en"])
    write_metadata(root, meta)
    write_registers(root, Registers())
    (root / "README.md").write_text(PROJECT_README.format(title=title), encoding="utf-8")


# --- metadata -------------------------------------------------------------------------------------


def metadata_to_toml(meta: Metadata) -> dict[str, Any]:
    data: dict[str, Any] = {"title": meta.title}
    for key in ("subtitle", "series", "volume", "publisher", "place", "year", "identifier"):
        if getattr(meta, key):
            data[key] = getattr(meta, key)
    data["style"] = meta.style
    data["languages"] = list(meta.languages)
    for key in ("source", "license", "preface"):
        if getattr(meta, key):
            data[key] = getattr(meta, key)
    if meta.editors:
        data["editors"] = [dict(e) for e in meta.editors]
    if meta.chapters:
        data["chapters"] = [{"id": c.id, "title": c.title} for c in meta.chapters]
    data.update(meta.extra)
    return data


def write_metadata(root: Path, meta: Metadata) -> None:
    (root / TOML).write_text(tomli_w.dumps(metadata_to_toml(meta), multiline_strings=True), encoding="utf-8")


def read_metadata(root: Path) -> Metadata:
    path = root / TOML
    if not path.exists():
        raise DossierError(str(path), "not a dossier project (no dossier.toml); create one with 'dossier new'")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DossierError(str(path), f"TOML syntax error: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise DossierError(str(path), "not UTF-8 text") from exc
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        raise DossierError(str(path), "needs a title (title = \"...\")")
    known = {f.name for f in fields(Metadata)}
    chapters = []
    for i, c in enumerate(data.get("chapters", []) or []):
        if not isinstance(c, dict) or "id" not in c:
            raise DossierError(str(path), f"chapter {i + 1} needs an id and a title")
        chapters.append(Chapter(id=str(c["id"]), title=str(c.get("title", c["id"])), n=i + 1))
    languages = data.get("languages", ["en"])
    if isinstance(languages, str):
        languages = [languages]
    return Metadata(
        title=data["title"],
        **{k: str(data[k]) for k in ("subtitle", "series", "volume", "publisher", "place", "year", "identifier",
                                     "style", "source", "license", "preface") if k in data},
        editors=[{str(k): str(v) for k, v in e.items()} for e in data.get("editors", []) if isinstance(e, dict)],
        languages=[str(x) for x in languages],
        chapters=chapters,
        extra={k: v for k, v in data.items() if k not in known},
    )


# --- documents ------------------------------------------------------------------------------------


def split_front_matter(text: str, file: str) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, line where the body starts). Raises DossierError naming the line."""
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT:
        raise DossierError(file, "a document file starts with a '---' line and YAML front matter", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT)
    except StopIteration:
        raise DossierError(file, "front matter is never closed with a '---' line", 1) from None
    raw = "\n".join(lines[1:end])
    try:
        data = load_yaml(raw) or {}
    except yaml.YAMLError as exc:
        raise _yaml_error(file, exc, offset=1) from exc
    if not isinstance(data, dict):
        raise DossierError(file, "front matter must be a YAML mapping (key: value lines)", 2)
    body = "\n".join(lines[end + 1:])
    if body.startswith("\n"):
        body = body[1:]
        return data, body, end + 3
    return data, body, end + 2


def document_from_front(data: dict[str, Any], body: str, doc_id: str, file: str, key_lines: dict[str, int]) -> Document:
    """Build a Document from parsed front matter; ModelError is re-raised as DossierError with the line."""
    def line_of(field_name: str) -> int:
        key = field_name.split(".")[0]
        return key_lines[key] + 1 if key in key_lines else 0

    try:
        date_data = data.get("date") or {}
        if isinstance(date_data, (str, _dt.date)):
            raise ModelError("date", "write the date as from/to/precision/text (see docs/project-format.md)")
        start, end = _iso(date_data.get("from")), _iso(date_data.get("to"))
        date = DateRange(start=start, end=end or start if start else end,
                         precision=date_data.get("precision") or ("day" if start else "undated"),
                         text=str(date_data.get("text") or ""), inferred=bool(date_data.get("inferred", False)))
        n = data.get("n")
        if n is not None and not isinstance(n, int):
            raise ModelError("n", f"{n!r} is not a whole number")
        legend_data = data.get("legend") or {}
        if not isinstance(legend_data, dict):
            raise ModelError("legend", "write the legend as keys (archive, fond, opis, delo, list, ...)")
        legend_fields = {f.name for f in fields(SourceLegend)} - {"extra"}
        legend = SourceLegend(
            **{k: str(v) for k, v in legend_data.items() if k in legend_fields},
            extra=tuple((str(k), str(v)) for k, v in legend_data.items() if k not in legend_fields),
        )
        ills = []
        for ill in data.get("illustrations") or []:
            if not isinstance(ill, dict) or "file" not in ill:
                raise ModelError("illustrations", "each illustration needs a file")
            ills.append(Illustration(file=str(ill["file"]), caption=str(ill.get("caption", "")),
                                     credit=str(ill.get("credit", "")), agency=str(ill.get("agency", ""))))

        def names(key: str) -> list[str]:
            value = data.get(key) or []
            if isinstance(value, str):
                return [sys.intern(value)]
            return [sys.intern(str(v.get("name", "")) if isinstance(v, dict) else str(v)) for v in value]

        def common(key: str) -> str:
            """A field many documents share (type, place, chapter, ...): one string for all of them, so
            a build's documents cost memory for what is their own."""
            return sys.intern(str(data.get(key) or ""))

        return Document(
            id=doc_id, body=body, n=n, heading=str(data.get("heading") or ""), type=common("type"),
            date=date, dateline=str(data.get("dateline") or ""), place=common("place"),
            authors=names("authors"), addressees=names("addressees"), language=common("language"),
            chapter=common("chapter"), source=str(data.get("source") or ""), legend=legend,
            subtype=common("subtype"), translation_of=str(data.get("translation_of") or ""),
            translator=common("translator"), illustrations=ills,
            extra={k: v for k, v in data.items() if k not in _DOC_KEYS},
            path=file,
        )
    except ModelError as exc:
        raise DossierError(file, str(exc), line_of(exc.field)) from exc


def read_document(path: Path) -> Document:
    """One document file. Raises DossierError (file and line) when it cannot be read."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DossierError(file, f"not UTF-8 text (byte {exc.start}); re-import it with 'dossier import'") from exc
    data, body, body_line = split_front_matter(text, file)
    lines = text.lstrip("\ufeff").split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT)
    key_lines = _key_lines("\n".join(lines[1:end]))
    doc = document_from_front(data, body, path.stem, file, key_lines)
    try:
        markup.parse(body)
    except markup.MarkupError as exc:
        raise DossierError(file, exc.message, body_line + exc.line - 1) from exc
    doc.extra["_body_line"] = body_line
    return doc


def document_front(doc: Document) -> dict[str, Any]:
    """The front matter a document is written with (empty fields left out, fixed key order)."""
    data: dict[str, Any] = {}
    if doc.n is not None:
        data["n"] = doc.n
    for key in ("type", "heading"):
        if getattr(doc, key):
            data[key] = getattr(doc, key)
    d = doc.date
    date: dict[str, Any] = {"from": d.start, "to": d.end, "precision": d.precision}
    if d.text:
        date["text"] = d.text
    if d.inferred:
        date["inferred"] = True
    data["date"] = date
    for key in ("dateline", "place"):
        if getattr(doc, key):
            data[key] = getattr(doc, key)
    for key in ("authors", "addressees"):
        if getattr(doc, key):
            data[key] = list(getattr(doc, key))
    for key in ("language", "chapter", "subtype", "translation_of", "translator", "source"):
        if getattr(doc, key):
            data[key] = getattr(doc, key)
    if not doc.legend.is_empty():
        legend = {f.name: getattr(doc.legend, f.name) for f in fields(SourceLegend)
                  if f.name != "extra" and getattr(doc.legend, f.name)}
        legend.update(dict(doc.legend.extra))
        data["legend"] = legend
    if doc.illustrations:
        data["illustrations"] = [{k: v for k, v in (("file", i.file), ("caption", i.caption), ("credit", i.credit),
                                                    ("agency", i.agency)) if v} for i in doc.illustrations]
    for key, value in doc.extra.items():
        if not key.startswith("_"):
            data[key] = value
    return data


def format_document(doc: Document) -> str:
    body = doc.body if doc.body.endswith("\n") or not doc.body else doc.body + "\n"
    return f"{FRONT}\n{dump_yaml(document_front(doc))}{FRONT}\n\n{body}"


def write_document(root: Path, doc: Document) -> Path:
    path = root / DOC_DIR / f"{doc.id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_document(doc), encoding="utf-8")
    return path


# --- registers --------------------------------------------------------------------------------------


def _seq_item_lines(text: str) -> list[int]:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


def _scalar(item: dict[str, Any], key: str) -> str:
    """A text field of a register entry: a string or a number; a list or mapping is an error."""
    value = item.get(key)
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        raise ModelError(key, "write one value here, not a list or mapping")
    return str(value)


def _strings(item: dict[str, Any], key: str) -> list[str]:
    """A list field of a register entry: a YAML list, or a single value meaning a list of one."""
    value = item.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        raise ModelError(key, "write a list ('- form' lines or [a, b]), not a mapping")
    if not isinstance(value, list):
        return [str(value)]
    if any(isinstance(v, (list, dict)) for v in value):
        raise ModelError(key, "each item is one text, not a list or mapping")
    return [str(v) for v in value]


def read_register(path: Path, kind: EntityKind, report: Report) -> list[RegisterEntry]:
    """Entries of one register file; a bad entry is reported (file, line) and left out."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    try:
        data = load_yaml(text) or []
    except yaml.YAMLError as exc:
        err = _yaml_error(str(path), exc)
        report.problems.append(err.problem)
        return []
    if not isinstance(data, list):
        report.error(str(path), "a register is a YAML list of entries ('- id: ...')", 1)
        return []
    lines = _seq_item_lines(text)
    entries: list[RegisterEntry] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        line = lines[i] if i < len(lines) else 0
        if not isinstance(item, dict):
            report.error(str(path), "an entry is a mapping with id and name", line)
            continue
        try:
            entry = RegisterEntry(
                id=_scalar(item, "id"), kind=kind, name=_scalar(item, "name"),
                variants=_strings(item, "variants"),
                description=_scalar(item, "description"), born=_scalar(item, "born"),
                died=_scalar(item, "died"), status=_scalar(item, "status") or "accepted",  # type: ignore[arg-type]
                see=_scalar(item, "see"), evidence=_strings(item, "evidence"),
                extra={k: v for k, v in item.items() if k not in _ENTRY_KEYS}, line=line,
            )
        except ModelError as exc:
            report.error(str(path), str(exc), line)
            continue
        if entry.id in seen:
            report.error(str(path), f"id {entry.id!r} is used twice (see line {seen[entry.id]})", line)
            continue
        seen[entry.id] = line
        entries.append(entry)
    return entries


def read_abbreviations(path: Path, report: Report) -> list[Abbreviation]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    try:
        data = load_yaml(text) or []
    except yaml.YAMLError as exc:
        report.problems.append(_yaml_error(str(path), exc).problem)
        return []
    if not isinstance(data, list):
        report.error(str(path), "abbreviations are a YAML list ('- abbr: ...')", 1)
        return []
    lines = _seq_item_lines(text)
    out = []
    for i, item in enumerate(data):
        line = lines[i] if i < len(lines) else 0
        if not isinstance(item, dict) or not item.get("abbr"):
            report.error(str(path), "an abbreviation needs abbr and expansion", line)
            continue
        out.append(Abbreviation(id=str(item.get("id") or item["abbr"]), abbr=str(item["abbr"]),
                                expansion=str(item.get("expansion") or ""), line=line))
    return out


def entry_to_yaml(entry: RegisterEntry) -> dict[str, Any]:
    data: dict[str, Any] = {"id": entry.id, "name": entry.name}
    if entry.status != "accepted":
        data["status"] = entry.status
    for key in ("see", "description", "born", "died"):
        if getattr(entry, key):
            data[key] = getattr(entry, key)
    if entry.variants:
        data["variants"] = list(entry.variants)
    if entry.evidence:
        data["evidence"] = list(entry.evidence)
    data.update(entry.extra)
    return data


REGISTER_HEADERS: dict[str, str] = {
    "person": "# Register of persons: one entry per person (id, name as filed in the index, description,\n"
              "# variants). status: accepted | proposed | rejected. Edit freely; dossier keeps your decisions.\n",
    "place": "# Register of places: id, name as filed in the index of places, variants.\n",
    "org": "# Register of organisations: id, name as filed, variants.\n",
}


def write_registers(root: Path, registers: Registers) -> None:
    reg = root / REG_DIR
    reg.mkdir(parents=True, exist_ok=True)
    for kind in ENTITY_KINDS:
        entries = [entry_to_yaml(e) for e in registers.of_kind(kind)]
        (reg / REGISTER_FILES[kind]).write_text(REGISTER_HEADERS[kind] + (dump_yaml(entries) if entries else "[]\n"),
                                                encoding="utf-8")
    abbrs = [{"id": a.id, "abbr": a.abbr, "expansion": a.expansion} for a in registers.abbreviations]
    (reg / "abbreviations.yaml").write_text("# Abbreviations and terms: abbr, expansion.\n"
                                            + (dump_yaml(abbrs) if abbrs else "[]\n"), encoding="utf-8")


def read_registers(root: Path, report: Report) -> Registers:
    reg = root / REG_DIR
    return Registers(
        persons=read_register(reg / REGISTER_FILES["person"], "person", report),
        places=read_register(reg / REGISTER_FILES["place"], "place", report),
        organizations=read_register(reg / REGISTER_FILES["org"], "org", report),
        abbreviations=read_abbreviations(reg / "abbreviations.yaml", report),
    )


# --- appendix and the whole project ---------------------------------------------------------------


def read_appendix(root: Path, report: Report) -> list[AppendixItem]:
    items = []
    for path in sorted((root / "appendix").glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
            if text.lstrip("\ufeff").startswith(FRONT):
                data, body, _ = split_front_matter(text, str(path))
            else:
                data, body = {}, text
            markup.parse(body)
        except (DossierError, UnicodeDecodeError, markup.MarkupError) as exc:
            report.error(str(path), str(exc))
            continue
        items.append(AppendixItem(id=path.stem, title=str(data.get("title") or path.stem), body=body, path=str(path)))
    return items


def document_files(root: Path) -> list[Path]:
    return sorted((root / DOC_DIR).glob("*.md"))


def load_project(root: Path, report: Report, spill: TextSpill | None = None) -> Edition:
    """Read a whole project. Unreadable documents are rejected into the report; the rest load.

    With a `spill` (a build), each document's long texts are kept there as soon as it is read
    (`Document.spill`), so the loaded edition holds the documents' records, not their texts."""
    meta = read_metadata(root)
    docs: list[Document] = []
    for path in document_files(root):
        report.inputs.append(path.stem)
        try:
            doc = read_document(path)
        except DossierError as exc:
            p = exc.problem
            report.reject(path.stem, p.file, p.message, p.line)
            continue
        if spill is not None:
            doc.spill(spill.put)
        docs.append(doc)
    return Edition(meta=meta, documents=docs, registers=read_registers(root, report),
                   appendix=read_appendix(root, report), root=str(root))
