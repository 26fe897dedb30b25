"""Per-document pieces of the single-file outputs (TEI, JSON) kept between builds.

What it is for: an incremental build (`dossier.cache`) hands a `FragmentStore` to the TEI and JSON
writers. For every document they ask the store for the piece they wrote last time (by the document's
content hash), check that everything else the piece depends on is unchanged (a context hash they
compute: ids, index entries, style, ...), and then splice the stored bytes into the file instead of
rendering the document again. The file is the same, byte for byte, as a clean build writes.

What it is not: the cache itself (that is `dossier.cache.BuildCache`), nor a place for rendering.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any, Protocol

from ..model import Document
from ..report import Problem


class FragmentStore(Protocol):
    """What a writer needs from an incremental build."""

    def doc_key(self, doc: Document) -> str | None:
        """A hash of the compiled document's content (None: do not cache it)."""

    def get_fragment(self, fmt: str, key: str) -> dict[str, Any] | None:
        """The record kept for `key` by `put_fragment`, or None."""

    def put_fragment(self, fmt: str, key: str, record: dict[str, Any]) -> None:
        """Keep `record` (picklable) for `key`."""


_ENCODER = json.JSONEncoder(sort_keys=True, default=str, ensure_ascii=False)  # made once: json.dumps with
# arguments would make one per call


def context_hash(*parts: Any) -> str:
    """A hash of JSON-able parts (sorted keys, anything else by its str)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(_ENCODER.encode(p).encode())
        h.update(b"\0")
    return h.hexdigest()


def problems_to_data(problems: list[Problem]) -> list[dict[str, Any]]:
    return [asdict(p) for p in problems]


def problems_from_data(data: list[dict[str, Any]]) -> list[Problem]:
    return [Problem(**p) for p in data]
