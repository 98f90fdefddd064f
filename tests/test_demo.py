"""The bundled demo corpus, end to end: coding quality on its labels and a full report run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import voiceminer as vm
from voiceminer.coding import ThemeCoder
from voiceminer.evaluation import score_multilabel
from voiceminer.ingest.docx_lines import docx_lines
from voiceminer.ingest.encoding import read_text
from voiceminer.normalize import clean_text
from voiceminer.origins import expand_line_ranges
from voiceminer.output import write_run
from voiceminer.pipeline import make_segmenter
from voiceminer.prompting import question_themes
from voiceminer.report.model import NATIONAL

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpora" / "demo"


def test_coding_on_demo_labels_meets_the_measured_floor():
    """Floors sit a little under what was measured (P 0.90, R 0.76 micro): a drop means the
    codebook or the coder got worse."""
    labels = pd.read_csv(ROOT / "corpora" / "demo_labels.csv", dtype=str, keep_default_na=False)
    assert len(labels) >= 150
    cb = vm.Codebook.default()
    coder = ThemeCoder(cb, make_segmenter(cb, vm.Settings()))
    gold = [set(filter(None, s.split(";"))) for s in labels["themes"]]
    pred = [set(coder.code(clean_text(t))[0]) for t in labels["text"]]
    scores = score_multilabel(gold, pred, cb.ids).set_index("theme")
    assert scores.loc["micro", "precision"] >= 0.85
    assert scores.loc["micro", "recall"] >= 0.70
    assert scores.loc["macro", "f1"] >= 0.70


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    units = vm.read_corpus(DEMO)
    result = vm.analyze(units)
    out = tmp_path_factory.mktemp("demo") / "reports"
    write_run(result, out, roots=[DEMO])
    return units, result, out


def test_demo_labels_are_real_units(demo_run):
    units, _, _ = demo_run
    labels = pd.read_csv(ROOT / "corpora" / "demo_labels.csv", dtype=str, keep_default_na=False)
    assert set(labels["text"]) <= set(units["text"])


def test_demo_run_writes_every_file_for_every_province(demo_run):
    units, result, out = demo_run
    provinces = sorted(set(result.units.loc[vm.ledger(result.units)["status"].eq("analysed").to_numpy(),
                                            "province"]))
    assert len([p for p in provinces if p != "未知"]) >= 6
    for p in provinces:
        for ext in ("md", "docx", "xlsx", "csv", "json"):
            assert (out / "provinces" / f"{p}.{ext}").stat().st_size > 0
    assert (out / f"{NATIONAL}.md").is_file()
    ledger = pd.read_csv(out / "ledger.csv", dtype=str, keep_default_na=False)
    assert len(ledger) == len(units)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sum(f["records"] for f in manifest["inputs"]) == len(units)


def test_every_number_traces_to_units(demo_run):
    _, result, _ = demo_run
    by_id = result.units.set_index("unit_id")
    for province, issues in result.issue_lists.items():
        for theme in issues.themes:
            for concern in theme.concerns:
                people = by_id.loc[list(concern.unit_ids), "respondent_id"].nunique()
                assert people == concern.respondents, (province, concern.concern_id)
                assert concern.share == pytest.approx(concern.respondents / issues.respondents_total,
                                                      abs=1e-6)


def test_the_union_question_shows_as_prompted_and_posts_never_are(demo_run):
    """The demo questionnaire asks everyone "您对工会组织有什么意见和建议？": most of those who
    speak of the union do so there, which the national heading says; a post is never prompted."""
    _, result, out = demo_run
    themes = {t.theme_id: t for t in result.issue_lists[NATIONAL].themes}
    union = themes["organization"]
    assert union.unprompted < union.respondents / 2
    assert "未经提问主动提及" in (out / f"{NATIONAL}.md").read_text(encoding="utf-8")
    for t in themes.values():
        assert t.unprompted <= t.respondents
    coder = ThemeCoder(result.codebook, make_segmenter(result.codebook, result.settings))
    asked = question_themes(result.units, coder)
    source = result.units["source"].astype(str).to_numpy()
    assert not any(asked[source == "forum"])  # a post's title is its author's own words
    assert any(asked[source == "survey"]) and any(asked[source == "interview"])


def test_recurring_uncoded_concerns_have_their_section(demo_run):
    _, result, out = demo_run
    other = [t for t in result.issue_lists[NATIONAL].themes if t.theme_id == "other"]
    assert other and other[0].concerns and other[0] is result.issue_lists[NATIONAL].themes[-1]
    assert "其他反复出现的问题" in (out / f"{NATIONAL}.md").read_text(encoding="utf-8")


def test_quote_origins_resolve_to_the_real_line(demo_run):
    """An interview quote starts on the first line its origin gives and ends on the last, also
    when it is cut from the middle of an answer over several lines (.txt lines, .docx
    paragraphs)."""
    _, result, _ = demo_run
    sources: dict[str, dict[int, str]] = {}
    checked = multi = 0
    for issues in result.issue_lists.values():
        for theme in issues.themes:
            for concern in theme.concerns:
                for q in concern.quotes:
                    path, _, where = q.origin.rpartition(":")
                    numbers = expand_line_ranges(where)
                    if not path.endswith((".txt", ".docx")) or numbers is None or "[" in q.text:
                        continue
                    if path not in sources:
                        sources[path] = _numbered_lines(DEMO / path)
                    lines = sources[path]
                    core = q.text.strip("…")
                    assert core.split("\n")[0][:8] in lines[numbers[0]], q.origin
                    assert core.split("\n")[-1][-8:] in lines[numbers[-1]], q.origin
                    checked += 1
                    multi += core != q.text.strip() and int(numbers[0]) > 1
    assert checked > 20 and multi > 5


def _numbered_lines(path: Path) -> dict[int, str]:
    """A notes file's text by the line (or paragraph) numbers that origins give."""
    if path.suffix == ".docx":
        out: dict[int, str] = {}
        for line in docx_lines(path):
            if line.loc.isdigit():
                out[int(line.loc)] = out.get(int(line.loc), "") + line.text
        return out
    return dict(enumerate(read_text(path)[0].splitlines(), 1))


def test_tables_written_before_or_beside_the_issue_lists_give_the_same_files(
        demo_run, tmp_path, monkeypatch):
    """Large runs write the tables first and the issue lists after (memory); small ones side by
    side on several processes, or everything in this process: the bytes are the same."""
    from voiceminer import output

    _, result, out = demo_run
    monkeypatch.setattr(output, "OVERLAP_MAX_UNITS", 0)
    write_run(result, tmp_path / "serial", roots=[DEMO])
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "serial")
                           for p in (tmp_path / "serial").rglob("*") if p.is_file())
    for rel in files:
        assert (out / rel).read_bytes() == (tmp_path / "serial" / rel).read_bytes(), rel
