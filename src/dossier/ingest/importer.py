"""`dossier import`: read inputs with the reader each one wins, and add what they give to a project.

What it is for: creating the project when needed, adding documents without overwriting what the
editor already has (unless --force), merging imported register entries by id without touching the
editor's entries, and writing `import-report.json`. What it is not: a reader of any format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .. import markup, project
from ..i18n import interface_translator
from ..model import ENTITY_KINDS, Document, Metadata, Registers
from ..report import DossierError, Report
from .registry import ImportOptions, Reader, choose, expand_inputs

Progress = Callable[[Iterable[Any], str, int | None], Iterator[Any]]


def _merge_registers(current: Registers, incoming: Registers) -> int:
    """Add incoming entries whose id is new; an existing entry (the editor's) is never replaced."""
    added = 0
    for kind in ENTITY_KINDS:
        have = {e.id for e in current.of_kind(kind)}
        for e in incoming.of_kind(kind):
            if e.id not in have:
                current.of_kind(kind).append(e)
                have.add(e.id)
                added += 1
    have_abbr = {a.id for a in current.abbreviations}
    for a in incoming.abbreviations:
        if a.id not in have_abbr:
            current.abbreviations.append(a)
            have_abbr.add(a.id)
            added += 1
    return added


_APPARATUS_LABELS = {"person": ("index of names", "registers/persons.yaml"),
                     "place": ("index of places", "registers/places.yaml"),
                     "org": ("index of organisations", "registers/organizations.yaml")}


def merge_apparatus(current: Registers, incoming: Registers, file: str, report: Report) -> int:
    """Add the entries of a printed index and list of abbreviations (`ImportResult.apparatus`) to the
    project's registers; returns how many were added.

    A register that holds no entries of that kind takes them all (ids made unique). One that does is
    the editor's: an entry whose name is the name or a variant of an entry there (case, spacing and
    `ё`/`е` folded), or an abbreviation already listed, is left out — the editor's entry is neither
    changed nor doubled — and the others are added; a warning says how many of each. The counts go
    to `report.stats["apparatus"]["registers"]`."""
    from ..text_utils import name_key, unique_id

    used = {e.id for k in ENTITY_KINDS for e in current.of_kind(k)}
    counts: dict[str, dict[str, int]] = {}
    added_total = 0
    for kind in ENTITY_KINDS:
        new = incoming.of_kind(kind)
        if not new:
            continue
        have = current.of_kind(kind)
        had_entries = bool(have)
        owner = {name_key(form): e.id for e in have for form in (e.name, *e.variants)}
        renamed: dict[str, str] = {}
        added = known = 0
        for e in new:
            if had_entries and name_key(e.name) in owner:
                renamed[e.id] = owner[name_key(e.name)]  # a cross-reference to it goes to the editor's entry
                known += 1
                continue
            base = e.id
            e.id = unique_id(base, used)
            renamed[base] = e.id
            owner.setdefault(name_key(e.name), e.id)
            have.append(e)
            added += 1
        for e in new:  # cross-references follow their target's new id, or the editor's entry of that name
            if e.see in renamed:
                e.see = renamed[e.see]
        counts[kind] = {"printed": len(new), "added": added, "known": known}
        added_total += added
        label, where = _APPARATUS_LABELS[kind]
        if had_entries:
            report.warn(file, f"printed {label}: {len(new)} entries; {known} already in {where} by name, left as "
                              f"they are; {added} added as proposed")
    if incoming.abbreviations:
        have_abbr = {a.abbr for a in current.abbreviations}
        had = bool(have_abbr)
        aids = {a.id for a in current.abbreviations}
        added = known = 0
        for a in incoming.abbreviations:
            if a.abbr in have_abbr:
                known += 1
                continue
            a.id = unique_id(a.id, aids)
            have_abbr.add(a.abbr)
            current.abbreviations.append(a)
            added += 1
        counts["abbreviation"] = {"printed": len(incoming.abbreviations), "added": added, "known": known}
        added_total += added
        if had:
            report.warn(file, f"printed list of abbreviations: {len(incoming.abbreviations)} entries; {known} "
                              f"already in registers/abbreviations.yaml, left as they are; {added} added")
    if counts:
        merged = report.stats.setdefault("apparatus", {}).setdefault("registers", {})
        for what, c in counts.items():
            into = merged.setdefault(what, {"printed": 0, "added": 0, "known": 0})
            for key, value in c.items():
                into[key] += value
    return added_total


def _copy_files(files: list[tuple[Path, str]], into: Path, force: bool, report: Report) -> None:
    """Copy files readers hand over (page images, scans) into images/; an editor's different file stays."""
    import filecmp
    import shutil

    for source, name in files:
        dest = into / "images" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists() and not force:
            if not filecmp.cmp(source, dest, shallow=False):
                report.warn(str(dest), f"already in the project and differs from {source}; not overwritten "
                                       "(use --force to replace it)")
            continue
        shutil.copyfile(source, dest)
        report.outputs.append(str(dest.relative_to(into)))


def _prepare(files: list[Path], options: ImportOptions) -> None:
    """Tell each reader that has a `prepare` hook which files it won (the loop below reports failures)."""
    won: dict[str, tuple[Reader, list[Path]]] = {}
    for path in files:
        try:
            reader = choose(path)
        except DossierError:
            continue
        if reader.prepare is not None:
            won.setdefault(reader.name, (reader, []))[1].append(path)
    for reader, paths in won.values():
        assert reader.prepare is not None
        reader.prepare(paths, options)


def expand_abbreviated_places(docs: list[Document], report: Report) -> None:
    """Places printed as initials (`Я. П.`) that the list of abbreviations did not resolve are spelled
    out from the imported documents' own text, where the edition writes them in full."""
    from ..enrich.initials import expand_initials, initials_of

    short = {d.place for d in docs if d.place and initials_of(d.place)}
    if not short:
        return
    texts = [markup.plain_text(d.body) for d in docs]
    for abbr in sorted(short):
        full = expand_initials(abbr, texts)
        if full is None:
            report.warn(abbr, "place printed as initials could not be spelled out; add it to registers/abbreviations.yaml")
            continue
        for d in docs:
            if d.place == abbr:
                d.extra.setdefault("place_as_printed", abbr)
                d.place = full


def expand_initialled_names(docs: list[Document]) -> None:
    """Authors and addressees printed with initials (`Некрасов Н. А.`) get the given name and
    patronymic the document itself spells out (`Николаю Алексеевичу Некрасову` in its notes), or,
    failing that, the one another imported document gives for the same surname and initials."""
    from collections import Counter

    from ..enrich.initials import expand_person

    found: dict[str, Counter[str]] = {}
    pending: list[tuple[Document, str, int, str | None]] = []
    for d in docs:
        if d.language != "ru" or not (d.authors or d.addressees):
            continue
        text = markup.plain_text(d.body)
        for field_name in ("authors", "addressees"):
            for i, name in enumerate(getattr(d, field_name)):
                full = expand_person(name, [text])
                if full:
                    found.setdefault(name, Counter())[full] += 1
                pending.append((d, field_name, i, full))
    for d, field_name, i, full in pending:
        names = getattr(d, field_name)
        name = names[i]
        if full is None and name in found:
            full = found[name].most_common(1)[0][0]
        if full and full != name:
            d.extra.setdefault(f"{field_name}_as_printed", list(names))
            names[i] = full


def import_files(inputs: list[Path], into: Path, lang: str, force: bool, report: Report,
                 progress: Progress) -> str:
    files = expand_inputs(inputs)
    if not files:
        raise DossierError(str(inputs[0]), "no files to import")
    created = not (into / project.TOML).exists()
    meta: Metadata | None = None
    if created:
        registers = Registers()
    else:
        reg_report = Report()
        registers = project.read_registers(into, reg_report)
        if reg_report.errors:
            # the registers are written back after the import: an unreadable entry would be lost
            p = reg_report.errors[0]
            raise DossierError(p.file, f"{p.message}; nothing was imported: mend the register and import again",
                               p.line)
        report.extend(reg_report.problems)
    options = ImportOptions(lang=lang, progress=progress,
                            abbreviations={a.abbr: a.expansion for a in registers.abbreviations if a.expansion})
    existing = {p.stem for p in project.document_files(into)} if not created else set()
    docs_out = []
    added_entries = 0
    taken: dict[str, str] = {}
    to_copy: list[tuple[Path, str]] = []  # facsimiles of files whose documents are written
    _prepare(files, options)
    for path in progress(files, "Reading", len(files)):
        try:
            reader = choose(path)
            result = reader.read(path, options, report)
        except DossierError as exc:
            report.inputs.append(path.name)
            report.reject(path.name, exc.problem.file, exc.problem.message, exc.problem.line)
            continue
        if result.metadata is not None and meta is None:
            meta = result.metadata
        added_entries += _merge_registers(registers, result.registers)
        added_entries += merge_apparatus(registers, result.apparatus, str(path), report)
        for doc in result.documents:
            report.inputs.append(doc.id)
            if doc.id in taken:
                report.reject(doc.id, str(path), f"document id {doc.id!r} is also given by {taken[doc.id]}")
                continue
            if doc.id in existing and not force:
                report.reject(doc.id, str(into / project.DOC_DIR / f"{doc.id}.md"),
                              "already in the project; not overwritten (use --force to replace it)")
                continue
            taken[doc.id] = str(path)
            docs_out.append(doc)
            to_copy.extend(f for f in result.files if f not in to_copy)
    if created:
        into.mkdir(parents=True, exist_ok=True)
        first_meta = meta or Metadata(title=into.name, languages=[x for x in lang.split("+") if x] or ["en"])
        project.new_project(into, first_meta.title, first_meta.style, first_meta.languages)
        project.write_metadata(into, first_meta)
    elif meta is not None:
        # chapters the import brings that the project does not list yet are added at the end
        current = project.read_metadata(into)
        known = {c.id for c in current.chapters}
        new_chapters = [c for c in meta.chapters if c.id not in known]
        if new_chapters:
            current.chapters.extend(new_chapters)
            project.write_metadata(into, current)
    expand_abbreviated_places(docs_out, report)
    expand_initialled_names(docs_out)
    for doc in docs_out:
        project.write_document(into, doc)
        report.written.append(doc.id)
    _copy_files(to_copy, into, force, report)
    if created or added_entries:
        project.write_registers(into, registers)
    report.write(into / "import-report.json")
    tr = interface_translator()
    rejected = tr.gettext(", %(n)s rejected") % {"n": len(report.rejected)} if report.rejected else ""
    summary = tr.gettext("Imported %(documents)s %(files)s into %(into)s%(rejected)s. Report: %(report)s") % {
        "documents": tr.ngettext("%(n)s document", "%(n)s documents", len(docs_out)) % {"n": len(docs_out)},
        "files": tr.ngettext("from %(n)s file", "from %(n)s files", len(files)) % {"n": len(files)},
        "into": into, "rejected": rejected, "report": into / "import-report.json"}
    printed = report.stats.get("apparatus", {}).get("registers", {})
    from_index = sum(c["added"] for kind, c in printed.items() if kind != "abbreviation")
    abbrs = printed.get("abbreviation", {}).get("added", 0)
    if from_index or abbrs:
        summary += "\n" + tr.gettext("From the printed apparatus: %(entries)s and %(abbrs)s, into the registers "
                                    "as proposed.") % {
            "entries": tr.ngettext("%(n)s index entry", "%(n)s index entries", from_index) % {"n": from_index},
            "abbrs": tr.ngettext("%(n)s abbreviation", "%(n)s abbreviations", abbrs) % {"n": abbrs}}
    return summary
