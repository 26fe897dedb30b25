"""Undated documents take the date the printed list of documents gives them, also when a scan's OCR
lost the list's numbers.

The text is the bundled example's print edition (`print_fixture`) as the PDF reader gives it to the
structure finder. Two of its documents are printed `Moscow, undated.`; the list of documents at the
front dates them in brackets (`20. Letter From … [November 4, 1962]`). Tesseract reads that list
without its column of numbers (its layout analysis drops the narrow column), and reads the year of
entry 22 as `1968` (the print sets the entry's page number over its year): both changes are made
to the real text here, as the scan gives them.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from dossier import project
from dossier.ingest import pdf, structure
from dossier.ingest.registry import ImportOptions
from dossier.report import Report
from print_fixture import example_print


@pytest.fixture(scope="module")
def printed() -> dict[str, object]:
    source, edition_pdf = example_print()
    gold = {d.n: d for d in (project.read_document(p) for p in project.document_files(source))}
    seen: dict[str, str] = {}
    real = structure.documents_from_text

    def spy(text: str, **kw: object) -> object:
        seen["text"] = text
        return real(text, **kw)  # type: ignore[arg-type]

    structure.documents_from_text = spy  # type: ignore[assignment]
    try:
        pdf.read(Path(edition_pdf), ImportOptions(lang="en"), Report())
    finally:
        structure.documents_from_text = real  # type: ignore[assignment]
    return {"gold": gold, "text": seen["text"]}


def _undated(gold: dict) -> list[int]:
    return sorted(n for n, d in gold.items() if d.date.inferred and "undated" in (d.dateline or ""))


def _dates(text: str) -> dict[int, tuple[str | None, str | None]]:
    docs = structure.documents_from_text(text, stem="edition", lang="en") or []
    return {d.n: (d.date.start, d.date.end) for d in docs}


def _without_numbers(text: str) -> str:
    """The list of documents as the scan's OCR reads it: its entries' numbers gone."""
    head = re.search(r"^LIST OF DOCUMENTS$", text, re.MULTILINE | re.IGNORECASE)
    assert head is not None
    first = re.search(r"^1\. ", text[head.end():], re.MULTILINE)
    assert first is not None
    start = head.end() + first.start()
    end = text.index("\n\n1. ", start)  # the first document's heading
    return text[:start] + re.sub(r"(?m)^\d{1,3}\.[ \t]+", "", text[start:end]) + text[end:]


def test_undated_documents_dated_by_the_numbered_list(printed):
    gold, text = printed["gold"], printed["text"]
    undated = _undated(gold)
    assert len(undated) == 2
    got = _dates(text)
    for n in undated:
        assert got[n] == (gold[n].date.start, gold[n].date.end)


def test_the_list_read_by_headings_when_its_numbers_are_lost(printed):
    gold, text = printed["gold"], printed["text"]
    lost = _without_numbers(text)
    assert structure.analyze_structure(lost, "en").listed == []  # the numbers are what the list is read by
    got = _dates(lost)
    assert sorted(got) == sorted(gold)
    for n, doc in gold.items():
        assert got[n] == (doc.date.start, doc.date.end), n


def test_a_listed_year_that_breaks_the_order_is_a_misread_digit(printed):
    gold, text = printed["gold"], printed["text"]
    n = _undated(gold)[-1]
    day = date.fromisoformat(gold[n].date.start)
    year = str(day.year)
    lost = _without_numbers(text)
    entry = re.search(re.escape(f"[{day:%B} {day.day}, {year}]"), lost)  # `[November 11, 1962]`
    assert entry is not None
    one_digit = year[:3] + str((int(year[3]) + 6) % 10)  # 1962 -> 1968, as the scan reads it
    two_digits = str(int(year) + 13)  # 1975: no misread digit, kept as read
    for read, want in ((one_digit, gold[n].date.start), (two_digits, two_digits + gold[n].date.start[4:])):
        changed = lost[:entry.start()] + entry.group().replace(year, read) + lost[entry.end():]
        assert _dates(changed)[n][0] == want
