"""The `dossier` command: one entry point, a sub-command per job, each a thin call into the rooms.

What it is for: arguments, progress, the summary line, exit codes. Exit status: 0 done; 1 failed
(one-line reason on stderr, naming the file); 3 done, but some inputs were rejected or errors found
(each listed, and in the report). What it is not: the place for any logic of the pipeline.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from . import project
from .report import DossierError, Report

T = TypeVar("T")
EXIT_FAILED = 1
EXIT_WITH_ERRORS = 3
FORMATS = ("html", "pdf", "tei", "json")
DEFAULT_FORMATS = "html,pdf,tei,json"


class Ui:
    """Progress and messages, quiet when asked (-q) or when stderr is not a terminal for bars."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def say(self, text: str) -> None:
        if not self.quiet:
            click.echo(text)

    def problem(self, text: str) -> None:
        click.echo(text, err=True)

    def progress(self, items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
        if self.quiet or not sys.stderr.isatty():
            yield from items
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      transient=True) as bar:
            task = bar.add_task(label, total=total)
            for item in items:
                yield item
                bar.advance(task)


def _formats(value: str, where: str) -> list[str]:
    """The --format list, checked: a one-line error naming the option for an unknown or empty one."""
    wanted = [f.strip() for f in value.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        what = f"unknown format {unknown[0]!r}" if unknown else "no format given"
        click.echo(f"{where}: error: {what} (choose from {', '.join(FORMATS)})", err=True)
        sys.exit(EXIT_FAILED)
    return wanted


def _fail(exc: DossierError) -> None:
    click.echo(str(exc.problem), err=True)
    sys.exit(EXIT_FAILED)


def _print_problems(ui: Ui, report: Report, limit: int = 20) -> None:
    problems = report.problems
    for p in problems[:limit]:
        ui.problem(str(p))
    if len(problems) > limit:
        ui.problem(f"... and {len(problems) - limit} more (see the report)")


quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (for scripts).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dossier")
def main() -> None:
    """dossier: compile archival documents into a documentary edition, and take dossiers apart again.

    \b
    Start with:  dossier demo                 build the bundled example edition
                 dossier new DIR              create a project to edit
                 dossier import FILES --into DIR
                 dossier build DIR --out OUT
    """


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", default="", help="Title of the edition (default: the folder's name).")
@click.option("--style", type=click.Choice(["frus", "soviet"]), default=None,
              help="Which archival tradition the edition follows (default: soviet for a Russian edition, else frus).")
@click.option("--lang", "languages", default="en", show_default=True, help="Languages, e.g. ru or ru,en.")
@quiet_option
def new(directory: Path, title: str, style: str | None, languages: str, quiet: bool) -> None:
    """Create an empty dossier project in DIRECTORY.

    \b
    Example:  dossier new kennedy-1963 --style soviet --lang ru
    """
    ui = Ui(quiet)
    langs = [x.strip() for x in languages.split(",") if x.strip()]
    bad = [x for x in langs if x not in ("ru", "en")]
    if bad or not langs:
        click.echo(f"--lang: error: {bad[0] if bad else languages!r} is not a language dossier knows (ru, en)", err=True)
        sys.exit(EXIT_FAILED)
    try:
        project.new_project(directory, title or directory.name, style or ("soviet" if langs[0] == "ru" else "frus"),
                            langs)
    except DossierError as exc:
        _fail(exc)
    ui.say(f"Created {directory}/ (dossier.toml, documents/, registers/, images/, appendix/). "
           f"See {directory}/README.md.")


@main.command(name="import")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--into", "into", required=True, type=click.Path(path_type=Path), help="The project folder.")
@click.option("--lang", default="", help="Language of the inputs: ru, en or ru+en (default: detect).")
@click.option("--force", is_flag=True, help="Overwrite document files that already exist in the project.")
@click.option("--annotate/--no-annotate", "annotate_", default=None,
              help="Propose indices of names, places, organisations after the import (default: when the "
                   "sources brought no index of their own).")
@quiet_option
def import_(inputs: tuple[Path, ...], into: Path, lang: str, force: bool, annotate_: bool | None,
            quiet: bool) -> None:
    """Import documents into a project (created if missing): TEI, text, Markdown, PDF, scans, DOCX.

    Unless the sources bring their own index (a TEI edition with its list of names), dossier then
    proposes one, as `dossier annotate` does; review it in registers/*.yaml.

    \b
    Examples:  dossier import frus1961-63v06.xml --into kennedy
               dossier import letters/ --into tolstoy --lang ru
               dossier import scans/*.pdf --into kennedy --lang ru+en --no-annotate
    """
    from .ingest.importer import import_files

    ui = Ui(quiet)
    report = Report()
    try:
        summary = import_files(list(inputs), into, lang, force, report, ui.progress)
        proposed = ""
        if annotate_ is None:
            annotate_ = not any(e.status == "accepted" for e in project.read_registers(into, Report()).persons)
        if annotate_ and report.written:
            from .enrich.annotate import annotate_project

            result = annotate_project(into, report, progress=ui.progress)
            proposed = result.line()
    except DossierError as exc:
        _fail(exc)
    _print_problems(ui, report)
    ui.say(summary)
    if proposed:
        ui.say(proposed)
    if report.errors:
        sys.exit(EXIT_WITH_ERRORS)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Where to write the edition.")
@click.option("--format", "formats", default=DEFAULT_FORMATS, show_default=True,
              help="Comma-separated subset of html, pdf, tei, json.")
@click.option("--style", default="", help="Override the style of dossier.toml (frus or soviet).")
@click.option("--workers", type=int, default=None, help="Processes to use (default: all cores).")
@click.option("--scheduler", default=None, help="Run on a Dask cluster: tcp://HOST:PORT of its scheduler.")
@quiet_option
def build(directory: Path, out: Path, formats: str, style: str, workers: int | None, scheduler: str | None,
          quiet: bool) -> None:
    """Build the edition: OUT/site/, edition.pdf, edition.tei.xml, edition.json, report.json.

    \b
    Example:  dossier build kennedy --out dist --format html,tei
    """
    from .build import build_edition

    ui = Ui(quiet)
    wanted = _formats(formats, "--format")
    report = Report()
    try:
        summary = build_edition(directory, out, wanted, report, style=style or None, progress=ui.progress,
                                workers=workers, scheduler=scheduler)
    except DossierError as exc:
        _fail(exc)
    _print_problems(ui, report)
    ui.say(summary)
    if report.errors:
        sys.exit(EXIT_WITH_ERRORS)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@quiet_option
def check(directory: Path, quiet: bool) -> None:
    """Check a project's integrity: numbering, references, dates, notes. Exit 3 when it finds errors.

    \b
    Example:  dossier check kennedy
    """
    from .check import check_project

    ui = Ui(quiet)
    try:
        problems = check_project(directory)
    except DossierError as exc:
        _fail(exc)
    for p in problems:
        ui.problem(str(p))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    ui.say(f"{errors} {'error' if errors == 1 else 'errors'}, {warnings} {'warning' if warnings == 1 else 'warnings'}")
    if errors:
        sys.exit(EXIT_WITH_ERRORS)


@main.command()
@click.option("--out", "out", default=Path("out/demo"), show_default=True, type=click.Path(path_type=Path),
              help="Where to write the example edition.")
@click.option("--format", "formats", default=DEFAULT_FORMATS, show_default=True)
@quiet_option
def demo(out: Path, formats: str, quiet: bool) -> None:
    """Build the bundled example edition: Kennedy-Khrushchev exchanges from FRUS 1961-63, volume VI.

    The example is copied to OUT/project, annotated there (the FRUS editors' index of names is kept;
    dossier proposes the index of places and of organisations and the persons the editors left out),
    and built into OUT. The bundled example itself is not changed.

    \b
    Example:  dossier demo --out /tmp/demo
    """
    import shutil

    from .build import build_edition
    from .enrich.annotate import annotate_project
    from .examples import example_project

    ui = Ui(quiet)
    report = Report()
    try:
        fmts = _formats(formats, "--format")
        src = out / "project"
        if src.exists():
            shutil.rmtree(src)
        shutil.copytree(example_project(), src)
        ui.say(annotate_project(src, report, progress=ui.progress).line())
        summary = build_edition(src, out, fmts, report, progress=ui.progress)
    except DossierError as exc:
        _fail(exc)
    _print_problems(ui, report)
    ui.say(summary)
    if (out / "site" / "index.html").exists():
        ui.say(f"Open {out / 'site' / 'index.html'} in a browser.")
    if report.errors:
        sys.exit(EXIT_WITH_ERRORS)


@main.command(name="search")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("query", nargs=-1)
@click.option("--exact", is_flag=True, help="Match the text as printed: no transliteration, no inflection, ё ≠ е.")
@click.option("--from", "date_from", default=None, help="Only documents dated on or after YYYY-MM-DD.")
@click.option("--to", "date_to", default=None, help="Only documents dated on or before YYYY-MM-DD.")
@click.option("--person", default=None, help="Only documents naming this person (entry id or name, any script).")
@click.option("--place", default=None, help="Only documents naming this place.")
@click.option("--org", default=None, help="Only documents naming this organisation.")
@click.option("--type", "doc_type", default=None, help="Only documents of this type (telegram, letter, ...).")
@click.option("--chapter", default=None, help="Only documents of this chapter (its id).")
@click.option("--lang", default=None, help="Only documents in this language.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000),
              help="How many results to show (1-1000).")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
@quiet_option
def search_cmd(directory: Path, query: tuple[str, ...], exact: bool, date_from: str | None, date_to: str | None,
               person: str | None, place: str | None, org: str | None, doc_type: str | None, chapter: str | None,
               lang: str | None, limit: int, as_json: bool, quiet: bool) -> None:
    """Search a project or a built edition, across scripts and transliterations.

    \b
    Words must all match; "a phrase", prefix*, OR, NOT, ( ) work as usual (to exclude with a
    leading dash, put -- before the query: dossier search k -- Cuba -Berlin). Dates: YYYY,
    YYYY-MM, YYYY-MM-DD or as printed (22.11.1963).
    Examples:  dossier search kennedy Chruschtschow
               dossier search dist "Kohler condolence" --from 1963-11-22 --to 1963-11-30
               dossier search kennedy Хрущёв --exact --json
    """
    import json as _json

    from .build import project_catalog
    from .search import Query, search

    ui = Ui(quiet)
    try:
        catalog = project_catalog(directory)
        results = search(catalog, Query(" ".join(query), exact=exact, date_from=date_from, date_to=date_to,
                                        person=person, place=place, org=org, type=doc_type, chapter=chapter,
                                        language=lang, limit=limit))
    except DossierError as exc:
        _fail(exc)
    if as_json:
        click.echo(_json.dumps(results.to_json(), ensure_ascii=False, indent=2))
        return
    for note in results.notes:
        ui.problem(f"note: {note}")
    for h in results.hits:
        date = h.date_from or "undated"
        if h.date_to and h.date_to != h.date_from:
            date += f"–{h.date_to}"
        ui.say(f"{h.n}. {h.heading} ({date}) [{h.id}]")
        ui.say(f"    {h.snippet}")
    persons = ", ".join(f"{k} ({v})" for k, v in list(results.facets.get("person", {}).items())[:5])
    if results.total_exact:
        count = "1 document matches" if results.total == 1 else f"{results.total} documents match"
    else:
        count = f"about {results.total} documents match (an estimate from a sample)"
    ui.say(count + (f"; persons: {persons}" if persons else ""))


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@quiet_option
def serve(directory: Path, host: str, port: int, quiet: bool) -> None:
    """Serve a built edition (or a project, built first) and a JSON search API on localhost.

    \b
    The API: GET /api/search?q=Khrushchev&from=1963-11-22&to=1963-11-30&person=...&exact=1
    Example:  dossier serve dist --port 8080
    """
    from .build import build_edition
    from .serve import make_server

    ui = Ui(quiet)
    try:
        if (directory / "dossier.toml").exists():
            out = directory / ".dossier" / "serve"
            build_edition(directory, out, ["html"], Report())
        else:
            out = directory
        server = make_server(out / "site", out / "catalog.sqlite", host, port)
    except DossierError as exc:
        _fail(exc)
    except OSError as exc:
        click.echo(f"{host}:{port}: cannot listen ({exc.strerror})", err=True)
        sys.exit(EXIT_FAILED)
    ui.say(f"Serving {out / 'site'} at http://{host}:{server.server_address[1]}/ (search: /api/search?q=...); "
           "Ctrl-C to stop")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--workers", type=int, default=None, help="Processes to use (default: all cores).")
@click.option("--scheduler", default=None, help="Run on a Dask cluster: tcp://HOST:PORT of its scheduler.")
@quiet_option
def annotate(directory: Path, workers: int | None, scheduler: str | None, quiet: bool) -> None:
    """Find persons, places and organisations; propose register entries and mark every mention.

    \b
    Proposals go to registers/*.yaml with status: proposed, their variants and evidence. Accept,
    reject, rename or merge them there (or with 'dossier register'); re-running keeps your decisions.
    Example:  dossier annotate kennedy
    """
    from .enrich.annotate import annotate_project

    ui = Ui(quiet)
    report = Report()
    try:
        summary = annotate_project(directory, report, ui.progress, workers=workers, scheduler=scheduler)
    except DossierError as exc:
        _fail(exc)
    _print_problems(ui, report)
    ui.say(summary.line())
    if report.errors:
        sys.exit(EXIT_WITH_ERRORS)


@main.group()
def register() -> None:
    """Edit a project's registers: merge, split, accept or reject entries (marks follow).

    \b
    Examples:  dossier register merge kennedy p-khrushchev-n-s p-khrushchov
               dossier register split kennedy p-kennedy "Robert Kennedy" --id p-kennedy-robert
               dossier register accept kennedy p-rusk-dean p-gromyko-a-a
    """


@register.command(name="merge")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("keep")
@click.argument("others", nargs=-1, required=True)
@quiet_option
def register_merge(directory: Path, keep: str, others: tuple[str, ...], quiet: bool) -> None:
    """Merge entries OTHERS into KEEP: their forms become variants, their marks point to KEEP."""
    from .enrich.annotate import merge_entries

    try:
        Ui(quiet).say(merge_entries(directory, keep, list(others)))
    except DossierError as exc:
        _fail(exc)


@register.command(name="split")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("entry")
@click.argument("forms", nargs=-1, required=True)
@click.option("--id", "new_id", required=True, help="Id of the new entry.")
@click.option("--name", "new_name", default="", help="Name of the new entry (default: the first form).")
@quiet_option
def register_split(directory: Path, entry: str, forms: tuple[str, ...], new_id: str, new_name: str,
                   quiet: bool) -> None:
    """Move the mentions written as FORMS from ENTRY to a new entry."""
    from .enrich.annotate import split_entry

    try:
        Ui(quiet).say(split_entry(directory, entry, list(forms), new_id, new_name))
    except DossierError as exc:
        _fail(exc)


@register.command(name="accept")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("entries", nargs=-1, required=True)
@quiet_option
def register_accept(directory: Path, entries: tuple[str, ...], quiet: bool) -> None:
    """Accept proposed entries."""
    from .enrich.annotate import set_status

    try:
        Ui(quiet).say(set_status(directory, list(entries), "accepted"))
    except DossierError as exc:
        _fail(exc)


@register.command(name="reject")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("entries", nargs=-1, required=True)
@quiet_option
def register_reject(directory: Path, entries: tuple[str, ...], quiet: bool) -> None:
    """Reject entries: annotate never proposes them again and leaves their mentions unmarked."""
    from .enrich.annotate import set_status

    try:
        Ui(quiet).say(set_status(directory, list(entries), "rejected"))
    except DossierError as exc:
        _fail(exc)


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--lang", default="", help="Language of the inputs: ru, en or ru+en (default: detect).")
@click.option("--out", "out", default=Path("."), show_default=True, type=click.Path(path_type=Path),
              help="Folder for SOURCE.analysis.md, .json and .html.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the analysis as JSON instead of the summary (files are written only with --out).")
@quiet_option
def analyze(source: Path, lang: str, out: Path, as_json: bool, quiet: bool) -> None:
    """Analyse an existing dossier: structure, documents, dates, names, and what kind of compilation it is.

    SOURCE is a project folder, a file (TEI, text, PDF, scan, DOCX) or a folder of files; it is not changed.

    \b
    Example:  dossier analyze received.pdf
              dossier analyze article.txt --json
    """
    import collections
    import json as _json

    from .analyze.profile import analyze_path, write_reports

    ui = Ui(quiet)
    try:
        profile, report = analyze_path(source, lang)
    except DossierError as exc:
        _fail(exc)
    data = profile.to_json()
    for problem in data["problems"][:20]:
        ui.problem(problem)
    if as_json and out == Path("."):
        click.echo(_json.dumps(data, ensure_ascii=False, indent=2))
    else:
        stem = source.stem if source.is_file() else source.resolve().name
        paths = write_reports(profile, out, stem)
        if as_json:
            click.echo(_json.dumps(data, ensure_ascii=False, indent=2))
        else:
            signs = collections.Counter(e["sign"] for e in data["evidence"]
                                        if e["kind"] == data["kind"] and not e["negated"])
            evidence = "; ".join(s if n == 1 else f"{s} ×{n}" for s, n in signs.items())
            ui.say(f"Kind: {data['kind']} ({data['scores'].get(data['kind'], 0):.2f})"
                   + (f" — {evidence}" if evidence else ""))
            if data["describes"]:
                d = data["describes"]
                ui.say(f"Describes: a {d['kind']}" + (f", “{d['title']}”" if d.get("title") else ""))
            span = data["date_span"]
            count = data["documents"]["count"]
            types = ", ".join(f"{n} {t}" for t, n in data["documents"]["by_type"].items())
            ui.say(f"Span: {span['from'] or '?'} – {span['to'] or '?'}; "
                   f"{count} {'document' if count == 1 else 'documents'}: {types}")
            for label, key in (("People", "persons"), ("Places", "places"), ("Organisations", "organizations")):
                if data[key]:
                    ui.say(f"{label}: " + ", ".join(f"{r['name']} ({r['documents']})" for r in data[key][:8]))
            ui.say(f"Report: {paths[0]} (and .json, .html)")
    if report.rejected or report.errors:
        sys.exit(EXIT_WITH_ERRORS)


def run(args: list[str]) -> Any:
    """Call the CLI in-process (tests)."""
    return main.main(args=args, standalone_mode=False)


if __name__ == "__main__":
    main()
