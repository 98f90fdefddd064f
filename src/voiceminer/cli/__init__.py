"""The ``voiceminer`` command: a thin typer layer over the library.

Each command parses options, makes one library call and prints. Heavy modules are imported inside
the commands so that ``voiceminer --help`` answers at once. The core commands live here; each
further area registers its commands on the same ``app`` from a module of its own (imported at
the bottom), so that the file stays one screenful per area.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import __version__
from ..errors import VoiceminerError

app = typer.Typer(
    name="voiceminer",
    help="Turn interview notes, questionnaire answers and forum posts of new-employment workers "
         "into themed, evidence-backed issue lists per province.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def fail(exc: Exception) -> None:
    """Print a VoiceminerError (file, line, what to do) and exit 2; for every command module."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {escape(str(exc))}",
                                              highlight=False)
    raise typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"voiceminer {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[Optional[bool], typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = None
         ) -> None:
    """voiceminer command-line interface."""


@app.command()
def analyze(
    paths: Annotated[list[Path], typer.Argument(
        help="Folders or files: .docx/.txt/.md interviews, .xlsx/.csv questionnaires, "
             ".jsonl/.csv forum posts.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the reports.")] = Path("reports"),
    codebook: Annotated[Optional[Path], typer.Option(
        help="Codebook TOML (see 'voiceminer init'); default: the bundled codebook.")] = None,
    userdict: Annotated[Optional[list[Path]], typer.Option(
        help="Extra jieba dictionary file(s): 'word [freq] [tag]' per line.")] = None,
    stopwords: Annotated[Optional[list[Path]], typer.Option(
        help="Extra stopword file(s), one word per line.")] = None,
    text_col: Annotated[Optional[list[str]], typer.Option(
        "--text-col", help="Questionnaire column(s) holding open answers (header, its number, "
                          "or part of it); default: found automatically.")] = None,
    fmt: Annotated[Optional[list[str]], typer.Option(
        "--format", help="Output formats (md, docx, xlsx, csv, json); default: all.")] = None,
    max_concerns: Annotated[int, typer.Option(help="Most concerns per theme.")] = 8,
    concerns: Annotated[Optional[Path], typer.Option(
        help="Catalogue of known concerns (TOML, from 'voiceminer init'); default: the bundled "
             "one.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed for clustering.")] = 0,
    model: Annotated[Optional[Path], typer.Option(
        help="Model folder from 'voiceminer train': adds learned labels to the codebook's.")] = None,
    learn: Annotated[bool, typer.Option(
        help="Self-train a model on the codebook's matches in this corpus and add its labels.")] = False,
    screen: Annotated[bool, typer.Option(
        help="Set aside coded texts that a relevance screen, self-trained on this corpus, finds "
             "to be about something else (mixed forums, message boards).")] = False,
    force: Annotated[bool, typer.Option(help="Overwrite a non-empty output folder.")] = False,
    strict: Annotated[bool, typer.Option(
        help="Exit non-zero when any file or record could not be read.")] = False,
    no_redact: Annotated[bool, typer.Option(
        "--no-redact", help="Do not mask names, phone/ID/bank-card/plate numbers, e-mail and "
                            "WeChat/QQ ids in exports (internal use only; warns).")] = False,
    segmenter: Annotated[str, typer.Option(
        help="Segmenter: auto (rjieba when installed), jieba (the reference) or rjieba.")] = "auto",
    engine: Annotated[str, typer.Option(
        help="Where reading, segmentation and coding run: local (all cores) or dask.")] = "local",
    scheduler: Annotated[Optional[str], typer.Option(
        help="Dask scheduler address (tcp://HOST:8786) for --engine dask; default: a "
             "LocalCluster on this machine.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option(
        help="Cache of segmentation and coding by content hash; default: "
             "~/.cache/voiceminer ($VOICEMINER_CACHE).")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the cache.")] = False,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", help="Local worker processes (0: one per core).")] = 0,
) -> None:
    """Analyse a folder of field material and write per-province issue lists."""
    from ..cache import default_cache_dir
    from ..run import run_analysis
    from ..settings import FORMATS, Settings

    try:
        settings = Settings(
            codebook=codebook, userdicts=tuple(userdict or ()), stopwords=tuple(stopwords or ()),
            text_cols=tuple(text_col or ()), max_concerns=max_concerns, random_state=seed,
            model=model, learn=learn, screen=screen, concern_catalogue=concerns,
            redact=not no_redact, formats=tuple(fmt or FORMATS),
            segmenter=segmenter, engine=engine, scheduler=scheduler, n_jobs=jobs,
            cache_dir=None if no_cache else (cache_dir or default_cache_dir()))
        code = run_analysis(paths, out, settings, force=force, strict=strict)
    except (VoiceminerError, ValueError, ImportError) as exc:  # ImportError: a missing extra
        fail(exc)
    raise typer.Exit(code)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Folder to create with an editable codebook.")],
    force: Annotated[bool, typer.Option(help="Overwrite existing files.")] = False,
) -> None:
    """Copy the default codebook, known concerns, dictionary and stopwords into FOLDER for editing."""
    from ..resources_io import copy_defaults

    try:
        for path in copy_defaults(folder, force=force):
            typer.echo(f"wrote {path}")
    except VoiceminerError as exc:
        fail(exc)
    typer.echo(f"Edit {folder / 'codebook.toml'}, then: voiceminer analyze DATA "
               f"--codebook {folder / 'codebook.toml'} --concerns {folder / 'concerns.toml'} "
               f"--userdict {folder / 'userdict.txt'}")


@app.command("check-codebook")
def check_codebook(
    path: Annotated[Path, typer.Argument(help="Codebook TOML to validate.")],
) -> None:
    """Validate a codebook and list its themes and term counts."""
    from ..codebook import load_codebook

    try:
        cb = load_codebook(path)
    except VoiceminerError as exc:
        fail(exc)
    for theme in cb.themes:
        typer.echo(f"{theme.id:18} {theme.label:10} {len(theme.terms):4} terms")
    typer.echo(f"OK: {len(cb.themes)} themes in {path}")


# Commands of further areas register themselves on ``app`` when imported.
from . import quality  # noqa: E402,F401  (evaluate, train, suggest, suggest-terms)
from . import explore  # noqa: E402,F401  (compare)
from . import qda  # noqa: E402,F401  (export-qdpx, import-qdpx, agreement)
