"""Scaling of ``voiceminer analyze``: 10k → 100k → 1M short forum posts, time and peak RSS.

    nice -n 10 python benchmarks/bench_scale.py [--sizes 10000 100000 1000000] [--cache]

Posts are pairs of real headlines from ../shared/data (distinct, so none is dropped as a
duplicate), written as JSON Lines in 8 files. Each size runs once, with the cache off. With
``--cache`` each size then runs twice more with a fresh cache folder, as ``analyze`` does by
default: once filling it, once reading it. Results go to benchmarks/results/scale.json
(scale_cache.json with ``--cache``); the figures are quoted in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import forum_posts  # noqa: E402
from measure import run_analyze  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "scale.json"
RESULTS_CACHE = RESULTS.with_name("scale_cache.json")


def scale(sizes: list[int], workdir: Path, cache: bool = False) -> list[dict]:
    rows = []
    for n in sizes:
        corpus = forum_posts(n, workdir / f"posts_{n}")
        m = run_analyze([corpus], workdir / f"out_{n}", "--no-cache")
        rows.append({"units": n, **m, "us_per_unit": round(m["seconds"] / n * 1e6, 1)})
        if cache:
            folder = workdir / f"cache_{n}"
            rows[-1]["cache_filled"] = run_analyze([corpus], workdir / f"out_{n}",
                                                   "--cache-dir", str(folder))
            rows[-1]["cache_read"] = run_analyze([corpus], workdir / f"out_{n}",
                                                 "--cache-dir", str(folder))
            shutil.rmtree(folder)
        print(json.dumps(rows[-1]), flush=True)
        shutil.rmtree(corpus)
        shutil.rmtree(workdir / f"out_{n}")
    for a, b in zip(rows, rows[1:]):  # time per unit relative to the previous size
        b["per_unit_vs_previous"] = round(b["us_per_unit"] / a["us_per_unit"], 3)
        # the cost of each extra post between two sizes: fixed costs (imports, worker start-up,
        # one issue list per province) cancel out, so this is the slope a linear model would have
        b["marginal_us_per_unit"] = round((b["seconds"] - a["seconds"]) / (b["units"] - a["units"])
                                          * 1e6, 1)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--cache", action="store_true",
                    help="also run each size with a cache folder, filling it and reading it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="vm-scale-") as tmp:
        rows = scale(args.sizes, Path(tmp), cache=args.cache)
    out = RESULTS_CACHE if args.cache else RESULTS
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(rows, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
