"""Charts report writers can paste or edit: the PNG chart, Word's shaded table, Excel's charts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from voiceminer.report import charts
from voiceminer.report.html.svg import heat_colour
from voiceminer.report.writers import write_docx, write_xlsx

from ._system import cjk_font_or_skip


@pytest.fixture(scope="module", autouse=True)
def _cjk_font():
    cjk_font_or_skip()


def test_found_font_really_has_chinese_glyphs():
    path = charts.find_cjk_font()
    assert charts._missing_glyphs(str(path), "工资收入外卖骑手网约车司机") == ""


def test_missing_font_names_the_package_to_install(monkeypatch, tmp_path):
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"nope")
    monkeypatch.setenv(charts.FONT_ENV, str(bogus))
    charts.find_cjk_font.cache_clear()
    try:
        with pytest.raises(charts.MissingFontError, match="apt-get install fonts-noto-cjk"):
            charts.bar_chart_png(["工资收入"], [0.5])
    finally:
        monkeypatch.delenv(charts.FONT_ENV)
        charts.find_cjk_font.cache_clear()


def test_theme_chart_is_a_deterministic_png(issues):
    a, b = charts.theme_chart_png(issues), charts.theme_chart_png(issues)
    assert a[:8] == b"\x89PNG\r\n\x1a\n" and a == b


def test_reused_figure_draws_the_same_png_as_a_fresh_one(issues):
    """Charts reuse one figure per size; an earlier chart must leave no trace in the next."""
    charts._FIGURES.clear()
    fresh = charts.theme_chart_png(issues)  # two themes, on a new figure
    # same size (two bars) with other labels, shares and title, then another size
    other = charts.bar_chart_png(["劳动安全", "社会保险"], [0.9, 0.05], title="广东：各主题提及比例")
    charts.bar_chart_png(["工资收入"], [0.2])
    assert len(charts._FIGURES) == 2
    assert charts.theme_chart_png(issues) == fresh != other


def test_docx_has_the_chart_and_a_shaded_theme_by_group_table(issues, tmp_path: Path):
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(str(write_docx(issues, tmp_path / "云南.docx")))
    assert len(doc.inline_shapes) == 1
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "主题")
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows == [
        ["主题", "全部", "货车司机", "网约车司机", "快递员", "外卖骑手"],
        ["工资收入", "45%", "0%", "0%", "0%", "50%"],
        ["其他反复出现的问题", "<1%", "0%", "0%", "0%", "1%"],
    ]
    fills = [c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) for c in table.rows[1].cells[1:]]
    # the largest share (50%) gets the darkest blue; nobody raising it, the lightest
    assert fills == [heat_colour(0.45, 0.5)[1:].upper(), "F7FBFF", "F7FBFF", "F7FBFF", "084594"]
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == ["图：各主题提及比例（占受访者）",
                        "注：工资收入（未经提问主动提及 20%）多为回答专门提问时提及。",  # the caveat
                        "表：各主题在各群体受访者中的提及比例（颜色越深比例越高）"]


def test_xlsx_chart_sheet_has_native_charts_over_its_cells(issues, tmp_path: Path):
    import openpyxl

    path = write_xlsx(issues, tmp_path / "云南.xlsx")
    ws = openpyxl.load_workbook(path)["图表"]
    # the last column: 工资收入 was raised mostly where a question asked about it
    assert [[c.value for c in r] for r in ws.iter_rows(max_row=3)] == [
        ["主题", "全部", "货车司机", "网约车司机", "快递员", "外卖骑手", "未经提问主动提及"],
        ["工资收入", 0.45, 0, 0, 0, 0.5, 0.2],
        ["其他反复出现的问题", pytest.approx(1 / 300), 0, 0, 0, pytest.approx(1 / 120), None],
    ]
    assert ws["G2"].number_format == "0.0%"
    with zipfile.ZipFile(path) as z:
        names = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        assert names == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]
        first = z.read(names[0]).decode("utf-8")
    assert "<barChart>" in first and "'图表'!$B$2:$B$3" in first


def test_xlsx_chart_sheet_counts_a_themes_people_in_none_of_its_lines(issues, tmp_path: Path):
    """The heading's 2 人未归入下列问题 as a column, only when some theme has such people."""
    import dataclasses

    import openpyxl

    themes = tuple(dataclasses.replace(t, not_listed=2) if t.theme_id == "pay" else t
                   for t in issues.themes)
    with_left = dataclasses.replace(issues, themes=themes)
    ws = openpyxl.load_workbook(write_xlsx(with_left, tmp_path / "a.xlsx"))["图表"]
    assert [c.value for c in ws[1]][-1] == "未归入任何问题的人数"
    assert [r[-1] for r in ws.iter_rows(min_row=2, max_row=3, values_only=True)] == [2, None]
    ws = openpyxl.load_workbook(write_xlsx(issues, tmp_path / "b.xlsx"))["图表"]
    assert "未归入任何问题的人数" not in [c.value for c in ws[1]]


def test_word_page_renders_chinese_in_libreoffice(issues, tmp_path: Path):
    """Page one as a PNG in tests/artifacts/ (skipped without LibreOffice and poppler)."""
    import shutil
    import subprocess

    from ._system import ARTIFACTS

    soffice, pdftoppm, pdftotext = (shutil.which(n) for n in ("soffice", "pdftoppm", "pdftotext"))
    if not (soffice and pdftoppm and pdftotext):
        pytest.skip("needs LibreOffice and poppler-utils "
                    "(apt-get install libreoffice-writer-nogui poppler-utils)")
    docx_path = write_docx(issues, tmp_path / "yunnan.docx")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "yunnan.pdf"
    text = subprocess.run([pdftotext, str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "图：各主题提及比例" in text and "外卖骑手" in text
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run([pdftoppm, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(ARTIFACTS / "word_page1")], check=True, timeout=120)
    assert (ARTIFACTS / "word_page1.png").stat().st_size > 10_000
