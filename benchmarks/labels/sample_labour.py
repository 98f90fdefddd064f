"""Draw the reproducible sample of 劳动和社会保障 messages for blind hand-labelling.

Why this exists: the tool's theme coding needs an out-of-sample check that does not reuse the
existing dev gold (``teddy2020/labor_gold_dev.csv``). This script fixes exactly which messages
were hand-labelled in ``teddy_labour_sample.csv``, so anyone can redraw the same 160 rows and
join the labels back to their text by ``uid`` (the text itself is not stored in this repo).

Selection: rows of ``teddy2020/messages_labeled.csv`` with ``label == "劳动和社会保障"``, whose
``text`` does not occur in the dev gold's ``text``, de-duplicated by text, then
``sample(n=160, random_state=20261125)`` and sorted by ``msg_id``.

Keys: ``msg_id`` is read as a string and kept verbatim, but it is empty for every row that came
from the ``asimok_*`` sources (about 60% of this category). Each row therefore also gets
``uid = sha1(text)[:12]``, the same key ``labor_gold_dev.csv`` uses; rows with an empty
``msg_id`` are ordered by ``uid`` so the order never depends on the sort algorithm.

Usage (from the repo root)::

    python benchmarks/labels/sample_labour.py [DATA_DIR]

``DATA_DIR`` defaults to ``../shared/data`` resolved relative to the repo root.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
CATEGORY = "劳动和社会保障"
N_SAMPLE = 160
SEED = 20261125


def text_uid(text: str) -> str:
    """Stable key from the text alone, as in ``labor_gold_dev.csv``: first 12 hex of SHA-1."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def draw_sample(data_dir: Path, n: int = N_SAMPLE, seed: int = SEED) -> pd.DataFrame:
    """Return the sampled rows (``msg_id``, ``uid``, ``text``), sorted by ``msg_id`` then ``uid``."""
    teddy = data_dir / "teddy2020"
    # dtype=str keeps msg_id exactly as written (no int/float coercion).
    messages = pd.read_csv(teddy / "messages_labeled.csv", dtype=str, keep_default_na=False)
    gold = pd.read_csv(teddy / "labor_gold_dev.csv", dtype=str, keep_default_na=False)
    pool = messages[messages["label"] == CATEGORY]
    pool = pool[~pool["text"].isin(set(gold["text"]))]
    pool = pool.drop_duplicates(subset="text")
    sample = pool.sample(n=n, random_state=seed).copy()
    sample["uid"] = sample["text"].map(text_uid)
    sample = sample.sort_values(["msg_id", "uid"], kind="stable")
    return sample[["msg_id", "uid", "text"]].reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help=f"directory holding teddy2020/ (default: {DEFAULT_DATA_DIR})",
    )
    args = parser.parse_args(argv)
    sample = draw_sample(args.data_dir)
    for row in sample.itertuples(index=False):
        print(f"{row.msg_id}\t{row.uid}\t{row.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
