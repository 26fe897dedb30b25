"""Benchmark of PDF and OCR import: pages per second per core, against Tesseract alone, and OCR accuracy.

    .venv/bin/python benchmarks/bench_ocr.py [--ocr-pages 4] [--big-pages 1000] [--out /tmp/bench-ocr]

1. Text layer: a PDF typeset with WeasyPrint from real text (FRUS 1961–63 vol. VI documents and
   factRuEval-2016 Russian texts, with running heads, page numbers and hyphenation; repeated to about
   `--big-pages` pages) read by `dossier.ingest.pdf` in a child process: pages/s and peak memory
   (pages are streamed, so memory must not grow with the page count).
2. OCR: the same pages rasterised at 300 dpi, wrapped as a scanned PDF and read by our reader
   (pdftoppm per page + Tesseract, in parallel processes, one per core), next to Tesseract alone on
   the same PNGs with the same parallelism (`tesseract PNG out -l rus+eng`, OMP_THREAD_LIMIT=1) in
   the same run. Goal: ours ≤ 1.2 × Tesseract's own time.
3. Round trip: the rasterised pages degraded (skew 1–2°, blur, noise, with PIL) and OCR'd; CER
   against the page's text layer, clean vs degraded (goals ≤ 2 % / ≤ 4 %).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from dossier import markup  # noqa: E402
from dossier.ingest import pages, pdf  # noqa: E402
from dossier.ingest.registry import ImportOptions  # noqa: E402
from dossier.report import Report  # noqa: E402
from test_import_pdf import body_only, cer, make_pdf, one_page, source_texts  # noqa: E402

CHILD = """
import json, sys, time
from pathlib import Path
from dossier.ingest import pdf
from dossier.ingest.registry import ImportOptions
from dossier.report import Report
t = time.perf_counter()
r = Report()
res = pdf.read(Path(sys.argv[1]), ImportOptions(), r)
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "pages": r.stats["pages"]["read"], "chars": len(res.documents[0].body),
                  "maxrss_mb": next(int(ln.split()[1]) for ln in open("/proc/self/status")
                                    if ln.startswith("VmHWM")) / 1024}))
"""


def text_layer(out: Path, big_pages: int) -> None:
    texts = source_texts(out / "frus")
    small = make_pdf(texts, out / "small.pdf")
    n_small = len(__import__("pypdf").PdfReader(small).pages)
    reps = max(1, round(big_pages / n_small))
    big = make_pdf(texts * reps, out / "big.pdf")
    for path in (small, big):
        got = json.loads(subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                                        check=True).stdout)
        print(f"text layer  {path.name:10} {got['pages']:5} pages  {got['seconds']:6.2f} s  "
              f"{got['pages'] / got['seconds']:6.1f} pages/s on one core  "
              f"{1000 * got['seconds'] / got['pages']:5.1f} ms/page  peak RSS {got['maxrss_mb']:.0f} MB")  # VmHWM: ru_maxrss survives exec


def _tesseract_alone(png: Path) -> float:
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["tesseract", str(png), str(Path(tmp) / "o"), "-l", "rus+eng"], check=True,
                       capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    return time.perf_counter() - t


def degrade(png: Path, out: Path, seed: int) -> Path:
    from PIL import Image

    degrade_image(Image.open(png), seed).save(out)
    return out


def degrade_image(im: Any, seed: int) -> Any:
    """A page image as a poor scan: turned 1–2° either way, blurred, with noise (grey); the same
    image for the same seed (`seeded_noise`)."""
    from PIL import Image, ImageFilter

    rnd = random.Random(seed)
    im = im.convert("L")
    im = im.rotate(rnd.choice((-1, 1)) * rnd.uniform(1.0, 2.0), expand=True, fillcolor=255,
                   resample=Image.BICUBIC)
    im = im.filter(ImageFilter.GaussianBlur(0.9))
    return Image.blend(im, seeded_noise(im.size, rnd.getrandbits(64)), 0.18)


def seeded_noise(size: tuple[int, int], seed: int, sigma: float = 40.0) -> Any:
    """Grey noise about 128 with standard deviation `sigma`, the same for the same seed (PIL's
    `effect_noise` draws from C's unseeded rand): the mean of two uniform byte images (a triangular
    distribution, close enough to Gaussian for a scan's grain), spread to `sigma`."""
    from PIL import Image

    rnd = random.Random(seed)
    n = size[0] * size[1]
    a, b = (Image.frombytes("L", size, rnd.randbytes(n)) for _ in range(2))
    spread = sigma / (255 / 24 ** 0.5)  # the mean of two uniforms on 0..255 has sd 255 / sqrt(24)
    return Image.blend(a, b, 0.5).point(lambda v: max(0, min(255, round(128 + (v - 128) * spread))))


def ocr(out: Path, n: int) -> None:
    from PIL import Image

    printed = out / "small.pdf"
    total = len(__import__("pypdf").PdfReader(printed).pages)
    numbers = sorted({max(1, round(total * (k + 0.5) / n)) for k in range(n)})
    pngs, truths = [], []
    for number in numbers:
        base = out / f"page-{number}"
        subprocess.run(["pdftoppm", "-r", "300", "-f", str(number), "-l", str(number), "-png", "-singlefile",
                        "-gray", str(printed), str(base)], check=True)
        pngs.append(base.with_suffix(".png"))
        one = one_page(printed, number, out / f"page-{number}.pdf")
        r = Report()
        truths.append(markup.plain_text(pdf.read(one, ImportOptions(), r).documents[0].body))
    scanned = out / "scanned.pdf"
    imgs = [Image.open(p) for p in pngs]
    imgs[0].save(scanned, save_all=True, append_images=imgs[1:], resolution=300)
    workers = os.cpu_count() or 1

    def cpu() -> float:
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    t, c = time.perf_counter(), cpu()
    with ThreadPoolExecutor(workers) as ex:  # threads only wait: each runs a tesseract process
        list(ex.map(_tesseract_alone, pngs))
    alone_wall, alone_cpu = time.perf_counter() - t, cpu() - c

    t, c = time.perf_counter(), cpu()
    r = Report()
    pdf.read(scanned, ImportOptions(lang="ru+en"), r)
    ours_wall, ours_cpu = time.perf_counter() - t, cpu() - c  # the pool's workers are reaped by now

    n = len(pngs)
    print(f"OCR         {n} pages, {workers} workers (CPU time counts every process; wall time suffers "
          "from other load on a shared machine)")
    print(f"  tesseract alone   {alone_wall:6.2f} s wall  {n / alone_wall / workers:5.3f} pages/s/core wall  "
          f"{alone_cpu / n:5.2f} CPU s/page  {n / alone_cpu:5.3f} pages per CPU-second")
    print(f"  dossier (PDF→OCR) {ours_wall:6.2f} s wall  {n / ours_wall / workers:5.3f} pages/s/core wall  "
          f"{ours_cpu / n:5.2f} CPU s/page  {n / ours_cpu:5.3f} pages per CPU-second")
    print(f"  ratio ours / tesseract alone: CPU {ours_cpu / alone_cpu:.2f}, wall {ours_wall / alone_wall:.2f} "
          "(goal ≤ 1.2)")

    clean, bad = [], []
    jobs = []
    for i, png in enumerate(pngs):
        jobs.append(("clean", i, png))
        jobs.append(("degraded", i, degrade(png, out / f"degraded-{i}.png", i)))
    with pages.OcrPool() as pool:
        results = list(pool.map(pages.ocr_image_frame, ((str(p), 0, "rus+eng") for _, _, p in jobs)))
    for (kind, i, _), got in zip(jobs, results, strict=True):
        text = pages.clean_pages([got.text]).text
        (clean if kind == "clean" else bad).append(cer(body_only(truths[i]), body_only(text)))
    print(f"round trip  CER clean {100 * sum(clean) / len(clean):.2f} % (goal ≤ 2 %), "
          f"degraded {100 * sum(bad) / len(bad):.2f} % (goal ≤ 4 %); per page clean "
          f"{', '.join(f'{100 * c:.1f}' for c in clean)}; degraded {', '.join(f'{100 * c:.1f}' for c in bad)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ocr-pages", type=int, default=4)
    ap.add_argument("--big-pages", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "bench-ocr")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    text_layer(args.out, args.big_pages)
    ocr(args.out, args.ocr_pages)


if __name__ == "__main__":
    main()
