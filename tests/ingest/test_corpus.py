"""read_corpus: the units-table contract, dispatch by extension, ordering and file-level rows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from voiceminer.errors import InputFileError
from voiceminer.ingest import read_corpus
from voiceminer.schema import INGEST_COLUMNS, SKIP_REASONS, SOURCES


@pytest.fixture
def corpus(tmp_path, write_text, make_docx, make_xlsx, write_csv, write_jsonl) -> Path:
    write_text("云南/访谈/货车_01.txt", "省份：云南\n问：收入怎么样？\n答：不好。\n问：还有呢？\n答：罚款多。")
    make_docx("广西/访谈/快递员.docx", ["问：派件多吗？", "答：每天两百件。"])
    make_xlsx("问卷/s.xlsx", [["1、您的职业", "2、您最大的困难是什么？"],
                             ["外卖骑手", "超时罚款太重了"], ["快递员", "派件费一降再降"]])
    write_csv("问卷/s.csv", [["城市", "您的建议？"], ["昆明", "希望平台公开派单规则"]])
    write_csv("论坛/posts.csv", [["标题", "内容", "作者"], ["吐槽", "跑一天才两百", "王"]])
    write_jsonl("论坛/p.jsonl", [{"content": "高速罚款太多"}, "{oops"])
    write_text("README.md", "这是访谈资料说明。")
    write_text(".hidden.txt", "答：不要读我")
    write_text("云南/访谈/~$货车_01.txt", "lock file")
    (tmp_path / "云南" / "照片.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "云南" / "旧.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "问卷" / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "空.txt").write_bytes(b"")
    return tmp_path


def test_columns_dtypes_and_no_missing_values(corpus):
    units = read_corpus(corpus)
    assert tuple(units.columns) == INGEST_COLUMNS
    assert all(units[c].map(type).eq(str).all() for c in units.columns)
    assert not units.isna().any().any()
    assert set(units["source"]) <= set(SOURCES)
    assert set(units["skip_reason"]) - {""} <= set(SKIP_REASONS)
    assert units["unit_id"].is_unique


def test_every_record_is_one_row(corpus):
    units = read_corpus(corpus)
    by_file = units["origin"].str.split(":").str[0].value_counts().to_dict()
    assert by_file == {
        "云南/访谈/货车_01.txt": 4, "广西/访谈/快递员.docx": 2, "问卷/s.xlsx": 2, "问卷/s.csv": 1,
        "论坛/posts.csv": 1, "论坛/p.jsonl": 2, "README.md": 1, "云南/照片.png": 1,
        "云南/旧.doc": 1, "问卷/旧.xls": 1, "空.txt": 1, ".hidden.txt": 1,
    }
    hidden = units.loc[units["origin"] == ".hidden.txt"].iloc[0]
    assert hidden["skip_reason"] == "not_followed" and "hidden file" in hidden["skip_detail"]
    assert not units["origin"].str.contains("~\\$").any()  # an Office lock file: not listed


def test_file_level_rows(corpus):
    units = read_corpus(corpus).set_index("doc_id")
    assert units.loc["云南/照片.png", "skip_reason"] == "unsupported_format"
    assert units.loc["云南/照片.png", "province"] == "云南"
    assert "save it as .docx" in units.loc["云南/旧.doc", "skip_detail"]
    assert "save it as .xlsx" in units.loc["问卷/旧.xls", "skip_detail"]
    assert units.loc["问卷/旧.xls", "source"] == "survey"
    assert units.loc["空.txt", "skip_reason"] == "empty_file"
    assert units.loc["空.txt", "skip_detail"].startswith("空.txt: ")
    assert units.loc["README.md", "skip_reason"] == "documentation"
    assert "README" in units.loc["README.md", "skip_detail"]


def test_csv_dispatch_and_sources(corpus):
    units = read_corpus(corpus)
    source = dict(zip(units["origin"], units["source"]))
    assert source["问卷/s.csv:2"] == "survey"
    assert source["论坛/posts.csv:2"] == "forum"
    assert source["广西/访谈/快递员.docx:2"] == "interview"
    assert units.loc[units["origin"] == "问卷/s.csv:2", "province"].item() == "云南"


def test_sorted_by_file_then_position_and_unit_ids(corpus):
    units = read_corpus(corpus)
    files = units["origin"].str.split(":").str[0].tolist()
    assert files == sorted(files)
    interview = units[units["doc_id"] == "云南/访谈/货车_01.txt"]
    assert interview["unit_id"].tolist() == [f"云南/访谈/货车_01.txt#{n}" for n in range(1, 5)]
    assert interview["origin"].tolist() == [f"云南/访谈/货车_01.txt:{n}" for n in range(2, 6)]
    assert interview["speaker"].tolist() == ["interviewer", "respondent"] * 2
    numbers = units["unit_id"].str.rsplit("#", n=1).str[1]
    assert (units["unit_id"] == units["doc_id"] + "#" + numbers).all()
    assert read_corpus(corpus).equals(units)


def test_progress_is_reported_for_each_file(corpus):
    seen: list[Path] = []
    read_corpus(corpus, on_progress=seen.append)
    assert len(seen) == 11 and all(isinstance(p, Path) for p in seen)


def test_text_cols_reach_the_survey_reader(corpus):
    units = read_corpus(corpus, text_cols=["1"])
    xlsx = units[units["doc_id"].str.startswith("问卷/s.xlsx")]
    assert xlsx["text"].tolist() == ["外卖骑手", "快递员"]


def test_single_file_relpath_is_its_name(write_text):
    path = write_text("deep/folder/a.txt", "问：好吗？\n答：好。")
    units = read_corpus(str(path))
    assert units["doc_id"].tolist() == ["a.txt", "a.txt"]
    assert units["origin"].tolist() == ["a.txt:1", "a.txt:2"]


def test_several_roots_keep_ids_unique(tmp_path, write_text):
    write_text("a/x.txt", "答：一")
    write_text("b/x.txt", "答：二")
    units = read_corpus([tmp_path / "a", tmp_path / "b"])
    assert units["doc_id"].tolist() == ["b/x.txt", "x.txt"]
    assert units.set_index("doc_id").loc["b/x.txt", "text"] == "二"


def test_empty_folder_gives_empty_table(tmp_path):
    units = read_corpus(tmp_path)
    assert len(units) == 0 and tuple(units.columns) == INGEST_COLUMNS


def test_missing_path_raises(tmp_path):
    with pytest.raises(InputFileError):
        read_corpus(tmp_path / "nope")


def test_links_and_hidden_files_are_listed_not_followed(tmp_path, write_text):
    write_text("real/x.txt", "答：一")
    os.symlink(tmp_path / "real", tmp_path / "link")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "broken.txt")
    write_text("real/~$真的访谈.txt", "答：锁文件的名字，但有" + "内容" * 600)  # too big for a lock
    units = read_corpus(tmp_path).set_index("doc_id")
    assert units.index.tolist() == ["broken.txt", "link/", "real/x.txt", "real/~$真的访谈.txt"]
    assert units.loc["link/", "skip_reason"] == "not_followed"
    assert "not followed" in units.loc["link/", "skip_detail"]
    assert "does not exist" in units.loc["broken.txt", "skip_detail"]
    assert units.loc["real/~$真的访谈.txt", "skip_reason"] == "not_followed"
    assert units.loc["real/x.txt", "skip_reason"] == ""


def test_unlistable_folder_is_a_row(tmp_path, write_text, monkeypatch):
    write_text("locked/x.txt", "答：一")
    write_text("open/y.txt", "答：二")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr("voiceminer.ingest.discover.os.scandir", scandir)
    units = read_corpus(tmp_path)
    assert units["skip_reason"].tolist() == ["unreadable_file", ""]
    assert units["doc_id"].tolist() == ["locked/", "open/y.txt"]
    assert "permission denied" in units["skip_detail"].iloc[0]


def test_a_lone_carriage_return_keeps_units_csv_one_row_a_unit(tmp_path, write_jsonl, make_xlsx):
    """A bare \\r (a workbook cell's _x000D_, a post's \\r) ended the row for CSV readers, since
    CSV quotes a cell only for the line breaks it writes itself."""
    import pandas as pd

    from voiceminer.output import write_units

    write_jsonl("论坛/p.jsonl", [{"content": "平台罚款\r申诉没人管"}, {"content": "抽成\r\n太高"}])
    make_xlsx("问卷/s.xlsx", [["1、您的职业", "2、您最大的困难是什么？"],
                             ["外卖骑手", "超时罚款_x000D_ 太重了"], ["快递员", "派件费低"]])
    units = read_corpus(tmp_path)
    assert not units["text"].str.contains("\r").any()
    assert set(units["text"]) >= {"平台罚款\n申诉没人管", "抽成\n太高", "超时罚款\n 太重了"}
    write_units(units, tmp_path)
    back = pd.read_csv(tmp_path / "units.csv", dtype=str, keep_default_na=False)
    assert back["text"].tolist() == units["text"].tolist()
