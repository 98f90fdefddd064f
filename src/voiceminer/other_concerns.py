"""Recurring concerns among the units no theme caught (其他), found in rounds.

Uncoded answers are a mix of unrelated matters. In one partition of at most ``max_concerns``
clusters over a few hundred of them, 14 people's 机场排队时间太长 had shared a cluster named by
words they did not say, and were in no line at all; 说了也没用 and 给三轮车一个合法身份 were one
two-clause line. So a round keeps, of each coherent cluster (``concern_labels.coherent_labels``),
only the units that say its top term, and the others are partitioned again.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .concern_labels import TermPresence, coherent_labels, ctfidf_terms

# partitions of the uncoded units, each of those no coherent cluster kept
OTHER_ROUNDS = 3
# 其他 holds what no theme does, several unrelated matters at once: it may report this many times
# ``max_concerns``
OTHER_BUDGET = 2


def in_rounds(X, tokens: list[list[str]], people: list[str], presence: TermPresence, *,
              partition: Callable[..., np.ndarray], global_idf, max_concerns: int,
              min_respondents: int, coherence: float) -> np.ndarray:
    """Cluster per unit (-1: none) over up to ``OTHER_ROUNDS`` rounds, while there is room
    (``OTHER_BUDGET`` × ``max_concerns`` clusters). ``partition(X, tokens, people, most)`` is the
    finder's clustering; each round tries at most ``max_concerns`` clusters, as a theme does: on
    the seed-scale study's 23,634 uncoded units, trying up to 16 at once took 10.8 s, and two
    rounds of up to 8 take 8 s."""
    labels = np.full(len(tokens), -1)
    free = np.flatnonzero(X.getnnz(axis=1) > 0)  # sharing no word with any other: no recurrence
    found, budget = 0, max_concerns * OTHER_BUDGET
    for _ in range(OTHER_ROUNDS):
        if found >= budget or len(free) < (1 if found else 2) * min_respondents:
            break  # after the first round, what is left may be one concern alone
        some_tokens, some_people = [tokens[j] for j in free], [people[j] for j in free]
        part = partition(X[free], some_tokens, some_people, min(max_concerns, budget - found))
        terms = ctfidf_terms(some_tokens, part, global_idf, presence=presence.take(free))
        # a round keeps only the units that say their cluster's top term, so that a block of
        # answers merged into another's cluster is partitioned again, on its own
        kept = coherent_labels(part, terms, some_tokens, some_people, coherence, min_respondents,
                               held_by=1)
        new = sorted(set(kept[kept >= 0].tolist()),
                     key=lambda c: (-len({some_people[j] for j in np.flatnonzero(kept == c)}), c))
        new = new[:budget - found]
        if not new:
            break
        for c in new:
            labels[free[kept == c]] = found
            found += 1
        free = np.setdiff1d(free, np.flatnonzero(labels >= 0), assume_unique=True)
    return labels
