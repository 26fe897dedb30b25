"""A print edition's footnotes come back as the documents' notes when its PDF is imported.

The PDF is the bundled example (examples/kennedy-khrushchev: 25 real FRUS documents) built to its
print edition by `dossier build`, which sets notes at the page feet in a smaller size, the source
note as the heading's note 1 and the text's notes after it. The gold is the example project itself.
"""

from __future__ import annotations

import re

import pytest

from dossier import markup, project
from dossier.ingest import pdf
from dossier.ingest.registry import ImportOptions
from dossier.report import Report
from print_fixture import example_print


def _fold(text: str) -> str:
    return " ".join(text.replace("\u2010", "").replace("-", "").split())


@pytest.fixture(scope="module")
def printed() -> dict[str, object]:
    source, edition_pdf = example_print()
    report = Report()
    docs = pdf.read(edition_pdf, ImportOptions(), report).documents
    gold = {d.n: d for d in (project.read_document(p) for p in project.document_files(source))}
    return {"docs": {d.n: d for d in docs}, "gold": gold, "report": report}


def _notes(body: str) -> list[str]:
    return [markup.inline_text(b.inlines) for b in markup.iter_blocks(markup.parse(body)) if b.kind == "note"]


def test_page_foot_notes_become_the_documents_notes(printed):
    docs, gold, report = printed["docs"], printed["gold"], printed["report"]
    assert sorted(docs) == sorted(gold)
    stats = report.stats["notes"]["edition.pdf"]
    assert stats["at_page_feet"] == stats["attached"] > 0 and stats["in_no_document"] == 0
    right = total = 0
    for n, g in gold.items():
        d = docs[n]
        want = ([markup.plain_text(g.source)] if g.source else []) + _notes(g.body)
        got = _notes(d.body)
        assert len(got) == len(want), n
        # every mark has its note, every note its mark
        assert sorted(label for label, _ in markup.note_refs(d.body)) == sorted(
            b.label for b in markup.iter_blocks(markup.parse(d.body)) if b.kind == "note")
        for w, x in zip(want, got, strict=True):
            total += 1
            right += _fold(w) == _fold(x)
    assert right / total >= 0.97, (right, total)


def test_the_text_keeps_no_note_and_no_mark_glued_to_a_word(printed):
    docs, gold = printed["docs"], printed["gold"]
    for n, g in gold.items():
        d = docs[n]
        text = "\n\n".join(markup.inline_text(b.inlines) for b in markup.iter_blocks(markup.parse(d.body))
                           if b.kind != "note")
        for note in _notes(d.body):
            assert _fold(note) not in _fold(text)
        assert not re.search(r"[^\W\d_]\d$", d.heading), d.heading  # `Kennedy1` is a note reference now
        if g.source:
            assert _fold(d.source) == _fold(markup.plain_text(g.source)), n
