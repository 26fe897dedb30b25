"""Document texts kept on disk while a build runs, so its memory does not grow with the edition.

What it is for: `dossier build` reads every document once, but its renderers need one document's
text at a time. A `TextSpill` is an unnamed temporary file (removed by the system as soon as it is
closed, or the process ends) beside the output; `load_project(..., spill=...)` writes each document's
`body` and `source` into it and leaves in the `Document` a `SpilledText`, a few numbers that read the
text back (one `pread`) each time the field is read (`model.Document`'s spillable fields). What stays
in memory is each document's record: id, number, heading, date, legend and the rest.

What it is not: a cache between builds (that is `dossier.cache`, under OUT/.cache/), nor a store that
can change a text: a field set again holds the new text in memory, and the spilled bytes are never
rewritten. A spill lives as long as the build that made it; reading after `close()` is an error.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import IO


class TextSpill:
    """An append-only temporary file of UTF-8 texts, read back by offset."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._file: IO[bytes] | None = None  # made with the first text (a build that fails first makes none)
        self._closed = False
        self._end = 0
        self._lock = threading.Lock()  # appends from one thread at a time; reads need no lock (pread)
        self.texts = 0  # how many texts were spilled
        self.bytes = 0

    def put(self, text: str) -> SpilledText | str:
        """Keep `text` on disk; the handle reads it back. An empty text stays as it is (it costs nothing)."""
        if not text:
            return text
        data = text.encode("utf-8", "surrogatepass")
        with self._lock:
            if self._closed:
                raise ValueError("the spill is closed")
            if self._file is None:
                if self.folder is not None:
                    self.folder.mkdir(parents=True, exist_ok=True)
                self._file = tempfile.TemporaryFile(dir=self.folder, prefix=".dossier-spill-")
            at = self._end
            os.pwrite(self._file.fileno(), data, at)
            self._end += len(data)
            self.texts += 1
            self.bytes += len(data)
        return SpilledText(self, at, len(data))

    def read(self, at: int, size: int) -> str:
        if self._file is None:
            raise ValueError("the spill is closed: a document's text was read after its build ended")
        data = os.pread(self._file.fileno(), size, at)
        if len(data) != size:
            raise OSError(f"the spill file is shorter than expected ({len(data)} of {size} bytes at {at})")
        return data.decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self._closed = True
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> TextSpill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SpilledText:
    """Where one text lies in a `TextSpill`; `read()` gives it back (a new string each time)."""

    __slots__ = ("spill", "at", "size")

    def __init__(self, spill: TextSpill, at: int, size: int) -> None:
        self.spill = spill
        self.at = at
        self.size = size

    def read(self) -> str:
        return self.spill.read(self.at, self.size)

    def __repr__(self) -> str:
        return f"SpilledText(at={self.at}, size={self.size})"
