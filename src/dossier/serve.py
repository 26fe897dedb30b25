"""`dossier serve`: the web edition and a JSON search API on localhost.

What it is for: serving a built edition's `site/` as static files and answering
`GET /api/search?q=...&from=&to=&person=&place=&org=&type=&chapter=&lang=&exact=1&limit=` from its
`catalog.sqlite`, for people who want search without the static index, and for other tools.
It binds to 127.0.0.1 by default. Requests reuse open read-only connections to the catalog
(`dossier.search.catalog_connection`): SQLite's page cache and prepared statements outlive a request,
and a catalog a new build swapped in is opened afresh. The JSON says how hits are ordered (`order`:
"relevance" or "edition") and whether `total` and the facets are exact (`total_exact`, `facets_exact`);
see `dossier.search.search`.

What it is not: a production web server (no TLS, no authentication), nor a builder: give it a built
edition (`dossier build DIR --out OUT`, then `dossier serve OUT`), or a project, which it builds first
into `DIR/.dossier/serve/`.
"""

from __future__ import annotations

import json
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from .report import DossierError
from .search import Query, catalog_connection, search

_PARAMS = {"from": "date_from", "to": "date_to", "person": "person", "place": "place", "org": "org",
           "type": "type", "chapter": "chapter", "lang": "language"}


def query_from_params(params: dict[str, list[str]]) -> Query:
    def one(key: str) -> str | None:
        values = params.get(key)
        return values[0] if values and values[0] else None

    limit = one("limit")
    offset = one("offset")
    try:
        lim = max(1, min(int(limit), 200)) if limit else 20
        off = max(0, int(offset)) if offset else 0
    except ValueError as exc:
        raise DossierError("query", "limit and offset are whole numbers") from exc
    return Query(one("q") or "", exact=one("exact") in ("1", "true", "yes"), limit=lim, offset=off,
                 **{attr: one(key) for key, attr in _PARAMS.items()})


class _Handler(SimpleHTTPRequestHandler):
    catalog: Path

    def __init__(self, *args: object, catalog: Path, **kwargs: object) -> None:
        self.catalog = catalog
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:  # quiet: one line per request is noise
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urlparse(self.path)
        if url.path != "/api/search":
            super().do_GET()
            return
        try:
            results = search(self.catalog, query_from_params(parse_qs(url.query)))
            body, status = results.to_json(), HTTPStatus.OK
        except DossierError as exc:
            body, status = {"error": exc.problem.message}, HTTPStatus.BAD_REQUEST
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def make_server(site: Path, catalog: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    if not (site / "index.html").exists():
        raise DossierError(str(site), "no web edition here (index.html missing); build it with 'dossier build'")
    with catalog_connection(catalog):  # a missing catalog, or one of another schema, stops us here, in one line
        pass
    handler = partial(_Handler, catalog=catalog, directory=str(site))
    return ThreadingHTTPServer((host, port), handler)


def serve_in_thread(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread
