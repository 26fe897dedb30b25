"""One way to fold a name into an id and one way to guess a language (dossier.text_utils), used by
import, annotate and compile alike."""

from __future__ import annotations

import re
from pathlib import Path

from dossier.compile import edition
from dossier.enrich import annotate, cluster
from dossier.ingest import structure, text
from dossier.model import Document
from dossier.text_utils import detect_language, name_key, slug

SRC = Path(__file__).resolve().parents[1] / "src" / "dossier"
NAMES = ["Khrushchev’s", "KHRUSHCHEV", "Н. С.  Хрущёв", "Хрущ\u0435\u0308в", "Хрущёва's", "O'Donnell, Kenneth",
         "  ", "Dobrynin, Anatoly F."]


def test_one_slug_for_annotate_and_compile() -> None:
    defined = [f"{p.relative_to(SRC)}: {m.group(0)}" for p in sorted(SRC.rglob("*.py"))
               for m in re.finditer(r"^def _?slug\(", p.read_text(encoding="utf-8"), re.M)]
    assert defined == ["text_utils.py: def slug("]
    for name in NAMES:
        assert edition.slug(name) == slug(name)
        assert edition.mention_key(name) == cluster.key(name) == name_key(name)
    assert slug("Хрущ\u0435\u0308в's") == slug("ХРУЩЕВ") == "хрущев"
    assert slug("  ") == "x"


def test_one_language_guess() -> None:
    assert text.detect_language is detect_language
    undeclared = Document(id="d", body="")
    cases = {"Ab Аб": "ru", "Хрущёв said": "ru", "Khrushchev сказал": "en", "1963 — 24": ""}
    for sample, lang in cases.items():
        assert detect_language(sample) == lang, sample
        assert annotate.document_language(undeclared, sample) == (lang or "en"), sample
        assert structure._norm_lang(None, sample) == (lang or "ru"), sample
    assert annotate.document_language(Document(id="d", body="", language="ru-RU"), "English words") == "ru"


def test_unique_id_numbers_a_taken_id_and_records_the_one_it_gives() -> None:
    from dossier.text_utils import unique_id

    taken = {"p-kennedy", "p-kennedy-2"}
    assert unique_id("p-kennedy", taken) == "p-kennedy-3" and "p-kennedy-3" in taken
    assert unique_id("p-rusk", taken) == "p-rusk" and unique_id("p-rusk", taken) == "p-rusk-2"
