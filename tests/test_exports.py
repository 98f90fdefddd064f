"""The unit × code matrix and the quote list by code, on a units table built by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from voiceminer.exports import code_matrix, quote_list, write_exports

from .conftest import make_units

CONCERNS = pd.DataFrame({"concern_id": ["pay.01", "platform_rules.01"],
                         "theme": ["pay", "platform_rules"], "label": ["运费、太低", "罚款、超时"]})


@pytest.fixture
def units(mini_codebook):
    u = make_units([
        {"text": "运费太低，超时罚款", "province": "云南", "group": "货车司机"},
        {"text": "超时罚款", "province": "上海", "group": "外卖骑手"},
        {"text": "无", "skip_reason": "non_answer"},
        {"text": "=HYPERLINK(\"x\") 电话13812345678 运费低", "province": "上海", "group": "快递员"},
    ])
    u["themes"] = [["pay", "platform_rules"], ["platform_rules"], [], ["pay"]]
    u["evidence"] = [["pay:运费", "platform_rules:超时"], ["platform_rules:超时"], [], ["pay:运费"]]
    u["concerns"] = [["pay.01", "platform_rules.01"], ["platform_rules.01"], [], []]
    return u


def test_matrix_has_one_row_per_analysed_unit_and_a_column_per_code(units, mini_codebook):
    m = code_matrix(units, mini_codebook, CONCERNS)
    assert list(m["unit_id"]) == ["d1#1", "d2#2", "d4#4"]  # the non-answer is not analysed
    themes = list(mini_codebook.ids)  # pay, social_insurance, platform_rules, enforcement
    assert list(m.columns) == ["unit_id", "doc_id", "respondent_id", "source", "province",
                               "group", *themes, "pay.01", "platform_rules.01"]
    assert m[["pay", "platform_rules", "pay.01", "platform_rules.01"]].values.tolist() == [
        [1, 1, 1, 1], [0, 1, 0, 1], [1, 0, 0, 0]]
    assert m["enforcement"].tolist() == [0, 0, 0]  # unused themes still get a column


def test_quote_list_has_one_row_per_coded_segment_grouped_by_code(units, mini_codebook):
    q = quote_list(units, mini_codebook, CONCERNS)
    assert len(q) == 4  # d1 under pay and platform_rules, d2 under platform_rules, d4 under pay
    assert list(dict.fromkeys(q["theme"])) == ["pay", "platform_rules"]  # codebook order
    first_pay = q.loc[q["theme"] == "pay"].iloc[0]
    assert (first_pay["concern"], first_pay["concern_label"], first_pay["evidence"]) == \
        ("pay.01", "运费、太低", "运费")
    rules = q.loc[q["theme"] == "platform_rules"]
    assert list(rules["province"]) == ["上海", "云南"]  # sorted by concern, province, group
    assert list(q.loc[q["theme"] == "pay", "concern"]) == ["pay.01", ""]
    assert set(q.columns) >= {"source", "province", "group", "origin", "text", "theme_label"}


def test_written_tables_are_redacted_and_formula_safe(units, mini_codebook, tmp_path):
    from voiceminer.privacy import redact

    paths = write_exports(units, mini_codebook, CONCERNS, tmp_path, redactor=redact)
    assert sorted(p.name for p in paths) == ["code_matrix.csv", "code_matrix.xlsx",
                                             "quotes_by_code.csv", "quotes_by_code.xlsx"]
    quotes = pd.read_csv(tmp_path / "quotes_by_code.csv", encoding="utf-8-sig", dtype=str)
    risky = quotes.loc[quotes["unit_id"] == "d4#4", "text"].iloc[0]
    assert "13812345678" not in risky and risky.startswith("'=")
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(tmp_path / "quotes_by_code.xlsx").active
    texts = [row[-1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert not any("13812345678" in t for t in texts)
    assert all(not t.startswith("=") for t in texts)
    mx = openpyxl.load_workbook(tmp_path / "code_matrix.xlsx").active
    header = [c.value for c in mx[1]]
    assert "pay" in header and "pay.01" not in header  # XLSX keeps theme columns only
    assert isinstance(mx.cell(row=2, column=header.index("pay") + 1).value, int)


def test_same_input_gives_same_xlsx_bytes(units, mini_codebook, tmp_path):
    write_exports(units, mini_codebook, CONCERNS, tmp_path / "a")
    write_exports(units, mini_codebook, CONCERNS, tmp_path / "b")
    for name in ("code_matrix.xlsx", "quotes_by_code.xlsx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_xlsx_export_survives_control_characters_and_formulas(tmp_path):
    """A scraped headline with a control character once crashed the 1M-post run."""
    import openpyxl
    import pandas as pd

    from voiceminer.exports import _write_xlsx

    df = pd.DataFrame({"text": ["平台\x07罚款", "=1+1"], "n": [1, 2]})
    path = _write_xlsx(df, tmp_path / "q.xlsx", "quotes")
    ws = openpyxl.load_workbook(path)["quotes"]
    assert [c.value for c in ws["A"]][1:] == ["平台罚款", "'=1+1"]
    assert [c.value for c in ws["B"]][1:] == [1, 2]
