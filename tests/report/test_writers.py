"""Each writer re-opened with the library a reader would use, plus determinism and atomicity."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from voiceminer.report.model import NATIONAL, IssueList
from voiceminer.report.writers import (
    render_markdown,
    write_all,
    write_csv,
    write_docx,
    write_json,
    write_markdown,
    write_xlsx,
)
from voiceminer.report.writers._atomic import atomic_path
from voiceminer.report.writers.excel import SHEET_HEADERS

from .conftest import INJECTION

# ---------------------------------------------------------------- markdown


def test_markdown_content(issues: IssueList, tmp_path: Path) -> None:
    path = write_markdown(issues, tmp_path / "云南.md")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# 云南新就业形态劳动者反映问题清单"
    assert "依据 300 名受访者的 500 条有效表述（访谈 100 条、问卷 300 条、网帖 100 条）。" in lines
    assert "## 一、工资收入（提及 45%，共 135 人；其中未经提问主动提及 60 人（20%））" in lines
    assert "## 二、其他反复出现的问题（提及 <1%，共 1 人）" in lines
    assert lines.index("## 一、工资收入（提及 45%，共 135 人；其中未经提问主动提及 60 人（20%））") < lines.index(
        "## 二、其他反复出现的问题（提及 <1%，共 1 人）")
    assert "1. 平台抽成高、单价下降（提及 23%，69 人，外卖骑手中比例最高）" in lines
    assert "2. 工资拖欠（提及 10%，30 人，货车司机、快递员中比例较高）" in lines
    assert "1. 充电桩少（提及 <1%，1 人）" in lines
    assert "   关键词：抽成、单价、配送费" in lines
    assert "   > “抽成越来越高，一单就几块钱”——外卖骑手，云南（云南/访谈/x.txt:12）" in lines
    # line breaks inside a quote are folded so the blockquote stays one line
    assert "   > “单价降了 又降”——网约车司机，云南（云南/网帖/p.txt:1）" in lines
    assert "## 附：本省区别于其他地区的高频词" in lines
    assert "抽成（35 次）、山路（12 次）" in lines
    assert any(line.startswith("说明：提及比例按受访者计算") for line in lines)
    assert text.endswith("\n") and "\r" not in text


def test_a_one_person_concern_is_told_in_one_line_in_a_province_list(issues, tmp_path) -> None:
    """Numbered findings first; a concern one person raised follows as a line with its words. The
    national list and a theme with no larger concern keep every concern numbered."""
    pay = next(t for t in issues.themes if t.theme_id == "pay")
    one = replace(pay.concerns[1], concern_id="pay.03", label="押金不退", respondents=1, groups=(),
                  share=0.003, quotes=(replace(pay.concerns[1].quotes[0], text="押金一直不退"),))
    listed = replace(issues, themes=tuple(replace(t, concerns=(*t.concerns, one)) if t is pay
                                          else t for t in issues.themes))
    lines = write_markdown(listed, tmp_path / "云南.md").read_text(encoding="utf-8").splitlines()
    assert "3. 押金不退（提及 <1%，1 人）" not in lines
    at = lines.index("另有以下问题各仅 1 人提及：")
    assert lines[at + 2] == "- 押金不退：“押金一直不退”——货车司机，云南（云南/访谈/y.txt:5）"
    assert "1. 充电桩少（提及 <1%，1 人）" in lines  # its theme has nothing larger
    national = write_markdown(replace(listed, province=NATIONAL), tmp_path / "n.md")
    assert "3. 押金不退（提及 <1%，1 人）" in national.read_text(encoding="utf-8").splitlines()
    docx_text = _docx_text(write_docx(listed, tmp_path / "云南.docx"))
    assert "另有以下问题各仅 1 人提及：" in docx_text and "押金不退：“押金一直不退”" in docx_text


def _docx_text(path: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_markdown_national_and_no_keyness(issues: IssueList, tmp_path: Path) -> None:
    national = replace(issues, province=NATIONAL, keyness=())
    text = write_markdown(national, tmp_path / "n.md").read_text(encoding="utf-8")
    assert text.startswith("# 全国新就业形态劳动者反映问题汇总\n")
    assert "附：" not in text


def test_a_province_with_no_distinctive_word_says_so(issues: IssueList, tmp_path: Path) -> None:
    import docx

    plain = replace(issues, keyness=())
    text = write_markdown(plain, tmp_path / "p.md").read_text(encoding="utf-8")
    assert "## 附：本省区别于其他地区的高频词\n\n（与其他地区相比，本省没有用得明显更多的词" in text
    paras = [p.text for p in docx.Document(str(write_docx(plain, tmp_path / "p.docx"))).paragraphs]
    at = paras.index("附：本省区别于其他地区的高频词")
    assert paras[at + 1].startswith("（与其他地区相比")


def test_markdown_escapes_markup(issues: IssueList, tmp_path: Path) -> None:
    theme = issues.themes[1]
    concern = replace(theme.concerns[0], label="*罚款*[乱]")
    odd = replace(issues, themes=(replace(theme, concerns=(concern,)),))
    text = write_markdown(odd, tmp_path / "x.md").read_text(encoding="utf-8")
    assert r"1. \*罚款\*\[乱\]（提及 23%，69 人，外卖骑手中比例最高）" in text.splitlines()


def test_markdown_empty_issue_list(tmp_path: Path) -> None:
    empty = IssueList(province="西藏", respondents_total=0, respondents_by_group={},
                      units_analysed=0, sources={}, themes=())
    text = write_markdown(empty, tmp_path / "e.md").read_text(encoding="utf-8")
    assert "依据 0 名受访者的 0 条有效表述。" in text
    assert "没有发现反复出现的问题" in text


# ---------------------------------------------------------------- word


def test_docx_structure(issues: IssueList, tmp_path: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(str(write_docx(issues, tmp_path / "云南.docx")))
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    assert ("Heading 1", "云南新就业形态劳动者反映问题清单") in paras
    headings2 = [t for s, t in paras if s == "Heading 2"]
    assert headings2 == [
        "一、工资收入（提及 45%，共 135 人；其中未经提问主动提及 60 人（20%））",
        "二、其他反复出现的问题（提及 <1%，共 1 人）",
        "附：本省区别于其他地区的高频词",
    ]
    items = [t for s, t in paras if s == "List Number"]
    assert items == [
        "平台抽成高、单价下降（提及 23%，69 人，外卖骑手中比例最高）",
        "工资拖欠（提及 10%，30 人，货车司机、快递员中比例较高）",
        "充电桩少（提及 <1%，1 人）",
    ]
    quotes = [t for s, t in paras if s == "Quote"]
    assert "“抽成越来越高，一单就几块钱”——外卖骑手，云南（云南/访谈/x.txt:12）" in quotes
    assert any("云南/问卷.xlsx:Sheet1:7" in q for q in quotes)

    # numbering restarts in each theme: the two themes' items use different w:num ids
    list_paras = [p for p in doc.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in list_paras]
    assert num_ids[0] == num_ids[1] != num_ids[2]

    # East-Asian fonts are named explicitly (not left to the theme)
    normal_fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal_fonts.get(qn("w:eastAsia")) == "宋体"
    h1_fonts = doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert h1_fonts.get(qn("w:eastAsia")) == "黑体"
    assert h1_fonts.get(qn("w:eastAsiaTheme")) is None
    # Chinese is proofed as Chinese, in the document defaults too (tables inherit them)
    langs = doc.styles.element.findall(f"{qn('w:docDefaults')}//{qn('w:lang')}")
    assert langs and all(el.get(qn("w:eastAsia")) == "zh-CN" for el in langs)

    table = doc.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["群体", "受访者（人）", "占比"]
    assert [cell.text for cell in table.rows[-1].cells] == ["合计", "300", "100%"]
    assert [row.cells[0].text for row in table.rows[1:-1]] == ["货车司机", "网约车司机", "快递员", "外卖骑手"]

    # no template leftovers: the blank-page thumbnail, the Word 2010 copy of the styles
    import zipfile

    names = zipfile.ZipFile(tmp_path / "云南.docx").namelist()
    assert "word/styles.xml" in names and "word/media/image1.png" in names
    assert not {"docProps/thumbnail.jpeg", "word/stylesWithEffects.xml"} & set(names)

    props = doc.core_properties
    assert props.title == "云南新就业形态劳动者反映问题清单"
    assert props.created.date().isoformat() == "2024-05-01"
    assert props.modified == props.created


# ---------------------------------------------------------------- excel


def test_xlsx_sheets_types_and_injection(issues, prevalence, ledger, tmp_path: Path) -> None:
    import openpyxl

    path = write_xlsx(issues, tmp_path / "云南.xlsx", prevalence=prevalence, ledger=ledger)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["说明", "问题清单", "代表性引语", "图表", "提及率", "台账"]

    ws = wb["问题清单"]
    assert [c.value for c in ws[1]] == ["主题内序号", "主题", "问题", "提及人数", "提及比例", "主动提及人数",
                                        "主动提及比例", "肯定性评价人数", "提及比例最高的群体", "关键词",
                                        "来源说明", "concern_id"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[11] for r in rows] == ["pay.01", "pay.02", "other.01"]
    assert rows[0][:6] + rows[0][7:] == (1, "工资收入", "平台抽成高、单价下降", 69, 0.23, 40, None,
                                         "外卖骑手", "抽成、单价、配送费", None, "pay.01")
    assert rows[0][6] == pytest.approx(40 / 300)
    assert rows[1][5:9] == (None, None, None, "货车司机、快递员")  # not known: empty, not 0
    assert isinstance(rows[0][3], int) and isinstance(rows[0][4], float)
    assert ws["E2"].number_format == "0.0%" and ws["G2"].number_format == "0.0%"
    assert ws.column_dimensions["C"].width > 8

    quotes = wb["代表性引语"]
    assert [c.value for c in quotes[1]] == ["concern_id", "问题", "引语", "所答问题", "来源", "省份",
                                            "群体", "来源类型"]
    qrows = list(quotes.iter_rows(min_row=2, values_only=True))
    assert len(qrows) == 4
    injected = [r for r in qrows if r[4] == "云南/问卷.xlsx:Sheet1:7"][0]
    assert injected[2] == "'" + INJECTION
    assert injected[7] == "问卷"
    # no cell anywhere is a formula
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)

    prev = wb["提及率"]
    assert [c.value for c in prev[1]] == ["theme_id", "提及人数", "提及比例"]
    assert [c.value for c in prev[2]] == ["pay", 135, 0.45]
    assert prev["C2"].number_format == "0.0%"
    assert prev.freeze_panes == "A2"

    led = wb["台账"]
    assert [c.value for c in led[1]] == [SHEET_HEADERS.get(c, c) for c in ledger.columns]
    assert "跳过原因" in [c.value for c in led[1]]  # Chinese headers for the report writer
    assert led.max_row == len(ledger) + 1
    assert led["J2"].value == "'@访谈员发言"
    # coded values in Chinese, as the quotes sheet gives its sources
    assert [c.value for c in led[2]][2] == "访谈"
    assert [c.value for c in led[2]][6:9] == ["访谈员", "未分析", "访谈员发言（不编码）"]
    assert [c.value for c in led[3]][6:9] == ["受访者", "已分析", None]


def test_xlsx_without_optional_sheets(issues: IssueList, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(write_xlsx(issues, tmp_path / "a.xlsx"))
    assert wb.sheetnames == ["说明", "问题清单", "代表性引语", "图表"]
    assert wb.properties.title == "云南新就业形态劳动者反映问题清单"


@pytest.mark.parametrize("respondents", [6, 150], ids=["small", "large"])
def test_xlsx_notes_sheet_says_what_the_documents_say(issues: IssueList, respondents: int,
                                                       tmp_path: Path) -> None:
    """The workbook's first sheet gives the basis, the small-list caution (only under 100
    respondents), how to read the figures and the run, in the Markdown list's words."""
    import openpyxl

    from voiceminer.report.writers import _content as c

    issues = replace(issues, respondents_total=respondents, unplaced=3)
    ws = openpyxl.load_workbook(write_xlsx(issues, tmp_path / "a.xlsx"))["说明"]
    assert [cell.value for cell in ws[1]] == ["项目", "内容"]
    rows = [(label.value, text.value) for label, text in ws.iter_rows(min_row=2)]
    said = dict(rows)
    assert said["标题"] == "云南新就业形态劳动者反映问题清单"
    # the lines are on the issue sheet, not below the note (the documents say 下列)
    assert said["依据"] == c.basis_line(issues).replace("未归入下列", "未归入「问题清单」表中")
    assert f"依据 {respondents} 名受访者" in said["依据"] and "3 条未归入「问题清单」表中" in said["依据"]
    assert ("注意" in said) is (respondents < c.SMALL_BASE)
    if respondents < c.SMALL_BASE:
        assert said["注意"] == c.small_base_line(issues)
    method = [text for label, text in rows if label == "方法说明"]
    assert len(method) > 5 and "说明：" + "；".join(m.rstrip("。") for m in method) + "。" == \
        c.METHOD_NOTE
    assert said["生成信息"] == c.meta_line(issues.meta).removeprefix("生成信息：")
    render = render_markdown(issues)
    assert all(text in render for label, text in rows if label in ("注意", "受访者构成"))
    assert c.basis_line(issues) in render


def test_xlsx_frame_with_index_and_odd_values(issues: IssueList, tmp_path: Path) -> None:
    import openpyxl

    prev = pd.DataFrame(
        {"外卖骑手": [0.5, None], "tags": [("a", "b"), ["c"]]},
        index=pd.Index(["pay", "other"], name="theme_id"),
    )
    wb = openpyxl.load_workbook(write_xlsx(issues, tmp_path / "b.xlsx", prevalence=prev))
    rows = list(wb["提及率"].iter_rows(values_only=True))
    assert rows == [("theme_id", "外卖骑手", "tags"), ("pay", 0.5, "a、b"), ("other", None, "c")]


# ---------------------------------------------------------------- csv / json


def test_csv_one_row_per_concern(issues: IssueList, tmp_path: Path) -> None:
    path = write_csv(issues, tmp_path / "云南.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert list(df.columns) == [
        "province", "theme_id", "theme", "rank", "concern_id", "concern", "respondents", "share",
        "unprompted", "unprompted_share", "approving", "top_groups", "top_terms", "by_province",
        "by_source", "quote_1", "origin_1", "quote_2", "origin_2", "quote_3", "origin_3",
    ]
    assert len(df) == 3
    assert df["concern_id"].tolist() == ["pay.01", "pay.02", "other.01"]
    assert df["rank"].tolist() == [1, 2, 1]
    assert df["respondents"].tolist() == [69, 30, 1]
    assert df["share"].tolist() == [0.23, 0.1, 1 / 300]
    assert df["unprompted"].tolist() == ["40", "", ""]  # not known for the other two: empty
    assert df.loc[0, "quote_2"] == "'" + INJECTION
    assert df.loc[0, "origin_1"] == "云南/访谈/x.txt:12"
    assert df.loc[0, "quote_3"] == "单价降了\n又降"
    assert df.loc[2, "quote_1"] == ""


def test_json_round_trip(issues: IssueList, tmp_path: Path) -> None:
    path = write_json(issues, tmp_path / "云南.json")
    raw = path.read_text(encoding="utf-8")
    assert "云南" in raw  # ensure_ascii=False
    data = json.loads(raw)
    assert data.pop("schema") == "voiceminer.issue_list/1"
    expected = json.loads(json.dumps(issues.to_dict()))  # tuples → lists
    assert data == expected
    assert list(data) == sorted(data)


# ---------------------------------------------------------------- determinism, write_all


def test_json_payload_is_that_of_to_dict(issues: IssueList) -> None:
    from voiceminer.report.writers.jsonfile import SCHEMA, _plain, issue_list_payload

    odd = replace(issues, meta={**issues.meta, 1: float("nan"), "pair": ("a", 2)})
    assert issue_list_payload(odd) == {**_plain(odd.to_dict()), "schema": SCHEMA}


@pytest.mark.parametrize("suffix", ["md", "csv", "json", "docx", "xlsx"])
def test_byte_identical_runs(issues, prevalence, ledger, tmp_path: Path, suffix: str) -> None:
    a = write_all(issues, tmp_path / "a", "r", formats=(suffix,), prevalence=prevalence,
                  ledger=ledger)[0]
    b = write_all(issues, tmp_path / "b", "r", formats=(suffix,), prevalence=prevalence,
                  ledger=ledger)[0]
    assert a.read_bytes() == b.read_bytes()


def test_write_all(issues, prevalence, ledger, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "云南"
    paths = write_all(issues, out, "云南_问题清单", prevalence=prevalence, ledger=ledger)
    assert [p.name for p in paths] == [f"云南_问题清单.{s}" for s in ("md", "docx", "xlsx", "csv", "json")]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)


def test_write_all_rejects_unknown_format_before_writing(issues, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="pdf"):
        write_all(issues, tmp_path / "x", "r", formats=("md", "pdf"))
    assert not (tmp_path / "x" / "r.md").exists()


# ---------------------------------------------------------------- atomic writes


def test_atomic_write_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp != target
        tmp.write_text("new", encoding="utf-8")
        assert not target.exists()
    assert target.read_text(encoding="utf-8") == "new"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_write_failure_keeps_old_file(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("crash while writing")
    assert target.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_writer_failure_keeps_old_report(issues: IssueList, tmp_path: Path, monkeypatch) -> None:
    target = write_xlsx(issues, tmp_path / "r.xlsx")
    before = target.read_bytes()

    import voiceminer.report.writers.excel as excel

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(excel, "splice_sheets", boom)  # the last step of writing
    with pytest.raises(RuntimeError, match="disk full"):
        write_xlsx(issues, target)
    assert target.read_bytes() == before
    assert list(tmp_path.iterdir()) == [target]


def test_xlsx_strips_control_characters_and_caps_length(issues, tmp_path: Path) -> None:
    import openpyxl

    ledger = pd.DataFrame({"text": ["坏\x01字符", "长" * 40000], "n": [1, 2]})
    wb = openpyxl.load_workbook(write_xlsx(issues, tmp_path / "c.xlsx", ledger=ledger))
    ws = wb["台账"]
    assert ws["A2"].value == "坏字符"
    assert len(ws["A3"].value) == 32766 and ws["A3"].value.endswith("…")
    assert ws["B3"].value == 2
