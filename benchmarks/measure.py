"""Run ``voiceminer analyze`` as a child process and measure wall time and peak RSS."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_analyze(paths: list[Path], out: Path, *extra: str) -> dict[str, float]:
    """Wall seconds and peak memory of one analyze run: ``peak_rss_gib`` is the peak of the whole
    process tree's proportional set size (shared copy-on-write pages of forked workers counted
    once; what the tree really occupies), ``peak_rss_main_gib`` the main process's peak RSS (what
    ``/usr/bin/time -v`` reports)."""
    import psutil

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "voiceminer", "analyze", *map(str, paths), "--out", str(out),
           "--force", *extra]
    start = time.perf_counter()
    proc = psutil.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = peak_main = 0
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            total = 0
            for p in tree:
                try:
                    total += p.memory_full_info().pss
                except (psutil.Error, AttributeError):
                    total += p.memory_info().rss
            peak = max(peak, total)
            peak_main = max(peak_main, proc.memory_info().rss)
        except psutil.Error:
            pass
        time.sleep(0.5)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"analyze failed ({proc.returncode}): {proc.stderr.read().decode()[-2000:]}")
    return {"seconds": round(wall, 2), "peak_rss_gib": round(peak / 2**30, 3),
            "peak_rss_main_gib": round(peak_main / 2**30, 3)}
