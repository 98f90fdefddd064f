"""Demo-corpus benchmark: wall time of each step of `voiceminer analyze`, and coding quality on the
hand-labelled demo units (corpora/demo_labels.csv).

    python benchmarks/bench_demo.py            # prints a table, writes benchmarks/results/demo.json

Timings are for the machine it runs on; they are reported, never asserted in tests.
"""

from __future__ import annotations

import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import voiceminer as vm  # noqa: E402
from voiceminer.coding import ThemeCoder  # noqa: E402
from voiceminer.evaluation import score_multilabel  # noqa: E402
from voiceminer.normalize import clean_text  # noqa: E402
from voiceminer.output import write_run  # noqa: E402
from voiceminer.pipeline import make_segmenter  # noqa: E402


def coding_scores(codebook: vm.Codebook) -> pd.DataFrame:
    labels = pd.read_csv(ROOT / "corpora" / "demo_labels.csv", dtype=str, keep_default_na=False)
    coder = ThemeCoder(codebook, make_segmenter(codebook, vm.Settings()))
    gold = [set(filter(None, s.split(";"))) for s in labels["themes"]]
    pred = [set(coder.code(clean_text(t))[0]) for t in labels["text"]]
    return score_multilabel(gold, pred, codebook.ids)


def main() -> dict:
    timings = {}
    t0 = time.perf_counter()
    units = vm.read_corpus(ROOT / "corpora" / "demo")
    timings["read"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = vm.analyze(units)
    timings["analyze"] = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        written = write_run(result, Path(tmp) / "out", roots=[ROOT / "corpora" / "demo"])
        timings["write"] = time.perf_counter() - t0
    timings["total"] = sum(timings.values())
    scores = coding_scores(result.codebook)
    report = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "records": len(units), "summary": result.summary(), "files_written": len(written),
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "coding_on_demo_labels": scores.to_dict(orient="records"),
    }
    out = ROOT / "benchmarks" / "results" / "demo.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"records {len(units)}; seconds: {report['seconds']}")
    print(scores.to_string(index=False))
    return report


if __name__ == "__main__":
    main()
