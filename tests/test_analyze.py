"""`dossier analyze` on the seed article (a press report about an archival compilation) and the FRUS volume."""

import hashlib
import json

import pytest

from conftest import FRUS, SHARED
from dossier import cli
from dossier.analyze.profile import analyze_path
from dossier.examples import example_project

ARTICLE = SHARED / "seed" / "article.txt"


@pytest.fixture(scope="module")
def article():
    profile, _ = analyze_path(ARTICLE)
    return profile.to_json()


def names(rows):
    return " | ".join(r["name"] + " " + " ".join(r["variants"]) for r in rows)


def test_the_article_is_a_press_report_about_a_state_archival_compilation(article):
    assert article["kind"] == "press report"
    assert article["describes"]["kind"] == "state archival publication"
    assert article["describes"]["title"] == "Russian JFK Dossier"
    assert article["date_span"] == {"from": "1963-11-23", "to": "1963-11-25"}
    assert set(article) >= {"kind", "scores", "evidence", "describes", "date_span", "documents", "persons",
                            "places", "organizations", "languages"}
    assert article["languages"] == {"en": 1}


def test_the_article_names_its_people_and_places(article):
    persons = names(article["persons"])
    for who in ("Khrushchev", "John F. Kennedy", "Jacqueline Kennedy", "Kohler", "Komesarov", "Shtinnikov",
                "Mastiukov"):
        assert who.split()[-1] in persons, who
    jackie = next(r for r in article["persons"] if "Jacqueline" in r["name"])
    john = next(r for r in article["persons"] if "John" in r["name"])
    assert jackie["id"] != john["id"]
    places = names(article["places"])
    assert "Moscow" in places and "Embassy" in places


def test_the_frus_volume_is_an_archival_publication_spanning_its_dates():
    profile, _ = analyze_path(FRUS)
    data = profile.to_json()
    assert data["kind"] == "state archival publication"
    assert data["date_span"] == {"from": "1960-11-09", "to": "1963-12-01"}
    assert data["documents"]["count"] == 120
    assert data["persons"][0]["name"].startswith("Khrushchev")
    assert {"letter", "telegram"} <= set(data["documents"]["by_type"])


def test_analyze_command_writes_reports_and_leaves_the_project_alone(tmp_path, capsys):
    src = example_project()
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(src.rglob("*")) if p.is_file()}
    cli.run(["analyze", str(src), "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert "Kind: state archival publication" in out and "Span: 1960-11-09" in out
    data = json.loads((tmp_path / "kennedy-khrushchev.analysis.json").read_text(encoding="utf-8"))
    assert data["documents"]["count"] == 25
    assert (tmp_path / "kennedy-khrushchev.analysis.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(src.rglob("*")) if p.is_file()}
    assert before == after
