"""What a recogniser of names hands to the register step: a candidate mention with its parsed name.

What it is for: the one interface behind which language-specific recognisers sit (Russian via
natasha/pymorphy3, English via its own rules or model). Each recogniser is a function
`recognize(text: str) -> list[Candidate]` over a document's plain text (`markup.plain_text`), with
character offsets into that text. The register step (clustering across the edition) reads only this.

What it is not: the recognisers, the clustering, or the writing of marks into documents
(`markup.mark_spans` does that).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import EntityKind


@dataclass(frozen=True)
class NameParts:
    """A person's name taken apart, each part in its nominative (dictionary) form where known.

    `first`/`patronymic` may be initials ("Н."); `gender` is "m", "f" or "" when unknown. `title`
    is an office or honorific seen with the mention ("Chairman", "President", "гр.").
    """

    surname: str = ""
    first: str = ""
    patronymic: str = ""
    gender: str = ""
    title: str = ""


@dataclass(frozen=True)
class Candidate:
    """A mention found in a text: [start, end) offsets, kind, the surface, and its normal form."""

    start: int
    end: int
    kind: EntityKind
    text: str
    normal: str  # nominative / canonical form of the surface, e.g. "Хрущёв" for "Хрущёва"
    lang: str = ""
    parts: NameParts = field(default_factory=NameParts)
    role: str = ""  # an office or role the text states for this person near the mention
    score: float = 1.0
