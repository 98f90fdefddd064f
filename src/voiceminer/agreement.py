"""Inter-coder agreement between two labels CSVs: per theme Cohen's kappa, Krippendorff's alpha
and percent agreement, plus the units the coders disagree on.

Coding is multi-label, so each theme is treated as its own yes/no variable per unit (the usual
practice in qualitative research reports): "did coder A code this unit with ``pay``?" against the
same question for coder B. Percent agreement alone flatters rare themes (two coders who never use
``stability`` agree on 99% of units), which is why the chance-corrected kappa and alpha sit beside
it. The statistics are written out here rather than taken from a package so that each number can
be checked by hand against the formulas in the docstrings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputFileError
from .label_files import read_labelled_csv

AGREEMENT_COLUMNS = ("theme", "units", "a_yes", "b_yes", "both_yes", "both_no",
                     "percent_agreement", "cohen_kappa", "krippendorff_alpha")
POOLED = "(all themes)"


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa of two coders' yes/no (or any nominal) decisions on the same units.

    ``kappa = (p_o - p_e) / (1 - p_e)`` with ``p_o`` the observed share of agreement and ``p_e``
    the agreement expected by chance from each coder's own category shares,
    ``p_e = sum_c p_A(c) * p_B(c)``. Undefined (NaN) when ``p_e == 1``: both coders put every
    unit in the same single category, so there is nothing to correct for.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"a and b must be 1-d and of equal length; got {a.shape} and {b.shape}.")
    if len(a) == 0:
        return float("nan")
    p_o = float(np.mean(a == b))
    cats = np.union1d(a, b)
    p_e = float(sum(np.mean(a == c) * np.mean(b == c) for c in cats))
    if np.isclose(p_e, 1.0):
        return float("nan")
    return (p_o - p_e) / (1.0 - p_e)


def krippendorff_alpha_nominal(data: np.ndarray) -> float:
    """Krippendorff's alpha for nominal data.

    ``data`` is coders × units with ``np.nan`` where a coder did not code a unit. Units coded by
    fewer than two coders are not pairable and drop out. With ``o_ck`` the coincidence matrix
    (each ordered pair of values inside a unit adds ``1 / (m_u - 1)``), ``n_c`` its margins and
    ``n`` the number of pairable values::

        alpha = 1 - D_o / D_e,  D_o = sum_{c != k} o_ck / n,
                                D_e = sum_{c != k} n_c * n_k / (n * (n - 1))

    NaN when ``D_e == 0`` (every pairable value is the same category).
    """
    data = np.asarray(data, dtype=float)
    if data.ndim != 2:
        raise ValueError(f"data must be coders × units (2-d); got shape {data.shape}.")
    values = np.unique(data[~np.isnan(data)])
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for unit in data.T:
        vals = unit[~np.isnan(unit)]
        m = len(vals)
        if m < 2:
            continue
        counts = np.zeros(len(values))
        for v in vals:
            counts[index[v]] += 1
        o += (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
    n = o.sum()
    if n <= 1:
        return float("nan")
    n_c = o.sum(axis=1)
    d_o = (n - np.trace(o)) / n
    d_e = (n * n - (n_c ** 2).sum()) / (n * (n - 1))
    if np.isclose(d_e, 0.0):
        return float("nan")
    return float(1.0 - d_o / d_e)


@dataclass
class AgreementReport:
    """Per-theme statistics, the disagreeing units, and what could not be compared."""

    per_theme: pd.DataFrame  # AGREEMENT_COLUMNS; one row per theme, then the pooled row
    disagreements: pd.DataFrame  # key, text, themes_a, themes_b, only_a, only_b
    joined_on: str  # "unit_id" or "text"
    units: int
    only_in_a: list[str] = field(default_factory=list)
    only_in_b: list[str] = field(default_factory=list)
    names: tuple[str, str] = ("A", "B")

    def write(self, folder: str | Path) -> list[Path]:
        """Write ``agreement.csv`` (per theme) and ``disagreements.csv`` (redacted) to ``folder``."""
        from .table_files import write_table

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        return [write_table(self.per_theme, folder / "agreement.csv"),
                write_table(self.disagreements, folder / "disagreements.csv", redact_text=True)]

    def to_dict(self) -> dict:
        return {"coders": list(self.names), "joined_on": self.joined_on, "units": self.units,
                "per_theme": self.per_theme.to_dict(orient="records"),
                "disagreements": self.disagreements.to_dict(orient="records"),
                "only_in_a": self.only_in_a, "only_in_b": self.only_in_b}


def read_labels(path: str | Path) -> pd.DataFrame:
    """A labels CSV (``unit_id,text,themes`` or ``text,themes``) with ``themes`` as sets."""
    df = read_labelled_csv(path, ("text", "themes"),
                           hint=" (a labels CSV has unit_id,text,themes)").copy()
    df["themes"] = df["themes"].map(lambda s: {t.strip() for t in s.split(";") if t.strip()})
    return df


def _keyed(df: pd.DataFrame, key: str, path: str) -> pd.DataFrame:
    keys = df[key].astype(str).str.strip() if key == "text" else df[key].astype(str)
    dupes = sorted(set(keys[keys.duplicated()]))
    if dupes:
        raise InputFileError(path, f"{len(dupes)} {key} value(s) occur twice, e.g. {dupes[0]!r}",
                             hint="give each unit one row (join on unit_id when texts repeat)")
    return df.assign(_key=keys.to_numpy()).set_index("_key")


def agreement(a: pd.DataFrame, b: pd.DataFrame, *, themes: list[str] | None = None,
              names: tuple[str, str] = ("A", "B")) -> AgreementReport:
    """Compare two coders' labels on the units both coded.

    Rows are joined on ``unit_id`` when both tables have it filled, else on the text. ``themes``
    defaults to every theme either coder used, in first-seen order of A then B.
    """
    key = "unit_id" if all("unit_id" in d.columns
                           and d["unit_id"].astype(str).str.strip().ne("").all()
                           for d in (a, b)) else "text"
    ka, kb = _keyed(a, key, names[0]), _keyed(b, key, names[1])
    shared = [k for k in ka.index if k in kb.index]
    only_a = [k for k in ka.index if k not in kb.index]
    only_b = [k for k in kb.index if k not in ka.index]
    sa = [ka.at[k, "themes"] for k in shared]
    sb = [kb.at[k, "themes"] for k in shared]
    if themes is None:
        seen: dict[str, None] = {}
        for s in (*sa, *sb):
            for t in sorted(s):
                seen.setdefault(t)
        themes = list(seen)
    rows, pooled_a, pooled_b = [], [], []
    for theme in themes:
        ya = np.array([theme in s for s in sa], dtype=int)
        yb = np.array([theme in s for s in sb], dtype=int)
        pooled_a.append(ya)
        pooled_b.append(yb)
        rows.append(_row(theme, ya, yb))
    if themes:
        rows.append(_row(POOLED, np.concatenate(pooled_a), np.concatenate(pooled_b)))
    per_theme = pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))
    dis = []
    for k, x, y in zip(shared, sa, sb):
        x, y = x & set(themes), y & set(themes)
        if x != y:
            text = [] if key == "text" else [str(ka.at[k, "text"])]
            dis.append((k, *text, ";".join(sorted(x)), ";".join(sorted(y)),
                        ";".join(sorted(x - y)), ";".join(sorted(y - x))))
    columns = [key, *([] if key == "text" else ["text"]), f"themes_{names[0]}",
               f"themes_{names[1]}", f"only_{names[0]}", f"only_{names[1]}"]
    disagreements = pd.DataFrame(dis, columns=columns)
    return AgreementReport(per_theme, disagreements, key, len(shared), only_a, only_b, names)


def _row(theme: str, ya: np.ndarray, yb: np.ndarray) -> tuple:
    n = len(ya)
    po = float(np.mean(ya == yb)) if n else float("nan")
    return (theme, n, int(ya.sum()), int(yb.sum()), int((ya & yb).sum()),
            int(((1 - ya) & (1 - yb)).sum()), round(po, 4), round(cohen_kappa(ya, yb), 4),
            round(krippendorff_alpha_nominal(np.vstack([ya, yb])), 4))


def agreement_files(path_a: str | Path, path_b: str | Path, *, themes: list[str] | None = None
                    ) -> AgreementReport:
    """``agreement`` on two labels CSVs; coder names are the file stems."""
    a, b = read_labels(path_a), read_labels(path_b)
    na, nb = Path(path_a).stem, Path(path_b).stem
    if na == nb:
        na, nb = "A", "B"
    return agreement(a, b, themes=themes, names=(na, nb))
