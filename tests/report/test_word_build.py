"""The Word writer's fast paths give the XML of the plain python-docx calls they replace.

``word._Body`` copies prototype paragraphs and ``word._add_rows`` prototype table rows instead of
building every element through python-docx; a report writer must not be able to tell. Each test
builds the same content both ways in two fresh documents and compares the body XML.
"""

from __future__ import annotations

import pytest

docx = pytest.importorskip("docx")

from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.shared import Cm, Pt  # noqa: E402
from lxml import etree  # noqa: E402

from voiceminer.report.writers import word  # noqa: E402

TEXTS = [
    "平台抽成高、单价下降",
    " 前后有空格 ",  # python-docx marks these xml:space="preserve"
    "第一行\n第二行\t制表",  # a line break and a tab become w:br and w:tab
    "",  # no run at all
]


def _body_xml(document) -> bytes:
    return etree.tostring(document.element.body)


@pytest.mark.parametrize("style", [None, "Heading 2", "Caption", "List Continue"],
                         ids=["normal", "heading", "caption", "list-continue"])
def test_paragraph_matches_add_paragraph(style):
    expected, fast = docx.Document(), docx.Document()
    for text in TEXTS:
        expected.add_paragraph(text, style)
    body = word._Body(fast)
    for text in TEXTS:
        body.paragraph(text, style)
    assert _body_xml(fast) == _body_xml(expected)


def test_quote_matches_run_formatting():
    expected, fast = docx.Document(), docx.Document()
    for text in TEXTS:
        para = expected.add_paragraph("", "Quote")
        para.paragraph_format.left_indent = Cm(1.27)
        para.add_run(text)
        source = para.add_run(f"——外卖骑手，云南（{text}）")
        source.italic = False
        source.font.size = Pt(9)
    body = word._Body(fast)
    for text in TEXTS:
        body.quote(text, f"——外卖骑手，云南（{text}）")
    assert _body_xml(fast) == _body_xml(expected)


def test_list_items_keep_their_own_numbering():
    """Items of two lists (two themes) each carry their list's w:numId, as _set_num_id sets it."""
    expected, fast = docx.Document(), docx.Document()
    list_id = expected.styles[word.LIST_STYLE].style_id
    for num_id, text in [(10, "工资拖欠"), (10, ""), (11, "充电桩少")]:
        para = expected.add_paragraph(text)
        para._p.style = list_id
        word._set_num_id(para._p, num_id)
    body = word._Body(fast)
    for num_id, text in [(10, "工资拖欠"), (10, ""), (11, "充电桩少")]:
        body.list_item(text, num_id)
    assert _body_xml(fast) == _body_xml(expected)
    items = [p for p in fast.paragraphs if p.style.name == word.LIST_STYLE]
    assert [p._p.pPr.numPr.numId.val for p in items] == [10, 10, 11]
    assert [p.text for p in items] == ["工资拖欠", "", "充电桩少"]


def test_add_rows_matches_add_row_and_cell_text():
    rows = [("货车司机", "25", "8%"), ("外卖骑手", "", "1\t2"), ("合计", "300", "100%")]
    expected, fast = docx.Document(), docx.Document()
    table = expected.add_table(rows=1, cols=3)
    for texts in rows:
        for i, (cell, text) in enumerate(zip(table.add_row().cells, texts)):
            cell.text = text
            if i:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    trs = word._add_rows(fast.add_table(rows=1, cols=3), rows)
    assert _body_xml(fast) == _body_xml(expected)
    assert len(trs) == 3
    assert [[c.text for c in r.cells] for r in fast.tables[0].rows[1:]] == [list(r) for r in rows]


def test_add_rows_with_no_rows_adds_nothing():
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    assert word._add_rows(table, []) == []
    assert len(table.rows) == 1
