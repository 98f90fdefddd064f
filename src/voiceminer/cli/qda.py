"""Commands for the round trip with QDA programs: export-qdpx, import-qdpx, agreement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import VoiceminerError
from . import app, fail


@app.command("export-qdpx")
def export_qdpx_cmd(
    run_dir: Annotated[Path, typer.Argument(help="Folder written by 'voiceminer analyze'.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Project file to write (.qdpx).")] = Path(
        "study.qdpx"),
    codebook: Annotated[Optional[Path], typer.Option(
        help="The run's codebook, if it is not where the run's manifest says.")] = None,
) -> None:
    """Write a run as a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA or QualCoder."""
    from ..qda import export_qdpx

    try:
        s = export_qdpx(run_dir, out, codebook=codebook)
    except VoiceminerError as exc:
        fail(exc)
    if s.warning:
        typer.echo(f"warning: {s.warning}", err=True)
    typer.echo(f"wrote {s.path}: {s.sources} sources, {s.codes} codes, {s.selections} coded "
               f"selections ({s.codings} codings), {s.cases} cases")


@app.command("import-qdpx")
def import_qdpx_cmd(
    project: Annotated[Path, typer.Argument(help="REFI-QDA project (.qdpx) exported by a QDA "
                                                 "program after people checked the coding.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Labels CSV to write "
                                      "(unit_id,text,themes,…).")] = Path("labels.csv"),
    run: Annotated[Optional[Path], typer.Option(
        "--run", help="The 'analyze' folder the project came from; needed when another program "
                      "re-saved the project.")] = None,
    codebook: Annotated[Optional[Path], typer.Option(
        help="Codebook whose themes the codes are matched to; default: the run's.")] = None,
    coder: Annotated[Optional[str], typer.Option(
        help="Keep only the codings of this user of the project.")] = None,
) -> None:
    """Read people's codings back from a REFI-QDA project into a labels CSV."""
    from ..qda import import_qdpx

    try:
        result = import_qdpx(project, run_dir=run, codebook=codebook, coder=coder)
        result.to_csv(out)
    except VoiceminerError as exc:
        fail(exc)
    st = result.stats
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    for name, n in sorted(result.unknown_codes.items()):
        typer.echo(f"unknown code kept under its own name: {name} ({n} units)", err=True)
    for name, n in sorted(result.new_concerns.items()):
        typer.echo(f"new child code kept as a concern: {name} ({n} units)", err=True)
    typer.echo(f"wrote {out}: {st['units']} units from {st['sources']} sources, "
               f"{st['units_coded']} coded ({st['codings']} codings)")


@app.command()
def agreement(
    a: Annotated[Path, typer.Argument(help="Labels CSV of the first coder (unit_id,text,themes).")],
    b: Annotated[Path, typer.Argument(help="Labels CSV of the second coder, or the machine's.")],
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Also write the per-theme table and the disagreements here "
                            "(folder: agreement.csv, disagreements.csv).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Per-theme Cohen's kappa, Krippendorff's alpha and percent agreement of two coders."""
    from ..agreement import agreement_files

    try:
        report = agreement_files(a, b)
        if out is not None:
            report.write(out)
    except VoiceminerError as exc:
        fail(exc)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
        return
    _print(report)


def _print(report) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"agreement on {report.units} units (joined on {report.joined_on})")
    a, b = report.names
    for col in ("theme", f"{a}: yes", f"{b}: yes", "both", "% agree", "kappa", "alpha"):
        table.add_column(col, justify="left" if col == "theme" else "right")
    for r in report.per_theme.itertuples(index=False):
        table.add_row(r.theme, str(r.a_yes), str(r.b_yes), str(r.both_yes),
                      f"{r.percent_agreement:.1%}", _num(r.cohen_kappa), _num(r.krippendorff_alpha))
    console = Console()
    console.print(table)
    console.print(f"{len(report.disagreements)} units disagree"
                  + (f"; only in A: {len(report.only_in_a)}" if report.only_in_a else "")
                  + (f"; only in B: {len(report.only_in_b)}" if report.only_in_b else ""))
    for row in report.disagreements.head(20).itertuples(index=False):
        console.print(f"  {row[0]}: " + " | ".join(f"{c}={v}" for c, v in
                                                  zip(report.disagreements.columns[-2:], row[-2:])),
                      highlight=False, markup=False)


def _num(x: float) -> str:
    return "n/a" if x != x else f"{x:.3f}"
