"""Readers against hostile or broken files: zip bombs, encrypted workbooks, HTML in posts,
mixed encodings, a missing header row and a record far too long to analyse."""

from __future__ import annotations

import json
import zipfile

import pytest

from voiceminer import read_corpus
from voiceminer.errors import InputFileError
from voiceminer.ingest.corpus import MAX_UNIT_CHARS
from voiceminer.ingest.encoding import decode_bytes
from voiceminer.ingest.markup import strip_html
from voiceminer.ingest.zipguard import check_zip, is_encrypted_office


def _zip(tmp_path, name, members):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return path


def test_a_highly_compressed_part_is_refused_before_inflating(tmp_path):
    path = _zip(tmp_path, "bomb.docx", {"word/document.xml": b"\0" * (8 << 20)})
    with pytest.raises(InputFileError, match=r"bomb\.docx: part word/document\.xml inflates "
                                             r"[\d,]+-fold \(possible zip bomb\)"):
        check_zip(path, hint="re-save it")


def test_an_ordinary_office_zip_passes(tmp_path):
    text = "".join(f"<w:p>第{i}段：罚款太多了，单价太低。</w:p>" for i in range(5000)).encode()
    check_zip(_zip(tmp_path, "ok.docx", {"word/document.xml": text}), hint="")


def test_a_password_protected_workbook_is_named_as_such(tmp_path):
    path = tmp_path / "加密.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
                     + "EncryptedPackage".encode("utf-16-le") + b"\0" * 600)
    assert is_encrypted_office(path)
    units = read_corpus(path)
    assert units["skip_reason"].tolist() == ["unreadable_file"]
    assert units["skip_detail"].iat[0].startswith("加密.xlsx: the workbook is password-protected — ")


@pytest.mark.parametrize("html, expected", [
    ("<p>平台<b>罚款</b>太狠了&nbsp;超时就扣钱</p><script>alert('x')</script><br>谁来管",
     "平台罚款太狠了 超时就扣钱\n谁来管"),
    ("罚款<style>p{color:red}</style>太多<!-- 广告 -->了", "罚款太多了"),
    ("单价 3<5 块 & 没有社保", "单价 3<5 块 & 没有社保"),  # not HTML: left alone
    ("<SCRIPT src=x>unclosed", ""),
], ids=["tags-entities-script", "style-comment", "plain-text", "unclosed-script"])
def test_strip_html(html, expected):
    assert strip_html(html) == expected


def test_forum_posts_lose_their_markup(tmp_path):
    post = {"content": "<div>超时<i>罚款</i>五十</div><script>steal()</script>", "location": "云南"}
    (tmp_path / "帖.jsonl").write_text(json.dumps(post, ensure_ascii=False), encoding="utf-8")
    assert read_corpus(tmp_path)["text"].tolist() == ["超时罚款五十"]


def test_a_csv_stitched_from_utf8_and_gbk_is_read_line_by_line():
    data = "省份,意见\n".encode() + "云南,罚款太多\n".encode() + "贵州,单价太低\n".encode("gbk")
    text, encoding = decode_bytes(data)
    assert text == "省份,意见\n云南,罚款太多\n贵州,单价太低\n"
    assert encoding == "utf-8+gb18030"


def test_a_questionnaire_without_header_row_loses_no_respondent(tmp_path):
    (tmp_path / "问卷.csv").write_text("1,云南,外卖骑手,罚款太多了超时一分钟就扣五十块钱\n"
                                      "2,四川,快递员,派件费太低每天干十二个小时没有休息\n",
                                      encoding="utf-8")
    units = read_corpus(tmp_path)
    assert units["origin"].tolist() == ["问卷.csv:1", "问卷.csv:2"]
    assert units["text"].str.startswith(("罚款", "派件费")).all()


def test_a_record_too_long_to_analyse_is_ledgered_with_advice(tmp_path):
    (tmp_path / "一行.txt").write_text("答：" + "罚款太多了" * 5000, encoding="utf-8")
    units = read_corpus(tmp_path)
    assert units["skip_reason"].tolist() == ["too_long"]
    assert units["skip_detail"].iat[0] == (
        "一行.txt:1: 25,000 characters in one record (limit 20,000) — add line breaks between "
        "answers or split the file")
    assert len(units["text"].iat[0]) == MAX_UNIT_CHARS


def test_header_names_travel_beside_the_table(tmp_path):
    (tmp_path / "访谈.txt").write_text("受访者：王建国\n访谈员：李明\n问：累吗？\n答：王建国我天天跑。\n",
                                      encoding="utf-8")
    units = read_corpus(tmp_path)
    assert units.attrs["personal_names"] == ["李明", "王建国"]
    assert "personal_names" not in units.columns


def test_a_zip_named_docx_that_is_no_word_document_says_so(tmp_path):
    _zip(tmp_path, "访谈.docx", {"notes.txt": "答：罚款太多".encode()})
    units = read_corpus(tmp_path)
    assert units["skip_reason"].tolist() == ["unreadable_file"]
    assert units["skip_detail"].iat[0] == (
        "访谈.docx: this is a zip archive (holding notes.txt), not a Word document — unzip it "
        "and put the files it holds in the corpus folder, or open it in Word/WPS and save it "
        "as .docx")


def test_a_csv_cell_over_the_csv_module_limit_is_ledgered_too_long(tmp_path):
    huge = "罚款太多" * 50_000  # 200,000 characters: csv's own limit is 131,072
    (tmp_path / "问卷.csv").write_text(f"序号,您遇到的最大困难是什么？\n1,{huge}\n"
                                      "2,单价太低了，每天跑十二个小时\n", encoding="utf-8")
    units = read_corpus(tmp_path)
    assert units["skip_reason"].tolist() == ["too_long", ""]
    assert units["skip_detail"].iat[0].startswith("问卷.csv:2: 200,000 characters in one record")
