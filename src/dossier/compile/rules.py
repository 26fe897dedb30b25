"""The rules `dossier check` and `dossier build` both apply to a document: notes and marks.

What it is for: one place that says what is wrong with a document's notes and references, with the
file line it is on, the code and the severity, so `check` (`dossier.check`) and the compile step of a
build (`dossier.compile.edition`) report the same problem the same way:

* notes: a `[^n]` reference without its `[^n]:` definition (`note-undefined`), a definition nothing
  refers to (`note-orphan`), a definition given twice (`note-twice`) — errors: a dangling note number
  or a note that cannot be reached is a fault the reader sees in every output;
* marks: a `{person=ID}` / `place` / `org` / `term` mark naming no entry of its register
  (`ref-unresolved`, an error), a mark pointing to a rejected entry (`ref-rejected`, a warning);
  marks in the heading, dateline and source note count, at the line of that front-matter key;
* a register file that cannot be read at all (YAML syntax, not a list): the marks that point into it
  are not checked — the file's own error says what to fix — and `unchecked_problem` sums them up in
  one warning (`ref-unchecked`) instead of one false error per mark.

What it is not: the loading of files (`dossier.project` reports what does not read) or the rules that
need the whole edition (numbering, chapters, translations: `dossier.check`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import markup, project
from ..model import ENTITY_KINDS, REGISTER_FILES, Document, EntityKind, RegisterEntry, Registers
from ..report import Problem

ABBREVIATIONS = "abbreviations.yaml"


# --- where things are in the files -------------------------------------------------------------------


def _node_lines(node: yaml.Node) -> Any:
    """A composed YAML node as nested dicts/lists of ('line', children): enough to find a key's line."""
    if isinstance(node, yaml.MappingNode):
        return {k.value: (k.start_mark.line + 1, _node_lines(v)) for k, v in node.value
                if isinstance(k, yaml.ScalarNode)}
    if isinstance(node, yaml.SequenceNode):
        return [(item.start_mark.line + 1, _node_lines(item)) for item in node.value]
    return None


def compose_lines(text: str) -> Any:
    """The YAML `text` as nested dicts/lists of (line, children); None when it does not parse."""
    try:
        node = yaml.compose(text, Loader=project._Loader)
    except yaml.YAMLError:
        return None
    return _node_lines(node) if node is not None else None


class FrontLines:
    """File lines of a document's front-matter keys (and of items inside them); the file is read when
    a line is first asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tree: Any = None
        self._read = False

    @property
    def tree(self) -> Any:
        if not self._read:
            self._read = True
            try:
                lines = self.path.read_text(encoding="utf-8").lstrip("\ufeff").split("\n")
                end = next(i for i in range(1, len(lines)) if lines[i].strip() == project.FRONT)
            except (OSError, UnicodeDecodeError, StopIteration):
                return None
            self._tree = compose_lines("\n".join(lines[1:end]))
        return self._tree

    def line(self, *keys: str | int) -> int:
        """The file line of front-matter key path `keys` (the deepest one found), 0 when unknown."""
        node, found = self.tree, 0
        for key in keys:
            if isinstance(node, dict) and isinstance(key, str) and key in node:
                line, node = node[key]
            elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                line, node = node[key]
            else:
                break
            found = line + 1  # + the opening '---' line
        return found


def walk(nodes: Iterable[markup.Inline], line: int,
         visit: Callable[[markup.MentionNode | markup.NoteRef, int], None]) -> int:
    """Call `visit(node, line)` for every mention and note reference; return the line after `nodes`."""
    for node in nodes:
        if isinstance(node, markup.Text):
            line += node.value.count("\n")
        elif isinstance(node, markup.Break):
            line += 1
        elif isinstance(node, markup.Emph):
            line = walk(node.children, line, visit)
        elif isinstance(node, markup.MentionNode):
            visit(node, line)
            line = walk(node.children, line, visit)
        elif isinstance(node, markup.NoteRef):
            visit(node, line)
    return line


# --- what marks can point to -------------------------------------------------------------------------


def unreadable_registers(root: Path | None, registers: Registers) -> dict[str, str]:
    """Register kinds ('person', 'place', 'org', 'term') whose file exists but could not be read as a
    list of entries, with that file's path. Their marks cannot be checked."""
    if root is None:
        return {}
    files: dict[str, tuple[str, bool]] = {
        kind: (REGISTER_FILES[kind], bool(registers.of_kind(kind))) for kind in ENTITY_KINDS}
    files["term"] = (ABBREVIATIONS, bool(registers.abbreviations))
    out: dict[str, str] = {}
    for kind, (name, has_entries) in files.items():
        path = root / project.REG_DIR / name
        if has_entries or not path.is_file():
            continue
        try:
            data = project.load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            out[kind] = str(path)
            continue
        if data is not None and not isinstance(data, list):
            out[kind] = str(path)
    return out


@dataclass
class Targets:
    """What marks may point to: the register entries by kind, the abbreviations, and the registers
    that could not be read (whose marks are counted, not checked)."""

    ids: dict[EntityKind, dict[str, RegisterEntry]]
    terms: set[str]
    unreadable: dict[str, str] = field(default_factory=dict)
    unchecked: int = 0  # marks not checked because their register could not be read

    @classmethod
    def of(cls, registers: Registers, root: Path | None) -> Targets:
        return cls(ids={kind: {e.id: e for e in registers.of_kind(kind)} for kind in ENTITY_KINDS},
                   terms={a.id for a in registers.abbreviations},
                   unreadable=unreadable_registers(root, registers))


def unchecked_problem(targets: Targets) -> Problem | None:
    """One warning for all the marks that were not checked because their register could not be read."""
    if not targets.unchecked or not targets.unreadable:
        return None
    files = sorted(set(targets.unreadable.values()))
    names = ", ".join(f"registers/{Path(f).name}" for f in files)
    n = targets.unchecked
    return Problem("warning", files[0], f"{n} {'mark was' if n == 1 else 'marks were'} not checked: "
                   f"{names} could not be read (fix the error above first)", 0, "ref-unchecked")


# --- the rules ----------------------------------------------------------------------------------------


def mark_problem(doc: Document, node: markup.MentionNode, line: int, targets: Targets) -> Problem | None:
    """What is wrong with one mark's reference (None when it resolves or names none)."""
    if node.ref is None:
        return None
    if node.kind in targets.unreadable:
        targets.unchecked += 1
        return None
    surface = markup.inline_text(node.children)
    if node.kind == "term":
        if node.ref in targets.terms:
            return None
        return Problem("error", doc.path or doc.id, f"[{surface}]{{term={node.ref}}}: no abbreviation {node.ref!r} in "
                       f"registers/{ABBREVIATIONS}", line, "ref-unresolved")
    kind: EntityKind = node.kind  # type: ignore[assignment]
    entry = targets.ids[kind].get(node.ref)
    if entry is None:
        elsewhere = [k for k in ENTITY_KINDS if node.ref in targets.ids[k]]
        hint = f" (it is an entry of registers/{REGISTER_FILES[elsewhere[0]]})" if elsewhere else ""
        return Problem("error", doc.path or doc.id, f"[{surface}]{{{kind}={node.ref}}}: no entry {node.ref!r} in "
                       f"registers/{REGISTER_FILES[kind]}{hint}", line, "ref-unresolved")
    if entry.status == "rejected":
        return Problem("warning", doc.path or doc.id, f"[{surface}]{{{kind}={node.ref}}} points to a rejected entry "
                       f"(registers/{REGISTER_FILES[kind]}:{entry.line})", line, "ref-rejected")
    return None


def document_problems(doc: Document, targets: Targets, front: FrontLines | None = None) -> list[Problem]:
    """Every problem with the notes and marks of `doc`, each at its file line."""
    where = doc.path or doc.id
    front = front if front is not None else FrontLines(Path(doc.path))
    found: list[Problem] = []
    body_line = int(doc.extra.get("_body_line") or 1)
    refs: list[tuple[str, int]] = []

    def visit(node: markup.MentionNode | markup.NoteRef, line: int) -> None:
        if isinstance(node, markup.NoteRef):
            refs.append((node.label, line))
        else:
            problem = mark_problem(doc, node, line, targets)
            if problem is not None:
                found.append(problem)

    for key in ("heading", "dateline", "source"):
        value = getattr(doc, key)
        if not value:
            continue
        try:
            front_blocks = markup.parse(value)
        except markup.MarkupError as exc:
            found.append(Problem("error", where, f"{key}: {exc.message}", front.line(key), "markup"))
            continue
        if not any(c in value for c in "[^"):
            continue  # no mark, no note: the file need not be read for the key's line
        line = front.line(key)
        for b in markup.iter_blocks(front_blocks):
            walk(b.inlines, line, visit)
    defined: dict[str, int] = {}
    for b in markup.iter_blocks(markup.parse(doc.body)):
        start = body_line + b.line - 1
        if b.kind == "note":
            if b.label in defined:
                found.append(Problem("error", where, f"note [^{b.label}] is defined twice (see line "
                                     f"{defined[b.label]})", start, "note-twice"))
            else:
                defined[b.label] = start
        walk(b.inlines, start, visit)
    referenced = {label for label, _ in refs}
    for label, line in refs:
        if label not in defined:
            found.append(Problem("error", where, f"note reference [^{label}] has no note [^{label}]: in this "
                                 "document", line, "note-undefined"))
    for label, line in defined.items():
        if label not in referenced:
            found.append(Problem("error", where, f"note [^{label}] is never referenced in the text", line,
                                 "note-orphan"))
    return found
