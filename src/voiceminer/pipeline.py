"""The whole analysis as one call over the stage functions, for the CLI and for notebooks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import __version__
from .codebook import Codebook
from .coding import ThemeCoder
from .compare import keyness, prevalence
from .concern_catalogue import ConcernCatalogue, unmatchable
from .concerns import find_concerns
from .group_moves import move_by_group
from .normalize import normalize
from .privacy import Redactor
from .prompting import answered_themes, question_themes
from .report.build import build_issue_lists
from .report.model import IssueList
from .schema import analysed_mask, check_units, ledger
from .segment import Segmenter
from .settings import Settings

if TYPE_CHECKING:
    from .learn.model import ThemeModel

Progress = Callable[[str], None]


@dataclass
class Analysis:
    """The result of ``analyze``: the units table, its side tables and the issue lists."""

    units: pd.DataFrame
    concerns: pd.DataFrame
    prevalence: pd.DataFrame
    keyness: pd.DataFrame
    issue_lists: dict[str, IssueList]
    codebook: Codebook
    settings: Settings = field(default_factory=Settings)
    notes: tuple[str, ...] = ()  # what optional steps did (models, the screen), for the summary
    catalogue: ConcernCatalogue | None = None  # the known concerns that named the concerns
    # the run's redactor (``settings.redact``): the issue lists' quotes and the written tables
    # mask the same names, and finding them in every text is done once
    redactor: Redactor | None = None

    @property
    def ledger(self) -> pd.DataFrame:
        return ledger(self.units)

    def summary(self) -> dict[str, object]:
        """Counts for the end-of-run table: records, analysed, skipped by reason, themes."""
        reasons = self.units["skip_reason"].fillna("").astype(str)
        skipped = reasons[reasons != ""].value_counts().sort_index()
        coded = self.units["themes"].map(len).gt(0)
        return {
            "records": len(self.units),
            "analysed": int(analysed_mask(self.units).sum()),
            "skipped": {str(k): int(v) for k, v in skipped.items()},
            "coded": int(coded.sum()),
            "themes_found": sorted({t for ts in self.units["themes"] for t in ts}),
            "concerns": len(self.concerns),
            "provinces": sorted(p for p in self.issue_lists if p != "全国"),
            **({"notes": list(self.notes)} if self.notes else {}),
        }

    def _repr_html_(self) -> str:
        """Jupyter's view: run counts, the top themes nationally, and where to look next."""
        from .report.html.notebook import analysis_html

        return analysis_html(self)


def make_segmenter(codebook: Codebook, settings: Settings) -> Segmenter:
    return Segmenter(settings.userdicts, settings.stopwords, codebook.all_terms(), hmm=settings.hmm,
                     backend=settings.segmenter)


def add_learned_labels(units: pd.DataFrame, coder: ThemeCoder, settings: Settings
                       ) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Labels from a trained model (``settings.model``) and/or self-training (``settings.learn``),
    with one note per model saying how many labels it added (for the run summary)."""
    if settings.model is None and not settings.learn:
        return units, ()
    from .learn import load_model, seed_model
    from .learn.seeds import apply_model

    notes = []
    if settings.model is not None:
        model = load_model(settings.model)
        labelled = apply_model(units, model, coder)
        notes.append(model_note(f"model {Path(settings.model).name}", units, labelled, model))
        units = labelled
    if settings.learn:
        model = seed_model(units, coder, random_state=settings.random_state)
        if model is not None:
            labelled = apply_model(units, model, coder)
            notes.append(model_note("self-trained model (--learn)", units, labelled, model))
            units = labelled
    return units, tuple(notes)


def model_note(name: str, before: pd.DataFrame, after: pd.DataFrame, model: ThemeModel) -> str:
    """How many theme labels a model added, to how many units, and how well it scored when it
    was trained: a weak model can add thousands of labels, and the run summary should say so."""
    gained = [len(a) - len(b) for a, b in zip(after["themes"], before["themes"])]
    analysed = int(analysed_mask(after).sum())
    scores = [f for f in model.cv_f1_.values() if f == f]  # NaN: not scored
    quality = (f"; mean cross-validated F1 of its themes when trained: "
               f"{sum(scores) / len(scores):.2f}" if scores else "")
    return (f"{name} added {sum(gained)} theme labels to {sum(g > 0 for g in gained)} of "
            f"{analysed} analysed units (evidence theme:model:p){quality}")


def analyze(units: pd.DataFrame, *, codebook: Codebook | None = None,
            settings: Settings | None = None, progress: Progress | None = None,
            engine=None) -> Analysis:
    """Run normalize → segment → code → concerns → compare → issue lists on an ingested table.

    Segmentation and coding go through ``engine`` (default: the one ``settings.engine`` names)
    and the cache in ``settings.cache_dir``; cleaning the texts goes through ``engine`` when one
    is given (``run.run_analysis`` gives one). Neither changes the results.
    """
    check_units(units, "ingest")
    settings = settings or Settings()
    codebook = codebook or Codebook.load(settings.codebook)
    step = progress or (lambda _name: None)
    step("normalize")
    units = normalize(units, engine)
    step("segment")
    from .engine import segment_and_code

    segmenter = make_segmenter(codebook, settings)
    coder = ThemeCoder(codebook, segmenter)
    units = segment_and_code(units, codebook, settings, segmenter, coder, engine=engine)
    step("code")
    units, moved = move_by_group(units, codebook)
    units, notes = add_learned_labels(units, coder, settings)
    if moved:
        notes = (f"codebook group rules (group_move) coded {moved} units into another theme "
                 f"for their worker group", *notes)
    asked = question_themes(units, coder)
    units = answered_themes(units, asked, codebook.ids)
    if settings.screen:
        from .relevance import screen_units

        units, note = screen_units(units, coder, random_state=settings.random_state)
        notes = (*notes, note)
    step("concerns")
    from . import warmup

    warmup.wait()
    catalogue = ConcernCatalogue.load(settings.concern_catalogue)
    dead = unmatchable(catalogue, segmenter)
    if dead:
        notes = (*notes, f"concern catalogue: {len(dead)} terms can never be found, since the "
                 f"content tokens drop them or part of them (a bare number, a stopword; add a "
                 f"phrase to a user dictionary to keep it whole): "
                 f"{'、'.join(f'{t} ({cid})' for cid, t in dead[:10])}")
    units, concerns = find_concerns(units, max_concerns=settings.max_concerns,
                                    min_respondents=settings.min_respondents,
                                    random_state=settings.random_state, segmenter=segmenter,
                                    catalogue=catalogue,
                                    introductions=codebook.introductions,
                                    n_jobs=settings.n_jobs)
    segmenter.forget_cuts()  # coding left them for the concern stage only
    step("compare")
    prev = prevalence(units, concerns, codebook, asked=asked)
    keys = keyness(units)
    step("issues")
    meta = {"version": __version__,
            "codebook": f"{codebook.name} {codebook.version}".strip() or Path(codebook.source).name,
            "codebook_hash": codebook.sha256[:12]}
    redactor = Redactor.for_units(units) if settings.redact else None
    issues = build_issue_lists(units, concerns, prev, keys, codebook, meta=meta,
                               quotes_per_concern=settings.quotes_per_concern,
                               redact_quotes=settings.redact, catalogue=catalogue,
                               n_jobs=settings.n_jobs, redactor=redactor)
    return Analysis(units, concerns, prev, keys, issues, codebook, settings, notes, catalogue,
                    redactor)
