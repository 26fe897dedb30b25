"""`dossier analyze`: a profile of an existing dossier — structure, documents, dates, names, kind.

What it is for: reading a dossier someone else made (a project, a TEI edition, a text file, a folder
of files) and reporting what it holds: documents by type, the date span and a timeline, languages,
the most frequent persons, places and organisations, and what kind of compilation it is, with the
evidence (`dossier.analyze.kind`). Output: JSON (keys `kind`, `scores`, `evidence`, `describes`,
`date_span{from,to}`, `documents`, `persons`, `places`, `organizations`, `languages`, ...) and a
Markdown report.

What it is not: an importer (it uses the readers of `dossier.ingest` and writes nothing into a
project) or a recogniser (it calls `dossier.enrich.recognize`).
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import markup, project
from ..enrich.dates import iter_dates
from ..model import DateRange, Document
from ..report import DossierError, Report
from ..text_utils import detect_language
from .kind import ARCHIVAL, CORRESPONDENCE, Characterisation, Evidence, characterise


@dataclass
class Profile:
    source: str
    characterisation: Characterisation
    documents: list[Document]
    date_span: dict[str, str | None]
    timeline: dict[str, int]
    types: dict[str, int]
    languages: dict[str, int]
    persons: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    organizations: list[dict[str, Any]] = field(default_factory=list)
    structure: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        c = self.characterisation
        return {
            "source": self.source,
            "kind": c.kind,
            "scores": c.scores,
            "evidence": [e.to_json() for e in c.evidence],
            "describes": c.describes,
            "date_span": self.date_span,
            "timeline": self.timeline,
            "documents": {"count": len(self.documents), "by_type": self.types},
            "languages": self.languages,
            "persons": self.persons,
            "places": self.places,
            "organizations": self.organizations,
            "structure": self.structure,
            "problems": self.problems,
        }


def document_text(doc: Document) -> str:
    """What a reader of the document sees: number and heading, dateline, text, source note; a field
    the body already holds word for word (a heading read off a plain text) is not repeated, so line
    numbers of the evidence are those of the text."""
    body = markup.plain_text(doc.body)
    parts = []
    head = markup.plain_text(doc.heading) if doc.heading else ""
    if head and head not in body:
        parts.append(f"{doc.n}. {head}" if doc.n is not None else head)
    if doc.dateline and doc.dateline not in body:
        parts.append(doc.dateline)
    parts.append(body)
    source = markup.plain_text(doc.source) if doc.source else ""
    if source and source not in body:
        parts.append(source)
    return "\n\n".join(p for p in parts if p)


def _quietly(items: Iterable[Any], label: str, total: int | None = None) -> Iterator[Any]:
    return iter(items)


def scratch_project(path: Path, lang: str, work: Path, report: Report) -> Path:
    """A project to analyse, in `work`: a copy of the project at `path`, or an import of the files
    there. The user's files are never touched; the readers and `annotate` do the reading."""
    import shutil

    from ..enrich.annotate import annotate_project
    from ..ingest.importer import import_files

    target = work / "project"
    if path.is_dir() and (path / project.TOML).exists():
        shutil.copytree(path, target, ignore=shutil.ignore_patterns(".dossier", ".git"))
    else:
        import_files([path], target, lang, False, report, _quietly)
    annotate_project(target, report)
    return target


def load_documents(path: Path, lang: str, report: Report) -> tuple[list[Document], dict[str, Any]]:
    """Documents of a project, or of files read by the import readers (nothing is written)."""
    from ..ingest.registry import ImportOptions, choose, expand_inputs

    structure: dict[str, Any] = {}
    if path.is_dir() and (path / project.TOML).exists():
        edition = project.load_project(path, report)
        regs = edition.registers
        structure = {"persons_register": len(regs.persons), "places_register": len(regs.places),
                     "organizations_register": len(regs.organizations), "abbreviations": len(regs.abbreviations),
                     "appendix": len(edition.appendix), "chapters": len(edition.meta.chapters)}
        return edition.documents, structure
    docs: list[Document] = []
    persons = places = abbreviations = chapters = 0
    for f in expand_inputs([path]):
        try:
            result = choose(f).read(f, ImportOptions(lang=lang), report)
        except DossierError as exc:
            report.reject(f.name, exc.problem.file, exc.problem.message, exc.problem.line)
            continue
        docs.extend(result.documents)
        persons += len(result.registers.persons)
        places += len(result.registers.places)
        abbreviations += len(result.registers.abbreviations)
        chapters += len(result.metadata.chapters) if result.metadata else 0
    structure = {"persons_register": persons, "places_register": places, "abbreviations": abbreviations,
                 "chapters": chapters}
    return docs, structure


def _structure_evidence(docs: list[Document], structure: dict[str, Any]) -> list[Evidence]:
    """Signs of an edition's own apparatus that a reader made explicit (registers, numbering, legends)."""
    ev: list[Evidence] = []
    numbered = [d for d in docs if d.n is not None and not d.extra.get("_numbered_by_dossier")]
    if len(numbered) >= 2:
        ev.append(Evidence(ARCHIVAL, "numbered documents", f"{len(numbered)} numbered documents", 0, True))
    with_source = [d for d in docs if d.source or not d.legend.is_empty()]
    if len(with_source) >= 2:
        ev.append(Evidence(ARCHIVAL, "archival source note", f"{len(with_source)} documents with a source note", 0, True))
    letters = [d for d in docs if (d.type or "").lower() in ("letter", "письмо")]
    if len(letters) >= 2 and 2 * len(letters) >= len(docs):
        ev.append(Evidence(CORRESPONDENCE, "documents are letters", f"{len(letters)} of {len(docs)} documents are letters",
                           0, True))
    authors = collections.Counter(a for d in docs for a in d.authors[:1])
    if authors and len(docs) >= 3:
        who, n = authors.most_common(1)[0]
        if 5 * n >= 3 * len(docs):  # one writer's papers
            ev.append(Evidence(CORRESPONDENCE, "one correspondent", f"{n} of {len(docs)} documents by {who}", 0, True))
    if structure.get("persons_register"):
        ev.append(Evidence(ARCHIVAL, "index of names", f"list of {structure['persons_register']} names", 0, True))
    if structure.get("abbreviations"):
        ev.append(Evidence(ARCHIVAL, "abbreviations", f"{structure['abbreviations']} abbreviations", 0, True))
    if structure.get("appendix"):
        ev.append(Evidence(ARCHIVAL, "appendix", f"{structure['appendix']} appendix items", 0, True))
    return ev


# The apparatus sections the readers find outside the documents (`structure.left_out`) and the
# names `kind` gives their signs.
_APPARATUS_KINDS = {"toc": "table of contents", "list_of_documents": "list of documents",
                    "index_of_names": "index of names", "index_of_places": "index of places",
                    "abbreviations": "abbreviations", "appendix": "appendix", "preface": "archaeographic preface"}


def _apparatus_evidence(report: Report) -> list[Evidence]:
    """The apparatus of a whole dossier read from one file (a PDF's contents, list of documents,
    indices), which the import reports as text outside the documents rather than importing it."""
    ev: list[Evidence] = []
    seen: set[str] = set()
    for file, items in sorted((report.stats.get("left_out") or {}).items()):
        for item in items:
            for sec in item.get("sections", []):
                name = _APPARATUS_KINDS.get(sec.get("kind", ""))
                if name is None or name in seen:
                    continue
                seen.add(name)
                where = f", {item['pages']}" if item.get("pages") else ""
                ev.append(Evidence(ARCHIVAL, name, f"{sec.get('title') or name} ({file}{where})", 0, True))
    return ev


def _date_span(docs: list[Document], texts: list[str], langs: list[str]) -> tuple[dict[str, str | None], dict[str, int]]:
    """The span of the documents' own dates; for undated material, of the day dates in the text."""
    dated = [d.date for d in docs if not d.date.is_undated]
    timeline: collections.Counter[str] = collections.Counter()
    if dated:
        for d in dated:
            timeline[(d.start or "")[:7]] += 1
        return {"from": min(d.start for d in dated if d.start), "to": max(d.end for d in dated if d.end)}, dict(
            sorted(timeline.items()))
    found: list[DateRange] = []
    for text, lang in zip(texts, langs, strict=True):
        found.extend(m.date for m in iter_dates(text, lang or None))
    for precision in ("day", "month", "year"):
        best = [d for d in found if d.precision == precision and d.start and d.end]
        if best:
            for d in best:
                timeline[(d.start or "")[:7]] += 1
            return {"from": min(d.start for d in best if d.start), "to": max(d.end for d in best if d.end)}, dict(
                sorted(timeline.items()))
    return {"from": None, "to": None}, {}


# Repositories and their series: where a copy is kept (`a copy is in the Kennedy Library`), not a place.
_REPOSITORY = re.compile(r"\b(?:library|archives?|files|papers|collection|records|series|correspondence|"
                         r"библиотек\w*|архив\w*|фонд\w*)\b", re.IGNORECASE)
_LOCATIVE = re.compile(r"(?:\b(?:at|inside|outside|near)\s+(?:the\s+)?|\bin\s+the\s+|(?<!\w)(?:в|во|у|около)\s+)$",
                       re.IGNORECASE)


def _located_orgs(compiled: Any) -> collections.Counter[str]:
    """Organisations named as a location (`signed the book at the U.S. Embassy`), with how often."""
    found: collections.Counter[str] = collections.Counter()
    for d in compiled.documents:
        text = d.body
        if not text:
            continue
        blocks = markup.parse(text)
        for b in markup.iter_blocks(blocks):
            before = ""
            for node in b.inlines:
                if isinstance(node, markup.MentionNode) and node.kind == "org" and _LOCATIVE.search(before[-20:]):
                    ref = compiled.entry_for(node)
                    if ref:
                        found[ref] += 1
                before += markup.inline_text([node])
    return found


def _entities(compiled: Any, top: int) -> dict[str, list[dict[str, Any]]]:
    """The index entries of each kind, most often named first: name, documents, mentions, variants.
    Organisations named as a location at least half the times they are named are listed among the
    places as well (the embassy where the book of condolence lay; not the library an archival
    citation says holds a copy)."""
    counts: collections.Counter[str] = collections.Counter()
    for d in compiled.documents:
        for field_text in (d.heading, d.body, d.source):
            if field_text:
                for node in markup.mentions(field_text):
                    ref = compiled.entry_for(node)
                    if ref:
                        counts[ref] += 1
    by_id = {e.id: e for e in compiled.index.get("org", [])}
    located = {ref for ref, n in _located_orgs(compiled).items()
               if 2 * n >= counts.get(ref, 0) and ref in by_id and not _REPOSITORY.search(by_id[ref].name)}
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, entries in compiled.index.items():
        pool = list(entries) + ([e for e in compiled.index["org"] if e.id in located] if kind == "place" else [])
        rows = [{"id": e.id, "name": e.name, "documents": len(e.documents), "mentions": counts.get(e.id, 0),
                 "variants": [v for v in e.variants if v != e.name][:6], "description": e.description}
                for e in pool if e.documents and e.status != "rejected" and not e.see]
        rows.sort(key=lambda r: (-r["documents"], -r["mentions"], r["name"]))
        out[kind] = rows[:top]
    return out


def _problems(report: Report, scratch: Path, source: Path) -> list[str]:
    """The run's problems once each, naming the user's files rather than the scratch copy. The checks
    of an editor's own legends (`legend: ... no fond`) are left out: they judge the edition's
    apparatus against dossier's rules, which says nothing of what the dossier holds."""
    seen: list[str] = []
    for p in report.problems:
        if p.message.startswith("legend: "):
            continue
        text = str(p).replace(str(scratch / "documents"), str(source)).replace(str(scratch), str(source))
        if text not in seen:
            seen.append(text)
    return seen


def analyze_path(path: Path, lang: str = "", top: int = 15) -> tuple[Profile, Report]:
    """Profile a dossier: a project folder, a file, or a folder of files (none of them is changed)."""
    import tempfile

    from ..compile.edition import compile_edition

    if not path.exists():
        raise DossierError(str(path), "no such file or folder")
    report = Report()
    with tempfile.TemporaryDirectory(prefix="dossier-analyze-") as tmp:
        root = scratch_project(path, lang, Path(tmp), report)  # deleted after; problems are renamed
        edition = project.load_project(root, report)
        compiled = compile_edition(edition, report)
    docs = compiled.documents
    if not docs:
        raise DossierError(str(path), "no document could be read (see the problems above)")
    regs = edition.registers
    structure = {"persons_register": sum(1 for e in regs.persons if e.status == "accepted"),
                 "abbreviations": len(regs.abbreviations), "appendix": len(edition.appendix),
                 "chapters": len(edition.meta.chapters)}
    texts = [document_text(d) for d in docs]
    langs = [d.language or (lang if lang in ("ru", "en") else "") or detect_language(t) for d, t in zip(docs, texts, strict=True)]
    whole = "\n\n".join(texts)
    extra = _structure_evidence(docs, structure) + _apparatus_evidence(report)
    charac = characterise_with(whole, extra) if extra else characterise(whole, len(docs))
    span, timeline = _date_span(docs, texts, langs)
    types = collections.Counter(d.type or "untyped" for d in docs)
    language_counts = collections.Counter(lng or "unknown" for lng in langs)
    entities = _entities(compiled, top)
    profile = Profile(
        source=str(path), characterisation=charac, documents=docs, date_span=span, timeline=timeline,
        types=dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
        languages=dict(sorted(language_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        persons=entities["person"], places=entities["place"], organizations=entities["org"],
        structure=structure, problems=_problems(report, root, path),
    )
    return profile, report


def characterise_with(text: str, extra: list[Evidence]) -> Characterisation:
    """Characterise a text with additional structural evidence found by the readers."""
    from . import kind as kind_mod

    evidence = kind_mod.gather(text) + extra
    own = kind_mod._score(evidence, "own")
    best = max(kind_mod.KINDS, key=lambda k: (own[k], -kind_mod.KINDS.index(k)))
    return Characterisation(best if own[best] else "unknown", own, evidence, None)


def to_markdown(p: Profile) -> str:
    c = p.characterisation
    lines = [f"# Analysis of {Path(p.source).name}", ""]
    score = c.scores.get(c.kind, 0.0)
    lines.append(f"**Kind:** {c.kind} ({score:.2f})")
    own = [e for e in c.evidence if e.kind == c.kind and not e.negated]
    if own:
        lines.append("")
        lines.append("Evidence: " + "; ".join(f"{e.sign} ({e.text})" for e in own[:8]))
    if c.describes:
        lines += ["", f"**Describes:** a {c.describes['kind']} — "
                  + "; ".join(f"{e['sign']} (“{e['text']}”)" for e in c.describes["evidence"][:8])]  # type: ignore[index]
    lines += ["", "Scores: " + ", ".join(f"{k} {v:.2f}" for k, v in c.scores.items())]
    span = p.date_span
    lines += ["", f"**Span:** {span['from'] or '?'} – {span['to'] or '?'}",
              f"**Documents:** {len(p.documents)} (" + ", ".join(f"{v} {k}" for k, v in p.types.items()) + ")",
              "**Languages:** " + ", ".join(f"{k} ({v})" for k, v in p.languages.items())]
    for title, items in (("Persons", p.persons), ("Places", p.places), ("Organisations", p.organizations)):
        if items:
            lines += ["", f"## {title}", ""]
            lines += [f"- {i['name']} — {i['mentions']} mentions in {i['documents']} documents"
                      + (f" (also: {', '.join(i['variants'][:4])})" if i.get("variants") else "") for i in items]
    if p.timeline:
        lines += ["", "## Timeline", ""] + [f"- {k}: {v}" for k, v in p.timeline.items()]
    if p.problems:
        lines += ["", "## Problems", ""] + [f"- {x}" for x in p.problems]
    return "\n".join(lines) + "\n"


def to_html(p: Profile) -> str:
    """The analysis as a page that opens from disk (template `analyze/templates/analysis.html`)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
                      autoescape=select_autoescape(["html"]), keep_trailing_newline=True)
    return env.get_template("analysis.html").render(name=Path(p.source).name, p=p.to_json())


def write_reports(p: Profile, out_dir: Path, stem: str) -> list[Path]:
    """`stem.analysis.md`, `.json` and `.html` in `out_dir`."""
    import json

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"{stem}.analysis.{ext}" for ext in ("md", "json", "html")]
    paths[0].write_text(to_markdown(p), encoding="utf-8")
    paths[1].write_text(json.dumps(p.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    paths[2].write_text(to_html(p), encoding="utf-8")
    return paths
