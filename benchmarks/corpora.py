"""Synthetic-at-scale corpora built from real text, for the speed and scale benchmarks.

Nothing here is written to the repository: corpora go to a temporary folder. Text comes from
``../shared/data`` (real headlines, government-board messages, legal questions) and from
``corpora/demo``; when ``../shared/data`` is absent the demo's own texts are recombined.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
PROVINCES = ("广东", "江苏", "浙江", "云南", "河北", "湖北", "重庆", "上海", "天津", "四川", "山东", "河南")
GROUPS = ("外卖骑手", "快递员", "网约车司机", "货车司机")
HEADLINE_SETS = ("toutiao/toutiao_subset_83k.csv", "nlpcc2017_headlines/nlpcc2017_test_full.csv",
                 "thucnews_titles/thucnews_titles_devtest.csv", "teddy2020/titles_labeled.csv")
MESSAGE_SETS = ("teddy2020/messages_labeled.csv", "lawbench_topic/lawbench_2-4_topic.csv",
                "cail2019_labor/cail2019_labor_sentences.csv", "teddy2020/labor_gold_dev.csv")


def _column(path: Path, col: str = "text") -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [r[col].strip() for r in csv.DictReader(f) if r.get(col, "").strip()]


def _demo_texts() -> list[str]:
    import sys

    sys.path.insert(0, str(ROOT / "src"))
    import voiceminer as vm

    units = vm.normalize(vm.read_corpus(ROOT / "corpora" / "demo"))
    return [t for t, r in zip(units["text"], units["skip_reason"]) if not r]


def headlines() -> list[str]:
    out = [t for name in HEADLINE_SETS if (SHARED / name).is_file() for t in _column(SHARED / name)]
    return list(dict.fromkeys(out)) or _demo_texts()


def messages() -> list[str]:
    """Longer, worker-ish texts: labour messages, legal questions, judgment sentences, demo."""
    out = [t for name in MESSAGE_SETS if (SHARED / name).is_file() for t in _column(SHARED / name)]
    return list(dict.fromkeys([t for t in out if 8 <= len(t) <= 600] + _demo_texts()))


def forum_posts(n: int, folder: Path, *, shards: int = 8, seed: int = 0) -> Path:
    """``n`` short, distinct posts as JSON Lines (``shards`` files): two headlines per post."""
    rng = random.Random(seed)
    heads = headlines()
    folder.mkdir(parents=True, exist_ok=True)
    files = [(folder / f"posts_{i:02d}.jsonl").open("w", encoding="utf-8") for i in range(shards)]
    try:
        for i in range(n):
            a, b = rng.choice(heads), rng.choice(heads)
            post = {"id": f"p{i}", "title": a[:12], "content": f"{a}，{b}", "author": f"u{i % 50_000}",
                    "time": "2026-06-01 00:00:00", "location": PROVINCES[i % len(PROVINCES)],
                    "board": f"{GROUPS[i % 4]}之家"}
            files[i % shards].write(json.dumps(post, ensure_ascii=False) + "\n")
    finally:
        for f in files:
            f.close()
    return folder


def survey(n_answers: int, path: Path, *, seed: int = 1) -> Path:
    """A 问卷星-style export: one row per respondent, two open questions."""
    rng = random.Random(seed)
    texts = messages()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["序号", "来自IP", "1、您的职业是：", "2、您在工作中遇到的最主要困难是什么？",
                    "3、您目前最希望解决的问题是？"])
        for r in range((n_answers + 1) // 2):
            prov = PROVINCES[r % len(PROVINCES)]
            w.writerow([r + 1, f"10.0.{r // 250 % 250}.{r % 250}({prov}-市)", GROUPS[r % 4],
                        f"{rng.choice(texts)}（{r}）", f"{rng.choice(texts)}（{r}）"])
    return path


def survey_workbook(n_respondents: int, path: Path, *, closed: int = 36, seed: int = 3) -> Path:
    """A 问卷星-style .xlsx export as field teams send it: per respondent an id, the IP cell,
    the occupation, ``closed`` single-choice questions (option numbers 1-5) and two open ones."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    texts = messages()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(["序号", "来自IP", "1、您的职业是：",
                  *(f"{q}、单选题{q}" for q in range(2, closed + 2)),
                  f"{closed + 2}、您在工作中遇到的最主要困难是什么？",
                  f"{closed + 3}、您目前最希望解决的问题是？"])
    for r in range(n_respondents):
        prov = PROVINCES[r % len(PROVINCES)]
        sheet.append([r + 1, f"10.0.{r // 250 % 250}.{r % 250}({prov}-市)", GROUPS[r % 4],
                      *(rng.randint(1, 5) for _ in range(closed)),
                      f"{rng.choice(texts)}（{r}）", f"{rng.choice(texts)}（{r}）"])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def interviews(n: int, folder: Path, *, turns: int = 12, seed: int = 2,
               word: bool = False) -> Path:
    """``n`` interview notes with a header and ``turns`` question/answer pairs: .txt, or with
    ``word`` .docx of one paragraph a line, as teams type them in Word."""
    rng = random.Random(seed)
    texts = messages()
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        lines = [f"访谈对象：受访者{i}（化名）", f"省份：{PROVINCES[i % len(PROVINCES)]}",
                 f"群体：{GROUPS[i % 4]}", "访谈员：陈老师", ""]
        for _ in range(turns):
            lines += ["Q：您能具体说说吗？", f"A：{rng.choice(texts)}", ""]
        stem = folder / f"{i:04d}_{GROUPS[i % 4]}"
        if word:
            from docx import Document

            document = Document()
            for line in lines:
                document.add_paragraph(line)
            document.save(str(stem.with_suffix(".docx")))
        else:
            stem.with_suffix(".txt").write_text("\n".join(lines), encoding="utf-8")
    return folder


def seed_study(folder: Path) -> Path:
    """19,724 questionnaire answers + 400 interviews + 20,000 posts, plus the demo corpus."""
    if folder.exists():
        shutil.rmtree(folder)
    survey(19_724, folder / "问卷" / "survey.csv")
    interviews(400, folder / "访谈")
    forum_posts(20_000, folder / "论坛", shards=2)
    return folder
