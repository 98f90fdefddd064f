"""``voiceminer analyze`` as a function: progress bars, the analysis, the files, a summary table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .settings import Settings

# Skip reasons that mean input could not be used (as opposed to interviewer turns, non-answers
# or duplicates, which are analytic decisions); ``--strict`` fails the run on any of them.
INPUT_PROBLEMS = ("unreadable_file", "empty_file", "unsupported_format", "too_long")

_STAGES = {
    "normalize": "清洗与去重 normalize", "segment": "分词 segment", "code": "主题编码 code",
    "concerns": "问题聚类 concerns", "compare": "比较 compare", "issues": "问题清单 issue lists",
}


def run_analysis(paths: Sequence[Path], out: Path, settings: Settings, *, force: bool = False,
                 strict: bool = False) -> int:
    """Read, analyse and write; returns the exit code (1 with ``strict`` when anything was skipped
    for being unreadable)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from .codebook import Codebook
    from .ingest import read_corpus
    from .output import prepare_out_dir, write_run
    from .pipeline import analyze
    from .privacy import freeze_names

    console = Console(stderr=True)
    for p in paths:
        if not Path(p).exists():
            from .errors import InputFileError
            raise InputFileError(p, "no such file or folder", hint="check the path you gave")
    prepare_out_dir(out, force=force)
    if not settings.redact:
        console.print("[bold yellow]warning:[/] --no-redact: names, phone, ID-card, bank-card and "
                      "plate numbers stay readable in every report — keep them inside the team")
    codebook = Codebook.load(settings.codebook)
    from . import warmup

    warmup.also(warmup.WRITER_MODULES)  # imported while the coding pool works (see warmup)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    from .engine import make_engine, read_files_with

    with Progress(*columns, console=console, transient=False) as bar, \
            make_engine(settings) as engine:
        reading = bar.add_task("读取 read", total=None)
        units = read_corpus(list(paths), text_cols=settings.text_cols or None,
                            on_progress=lambda _p: bar.advance(reading),
                            read_files=read_files_with(engine))
        freeze_names(units)  # pandas deep-copies attrs on every column access otherwise
        bar.update(reading, total=bar.tasks[reading].completed)
        stages = bar.add_task("分析 analyse", total=len(_STAGES))
        state = {"n": 0}

        def step(name: str) -> None:
            if state["n"]:
                bar.advance(stages)
            state["n"] += 1
            bar.update(stages, description=f"分析 analyse: {_STAGES.get(name, name)}")

        result = analyze(units, codebook=codebook, settings=settings, progress=step,
                         engine=engine)
        bar.advance(stages)
        writing = bar.add_task("写出 write", total=None)
        written = write_run(result, out, roots=[Path(p) for p in paths], force=True)
        bar.update(writing, total=len(written), completed=len(written))

    s = result.summary()
    table = Table(title=f"voiceminer analyze → {out}", show_header=True)
    table.add_column("", style="bold")
    table.add_column("", justify="right")
    table.add_row("records read", str(s["records"]))
    table.add_row("analysed", str(s["analysed"]))
    for reason, n in s["skipped"].items():
        table.add_row(f"skipped: {reason}", str(n))
    table.add_row("coded into a theme", str(s["coded"]))
    table.add_row("themes found", f"{len(s['themes_found'])} ({', '.join(s['themes_found'])})")
    table.add_row("concerns", str(s["concerns"]))
    table.add_row("provinces", f"{len(s['provinces'])} ({' '.join(s['provinces'])})")
    table.add_row("files written", str(len(written)))
    Console().print(table)
    for note in s.get("notes", []):
        console.print(note)
    unreadable = {k: v for k, v in s["skipped"].items() if k in INPUT_PROBLEMS}
    if unreadable:
        console.print(f"[yellow]some inputs could not be read: see {out / 'ledger.csv'} "
                      f"(skip_detail says what to do)[/]")
    return 1 if strict and unreadable else 0


def coded_units(paths: Sequence[Path], coder, *, text_cols: Sequence[str] = ()):
    """Read, normalise, segment and code a corpus: what suggest and suggest-terms work on."""
    from .coding import code_themes
    from .ingest import read_corpus
    from .normalize import normalize
    from .segment import segment

    units = normalize(read_corpus(list(paths), text_cols=list(text_cols) or None))
    return code_themes(segment(units, coder.segmenter), coder=coder)
