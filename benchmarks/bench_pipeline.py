"""Benchmark of the index of names through the real command line, on the three corpora, against the goals.

What it is for: the figures a user gets, not those of the recognisers called directly. Each pipeline
runs the `dossier` command in a fresh temporary folder, exactly as the scorers' READMEs describe
(the import with `--no-annotate`, so that `dossier annotate` is the step timed):

  factRuEval-2016 dev set: copy the *.txt into a folder; dossier import DIR --into P --lang ru;
      dossier annotate P; dossier build P --out O --format tei; factru.py GOLD --tei O/edition.tei.xml
  Tolstoy letters: letters.py text TEI T; dossier import T --into P --lang ru; annotate; build tei;
      letters.py index TEI O/edition.tei.xml
  FRUS vol. VI: frus_index.py strip VOLUME S.xml; dossier import S.xml --into P; annotate; build tei;
      frus_index.py score VOLUME O/edition.tei.xml

and prints the scorers' own figures (their JSON, from their command lines) next to the goals. It also
prints annotation speed: characters of document text (heading, body, source note) per second of CPU
of the `dossier annotate` process, one thread (so per core, process start and model loading included),
next to natasha's own pipeline (segment, morphology, NER, normalisation) over the same Russian text in
a process of its own, loading included and not.

usage: python benchmarks/bench_pipeline.py [--shared ../shared] [--only factru,tolstoy,frus] [--keep DIR]

What it is not: a test (nothing is asserted), or a scorer: the scores are the shared scorers'.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DOSSIER = [PYTHON, "-m", "dossier.cli"]
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
       "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}

# (figure, goal, True when higher is better)
GOALS: dict[str, list[tuple[str, float, bool]]] = {
    "factru": [("PER F1", 0.95, True), ("LOC F1", 0.90, True), ("B3 within F1", 0.98, True),
               ("B3 across F1", 0.95, True)],
    "tolstoy": [("F1", 0.85, True), ("fragmentation", 1.2, False)],
    "frus": [("F1", 0.90, True), ("fragmentation", 1.1, False), ("junk", 0.02, False)],
}

# natasha's own pipeline over the texts of a project, in a process of its own; prints JSON timings.
NATASHA = r"""
import json, sys, time
t0 = time.process_time()
from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter
seg, emb = Segmenter(), NewsEmbedding()
morph, ner, vocab = NewsMorphTagger(emb), NewsNERTagger(emb), MorphVocab()
t1 = time.process_time()
texts = json.load(open(sys.argv[1], encoding="utf-8"))
for text in texts:
    d = Doc(text)
    d.segment(seg)
    d.tag_morph(morph)
    d.tag_ner(ner)
    for sp in d.spans:
        sp.normalize(vocab)
t2 = time.process_time()
print(json.dumps({"load": t1 - t0, "run": t2 - t1}))
"""


def sh(args: list[str | Path]) -> tuple[str, float]:
    """Run a command; (stdout, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = subprocess.run([str(a) for a in args], env=ENV, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode not in (0, 3):
        sys.exit(f"failed ({res.returncode}): {' '.join(map(str, args))}\n{res.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return res.stdout, cpu


def project_texts(proj: Path) -> list[str]:
    """The plain text of every field annotate reads, in every document of a project (a heading or
    legend the body holds word for word counted once, as annotate reads it once)."""
    sys.path.insert(0, str(ROOT / "src"))
    from dossier import markup, project
    from dossier.enrich.annotate import FIELDS, copied_fields
    from dossier.report import Report

    ed = project.load_project(proj, Report())
    out = []
    for d in ed.documents:
        plain = {f: markup.plain_text(str(getattr(d, f) or "")) for f in FIELDS}
        copies = copied_fields(plain["heading"], plain["body"], plain["source"])
        out.extend(t for f, t in plain.items() if t.strip() and f not in copies)
    return out


def pipeline(name: str, work: Path, shared: Path) -> dict[str, Any]:
    """Run one corpus's pipeline; the scorer's figures, with annotate's CPU time and characters."""
    ev = shared / "eval"
    proj, out = work / "P", work / "O"
    if name == "factru":
        gold = shared / "corpora" / "factRuEval-2016" / "devset"
        src = work / "txt"
        src.mkdir()
        for f in sorted(gold.glob("*.txt")):
            shutil.copy(f, src / f.name)
        sh(DOSSIER + ["import", src, "--into", proj, "--lang", "ru", "--no-annotate", "-q"])
    elif name == "tolstoy":
        tei = shared / "corpora" / "tolstoy-letters"
        sh([PYTHON, ev / "letters.py", "text", tei, work / "T"])
        sh(DOSSIER + ["import", work / "T", "--into", proj, "--lang", "ru", "--no-annotate", "-q"])
    else:
        volume = shared / "corpora" / "frus1961-63v06.xml"
        sh([PYTHON, ev / "frus_index.py", "strip", volume, work / "stripped.xml"])
        sh(DOSSIER + ["import", work / "stripped.xml", "--into", proj, "--no-annotate", "-q"])
    texts = project_texts(proj)
    _, cpu = sh(DOSSIER + ["annotate", proj, "-q", "--workers", "1"])  # per core: one process
    sh(DOSSIER + ["build", proj, "--out", out, "--format", "tei", "-q"])
    tei_out = out / "edition.tei.xml"
    if name == "factru":
        s = json.loads(sh([PYTHON, ev / "factru.py", gold, "--tei", tei_out])[0])
        figures = {"PER F1": s["PER"]["f1"], "LOC F1": s["LOC"]["f1"],
                   "B3 within F1": s["index_within_doc_b3"]["f1"], "B3 across F1": s["index_across_docs_b3"]["f1"],
                   "PER P/R": f"{s['PER']['p']:.3f}/{s['PER']['r']:.3f}",
                   "LOC P/R": f"{s['LOC']['p']:.3f}/{s['LOC']['r']:.3f}",
                   "unaligned": s["unaligned_mentions"]}
    elif name == "tolstoy":
        s = json.loads(sh([PYTHON, ev / "letters.py", "index", tei, tei_out])[0])
        figures = {"F1": s["f1"], "fragmentation": s["fragmentation"], "P/R": f"{s['p']:.3f}/{s['r']:.3f}",
                   "pairs true/false/outside": f"{s['pairs_true']}/{s['pairs_false']}/{s['pairs_outside_gold']}"}
    else:
        s = json.loads(sh([PYTHON, ev / "frus_index.py", "score", volume, tei_out])[0])
        figures = {"F1": s["f1"], "fragmentation": s["fragmentation"], "junk": s["junk_ratio"],
                   "P/R": f"{s['p']:.3f}/{s['r']:.3f}", "entries": s["entries_predicted"]}
    return {"figures": figures, "cpu": cpu, "chars": sum(len(t) for t in texts), "texts": texts}


def natasha_speed(texts: list[str], work: Path) -> dict[str, float]:
    path = work / "texts.json"
    path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    out, cpu = sh([PYTHON, "-c", NATASHA, path])
    res = json.loads(out)
    res["total"] = cpu
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--only", default="factru,tolstoy,frus")
    ap.add_argument("--keep", type=Path, default=None, help="Keep the projects and outputs here.")
    a = ap.parse_args()
    base = a.keep or Path(tempfile.mkdtemp(prefix="bench_pipeline_"))
    base.mkdir(parents=True, exist_ok=True)
    ru_texts: list[str] = []
    ru_cpu = 0.0
    ru_chars = 0
    labels = {"factru": "factRuEval-2016 dev set", "tolstoy": "Tolstoy letters", "frus": "FRUS 1961-63 vol. VI"}
    for name in [x for x in a.only.split(",") if x]:
        work = base / name
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        t = time.perf_counter()
        r = pipeline(name, work, a.shared)
        wall = time.perf_counter() - t
        print(f"\n{labels[name]}  ({r['chars']:,} characters; pipeline {wall:.0f} s wall)")
        for fig, goal, higher in GOALS[name]:
            v = float(r["figures"][fig])
            ok = v >= goal if higher else v <= goal
            print(f"  {fig:<16}{v:>8.3f}   goal {'>=' if higher else '<='} {goal:<5}  {'met' if ok else 'NOT met'}")
        extra = [f"{k} {v}" for k, v in r["figures"].items() if k not in {g[0] for g in GOALS[name]}]
        print("  " + "; ".join(extra))
        print(f"  annotate: {r['chars'] / r['cpu']:,.0f} chars/s per core ({r['cpu']:.1f} s CPU, start and models included)")
        if name != "frus":
            ru_texts += r["texts"]
            ru_cpu += r["cpu"]
            ru_chars += r["chars"]
    if ru_texts:
        n = natasha_speed(ru_texts, base)
        print(f"\nspeed on the Russian texts above ({ru_chars:,} characters, one core):")
        print(f"  dossier annotate (whole command)         {ru_chars / ru_cpu:>10,.0f} chars/s")
        print(f"  natasha segment+morph+NER+normalise      {ru_chars / n['total']:>10,.0f} chars/s with start and "
              f"loading, {ru_chars / n['run']:,.0f} without")
    if a.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
