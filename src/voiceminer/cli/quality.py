"""Commands that measure and improve coding quality: evaluate, train, suggest, suggest-terms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import VoiceminerError
from . import app, fail

CodebookOpt = Annotated[Optional[Path], typer.Option(
    help="Codebook TOML; default: the bundled codebook.")]
ModelOpt = Annotated[Optional[Path], typer.Option(help="Model folder from 'voiceminer train'.")]
LabelMapOpt = Annotated[Optional[list[str]], typer.Option(
    "--label-map", help="Rename gold labels, GOLD=THEME (e.g. retirement=social_insurance); "
                        "GOLD= drops a label.")]


def _table(df, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in df.columns:
        table.add_column(str(col), justify="right" if df[col].dtype.kind in "if" else "left")
    for row in df.itertuples(index=False):
        table.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))
    Console().print(table)


def _check_out_file(path: Optional[Path], flag: str, example: str) -> None:
    """Refuse an output path that cannot become a file before the slow work, not after it;
    missing parent folders are fine (they are created when writing)."""
    if path is None:
        return
    if path.is_dir():
        raise VoiceminerError(f"{flag} {path} is a folder; give a file name, e.g. "
                              f"{path / example}")
    parent = next((p for p in path.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise VoiceminerError(f"{flag} {path}: {parent} is a file, not a folder.")


def _write(path: Path, write) -> None:
    """Create ``path``'s folders, then ``write(path)``; a failure is an error message, not a
    traceback."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path)
    except OSError as exc:
        fail(VoiceminerError(f"cannot write {path} ({exc.strerror or exc}); check the path and "
                             f"that you may write there."))


def _notes(warnings: list[str], skipped: list[str], not_in_codebook: dict[str, int],
           outside: dict[str, int], unknown_what: str) -> None:
    """What a labels file held that was not used, the same way for evaluate and train."""
    for line in warnings:
        typer.echo(f"warning: {line}", err=True)
    if not_in_codebook:
        typer.echo(f"{unknown_what}: {not_in_codebook}")
    if outside:
        typer.echo(f"outside-scope themes in the labels (rows expecting no study theme): "
                   f"{outside}")
    for line in skipped:
        typer.echo(f"skipped {line}")


def _setup(codebook: Optional[Path], model: Optional[Path]):
    from ..codebook import Codebook
    from ..learn import load_model
    from ..quality import make_coder

    coder = make_coder(Codebook.load(codebook))
    return coder, (load_model(model) if model else None)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(
        help="Gold file (.csv in any Chinese encoding, comma/tab/semicolon, or .xlsx): one text "
             "per row with its labels.")],
    text_col: Annotated[str, typer.Option(help="Column holding the text.")] = "text",
    label_col: Annotated[str, typer.Option(
        help="Column holding the labels: theme ids or labels (pay, 工资收入), several split on "
             "; ； , ， 、 |.")] = "labels",
    label_map: LabelMapOpt = None,
    codebook: CodebookOpt = None,
    model: ModelOpt = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the scores here.")] = None,
    relevant: Annotated[Optional[str], typer.Option(
        help="Score relevance instead of themes: rows whose label is this value raise a concern "
             "of the study (e.g. 劳动和社会保障); compares the rules with the self-trained screen."
    )] = None,
    relevant_theme: Annotated[Optional[list[str]], typer.Option(
        "--relevant-theme", help="With --relevant: only these themes count as the study's "
                                 "concerns (repeat the option); default every theme.")] = None,
) -> None:
    """Score the codebook (and model) against a gold CSV: per-theme P/R/F1, micro/macro, confusions."""
    from ..label_files import parse_label_map
    from ..quality import evaluate_file

    if relevant is not None:
        _evaluate_relevance(gold, relevant, text_col, label_col, codebook, json_out,
                            relevant_theme)
        return
    try:
        _check_out_file(json_out, "--json", "scores.json")
        coder, loaded = _setup(codebook, model)
        report = evaluate_file(gold, text_col=text_col, label_col=label_col,
                               label_map=parse_label_map(label_map or []), coder=coder, model=loaded)
    except (VoiceminerError, ValueError) as exc:
        fail(exc)
    _table(report.scores, f"{gold.name}: {report.rows} texts")
    _table(report.confusions, "most frequent confusions (gold theme missed → theme predicted)")
    _notes(report.warnings, [], report.gold_only, report.outside,
           "gold labels the codebook lacks (not scored)")
    if report.codebook_only:
        typer.echo(f"codebook themes absent from gold (not scored; times predicted): "
                   f"{report.codebook_only}")
    _skipped_and_json(report.skipped, json_out, report.to_dict())


def _evaluate_relevance(gold: Path, positive: str, text_col: str, label_col: str,
                        codebook: Optional[Path], json_out: Optional[Path],
                        themes: Optional[list[str]]) -> None:
    import pandas as pd

    from ..quality import evaluate_relevance

    try:
        _check_out_file(json_out, "--json", "scores.json")
        coder, _ = _setup(codebook, None)
        result = evaluate_relevance(gold, positive, text_col=text_col, label_col=label_col,
                                    coder=coder, themes=themes)
    except (VoiceminerError, ValueError) as exc:
        fail(exc)
    rows = [{"method": name, **{k: result[key][k] for k in ("precision", "recall", "f1",
                                                            "predicted", "tp")}}
            for name, key in (("codebook rules", "rules"), ("self-trained screen", "screen"))]
    _table(pd.DataFrame(rows), f"{gold.name}: {result['rows']} texts, "
                               f"{result['positives']} labelled {positive}")
    typer.echo(f"screen seeds: {result['seeds']}" + (f"; {result['fallback']}"
                                                      if result["fallback"] else ""))
    _skipped_and_json(result["skipped"], json_out, result)


def _skipped_and_json(skipped: list[str], json_out: Optional[Path], data: dict) -> None:
    """The end of every evaluation: rows that could not be scored, then the scores as JSON."""
    for line in skipped:
        typer.echo(f"skipped {line}")
    if json_out:
        text = json.dumps(data, ensure_ascii=False, indent=2)
        _write(json_out, lambda p: p.write_text(text, encoding="utf-8"))
        typer.echo(f"wrote {json_out}")


@app.command()
def train(
    labels: Annotated[Path, typer.Argument(
        help="Labels file (.csv or .xlsx): unit_id,text,themes (several themes split on ; 、 …).")],
    out: Annotated[Optional[Path], typer.Option(
        help="Model folder; default models/<labels file name>.")] = None,
    text_col: Annotated[str, typer.Option(help="Column holding the text.")] = "text",
    label_col: Annotated[str, typer.Option(
        help="Column holding the themes (ids or labels, split on ; ； , ， 、 |).")] = "themes",
    label_map: LabelMapOpt = None,
    codebook: CodebookOpt = None,
    seed: Annotated[int, typer.Option(help="Random seed for folds.")] = 0,
) -> None:
    """Fit a model on annotated units, cross-validate it, save it (JSON + arrays, no pickle)."""
    from ..label_files import parse_label_map
    from ..training import train_file

    target = out or Path("models") / labels.stem
    try:
        coder, _ = _setup(codebook, None)
        report = train_file(labels, target, text_col=text_col, label_col=label_col,
                            label_map=parse_label_map(label_map or []), coder=coder,
                            random_state=seed)
    except (VoiceminerError, ValueError) as exc:
        fail(exc)
    _table(report.scores, f"cross-validated rules + model on {labels.name} "
                          f"({len(report.scores) - 2} themes, {report.folds} folds)")
    _notes(report.warnings, report.skipped, report.not_in_codebook, report.outside,
           "labels not in the codebook (not learned)")
    typer.echo(f"saved model to {target} (use: voiceminer analyze DATA --model {target})")


@app.command()
def suggest(
    paths: Annotated[list[Path], typer.Argument(help="Corpus folders or files to draw units from.")],
    model: ModelOpt = None,
    n: Annotated[int, typer.Option("--n", min=1, help="How many units to list.")] = 50,
    out: Annotated[Optional[Path], typer.Option(help="Write the list as a labels CSV to fill in.")] = None,
    codebook: CodebookOpt = None,
) -> None:
    """List the units the model is least sure of: the next ones to annotate (active learning).

    Without --model, a model self-trained on the codebook's matches in these units is used.
    """
    from ..learn.model import require_themes
    from ..quality import check_corpus, uncertain_units
    from ..run import coded_units

    try:
        _check_out_file(out, "--out", "next.csv")
        coder, loaded = _setup(codebook, model)
        if loaded is not None:
            require_themes(loaded, f"the model {model}")
        units = coded_units(paths, coder)
        check_corpus(units, paths)
        if loaded is None:
            from ..learn import seed_model

            loaded = seed_model(units, coder)
            if loaded is None:
                raise VoiceminerError("Too few coded units to self-train a model; pass --model.")
        table = uncertain_units(units, loaded, n)
    except (VoiceminerError, ValueError) as exc:
        fail(exc)
    if out:
        _write(out, lambda p: table.to_csv(p, index=False, encoding="utf-8-sig"))
        typer.echo(f"wrote {len(table)} units to {out}: correct the 'themes' column, then "
                   f"'voiceminer train {out}'")
    else:
        _table(table.assign(text=table["text"].str.slice(0, 40)), f"{len(table)} units to annotate")


@app.command("suggest-terms")
def suggest_terms_cmd(
    theme: Annotated[str, typer.Argument(help="Theme id or label, e.g. pay or 工资收入.")],
    paths: Annotated[list[Path], typer.Argument(help="Corpus folders or files.")],
    top: Annotated[int, typer.Option(min=1, help="How many terms.")] = 30,
    codebook: CodebookOpt = None,
) -> None:
    """Propose new terms for THEME from the corpus (PPMI with the theme), with example quotes."""
    from ..quality import check_corpus
    from ..run import coded_units
    from ..suggest_terms import no_terms_reason, resolve_theme, suggest_terms

    try:
        coder, _ = _setup(codebook, None)
        theme = resolve_theme(coder.codebook, theme)
        units = coded_units(paths, coder)
        check_corpus(units, paths)
        table = suggest_terms(units, theme, coder.codebook, top=top)
    except (VoiceminerError, ValueError) as exc:
        fail(exc)
    if table.empty:
        typer.echo(f"no candidate terms for '{theme}': {no_terms_reason(units, theme)}")
        return
    _table(table, f"candidate terms for '{theme}'")
