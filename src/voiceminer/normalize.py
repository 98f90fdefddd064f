"""Normalisation: the ``clean`` column and the skip reasons that text alone can decide.

``text`` stays as written (a report quotes people verbatim); ``clean`` is what the analysis reads:
simplified script, full-width letters and digits folded, whitespace tidied. Non-answers and exact
duplicates are not dropped but marked with a ``skip_reason`` so the ledger can account for them.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from .schema import check_units

# Answers that say nothing, after punctuation and whitespace are removed. Deliberately short and
# literal: "没有社保" is a complaint, "没有" is not.
NON_ANSWERS = frozenset(
    """无 没 没有 暂无 暂时没有 目前没有 无意见 没意见 没有意见 无建议 没建议 没有建议 暂无建议 暂无意见
    不知道 不清楚 说不清 说不上来 不好说 没想过 没什么 没啥 没有了 无了 无无 略 空 否 一般 还好 还行
    还可以 挺好 很好 好 可以 满意 都挺好 没什么意见 没什么建议 没什么问题 没问题 无问题 没有问题
    谢谢 暂时没想到 想不到 不了解 没了解过 习惯了 都习惯了 习惯
    稍等 等一下 你等一下 等我一下 接个电话 我先接个电话 你说啥 你说什么 听不清 没听清 声音大点
    嗯 嗯嗯 哦 哎 唉 啊
    不晓得 不懂 null none na n/a no nothing""".split()
)
# what may stand before a listed non-answer and leave it one: 这个不太清楚, 我也不知道 (but 我没有,
# answering 您交社保吗？, is not 没有 said of nothing)
_NON_ANSWER_OPENING = re.compile(r"^(?:这个|那个|这|那|(?:我也|我们|我)(?=不))")
_PUNCT_ONLY = re.compile(r"^[\s\W_]*$", re.UNICODE)
_STRIP_FOR_NON_ANSWER = re.compile(r"[\s\W_]+", re.UNICODE)
_SPACE_CHARS = " \t\u00a0\u3000"
_SPACES = re.compile(f"[{_SPACE_CHARS}]+")
_NEWLINES = re.compile(r"\s*\n\s*")
# the longest clause that can say nothing: a listed non-answer, an opening, 太 and a particle
_LONGEST_PART = max(map(len, NON_ANSWERS)) + 4
_NON_ANSWER_PARTS = 3  # 没有，挺好的，谢谢 is still no answer; a fourth clause may say something
_NON_ANSWER_PARTICLES = "的了啊吧呀呢哦啦嘛"
_STRIP_FOR_HEAD = re.compile(rf"[\s\W_{_NON_ANSWER_PARTICLES}]+", re.UNICODE)

# Full-width ASCII letters, digits and a few symbols fold one-to-one to ASCII so that offsets into
# ``clean`` stay aligned with positions a reader can count; CJK punctuation (，。！？) is kept
# because clause boundaries matter to coding.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in "，。！？；：（）～＂＇"}
_FOLD[0x3000] = 0x20
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_FOLD)) + "]")


@lru_cache(maxsize=1)
def _converter():  # pragma: no cover - trivial
    import opencc

    return opencc.OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    """Traditional → simplified (OpenCC t2s); simplified text passes through unchanged."""
    return _converter().convert(text) if text else text


def clean_text(text: str) -> str:
    """The analysis form of a text: simplified, width-folded, whitespace collapsed."""
    if not text:
        return ""
    out = text.replace("\r\n", "\n").replace("\r", "\n")
    if _FOLDABLE.search(out):  # most texts have nothing to fold, and translating is slow
        out = out.translate(_FOLD)
    if any(c in out for c in _SPACE_CHARS):  # a search for nothing costs more than these
        out = _SPACES.sub(" ", out)
    if "\n" in out:
        out = _NEWLINES.sub("\n", out)
    out = out.strip()
    return to_simplified(out)


def is_non_answer(clean: str) -> bool:
    """True for answers like 无 / 没有 / 不知道 / 。。。 / "/" that carry no concern, and for a few
    of them strung together (没什么建议，挺好的): a questionnaire's "no complaints" answers,
    otherwise clustered into a recurring "concern" of their own."""
    if _PUNCT_ONLY.match(clean):
        return True
    # the opening of a long answer settles it: more word characters than a few listed
    # non-answers, and not one character repeated, is an answer (without stripping it all)
    # without punctuation and particles, of which a clause may end in any number (没有啊啊啊)
    head = _STRIP_FOR_HEAD.sub("", clean[:_NON_ANSWER_PARTS * (_LONGEST_PART + 2)])
    if len(head) > _NON_ANSWER_PARTS * _LONGEST_PART and head.count(head[0]) < len(head):
        return False
    core = _STRIP_FOR_NON_ANSWER.sub("", clean).lower()
    if core in NON_ANSWERS or (len(set(core)) == 1 and core[0] in "无没略"):
        return True
    parts = [p for p in _STRIP_FOR_NON_ANSWER.split(clean.lower()) if p]
    return len(parts) <= _NON_ANSWER_PARTS and all(map(_says_nothing, parts))


def _says_nothing(part: str) -> bool:
    """One clause that is a listed non-answer, give or take a closing particle, an opening
    这个/我也 and a softening 太 (这个不太清楚 was clustered as a recurring concern of 4 people)."""
    for p in (part, _NON_ANSWER_OPENING.sub("", part).replace("不太", "不")):
        if p in NON_ANSWERS or p.rstrip(_NON_ANSWER_PARTICLES) in NON_ANSWERS:
            return True
    return False


# texts per piece of work when an engine cleans them side by side: as many as a coding batch
# (engine.BATCH), so that a Dask task of long posts stays under distributed's 10 MB warning
BATCH = 5_000
# Above this many texts they are cleaned here. A million posts cleaned on the workers took 13.4 s
# against 18.1 s here, but the run peaked 110 MB higher later, in the concern stage (VmHWM 3.79
# against 3.68 GB; the benchmark's tree PSS alike), though the main process was smaller right
# after cleaning. The other forked stages stop at the same size (concerns.PARALLEL_MAX_UNITS).
ENGINE_MAX_TEXTS = 200_000


def clean_batch(texts: list[str]) -> tuple[list[str], bytes]:
    """``clean_text`` of each text, and 1 where the clean text is a non-answer: the per-text
    work of ``normalize``, which an engine's workers share (it is a tenth of a seed-scale run's
    single-core time, and grows with every unit)."""
    cleans = [clean_text(t) for t in texts]
    return cleans, bytes(bool(c) and is_non_answer(c) for c in cleans)


def _cleaned(texts: list[str], engine) -> tuple[list[str], bytes]:
    if engine is None or len(texts) > ENGINE_MAX_TEXTS:
        return clean_batch(texts)
    pieces = engine.map(clean_batch, [(texts[a:a + BATCH],) for a in range(0, len(texts), BATCH)],
                        size=len(texts))
    cleans: list[str] = []
    flags = bytearray()
    for part, said_nothing in pieces:
        cleans.extend(part)
        flags.extend(said_nothing)
    return cleans, bytes(flags)


def normalize(units: pd.DataFrame, engine=None) -> pd.DataFrame:
    """Add ``clean`` and mark empty, non-answer and duplicate records in ``skip_reason``.

    Duplicates are records whose clean text repeats one already seen from the same respondent, a
    forum post re-posted word for word, a whole questionnaire row that repeats an earlier row
    (same answers, same province and group), or an interview whose answers repeat an earlier
    file's word for word: the usual traces of double submission, scraping and copied files.
    Different respondents who happen to write the same short answer are separate voices and are
    kept. Rows are visited in the table's order, so the first occurrence is the one analysed.

    ``engine`` (``engine.make_engine``): the texts are cleaned on its workers, in batches, up to
    ``ENGINE_MAX_TEXTS`` of them; the table is the same without it.
    """
    check_units(units, "ingest")
    out = units.copy()
    cleans, said_nothing = _cleaned([str(t) for t in out["text"].fillna("")], engine)
    reasons = out["skip_reason"].fillna("").astype(str).tolist()
    details = out["skip_detail"].fillna("").astype(str).tolist()

    seen_by_person: dict[tuple[str, str], str] = {}
    seen_posts: dict[str, str] = {}
    for i, (clean, rid, source, origin) in enumerate(
        zip(cleans, out["respondent_id"], out["source"], out["origin"])
    ):
        if reasons[i]:
            continue
        if not clean:
            reasons[i], details[i] = "empty", f"{origin}: blank answer"
        elif said_nothing[i]:
            reasons[i], details[i] = "non_answer", f"{origin}: '{clean[:20]}' carries no concern"
        elif (rid, clean) in seen_by_person:
            reasons[i] = "duplicate"
            details[i] = f"{origin}: repeats {seen_by_person[(rid, clean)]} by the same respondent"
        elif source == "forum" and clean in seen_posts:
            reasons[i], details[i] = "duplicate", f"{origin}: re-post of {seen_posts[clean]}"
        else:
            seen_by_person[(rid, clean)] = origin
            if source == "forum":
                seen_posts[clean] = origin
    _mark_duplicate_survey_rows(out, cleans, reasons, details)
    _mark_duplicate_interviews(out, cleans, reasons, details)
    out["clean"] = ["" if r in ("empty", "non_answer") else c for c, r in zip(cleans, reasons)]
    out["skip_reason"] = reasons
    out["skip_detail"] = details
    return out


def _mark_duplicate_interviews(
    units: pd.DataFrame, cleans: list[str], reasons: list[str], details: list[str]
) -> None:
    """An interview file whose answers are those of an earlier file, in the same order (≥ 20
    characters), is a copy (访谈_王师傅.txt and 访谈_王师傅 - 副本.txt): counting both would
    count one person twice."""
    source = units["source"].to_numpy()
    doc_ids, speakers, origins = (units[c].to_numpy() for c in ("doc_id", "speaker", "origin"))
    answers: dict[str, list[int]] = {}
    for i in range(len(units)):
        if source[i] == "interview" and speakers[i] == "respondent" and not reasons[i]:
            answers.setdefault(doc_ids[i], []).append(i)
    seen: dict[tuple[str, ...], str] = {}
    for doc_id, idx in answers.items():
        said = tuple(cleans[i] for i in idx)
        if sum(map(len, said)) < 20:
            continue
        if said in seen:
            for i in idx:
                reasons[i] = "duplicate"
                details[i] = (f"{origins[i]}: the answers of this interview repeat {seen[said]} "
                              f"word for word — a copy of the same notes? delete one of them")
        else:
            seen[said] = doc_id


def _mark_duplicate_survey_rows(
    units: pd.DataFrame, cleans: list[str], reasons: list[str], details: list[str]
) -> None:
    """A questionnaire row identical to an earlier one (≥ 20 characters of answers) is a re-submission."""
    # plain object arrays, read once: a pandas lookup per row (``.iat``, let alone ``units[col]``,
    # a new Series with a copy of ``units.attrs``) made this loop most of normalising
    survey = units["source"].eq("survey").to_numpy()
    doc_id_col, origin_col, province_col, group_col = (
        units[c].to_numpy(dtype=object) for c in ("doc_id", "origin", "province", "group"))
    rows: dict[str, list[int]] = {}
    for i in np.flatnonzero(survey).tolist():
        rows.setdefault(doc_id_col[i], []).append(i)
    seen: dict[tuple, str] = {}
    for doc_id, idx in rows.items():
        answers = tuple(cleans[i] for i in idx)
        if sum(len(a) for a in answers) < 20:
            continue
        key = (province_col[idx[0]], group_col[idx[0]], answers)
        if key in seen:
            for i in idx:
                if not reasons[i]:
                    reasons[i] = "duplicate"
                    details[i] = f"{origin_col[i]}: questionnaire row repeats {seen[key]}"
        else:
            seen[key] = doc_id
