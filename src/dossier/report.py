"""Problems and the run report: what was read, what was written, what was rejected and why.

What it is for: every room reports into one `Report` instead of printing or raising, so a build goes
on with the rest and `report.json` accounts for every input (documents in = written + rejected).

What it is not: a logger. Progress display belongs to the CLI.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding: where it is (file, line when known) and what is wrong, in one line."""

    severity: Severity
    file: str
    message: str
    line: int = 0
    code: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message}"


class DossierError(Exception):
    """A failure that stops a command; the message is one line naming the file (and line)."""

    def __init__(self, file: str, message: str, line: int = 0) -> None:
        self.problem = Problem("error", file, message, line)
        super().__init__(str(self.problem))


@dataclass
class Report:
    """What a run read, wrote and rejected. Rejections carry the reason; counts must balance."""

    inputs: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    rejected: list[dict[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def error(self, file: str, message: str, line: int = 0, code: str = "") -> None:
        self.problems.append(Problem("error", file, message, line, code))

    def warn(self, file: str, message: str, line: int = 0, code: str = "") -> None:
        self.problems.append(Problem("warning", file, message, line, code))

    def reject(self, item: str, file: str, reason: str, line: int = 0) -> None:
        """An input document that is not in the output; the reason is also an error."""
        self.rejected.append({"document": item, "file": file, "reason": reason})
        self.error(file, reason, line, code="rejected")

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def to_json(self) -> dict[str, Any]:
        return {
            "documents_in": len(self.inputs),
            "documents_written": len(self.written),
            "documents_rejected": len(self.rejected),
            "inputs": self.inputs,
            "written": self.written,
            "rejected": self.rejected,
            "outputs": self.outputs,
            "errors": [asdict(p) for p in self.errors],
            "warnings": [asdict(p) for p in self.warnings],
            "stats": self.stats,
        }

    def write(self, path: Path) -> None:
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        path.write_text(text, encoding="utf-8")
