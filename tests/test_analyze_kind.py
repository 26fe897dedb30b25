"""What kind of compilation a text is, with evidence: the seed article, the FRUS volume, Tolstoy's letters."""

from pathlib import Path

from conftest import FRUS, LETTERS, SHARED
from dossier.analyze.kind import ARCHIVAL, CORRESPONDENCE, PRESS, characterise
from dossier.analyze.profile import _structure_evidence, characterise_with, document_text, load_documents
from dossier.report import Report

ARTICLE = SHARED / "seed" / "article.txt"


def test_the_seed_article_is_a_press_report_describing_an_archival_publication():
    c = characterise(ARTICLE.read_text(encoding="utf-8"))
    assert c.kind == PRESS and c.scores[PRESS] > 0.8
    signs = {e.sign for e in c.evidence if e.kind == PRESS}
    assert {"reading time", "byline"} <= signs
    assert c.describes and c.describes["kind"] == ARCHIVAL
    described = {e["sign"] for e in c.describes["evidence"]}
    assert {"list of documents", "index of names", "appendix"} <= described
    # "rather than intelligence analysis" counts against, not for, an intelligence product
    assert all(e.negated for e in c.evidence if e.sign == "intelligence analysis")


def _kind_of(path: Path):
    docs, structure = load_documents(path, "", Report())
    text = "\n\n".join(document_text(d) for d in docs)
    return characterise_with(text, _structure_evidence(docs, structure))


def test_the_frus_volume_is_an_archival_publication_with_its_apparatus_as_evidence():
    c = _kind_of(FRUS)
    assert c.kind == ARCHIVAL
    assert c.scores[ARCHIVAL] == max(c.scores.values()) and abs(sum(c.scores.values()) - 1) < 0.01
    signs = {e.sign for e in c.evidence if e.kind == ARCHIVAL and e.structural}
    assert {"numbered documents", "archival source note", "index of names", "abbreviations"} <= signs


def test_tolstoy_letters_read_as_a_documentary_edition_of_letters():
    c = _kind_of(LETTERS)
    top2 = sorted(c.scores, key=c.scores.get, reverse=True)[:2]
    assert set(top2) == {ARCHIVAL, CORRESPONDENCE}
    assert any(e.sign == "salutation" for e in c.evidence)
    assert any(e.sign == "one correspondent" and "60 of 61" in e.text for e in c.evidence)
