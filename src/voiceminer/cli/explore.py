"""Commands for looking at results: compare two runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import app, fail
from ..errors import VoiceminerError


@app.command()
def compare(
    run_a: Annotated[Path, typer.Argument(metavar="RUN_A", help="The earlier run folder (written by 'analyze --out').")],
    run_b: Annotated[Path, typer.Argument(metavar="RUN_B", help="The later run folder.")],
    min_overlap: Annotated[float, typer.Option(
        help="Share of top terms two concerns of the same theme must have in common to match.")] = 0.25,
    min_change: Annotated[float, typer.Option(
        help="Change in share of respondents (0.02 = 2 points) that counts as grew or shrank.")] = 0.02,
    html: Annotated[bool, typer.Option(
        "--html/--no-html", help="Also put the comparison into RUN_B/index.html.")] = True,
    csv: Annotated[Optional[Path], typer.Option(help="Also write the comparison table as CSV.")] = None,
    show_all: Annotated[bool, typer.Option(
        "--all", help="Also list the concerns that stayed about the same.")] = False,
) -> None:
    """Show which concerns grew, shrank, appeared or disappeared from RUN_A to RUN_B."""
    from rich.console import Console
    from rich.table import Table

    from ..runs_compare import compare_runs, display_rows, write_into_report

    try:
        result = compare_runs(run_a, run_b, min_overlap=min_overlap, min_change=min_change)
        shown = result if show_all else result.loc[result["status"] != "stable"]
        header, rows = display_rows(shown)
        table = Table(title=f"{run_a} → {run_b}")
        for i, name in enumerate(header):
            table.add_column(name, justify="right" if 3 <= i <= 5 else "left", overflow="fold")
        for row in rows:
            table.add_row(*row)
        Console().print(table)
        stable = int((result["status"] == "stable").sum())
        if stable and not show_all:
            typer.echo(f"{stable} more concerns stayed within ±{min_change * 100:g} points "
                       f"(--all lists them).")
        if csv is not None:
            result.to_csv(csv, index=False, encoding="utf-8-sig")
            typer.echo(f"wrote {csv}")
        if html:
            typer.echo(f"wrote {write_into_report(result, run_b)}")
    except VoiceminerError as exc:
        fail(exc)
