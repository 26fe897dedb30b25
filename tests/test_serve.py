"""`dossier serve`: static pages and the JSON search API on loopback, on the bundled example."""

import json
import urllib.error
import urllib.request

import pytest

from dossier.build import build_edition
from dossier.examples import example_project
from dossier.report import Report
from dossier.serve import make_server, serve_in_thread


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    out = tmp_path_factory.mktemp("served")
    build_edition(example_project(), out, ["html"], Report())
    srv = make_server(out / "site", out / "catalog.sqlite", "127.0.0.1", 0)
    serve_in_thread(srv)
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.headers.get("Content-Type"), r.read()


def test_pages_and_search_api(server):
    status, ctype, body = get(server + "/index.html")
    assert status == 200 and "html" in ctype and b"Khrushchev" in body
    status, ctype, body = get(server + "/api/search?q=Chruschtschow&from=1963-11-01")
    data = json.loads(body)
    assert status == 200 and ctype.startswith("application/json")
    assert data["total"] >= 2 and all(h["date"]["to"] >= "1963-11-01" for h in data["hits"])
    assert data["order"] == "relevance" and data["total_exact"] is True and data["facets_exact"] is True
    q = urllib.parse.quote("Хрущёва")
    assert json.loads(get(server + f"/api/search?q={q}")[2])["total"] == json.loads(
        get(server + "/api/search?q=Khrushchev")[2])["total"]


def test_bad_requests_get_a_clear_json_error(server):
    with pytest.raises(urllib.error.HTTPError) as err:
        get(server + "/api/search?q=x&limit=lots")
    assert err.value.code == 400 and "whole numbers" in json.loads(err.value.read())["error"]
    status, _, body = get(server + "/api/search?q=" + urllib.parse.quote('"unbalanced (( OR'))
    assert status == 200 and "total" in json.loads(body)


def test_a_catalog_of_another_schema_stops_the_server_in_one_line(tmp_path):
    import shutil
    import sqlite3

    from dossier.report import DossierError

    out = tmp_path / "out"
    build_edition(example_project(), out, ["html"], Report())
    old = tmp_path / "old.sqlite"
    shutil.copyfile(out / "catalog.sqlite", old)
    con = sqlite3.connect(old)
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    con.commit()
    con.close()
    with pytest.raises(DossierError, match="schema 1") as err:
        make_server(out / "site", old, "127.0.0.1", 0)
    assert "\n" not in str(err.value)
