"""Which themes each unit was asked about: the themes of the question it answers.

A questionnaire that asks everyone "您对工会组织有什么意见和建议？" makes the union the most
mentioned theme of the study, and an interviewer who asks about safety hears about safety. Those
mentions are real, but they were prompted: ranked beside what people raised of their own accord
they mislead whoever writes the report. So the question a unit answers (a questionnaire column
header, the interviewer's preceding turn) is coded with the same rules as the answers, and a
theme counts as prompted for a unit when its question names it.

A term the codebook's context rules would drop in an answer ("工资还行吗？": a satisfied cue)
still names the theme in a question, so dropped themes count too. Forum posts have no question:
their ``question`` column holds the post's title, written by the same person, so nothing in a
post is prompted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .coding import ThemeCoder
from .normalize import clean_text
from .schema import ASKED_EVIDENCE, analysed_mask

# sources whose ``question`` was asked by the research team
ASKED_SOURCES = ("survey", "interview")
# An interviewer's question this short that names no theme follows up the one before it in the
# same interview (还有别的吗？ 那您具体说说？ 这个情况多吗？): what it draws out was asked for by
# that question. A longer one that names none opens a new topic (您对工作还有什么想说的吗？).
FOLLOW_UP_CHARS = 8


def question_themes(units: pd.DataFrame, coder: ThemeCoder) -> np.ndarray:
    """Per unit, the codebook themes its question asks about, as a tuple (empty for forum posts
    and units without a question). Each distinct question is coded once. In an interview, a short
    follow-up question that names no theme asks about what the question before it named
    (``FOLLOW_UP_CHARS``); units are read in table order, which is the order of the turns."""
    asked = np.empty(len(units), dtype=object)
    asked[:] = [()] * len(units)
    if "question" not in units.columns or not len(units):
        return asked
    questions = units["question"].fillna("").astype(str).to_numpy(dtype=object)
    sources = units["source"].astype(str).to_numpy(dtype=object)
    docs = units["doc_id"].astype(str).to_numpy(dtype=object) if "doc_id" in units.columns \
        else np.full(len(units), "", dtype=object)
    memo: dict[str, tuple[tuple[str, ...], bool]] = {}
    topic: dict[str, tuple[str, ...]] = {}  # interview -> themes of its last question that set one
    for i, (question, source, doc) in enumerate(zip(questions, sources, docs)):
        if not question or source not in ASKED_SOURCES:
            continue
        named = memo.get(question)
        if named is None:
            clean = clean_text(question)
            themes = _themes_named(coder, clean)
            named = memo[question] = (themes, not themes and len(clean) <= FOLLOW_UP_CHARS)
        themes, follow_up = named
        if source == "interview":
            if follow_up:
                themes = topic.get(doc, ())
            else:
                topic[doc] = themes
        asked[i] = themes
    return asked


def _themes_named(coder: ThemeCoder, clean: str) -> tuple[str, ...]:
    if not clean:
        return ()
    found, _evidence, _spans = coder.code(clean)
    named = set(found) | coder.suppressed(clean)
    return tuple(t for t in coder.codebook.ids if t in named)


# An answer up to this long that names no theme of its own (说了也没用, 子女教育, 没接触过) is
# read as answering the question it follows; a longer one that names none has moved on.
ANSWER_CHARS = 40


def answered_themes(units: pd.DataFrame, asked: np.ndarray, themes: Sequence[str]
                    ) -> pd.DataFrame:
    """Analysed questionnaire answers that name no theme take the theme of their question, when
    the question names exactly one (``asked``: ``question_themes``), with ``theme:question`` as
    evidence.

    Asked 您对工会组织有什么意见和建议？, 30 people answered 说了也没用 and 34 听说过，没入: a
    researcher codes those as views of the union, but coded by their own words they named no
    theme and were listed under 其他, away from the union's section. They stay prompted (their
    question asked), so the count of people who raised the union unprompted is unchanged. Only
    ``themes`` (the codebook's study themes) are inherited, and only by answers of up to
    ``ANSWER_CHARS`` characters. Not in interviews: a short turn there after a question is as
    often 你说啥？声音大点 or 我先接个电话 as an answer (8 of the demo's 15 such turns).
    """
    out = units.copy()
    ok = analysed_mask(out).to_numpy()
    wanted = set(themes)
    coded, evidence = out["themes"].tolist(), out["evidence"].tolist()
    cleans = out["clean"].to_numpy(dtype=object)
    surveyed = out["source"].to_numpy(dtype=object) == "survey"
    for i in np.flatnonzero(ok & surveyed):
        named = asked[i]
        if len(named) == 1 and named[0] in wanted and not len(coded[i]) \
                and len(str(cleans[i])) <= ANSWER_CHARS:
            coded[i] = [named[0]]
            evidence[i] = [*evidence[i], f"{named[0]}:{ASKED_EVIDENCE}"]
    out["themes"], out["evidence"] = coded, evidence
    return out


def background_answers(units: pd.DataFrame, introductions: Sequence[str]) -> np.ndarray:
    """Per unit, whether it answers a question that asks people to introduce themselves: its
    ``question`` holds one of ``introductions`` (``Codebook.introductions``) and was asked by
    the research team (``ASKED_SOURCES``). A forum post's ``question`` is its own title: a post
    titled 自我介绍 is what its writer chose to say, not background drawn out by an interviewer."""
    if not introductions or "question" not in units.columns:
        return np.zeros(len(units), dtype=bool)
    cue = re.compile("|".join(map(re.escape, introductions)))
    asked = units["question"].fillna("").astype(str).tolist()
    # a study asks a few dozen questions of thousands of people: each is looked at once
    introducing = {q: cue.search(q) is not None for q in set(asked) if q}
    found = np.array([introducing.get(q, False) for q in asked], dtype=bool)
    return found & units["source"].isin(ASKED_SOURCES).to_numpy()
