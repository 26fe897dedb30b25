"""Shared test fixtures: where the real corpora are. Tests use real data from ../shared by path."""

import os
from pathlib import Path

import pytest

# The command line's summaries are in the user's locale (dossier.i18n.interface_language): the tests read
# them in English, whatever the machine's locale.
os.environ["LANGUAGE"] = "en"

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FRUS = SHARED / "corpora" / "frus1961-63v06.xml"
FACTRU = SHARED / "corpora" / "factRuEval-2016" / "devset"
LETTERS = SHARED / "corpora" / "tolstoy-letters"
TEI_RNG = SHARED / "schemas" / "tei_all.rng"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.fail(f"{SHARED} is missing: the tests need ../shared beside the repository")
    return SHARED
