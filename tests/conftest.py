"""Shared test fixtures: where the real corpora are. Tests use real data from ../shared by path."""

from pathlib import Path

import pytest

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
