"""Run ``voiceminer analyze`` as a child process and measure wall time and peak RSS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_analyze(paths: list[Path], out: Path, *extra: str,
                sample_memory: bool = True) -> dict[str, float]:
    """Wall seconds and peak memory of one analyze run: ``peak_rss_gib`` is the peak of the whole
    process tree's proportional set size (shared copy-on-write pages of forked workers counted
    once; what the tree really occupies), ``peak_rss_main_gib`` the main process's peak RSS (what
    ``/usr/bin/time -v`` reports).

    ``cpu_s`` (unsampled runs): user and system CPU seconds of the run and the workers it
    reaped. The tree's PSS is read from ``/proc/<pid>/smaps`` every half second, which costs the kernel
    a walk of every page of every process: on this 2-core machine it took 4-5 s from a 27 s
    seed-scale analysis. ``sample_memory=False`` times the run without it and gives only the
    main process's peak RSS, which the kernel keeps anyway (``wait4``); ``peak_rss_gib`` is then
    None."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "voiceminer", "analyze", *map(str, paths), "--out", str(out),
           "--force", *extra]
    # stderr goes to a file, not a pipe: a child that fills a pipe nobody reads would wait forever
    with tempfile.TemporaryFile() as err:
        if not sample_memory:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
            _pid, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            _check(os.waitstatus_to_exitcode(status), err)
            return {"seconds": round(wall, 2), "peak_rss_gib": None,
                    "peak_rss_main_gib": round(usage.ru_maxrss * 1024 / 2**30, 3),
                    # the process's and its reaped workers' CPU time: the work done, which a
                    # busy host changes less than the wall time
                    "cpu_s": round(usage.ru_utime + usage.ru_stime, 2)}
        return _sampled(cmd, env, err)


def _check(returncode: int, err) -> None:
    if returncode:
        err.seek(0)
        raise RuntimeError(f"analyze failed ({returncode}): {err.read().decode()[-2000:]}")


def _sampled(cmd: list[str], env: dict[str, str], err) -> dict[str, float]:
    """Run ``cmd``, reading the tree's PSS and the main process's RSS every half second."""
    import psutil

    start = time.perf_counter()
    proc = psutil.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
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
    _check(proc.returncode, err)
    return {"seconds": round(wall, 2), "peak_rss_gib": round(peak / 2**30, 3),
            "peak_rss_main_gib": round(peak_main / 2**30, 3)}


_STAGES_SCRIPT = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {bench!r})
from measure import _stages
print('STAGES ' + json.dumps(_stages([Path(p) for p in {paths!r}], Path({out!r}))))
"""


def stage_seconds(paths: list[Path], out: Path) -> dict[str, float]:
    """Seconds per stage of one analyze run (cache off), in a child process: what
    ``voiceminer analyze`` does, with a clock at each stage and around each group of files."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    code = _STAGES_SCRIPT.format(bench=str(Path(__file__).resolve().parent),
                                 paths=[str(p) for p in paths], out=str(out))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("STAGES "))
    return json.loads(line[len("STAGES "):])


def _stages(paths: list[Path], out: Path) -> dict[str, float]:
    """The body of ``run.run_analysis`` (no progress bars), timed."""
    from voiceminer import exports, output, warmup
    from voiceminer.codebook import Codebook
    from voiceminer.engine import make_engine, read_files_with
    from voiceminer.ingest import read_corpus
    from voiceminer.pipeline import analyze
    from voiceminer.privacy import freeze_names
    from voiceminer.report import html, parallel
    from voiceminer.settings import Settings

    times: dict[str, float] = {}
    marks: list[tuple[str, float]] = []

    def timed(module, name: str, label: str) -> None:
        fn = getattr(module, name)

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                times[label] = times.get(label, 0.0) + time.perf_counter() - start

        setattr(module, name, wrapper)

    timed(output, "write_units", "write: units.csv + units.parquet")
    timed(output, "write_table", "write: ledger.csv and small tables")
    timed(exports, "write_exports", "write: code_matrix + quotes_by_code (csv, xlsx)")
    timed(parallel, "write_reports", "write: issue lists (md, docx, xlsx, csv, json) per province")
    timed(html, "write_html_report", "write: html")
    settings = Settings()
    start = time.perf_counter()
    warmup.also(warmup.WRITER_MODULES)
    output.prepare_out_dir(out, force=True)
    codebook = Codebook.load(settings.codebook)
    with make_engine(settings) as engine:
        t = time.perf_counter()
        units = freeze_names(read_corpus(paths, read_files=read_files_with(engine)))
        times["read"] = time.perf_counter() - t
        result = analyze(units, codebook=codebook, settings=settings, engine=engine,
                         progress=lambda name: marks.append((name, time.perf_counter())))
        marks.append(("end", time.perf_counter()))
        names = {"normalize": "normalize", "segment": "segment + code (both cores)",
                 "code": "learned labels", "concerns": "concerns", "compare": "compare",
                 "issues": "issue lists"}
        for (name, a), (_next, b) in zip(marks, marks[1:]):
            times[names.get(name, name)] = b - a
        t = time.perf_counter()
        output.write_run(result, out, roots=paths, force=True)
        times["write (all)"] = time.perf_counter() - t
    times["total (after imports)"] = time.perf_counter() - start
    return {k: round(v, 2) for k, v in times.items()}
