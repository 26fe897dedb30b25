"""The plain types every room of dossier speaks: documents, dates, mentions, register entries, the edition.

What it is for: one vocabulary shared by ingest, enrich, compile and publish. A `Document` is what a
reader produces and a renderer consumes; an `Edition` is a whole dossier project in memory.

What it is not: no I/O, no parsing of files, no formatting for a style. Reading and writing a project
folder lives in `dossier.project`; the document body's own little markup lives in `dossier.markup`.
Validation here raises `ModelError` naming the field, and callers add the file and line.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, overload

Precision = Literal["day", "month", "year", "undated"]
EntityKind = Literal["person", "place", "org"]
ENTITY_KINDS: tuple[EntityKind, ...] = ("person", "place", "org")
# Register files, one per kind, and the TEI element a mention of that kind becomes.
REGISTER_FILES: dict[EntityKind, str] = {"person": "persons.yaml", "place": "places.yaml", "org": "organizations.yaml"}
INDEX_KEYS: dict[EntityKind, str] = {"person": "persons", "place": "places", "org": "organizations"}

# An entry's status in a register: proposals come from `annotate`; the editor accepts or rejects.
Status = Literal["accepted", "proposed", "rejected"]
STATUSES: tuple[str, ...] = ("accepted", "proposed", "rejected")

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = re.compile(r"^\w[\w.\-]*$")


class ModelError(ValueError):
    """A value that breaks the model's rules; `field` names what is wrong."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def valid_id(value: str) -> bool:
    """True when `value` can serve as an id (a file stem: letters of any script, digits, _ . -).

    Ids may start with a digit (`017`); the TEI writer makes such ids NCNames where it must."""
    return bool(_ID.match(value))


@dataclass(frozen=True)
class DateRange:
    """A document's date as an interval of days with a precision.

    `start`/`end` are ISO dates (YYYY-MM-DD) or None when undated; `text` is the date as printed;
    `inferred` marks an editor's date, printed in square brackets.
    """

    start: str | None = None
    end: str | None = None
    precision: Precision = "undated"
    text: str = ""
    inferred: bool = False

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is None:
                continue
            if not _ISO_DAY.match(value):
                raise ModelError(f"date.{'from' if name == 'start' else 'to'}", f"{value!r} is not YYYY-MM-DD")
            try:
                _dt.date.fromisoformat(value)
            except ValueError as exc:
                raise ModelError(f"date.{'from' if name == 'start' else 'to'}", f"{value!r} does not exist") from exc
        if (self.start is None) != (self.end is None):
            raise ModelError("date", "from and to must both be given or both be empty")
        if self.start and self.end and self.end < self.start:
            raise ModelError("date", f"to ({self.end}) is before from ({self.start})")
        if self.precision not in ("day", "month", "year", "undated"):
            raise ModelError("date.precision", f"{self.precision!r} is not day, month, year or undated")
        if self.start is None and self.precision != "undated":
            raise ModelError("date.precision", "a document without from/to is undated")

    @property
    def is_undated(self) -> bool:
        return self.start is None

    def sort_key(self) -> tuple[str, str]:
        """Undated documents sort last."""
        return (self.start or "9999-99-99", self.end or "9999-99-99")

    def to_json(self) -> dict[str, Any]:
        return {"from": self.start, "to": self.end, "precision": self.precision, "text": self.text,
                "inferred": self.inferred}


@dataclass(frozen=True)
class SourceLegend:
    """A structured archival citation (Russian: archive/fond/opis/delo/list; US: repository/RG/lot/box/folder).

    Every field is optional; `text` holds the citation as printed when it came as prose (FRUS source notes).
    """

    text: str = ""
    archive: str = ""
    fond: str = ""
    opis: str = ""
    delo: str = ""
    list: str = ""
    repository: str = ""
    record_group: str = ""
    lot_file: str = ""
    box: str = ""
    folder: str = ""
    original: str = ""  # "original", "copy", "certified copy", ...
    reproduction: str = ""  # "typescript", "telegram tape", "manuscript", ...
    extra: tuple[tuple[str, str], ...] = ()

    def is_empty(self) -> bool:
        return not any(v for k, v in self.__dict__.items() if k != "extra") and not self.extra


@dataclass(frozen=True)
class Illustration:
    """A photograph or facsimile belonging to a document: file, caption, credit."""

    file: str
    caption: str = ""
    credit: str = ""
    agency: str = ""


@dataclass(frozen=True)
class Mention:
    """A marked name in a document's text: its kind, the entry it points to (None = not yet linked)."""

    kind: EntityKind
    text: str
    ref: str | None = None


class StoredText(Protocol):
    """A text kept outside memory (`dossier.spill.SpilledText`): `read()` gives it back."""

    def read(self) -> str: ...


class SpillableText:
    """A text field of `Document` that may live outside memory: it holds a `str`, or a `StoredText`
    that is read back each time the field is read (a build keeps its documents' bodies on disk this
    way, see `dossier.spill`). Setting the field always stores the new text in memory."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> str: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> str: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> str:
        if obj is None:
            return ""  # the dataclass's default
        value = obj.__dict__.get(self.name, "")
        return value if isinstance(value, str) else value.read()

    def __set__(self, obj: object, value: str | StoredText) -> None:
        obj.__dict__[self.name] = value

    @staticmethod
    def is_stored(obj: object, name: str) -> bool:
        """True when `obj`'s field `name` lies outside memory."""
        return not isinstance(obj.__dict__.get(name, ""), str)


# The fields of a document a build may keep on disk: the long ones.
SPILLABLE: tuple[str, ...] = ("body", "source")


@dataclass
class Document:
    """One document of an edition, as its project file holds it.

    `body` is the text in dossier's document markup (see `dossier.markup`); it is kept exactly as the
    source gave it, plus markup for mentions, notes, emphasis. `n` is the document's number in the
    edition (None until numbered); `path` and `line` say where it came from, for messages.

    `body` and `source` may be kept outside memory (`spill`): they read the same, one read each time.
    """

    id: str
    body: SpillableText = SpillableText()
    n: int | None = None
    heading: str = ""
    type: str = ""
    date: DateRange = field(default_factory=DateRange)
    dateline: str = ""
    place: str = ""
    authors: list[str] = field(default_factory=list)
    addressees: list[str] = field(default_factory=list)
    language: str = ""
    chapter: str = ""
    source: SpillableText = SpillableText()
    legend: SourceLegend = field(default_factory=SourceLegend)
    subtype: str = ""  # e.g. FRUS "historical-document" / "editorial-note"
    translation_of: str = ""
    translator: str = ""
    illustrations: list[Illustration] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    path: str = ""

    def __post_init__(self) -> None:
        if not self.id or not valid_id(self.id):
            raise ModelError("id", f"{self.id!r} is not a valid document id (letters, digits, _ . - only)")
        if self.n is not None and (not isinstance(self.n, int) or self.n < 0):
            raise ModelError("n", f"{self.n!r} is not a document number")

    def spill(self, put: Callable[[str], str | StoredText]) -> None:
        """Keep the long text fields (`SPILLABLE`) outside memory: `put(text)` stores one and returns
        what reads it back (a `StoredText`, or the text itself when it is not worth storing)."""
        for name in SPILLABLE:
            value = self.__dict__.get(name, "")
            if isinstance(value, str):
                self.__dict__[name] = put(value)

    def __getstate__(self) -> dict[str, Any]:
        """A pickled document holds its texts themselves, never where they were stored."""
        state = dict(self.__dict__)
        for name in SPILLABLE:
            value = state.get(name, "")
            if not isinstance(value, str):
                state[name] = value.read()
        return state


@dataclass
class Chapter:
    """A numbered chapter (section) of the edition; documents name it by `id`."""

    id: str
    title: str
    n: int | None = None


@dataclass
class RegisterEntry:
    """An entry of a register of persons, places or organisations: the index of names is built from these.

    `name` is the form the index files under (e.g. "Khrushchev, Nikita S." or "Хрущёв Н. С."); `variants`
    are other forms seen or known (inflected, transliterated, spelled otherwise); `description` is the
    annotation (office, role); `evidence` records where a proposed entry's variants were seen.
    """

    id: str
    kind: EntityKind
    name: str
    variants: list[str] = field(default_factory=list)
    description: str = ""
    born: str = ""
    died: str = ""
    status: Status = "accepted"
    see: str = ""  # a cross-reference entry: this form points to another entry id
    evidence: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    line: int = 0

    def __post_init__(self) -> None:
        if not self.id or not valid_id(self.id):
            raise ModelError("id", f"{self.id!r} is not a valid register id")
        if not self.name.strip():
            raise ModelError("name", "an entry needs a name")
        if self.status not in STATUSES:
            raise ModelError("status", f"{self.status!r} is not one of {', '.join(STATUSES)}")


@dataclass
class Abbreviation:
    """An abbreviation or term of the list of abbreviations."""

    id: str
    abbr: str
    expansion: str
    line: int = 0


@dataclass
class Registers:
    """The curated registers of a project."""

    persons: list[RegisterEntry] = field(default_factory=list)
    places: list[RegisterEntry] = field(default_factory=list)
    organizations: list[RegisterEntry] = field(default_factory=list)
    abbreviations: list[Abbreviation] = field(default_factory=list)

    def of_kind(self, kind: EntityKind) -> list[RegisterEntry]:
        return {"person": self.persons, "place": self.places, "org": self.organizations}[kind]

    def by_id(self) -> dict[str, RegisterEntry]:
        out: dict[str, RegisterEntry] = {}
        for kind in ENTITY_KINDS:
            for entry in self.of_kind(kind):
                out.setdefault(entry.id, entry)
        return out


@dataclass
class Metadata:
    """What `dossier.toml` says of the edition as a whole (title page, style, languages, chapters)."""

    title: str
    subtitle: str = ""
    series: str = ""
    volume: str = ""
    editors: list[dict[str, str]] = field(default_factory=list)
    publisher: str = ""
    place: str = ""
    year: str = ""
    identifier: str = ""
    style: str = "frus"
    languages: list[str] = field(default_factory=lambda: ["en"])
    chapters: list[Chapter] = field(default_factory=list)
    source: str = ""  # where the documents come from, and their rights
    license: str = ""
    preface: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class AppendixItem:
    """A piece of the appendix: supporting material outside the main series."""

    id: str
    title: str
    body: str
    path: str = ""


@dataclass
class Edition:
    """A whole dossier project in memory: metadata, documents, registers, appendix."""

    meta: Metadata
    documents: list[Document] = field(default_factory=list)
    registers: Registers = field(default_factory=Registers)
    appendix: list[AppendixItem] = field(default_factory=list)
    root: str = ""
