"""The markup of a document's body: parse it to a small tree, write it back, and mark spans in it.

A document file holds its text verbatim, with a few marks a person can type in any editor:

    Paragraphs are separated by blank lines.
    ## A heading inside the document
    *emphasis*, **strong**, a hard line break with a backslash at the end of a line\\
    [Khrushchev]{person=p_KNS2}  [Moscow]{place}  [TASS]{org=o_tass}  [USSR]{term=t_USSR1}
    a note reference[^1]

    [^1]: The note's text, one block.

    ::: closer
    N. Khrushchev
    :::

A backslash makes the next character literal (`\\*`, `\\[`, `\\]`). `escape()` turns source text into
markup that reads back as exactly that text, so importers never alter a document's words.

What it is not: Markdown. There are no links, lists, tables or HTML; rendering to HTML, TEI or PDF
is each renderer's job, walking the tree this module builds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

MENTION_KINDS = ("person", "place", "org", "term")
# How many bodies' plain text and mentions are remembered: enough for the renderers of one document to
# share them, few enough that memory does not grow with the edition (a body is parsed again after that).
CACHED_BODIES = 256
_NOTE_DEF = re.compile(r"^\[\^([A-Za-z0-9_.\-]+)\]:[ \t]?")
_FENCE = re.compile(r"^:::[ \t]*([A-Za-z][A-Za-z0-9_-]*)?[ \t]*$")
_SPECIAL = re.compile(r"[\\\[*]")
_NOTE_REF = re.compile(r"\[\^([A-Za-z0-9_.\-]+)\]")
_ATTRS = re.compile(r"^(person|place|org|term)(?:=([\w][\w.\-]*))?$")


class MarkupError(ValueError):
    """Markup that cannot be read; `line` is 1-based within the body."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


# --- the tree -----------------------------------------------------------------------------------


@dataclass
class Text:
    value: str


@dataclass
class Break:
    pass


@dataclass
class Emph:
    children: list[Inline]
    strong: bool = False


@dataclass
class MentionNode:
    kind: str
    ref: str | None
    children: list[Inline]


@dataclass
class NoteRef:
    label: str


Inline = Text | Break | Emph | MentionNode | NoteRef


@dataclass
class Block:
    """A paragraph (`p`), heading (`head`), note definition (`note`, with `label`) or fenced `div`."""

    kind: str
    inlines: list[Inline] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    label: str = ""  # note label, or div name
    line: int = 1


# --- escaping -----------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Markup that parses back to exactly `text` (newlines kept; blank lines still split paragraphs)."""
    bad = _risky_brackets(text)
    out: list[str] = []
    for i, c in enumerate(text):
        if c in "\\*" or i in bad:
            out.append("\\")
        out.append(c)
    lines = "".join(out).split("\n")
    for i, line in enumerate(lines):
        if line.startswith("#") or line.startswith(":::"):
            lines[i] = "\\" + line
    return "\n".join(lines)


def _risky_brackets(s: str) -> set[int]:
    """Positions of brackets that could be read as marks: unbalanced ones, `[^` and `]{`."""
    stack: list[int] = []
    bad: set[int] = set()
    for i, c in enumerate(s):
        if c == "[":
            stack.append(i)
            if s.startswith("[^", i):
                bad.add(i)
        elif c == "]":
            if stack:
                stack.pop()
            else:
                bad.add(i)
            if s.startswith("]{", i):
                bad.add(i)
    bad.update(stack)
    return bad


# --- parsing ------------------------------------------------------------------------------------


def parse(body: str) -> list[Block]:
    """The body as a list of blocks. Raises MarkupError for an unclosed fence or a malformed mention."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks, _ = _parse_blocks(lines, 0, None)
    return blocks


def _parse_blocks(lines: list[str], i: int, fence: str | None) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    buf: list[str] = []
    start = i

    def flush() -> None:
        if buf:
            blocks.append(_leaf_block(buf, start + 1))
            buf.clear()

    while i < len(lines):
        line = lines[i]
        m = _FENCE.match(line)
        if m and m.group(1):
            flush()
            inner, i = _parse_blocks(lines, i + 1, m.group(1))
            blocks.append(Block("div", blocks=inner, label=m.group(1), line=start + 1))
            start = i
            continue
        if m and not m.group(1):
            if fence is None:
                raise MarkupError(i + 1, "':::' closes a block that was never opened")
            flush()
            return blocks, i + 1
        if not line.strip():
            flush()
            i += 1
            start = i
            continue
        if not buf:
            start = i
        buf.append(line)
        i += 1
    if fence is not None:
        raise MarkupError(len(lines), f"'::: {fence}' is never closed with ':::'")
    flush()
    return blocks, i


def _leaf_block(lines: list[str], line_no: int) -> Block:
    text = "\n".join(lines)
    if text.startswith("## "):
        return Block("head", _parse_inlines(text[3:], line_no), line=line_no)
    m = _NOTE_DEF.match(text)
    if m:
        return Block("note", _parse_inlines(text[m.end():], line_no), label=m.group(1), line=line_no)
    return Block("p", _parse_inlines(text, line_no), line=line_no)


def _parse_inlines(s: str, line_no: int) -> list[Inline]:
    nodes, pos = _inlines_until(s, 0, None, line_no)
    return nodes


def _find_mention_close(s: str, pos: int) -> int:
    """Index of the `]` that closes a `[` at pos-1 and is followed by `{`, or -1."""
    i = pos
    depth = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]" and depth:
            depth -= 1
        elif c == "]" and i + 1 < len(s) and s[i + 1] == "{":
            return i
        elif c == "]":
            return -1
        if c == "\n" and i + 1 < len(s) and s[i + 1] == "\n":
            return -1
        i += 1
    return -1


def _inlines_until(s: str, pos: int, stop: str | None, line_no: int) -> tuple[list[Inline], int]:
    nodes: list[Inline] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            nodes.append(Text("".join(buf)))
            buf.clear()

    n = len(s)
    while pos < n:
        c = s[pos]
        if stop is None and c not in "\\[*":  # a run of plain text up to the next mark character
            m = _SPECIAL.search(s, pos)
            end = m.start() if m else n
            buf.append(s[pos:end])
            pos = end
            continue
        if stop is not None and s.startswith(stop, pos):
            flush()
            return nodes, pos + len(stop)
        if c == "\\":
            if pos + 1 < n and s[pos + 1] == "\n":
                flush()
                nodes.append(Break())
                pos += 2
                continue
            if pos + 1 < n:
                buf.append(s[pos + 1])
                pos += 2
                continue
            buf.append(c)
            pos += 1
            continue
        if c == "[" and s.startswith("[^", pos):
            m = _NOTE_REF.match(s, pos)
            if m:
                flush()
                nodes.append(NoteRef(m.group(1)))
                pos = m.end()
                continue
        if c == "[":
            close = _find_mention_close(s, pos + 1)
            if close >= 0:
                end_attr = s.find("}", close + 2)
                if end_attr < 0:
                    raise MarkupError(line_no + s.count("\n", 0, pos), "a mention's '{' is never closed with '}'")
                attrs = s[close + 2:end_attr].strip()
                am = _ATTRS.match(attrs)
                if not am:
                    raise MarkupError(line_no + s.count("\n", 0, pos),
                                      f"'{{{attrs}}}' is not a mention kind (person, place, org, term, with =id)")
                inner, _ = _inlines_until(s[pos + 1:close], 0, None, line_no + s.count("\n", 0, pos))
                flush()
                nodes.append(MentionNode(am.group(1), am.group(2), inner))
                pos = end_attr + 1
                continue
        if c == "*":
            strong = s.startswith("**", pos)
            mark = "**" if strong else "*"
            close_at = _find_unescaped(s, mark, pos + len(mark), stop)
            if close_at > pos + len(mark):
                inner, _ = _inlines_until(s[pos + len(mark):close_at], 0, None, line_no)
                flush()
                nodes.append(Emph(inner, strong=strong))
                pos = close_at + len(mark)
                continue
        buf.append(c)
        pos += 1
    flush()
    return nodes, pos


def _find_unescaped(s: str, mark: str, pos: int, stop: str | None) -> int:
    i = pos
    while i < len(s):
        if s[i] == "\\":
            i += 2
            continue
        if mark == "*" and s.startswith("**", i):
            # skip a nested strong run inside emphasis
            j = _find_unescaped(s, "**", i + 2, stop)
            if j < 0:
                return -1
            i = j + 2
            continue
        if s.startswith(mark, i):
            return i
        i += 1
    return -1


# --- walking ------------------------------------------------------------------------------------


def inline_text(nodes: Iterable[Inline]) -> str:
    """The source text of inline nodes: what a reader sees, without any mark."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.value)
        elif isinstance(node, Break):
            out.append("\n")
        elif isinstance(node, (Emph, MentionNode)):
            out.append(inline_text(node.children))
    return "".join(out)


def iter_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every leaf block, depth first (the contents of fenced divs included)."""
    for b in blocks:
        if b.kind == "div":
            yield from iter_blocks(b.blocks)
        else:
            yield b


def plain_text(body: str | list[Block]) -> str:
    """The document's text without marks: leaf blocks joined by blank lines (notes included)."""
    if isinstance(body, str):
        return _plain_text_of(body)
    return "\n\n".join(inline_text(b.inlines) for b in iter_blocks(body))


@lru_cache(maxsize=CACHED_BODIES)
def _plain_text_of(body: str) -> str:
    return "\n\n".join(inline_text(b.inlines) for b in iter_blocks(parse(body)))


def mentions(body: str | list[Block]) -> list[MentionNode]:
    """All mention nodes in reading order (a new list; the nodes are shared, do not change them)."""
    if isinstance(body, str):
        return list(_mentions_of(body))
    return _collect_mentions(body)


@lru_cache(maxsize=CACHED_BODIES)
def _mentions_of(body: str) -> tuple[MentionNode, ...]:
    return tuple(_collect_mentions(parse(body)))


def _collect_mentions(blocks: list[Block]) -> list[MentionNode]:
    found: list[MentionNode] = []

    def walk(nodes: Iterable[Inline]) -> None:
        for node in nodes:
            if isinstance(node, MentionNode):
                found.append(node)
                walk(node.children)
            elif isinstance(node, Emph):
                walk(node.children)

    for b in iter_blocks(blocks):
        walk(b.inlines)
    return found


def note_refs(body: str | list[Block]) -> list[tuple[str, int]]:
    """(label, line) of each note reference."""
    blocks = parse(body) if isinstance(body, str) else body
    found: list[tuple[str, int]] = []

    def walk(nodes: Iterable[Inline], line: int) -> None:
        for node in nodes:
            if isinstance(node, NoteRef):
                found.append((node.label, line))
            elif isinstance(node, (Emph, MentionNode)):
                walk(node.children, line)

    for b in iter_blocks(blocks):
        walk(b.inlines, b.line)
    return found


# --- writing ------------------------------------------------------------------------------------


def serialize(blocks: list[Block]) -> str:
    """Markup for blocks; `serialize(parse(s))` reads back as the same tree."""
    return "\n\n".join(_ser_block(b) for b in blocks) + ("\n" if blocks else "")


def _ser_block(b: Block) -> str:
    if b.kind == "div":
        inner = "\n\n".join(_ser_block(x) for x in b.blocks)
        return f"::: {b.label}\n{inner}\n:::"
    text = serialize_inlines(b.inlines)
    if b.kind == "head":
        return "## " + text
    if b.kind == "note":
        return f"[^{b.label}]: " + text
    if text.startswith("## ") or _NOTE_DEF.match(text):
        return "\\" + text
    return text


def serialize_inlines(nodes: Iterable[Inline]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(escape(node.value))
        elif isinstance(node, Break):
            out.append("\\\n")
        elif isinstance(node, Emph):
            mark = "**" if node.strong else "*"
            out.append(mark + serialize_inlines(node.children) + mark)
        elif isinstance(node, MentionNode):
            attrs = node.kind + (f"={node.ref}" if node.ref else "")
            out.append("[" + serialize_inlines(node.children) + "]{" + attrs + "}")
        elif isinstance(node, NoteRef):
            out.append(f"[^{node.label}]")
    return "".join(out)


# --- marking spans ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A span of `plain_text(body)` to mark as a mention: [start, end) character offsets."""

    start: int
    end: int
    kind: str
    ref: str | None = None


def mark_spans(body: str, spans: Iterable[Span]) -> tuple[str, list[Span]]:
    """Wrap spans of the plain text in mention marks; return the new body and the spans not marked.

    A span is marked only where it lies inside one run of unmarked text (not across emphasis, a note
    reference or an existing mention); a span that is exactly an existing mark of its kind with no
    entry (`[Kennedy]{person}`) gives that mark its entry. Others are returned so the caller can
    report them. The text itself is never changed: `plain_text(result) == plain_text(body)`.
    """
    blocks = parse(body)
    leaves = list(iter_blocks(blocks))
    # offsets of each leaf block in the plain text
    wanted = sorted(spans, key=lambda s: (s.start, -s.end))
    skipped: list[Span] = []
    offset = 0
    si = 0
    for bi, leaf in enumerate(leaves):
        if bi:
            offset += 2
        length = len(inline_text(leaf.inlines))
        mine: list[Span] = []
        while si < len(wanted) and wanted[si].start < offset + length:
            sp = wanted[si]
            if sp.start >= offset and sp.end <= offset + length:
                mine.append(Span(sp.start - offset, sp.end - offset, sp.kind, sp.ref))
            else:
                skipped.append(sp)
            si += 1
        if mine:
            leaf.inlines, rest = _mark_in_inlines(leaf.inlines, mine)
            skipped.extend(Span(s.start + offset, s.end + offset, s.kind, s.ref) for s in rest)
        offset += length
    skipped.extend(wanted[si:])
    return serialize(blocks), skipped


def _mark_in_inlines(nodes: list[Inline], spans: list[Span]) -> tuple[list[Inline], list[Span]]:
    out: list[Inline] = []
    pos = 0
    pending = list(spans)
    rest: list[Span] = []
    last_end = -1
    for node in nodes:
        if isinstance(node, Text):
            value, start = node.value, pos
            cut = 0
            while pending and pending[0].start < start + len(value):
                sp = pending[0]
                if sp.start < start or sp.end > start + len(value) or sp.start < last_end:
                    rest.append(pending.pop(0))
                    continue
                a, b = sp.start - start, sp.end - start
                if a > cut:
                    out.append(Text(value[cut:a]))
                out.append(MentionNode(sp.kind, sp.ref, [Text(value[a:b])]))
                cut = b
                last_end = sp.end
                pending.pop(0)
            if cut < len(value):
                out.append(Text(value[cut:]))
            pos += len(value)
        else:
            width = len(inline_text([node]))
            if (isinstance(node, MentionNode) and node.ref is None and pending and pending[0].start == pos
                    and pending[0].end == pos + width and pending[0].kind == node.kind):
                node.ref = pending.pop(0).ref  # a mark without an entry gets the span's
                last_end = pos + width
            if isinstance(node, Emph):
                inside = []
                while pending and pending[0].start >= pos and pending[0].end <= pos + width:
                    sp = pending.pop(0)
                    inside.append(Span(sp.start - pos, sp.end - pos, sp.kind, sp.ref))
                if inside:
                    node.children, back = _mark_in_inlines(node.children, inside)
                    rest.extend(Span(s.start + pos, s.end + pos, s.kind, s.ref) for s in back)
            while pending and pending[0].start < pos + width:
                rest.append(pending.pop(0))
            out.append(node)
            pos += width
    rest.extend(pending)
    return out, rest
