"""`dossier check`: the integrity rules of an edition, in the spirit of the FRUS Schematron (`frus.sch`).

What it is for: one pass over a project folder that finds what an editor must fix before the edition is
built, each finding naming the file and line and saying what is wrong in one line:

* every file reads: impossible dates (`1963-11-31`), broken front matter or marks, bad register
  entries and ids used twice — as `project.load_project` reports them;
* numbering: document numbers unique and consecutive (a gap or a duplicate is an error at the line of
  `n`); a document without a number among numbered ones is a warning;
* dates agree with the dateline: a four-digit year printed in the dateline must lie within the
  date's from..to years, and a full date read from the dateline must overlap from..to;
* every reference resolves: each `[..]{person=ID}` / `place` / `org` mark (in the body, the heading
  and the dateline) to an entry of that register, each `{term=ID}` to an abbreviation, each
  `translation_of` to a document, each `see:` of a register entry to an entry (and no `see:` cycles),
  each chapter a document names to a chapter of `dossier.toml`, each illustration to a file in
  `images/` that is an image by its first bytes (PNG, JPEG, GIF, WebP, SVG);
* translations: `translation_of` names an original that is not itself a translation; translations
  share their original's number, so they are left out of the numbering rules;
* legends: a structured legend can be cited (Russian: archive, fond, delo; US: a repository for a
  record group, lot file, box or folder), as `dossier.compile.styles.legend_problems` says;
* the style of `dossier.toml` exists;
* notes: every `[^n]` reference has a `[^n]:` definition in its document, and every definition is
  referenced (defined twice is an error too);
* the rules for notes and marks are `dossier.compile.rules`, which the build applies too: the same
  problem has the same code, severity and line in both. A register file that cannot be read is its
  own error; the marks pointing into it are not checked but counted in one warning;
* registers: the same name proposed twice in one register (a warning: merge or reject one).

Findings come back sorted by file and line; errors make `dossier check` exit non-zero.

What it is not: a fixer (it changes nothing), a style checker (headings' wording is the style's job),
or a judge of the history (whether an identification is right is the editor's call).
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

from . import markup, project
from .compile import rules, styles
from .compile.edition import image_kind
from .compile.rules import FrontLines as _FrontLines
from .compile.rules import compose_lines as _compose
from .model import ENTITY_KINDS, REGISTER_FILES, Document, Edition, EntityKind, RegisterEntry
from .report import Problem, Report

_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")
_TIME = re.compile(r"\b\d{1,2}(?::\d{2})?\s*[ap]\.\s?m\.|\b\d{1,2}:\d{2}\b|\bnoon\b|\bmidnight\b|\b\d{1,2}\s*ч\.",
                   re.IGNORECASE)


def _shift(day: str, days: int) -> str:
    return (_dt.date.fromisoformat(day) + _dt.timedelta(days=days)).isoformat()


# --- the rules --------------------------------------------------------------------------------------


class _Checker:
    def __init__(self, root: Path, edition: Edition) -> None:
        self.root = root
        self.edition = edition
        self.findings: list[Problem] = []
        self.registers = edition.registers
        self.targets = rules.Targets.of(self.registers, root)
        self.fronts: dict[str, _FrontLines] = {}
        self.translation_of = {d.id: d.translation_of for d in edition.documents if d.translation_of}

    def error(self, file: str, message: str, line: int = 0, code: str = "") -> None:
        self.findings.append(Problem("error", file, message, line, code))

    def warn(self, file: str, message: str, line: int = 0, code: str = "") -> None:
        self.findings.append(Problem("warning", file, message, line, code))

    def front(self, doc: Document) -> _FrontLines:
        if doc.path not in self.fronts:
            self.fronts[doc.path] = _FrontLines(Path(doc.path))
        return self.fronts[doc.path]

    # numbering

    def numbering(self) -> None:
        ids = {d.id for d in self.edition.documents}
        # a translation shares its original's number: not part of the numbering
        docs = [d for d in self.edition.documents if not (d.translation_of and d.translation_of in ids)]
        numbered = sorted((d for d in docs if d.n is not None), key=lambda d: (d.n, d.path))
        first: dict[int, Document] = {}
        for d in numbered:
            assert d.n is not None
            if d.n in first:
                self.error(d.path, f"number {d.n} is also the number of {first[d.n].path}",
                           self.front(d).line("n"), "number-duplicate")
            else:
                first[d.n] = d
        ns = sorted(first)
        for a, b in zip(ns, ns[1:], strict=False):
            if b > a + 1:
                missing = f"{a + 1}" if b == a + 2 else f"{a + 1}–{b - 1}"
                self.error(first[b].path, f"number {b} follows {a}: {missing} missing from the numbering",
                           self.front(first[b]).line("n"), "number-gap")
        if numbered:
            for d in docs:
                if d.n is None:
                    self.warn(d.path, "has no number (n) while other documents have one", 1, "number-missing")

    # dates

    def dates(self, doc: Document) -> None:
        if not doc.dateline:
            return
        try:
            printed = markup.plain_text(doc.dateline)
        except markup.MarkupError:
            return  # reported by references()
        line = self.front(doc).line("dateline")
        years = sorted({int(y) for y in _YEAR.findall(printed)})
        if doc.date.is_undated:
            if years:
                self.warn(doc.path, f"dateline {printed!r} names {years[0]} but the document is undated", line,
                          "dateline-undated")
            return
        assert doc.date.start is not None and doc.date.end is not None
        lo, hi = int(doc.date.start[:4]), int(doc.date.end[:4])
        wrong = [y for y in years if not lo <= y <= hi]
        span = doc.date.start if doc.date.start == doc.date.end else f"{doc.date.start}..{doc.date.end}"
        if wrong:
            self.error(doc.path, f"dateline {printed!r} names {wrong[0]}, but the date is {span}", line,
                       "dateline-year")
            return
        read = _date_in(printed, doc.language)
        start, end = doc.date.start, doc.date.end
        if _TIME.search(printed):
            # a time of day: the date may be given in another time zone (FRUS dates telegrams in Washington
            # time), so a day either side is no contradiction
            start, end = _shift(start, -1), _shift(end, 1)
        if read is not None and read.start and read.end and (read.end < start or read.start > end):
            shown = read.start if read.start == read.end else f"{read.start}..{read.end}"
            self.error(doc.path, f"dateline {printed!r} reads {shown}, but the date is {span}", line,
                       "dateline-date")

    # references and notes

    def references(self, doc: Document) -> None:
        self.findings.extend(rules.document_problems(doc, self.targets, self.front(doc)))

    # chapters, translations, illustrations

    def links(self, doc: Document, doc_ids: set[str], chapters: set[str]) -> None:
        front = self.front(doc)
        if doc.chapter and doc.chapter not in chapters:
            self.error(doc.path, f"chapter {doc.chapter!r} is not listed in dossier.toml "
                       "(add it to chapters there)", front.line("chapter"), "chapter-unknown")
        if doc.translation_of and doc.translation_of not in doc_ids:
            self.error(doc.path, f"translation_of {doc.translation_of!r}: no such document",
                       front.line("translation_of"), "translation-unresolved")
        elif doc.translation_of == doc.id:
            self.error(doc.path, "translation_of names the document itself", front.line("translation_of"),
                       "translation-unresolved")
        elif doc.translation_of and self.translation_of.get(doc.translation_of, "") in doc_ids:
            self.error(doc.path, f"translation_of {doc.translation_of!r} is itself a translation; name its "
                       f"original ({self.translation_of[doc.translation_of]!r})", front.line("translation_of"),
                       "translation-chain")
        for key, message in styles.legend_problems(doc.legend):
            self.error(doc.path, f"legend: {message}", front.line("legend", key) or front.line("legend"),
                       "legend-incomplete")
        images = (self.root / "images").resolve()
        for i, ill in enumerate(doc.illustrations):
            target = (images / ill.file).resolve()
            line = front.line("illustrations", i, "file")
            if images not in target.parents:
                self.error(doc.path, f"illustration {ill.file!r} lies outside images/", line, "image-outside")
            elif not target.is_file():
                self.error(doc.path, f"illustration {ill.file!r} is not in images/", line, "image-missing")
            elif not image_kind(target):
                self.error(doc.path, f"illustration {ill.file!r} is not an image (PNG, JPEG, GIF, WebP or SVG "
                           "expected by its first bytes)", line, "image-not-image")

    # registers

    def register_file(self, kind: EntityKind) -> None:
        path = self.root / project.REG_DIR / REGISTER_FILES[kind]
        entries = self.registers.of_kind(kind)
        if not entries:
            return
        file = str(path)
        try:
            items = _compose(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            items = None
        item_keys: dict[int, dict[str, Any]] = {}
        if isinstance(items, list):
            item_keys = {line: keys for line, keys in items if isinstance(keys, dict)}

        def key_line(entry: RegisterEntry, key: str) -> int:
            keys = item_keys.get(entry.line, {})
            return keys[key][0] if key in keys else entry.line

        all_ids = {e.id: e for k in ENTITY_KINDS for e in self.registers.of_kind(k)}
        seen: dict[str, RegisterEntry] = {}
        for entry in entries:
            if entry.status != "rejected":
                name_key = _name_key(entry.name)
                if name_key in seen:
                    other = seen[name_key]
                    verb = "proposed" if "proposed" in (entry.status, other.status) else "entered"
                    self.warn(file, f"{entry.name!r} {verb} twice (see line {key_line(other, 'name')})",
                              key_line(entry, "name"), "name-twice")
                else:
                    seen[name_key] = entry
            if entry.see:
                line = key_line(entry, "see")
                if entry.see == entry.id:
                    self.error(file, f"{entry.id}: see {entry.see!r} points to itself", line, "see-self")
                elif entry.see not in all_ids:
                    self.error(file, f"{entry.id}: see {entry.see!r} points to no entry", line, "see-unresolved")
                else:
                    chain, cur = [entry.id], all_ids[entry.see]
                    while cur.see and cur.see in all_ids and cur.id not in chain:
                        chain.append(cur.id)
                        cur = all_ids[cur.see]
                    if cur.id in chain:
                        self.error(file, f"{entry.id}: see cross-references go round in a circle "
                                   f"({' → '.join([*chain, cur.id])})", line, "see-cycle")


def _name_key(name: str) -> str:
    return " ".join(name.casefold().replace("ё", "е").replace(",", " ").split())


def _date_in(text: str, lang: str) -> Any:
    """The first full date of a dateline (None when the dates module is not there or finds none)."""
    try:
        from .enrich.dates import find_date
    except ImportError:
        return None
    hit = find_date(text, lang or None)
    return hit[2] if hit else None


def check_project(root: Path) -> list[Problem]:
    """Every finding for the project at `root`, sorted by file and line. DossierError when it is no project."""
    report = Report()
    edition = project.load_project(root, report)
    checker = _Checker(root, edition)
    if edition.meta.style not in styles.STYLES:
        toml = root / project.TOML
        line = next((i for i, text in enumerate(toml.read_text(encoding="utf-8").splitlines(), start=1)
                     if re.match(r"\s*style\s*=", text)), 0)
        checker.error(str(toml), str(styles.UnknownStyle(edition.meta.style)), line, "style-unknown")
    checker.numbering()
    doc_ids = {d.id for d in edition.documents}
    chapters = {c.id for c in edition.meta.chapters}
    for doc in edition.documents:
        checker.references(doc)
        checker.dates(doc)
        checker.links(doc, doc_ids, chapters)
    for kind in ENTITY_KINDS:
        checker.register_file(kind)
    unchecked = rules.unchecked_problem(checker.targets)
    if unchecked is not None:
        checker.findings.append(unchecked)
    found = list(report.problems) + checker.findings
    unique = sorted(set(found), key=lambda p: (p.file, p.line, p.severity, p.message))
    return unique

