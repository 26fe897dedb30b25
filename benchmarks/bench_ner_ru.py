"""Benchmark of Russian recognition and clustering against plain natasha, measured in one run.

What it is for: the figures behind `ner_ru.recognize_ru` and `names_ru.cluster_russian`:
  - factRuEval-2016 dev set, scored with the corpus scorer's own functions (`../shared/eval/factru.py`:
    load_gold, score): PER/LOC P/R/F1 and B-cubed of mention → entry within and across texts, for
    the natasha anchor (entries keyed by natasha's normal form, as factru.py --natasha does) and ours;
  - Tolstoy letters: (person, letter) P/R/F1 and fragmentation with `../shared/eval/letters.py`'s
    gold_persons and the voting of its score_index, for natasha keyed by surname and ours; ours
    also with the edition's author left out of the index (`cluster_russian(exclude=...)`), the
    author read from the letters' TEI headers (`sourceDesc//author`, `Толстой Л.Н.`);
  - speed in characters per second on one core, ours next to natasha's own pipeline on the same
    text, and peak memory.

usage: python benchmarks/bench_ner_ru.py [--shared ../shared] [--limit N]

What it is not: a test (nothing is asserted) or a scorer of the TEI export.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")  # one core: figures are per core

import argparse  # noqa: E402
import collections  # noqa: E402
import importlib.util  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from types import ModuleType  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import re  # noqa: E402

from dossier.enrich.candidates import NameParts  # noqa: E402
from dossier.enrich.names_ru import cluster_russian, fold, parse_person  # noqa: E402
from dossier.enrich.ner_ru import natasha_spans, recognize_ru  # noqa: E402

KIND_CLASS = {"person": "PER", "place": "LOC"}


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def anchor_predictions(texts: dict[str, str], key_mode: str = "full") -> dict[str, list[tuple]]:
    """factru.py's natasha anchor: PER/LOC spans keyed by type + folded normal form."""
    out = {}
    for stem, text in texts.items():
        found = []
        for a, b, typ, normal in natasha_spans(text):
            if typ not in ("PER", "LOC"):
                continue
            k = fold(normal)
            if key_mode == "surname" and typ == "PER":
                k = k.split(" ")[-1]
            found.append((a, b, typ, f"{typ}:{k}"))
        out[stem] = found
    return out


def our_predictions(texts: dict[str, str], cands: dict[str, list] | None = None,
                    exclude: list[NameParts] | None = None) -> tuple[dict[str, list[tuple]], dict[str, list]]:
    if cands is None:
        cands = {stem: recognize_ru(text) for stem, text in texts.items()}
    keys = cluster_russian(cands, exclude=exclude or ())
    preds = {
        stem: [(c.start, c.end, KIND_CLASS[c.kind], keys[(stem, c.start)]) for c in cs
               if c.kind in KIND_CLASS and (stem, c.start) in keys]
        for stem, cs in cands.items()
    }
    return preds, cands


def edition_authors(tei_dir: Path) -> list[NameParts]:
    """The author named in the letters' TEI headers (`sourceDesc//author`), as name parts."""
    from lxml import etree

    names = set()
    for f in sorted(tei_dir.glob("*.xml")):
        tree = etree.parse(str(f), etree.XMLParser(resolve_entities=False, no_network=True))
        for el in tree.iterfind(".//{*}teiHeader//{*}sourceDesc//{*}author"):
            name = " ".join("".join(el.itertext()).split())
            if name:
                names.add(name)
    out = []
    for name in sorted(names):
        words = re.findall(r"[А-ЯЁA-Z]\.|[^\W\d_][\w\-]*", name)
        parts = parse_person(words)
        if parts.surname and parts.first:
            out.append(parts)
    return out


def letters_index_score(L: ModuleType, tei_dir: Path, pred: dict[str, dict[str, list[str]]]) -> dict:
    """letters.py score_index on predictions given directly ({stem: {ref: [surfaces]}})."""
    goldp = {f.stem: L.gold_persons(f) for f in sorted(tei_dir.glob("*.xml"))}
    votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for stem, g in goldp.items():
        for ref, surf in pred.get(stem, {}).items():
            ps = set().union(*(L.stems(s) for s in surf))
            for gid, gs in g.items():
                if ps & set().union(*(L.stems(s) for s in gs)):
                    votes[ref][gid] += 1
    mapping = {r: c.most_common(1)[0][0] for r, c in votes.items() if c}
    tp = fp = outside = 0
    for stem, g in goldp.items():
        seen = set()
        for ref in pred.get(stem, {}):
            gid = mapping.get(ref)
            if gid is None:
                outside += 1
            elif gid in g and gid not in seen:
                seen.add(gid)
                tp += 1
            elif gid not in g:
                fp += 1
    n_gold = sum(len(g) for g in goldp.values())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / n_gold if n_gold else 0.0
    per = collections.Counter(mapping.values())
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "fragmentation": round(sum(per.values()) / len(per), 3) if per else 0.0,
            "pairs_gold": n_gold, "pairs_true": tp, "pairs_false": fp, "outside": outside}


def by_ref(preds: dict[str, list[tuple]], texts: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for stem, ps in preds.items():
        d = out.setdefault(stem, {})
        for a, b, cls, ref in ps:
            if cls == "PER":
                d.setdefault(ref, []).append(texts[stem][a:b])
    return out


def timed(fn, *args) -> tuple[float, object]:
    t = time.process_time()
    res = fn(*args)
    return time.process_time() - t, res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--limit", type=int, default=0, help="only the first N factRuEval texts")
    a = ap.parse_args()
    F = load(a.shared / "eval" / "factru.py", "factru")
    L = load(a.shared / "eval" / "letters.py", "letters")
    docs = F.load_gold(a.shared / "corpora" / "factRuEval-2016" / "devset")
    if a.limit:
        docs = dict(list(docs.items())[: a.limit])
    texts = {stem: text for stem, (text, _) in docs.items()}
    n_chars = sum(len(t) for t in texts.values())

    natasha_spans("Прогрев моделей.")  # load models outside the timings
    recognize_ru("Прогрев моделей.")
    t_anchor, anchor = timed(anchor_predictions, texts)
    t_ours, (ours, _) = timed(our_predictions, texts)
    t_anchor2, _ = timed(anchor_predictions, texts)  # again, to even out a warm cache
    t_anchor = min(t_anchor, t_anchor2)
    sa, so = F.score(docs, anchor), F.score(docs, ours)

    print(f"factRuEval-2016 dev set: {len(docs)} texts, {n_chars} characters")
    print(f"{'':28}{'natasha anchor':>22}{'ours':>22}")
    for c in ("PER", "LOC"):
        for m in ("p", "r", "f1"):
            print(f"{c + ' ' + m.upper():28}{sa[c][m]:>22.4f}{so[c][m]:>22.4f}")
    for k, label in (("index_within_doc_b3", "B-cubed within text"), ("index_across_docs_b3", "B-cubed across texts")):
        for m in ("p", "r", "f1"):
            print(f"{label + ' ' + m.upper():28}{sa[k][m]:>22.4f}{so[k][m]:>22.4f}")

    tei_dir = a.shared / "corpora" / "tolstoy-letters"
    letters = {f.stem: L.to_text(f) for f in sorted(tei_dir.glob("*.xml"))}
    la = letters_index_score(L, tei_dir, by_ref(anchor_predictions(letters, "surname"), letters))
    lo_preds, lcands = our_predictions(letters)
    lo = letters_index_score(L, tei_dir, by_ref(lo_preds, letters))
    authors = edition_authors(tei_dir)
    lx_preds, _ = our_predictions(letters, lcands, exclude=authors)
    lx = letters_index_score(L, tei_dir, by_ref(lx_preds, letters))
    print(f"\nTolstoy letters: {len(letters)} letters, (person, letter) pairs in gold: {la['pairs_gold']}")
    print("author left out in the last column: " + "; ".join(f"{p.surname} {p.first} {p.patronymic}" for p in authors))
    print(f"{'':28}{'natasha by surname':>22}{'ours':>22}{'ours, author out':>22}")
    for m in ("p", "r", "f1", "fragmentation", "pairs_true", "pairs_false"):
        print(f"{m:28}{la[m]:>22}{lo[m]:>22}{lx[m]:>22}")

    print("\nspeed, one core (process CPU time over the factRuEval texts)")
    print(f"{'natasha segment+morph+NER+normalise':40}{n_chars / t_anchor:>12,.0f} chars/s")
    print(f"{'recognize_ru + cluster_russian':40}{n_chars / t_ours:>12,.0f} chars/s  ({t_ours / t_anchor:.2f}x natasha's time)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of this process): {peak:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
