"""Generate the bad-input corpus: every way field material arrives broken, one file (or folder) each.

Run ``python tests/badinput/make_corpus.py OUT`` to look at the files; the tests call ``build``
with a temporary folder. Nothing here is a hand-copied binary: every file is written from the
code below, so the corpus documents itself. Each ``Kind`` says what must become of it — analysed,
or a named skip reason in the ledger.

``big=True`` adds the two large kinds (a 10 MB single line and a 100,000-row questionnaire),
which take a few seconds each to write and read.
"""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ANALYSED = "analysed"

INTERVIEW = ("省份：云南\n群体：外卖骑手\n问：您觉得平台的规则怎么样？\n"
             "答：罚款太多了，超时一分钟就扣钱，单价还越来越低。\n"
             "问：社保呢？\n答：没有社保，受伤了只能自己扛。\n")


def _interview(who: str) -> str:
    """INTERVIEW with a last answer of its own: the same notes in two files are one interview
    copied (normalize marks the second a duplicate), and each kind must stand for itself."""
    return INTERVIEW + f"问：还有什么想说的？\n答：我是{who}，就这些。\n"


TRADITIONAL = ("省份：廣東\n群體：網約車司機\n問：您每天工作多長時間？\n"
               "答：每天開車十二個小時，平台抽成太高，收入越來越少。\n")


@dataclass(frozen=True)
class Kind:
    """One kind of bad input: where it lies in the corpus and what must become of it."""

    name: str
    path: str  # relative to the corpus root (a folder ends with "/")
    expect: str  # ANALYSED, or the skip reason of its ledger row(s)
    note: str = ""  # words the skip detail must contain (case-insensitive), e.g. "password"


def _write(root: Path, rel: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def _docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _xlsx_bytes(rows: list[list[object]], *, merge: str | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "问卷"
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _bomb(name_in_zip: str) -> bytes:
    """A small zip (~70 KB) whose one member inflates to 64 MB of zeros, about 1000-fold.

    Real bombs go to gigabytes; the guard refuses any part that inflates more than 200-fold, so a
    small one tests it without making the generator slow.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open(name_in_zip, "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(64):
                member.write(block)
    return buf.getvalue()


def _ole(with_encrypted_package: bool) -> bytes:
    """An OLE compound-file stand-in: the magic number, padding and (optionally) the UTF-16
    directory names Excel writes for a password-protected workbook."""
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    names = ("EncryptionInfo", "EncryptedPackage") if with_encrypted_package else ("WordDocument",)
    for name in names:
        body += name.encode("utf-16-le").ljust(64, b"\0")
    return body + b"\0" * 2048


def build(root: Path, *, big: bool = False) -> list[Kind]:
    """Write the corpus under ``root`` and return its kinds (34; 36 with ``big``)."""
    kinds: list[Kind] = []

    def add(name: str, rel: str, data: bytes | str, expect: str, note: str = "",
            encoding: str = "utf-8") -> None:
        _write(root, rel, data, encoding)
        kinds.append(Kind(name, rel, expect, note))

    # encodings
    add("gbk", "enc/gbk访谈.txt", _interview("老高"), ANALYSED, encoding="gbk")
    add("gb18030", "enc/gb18030访谈.txt", _interview("老钱") + "答：我住在𠀾村，路远。\n", ANALYSED,
        encoding="gb18030")
    add("big5", "enc/big5訪談.txt", TRADITIONAL + "問：還有嗎？\n答：我是老白，就這些。\n", ANALYSED,
        encoding="big5")
    add("utf8_bom", "enc/bom访谈.txt", _interview("老包"), ANALYSED, encoding="utf-8-sig")
    add("utf16", "enc/utf16访谈.txt", _interview("老尤"), ANALYSED, encoding="utf-16")
    mixed = ("序号,省份,职业,您遇到的最大困难是什么？\n".encode()
             + "1,云南,外卖骑手,罚款太多，超时就扣钱\n".encode()
             + "2,贵州,快递员,派件费太低，一件才一块钱\n".encode("gbk"))
    add("mixed_encodings_csv", "enc/混合编码问卷.csv", mixed, ANALYSED)
    # damaged or hostile Office files
    good_docx = _docx_bytes(_interview("老杜").splitlines())
    add("truncated_docx", "office/截断.docx", good_docx[: len(good_docx) // 2], "unreadable_file",
        "truncated")
    good_xlsx = _xlsx_bytes([["省份", "您的意见"], ["云南", "罚款太多了，超时就扣钱"]])
    add("truncated_xlsx", "office/截断.xlsx", good_xlsx[: len(good_xlsx) // 2], "unreadable_file",
        ".xlsx")
    add("zip_bomb_docx", "office/炸弹.docx", _bomb("word/document.xml"), "unreadable_file",
        "zip bomb")
    add("zip_bomb_xlsx", "office/炸弹.xlsx", _bomb("xl/worksheets/sheet1.xml"), "unreadable_file",
        "zip bomb")
    add("password_xlsx", "office/加密问卷.xlsx", _ole(True), "unreadable_file", "password")
    add("doc_renamed_docx", "office/旧版.docx", _ole(False), "unreadable_file", "save it as .docx")
    add("text_named_xlsx", "office/其实是文本.xlsx", "省份,意见\n云南,罚款多\n", "unreadable_file",
        ".xlsx")
    # empty, blank, garbage
    add("empty", "blank/空文件.txt", b"", "empty_file", "empty")
    add("whitespace", "blank/只有空白.txt", " \n\t\n\u3000\n  \r\n", "empty_file", "no text")
    add("binary_txt", "blank/乱码.txt", bytes((i * 197 + 13) % 256 for i in range(4096)),
        "unreadable_file", "UTF-8")
    add("docx_named_txt", "blank/其实是Word.txt", good_docx, "unreadable_file", "UTF-8")
    # questionnaires with awkward shapes
    add("title_rows_xlsx", "survey/标题行.xlsx", _xlsx_bytes([
        ["2024年新就业形态劳动者问卷"], [],
        ["序号", "省份", "职业", "您对平台有什么意见？"],
        [1, "云南", "外卖骑手", "罚款太多了，超时一分钟就扣钱"],
        [2, "四川", "快递员", "派件费太低，每天干十二个小时"]]), ANALYSED)
    add("no_header_csv", "survey/无表头.csv",
        "1,云南,外卖骑手,罚款太多了超时一分钟就扣五十块钱\n"
        "2,四川,快递员,派件费太低每天干十二个小时没有休息\n", ANALYSED)
    add("merged_cells_xlsx", "survey/合并单元格.xlsx", _xlsx_bytes([
        ["省份", "职业", "您对平台有什么意见？"],
        ["云南", "外卖骑手", "罚款太多了，超时一分钟就扣钱"],
        [None, "快递员", "派件费太低，每天干十二个小时"]], merge="A2:A3"), ANALYSED)
    add("formulas_xlsx", "survey/公式.xlsx", _xlsx_bytes([
        ["省份", "职业", "您对平台有什么意见？", "合计"],
        ["云南", "外卖骑手", "=HYPERLINK(\"http://x\",\"点我\")", "=1+1"],
        ["云南", "外卖骑手", "+我觉得单价太低，罚款太多", "=SUM(D1:D2)"],
        ["云南", "外卖骑手", "-平台抽成太高了，收入越来越少", 3]]), ANALYSED)
    add("duplicated_rows_csv", "survey/重复提交.csv",
        "序号,省份,职业,您遇到的最大困难是什么？\n"
        "1,云南,外卖骑手,罚款太多了超时一分钟就扣五十块钱真的受不了\n"
        "1,云南,外卖骑手,罚款太多了超时一分钟就扣五十块钱真的受不了\n", ANALYSED)
    add("unclosed_quote_csv", "survey/引号未闭合.csv",
        '序号,省份,您的意见\n1,云南,"罚款太多\n2,四川,派件费低\n', ANALYSED)
    add("numbers_only_xlsx", "survey/只有数字.xlsx",
        _xlsx_bytes([["序号", "年龄", "月收入"], [1, 35, 6000], [2, 41, 7500]]),
        "unreadable_file", "--text-col")
    # forum scrapes
    posts = [
        {"title": "HTML", "content": "<p>平台<b>罚款</b>太狠了&nbsp;超时就扣钱</p>"
                                     "<script>alert('x')</script><br>谁来管管", "location": "云南"},
        {"title": "emoji", "content": "今天跑了四十单😭😭，腰疼🤕，单价才三块🙃", "location": "四川"},
        {"title": "rare", "content": "住在𠀾𪚥那边的城中村，房租又涨了", "location": "广东"},
    ]
    add("html_script_jsonl", "forum/帖子.jsonl",
        "\n".join(json.dumps(p, ensure_ascii=False) for p in posts[:1]) + "\n", ANALYSED)
    add("emoji_rare_cjk_jsonl", "forum/表情.jsonl",
        "\n".join(json.dumps(p, ensure_ascii=False) for p in posts[1:]) + "\n", ANALYSED)
    add("broken_jsonl_line", "forum/坏行.jsonl",
        json.dumps(posts[1], ensure_ascii=False) + "\n{\"content\": \"没写完\n", ANALYSED)
    # text oddities
    add("fullwidth_digits", "text/全角.txt",
        "省份：云南\n答：一个月挣６０００块，电话１３８１２３４５６７８，罚款太多。\n", ANALYSED)
    add("traditional", "text/繁體.txt", TRADITIONAL, ANALYSED)
    add("formula_file_name", "text/=cmd|' calc'!A1.txt", _interview("老符"), ANALYSED)
    add("old_doc", "other/旧访谈.doc", _ole(False), "unsupported_format", ".docx")
    add("image", "other/照片.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 100, "unsupported_format",
        "transcribe")
    # folders
    _write(root, "locked/内容.txt", _interview("老罗"))
    kinds.append(Kind("unreadable_folder", "locked/", "unreadable_file", "permission"))
    os.chmod(root / "locked", 0)
    (root / "loop").mkdir()
    os.symlink("..", root / "loop" / "self")
    _write(root, "loop/循环里的访谈.txt", _interview("老陆"))
    kinds.append(Kind("symlink_loop", "loop/循环里的访谈.txt", ANALYSED))
    if big:
        add("ten_mb_line", "big/一行十兆.txt", "答：" + "罚款太多了" * (2 * 1024 * 1024 // 3),
            "too_long", "line breaks")
        kinds.append(_big_survey(root, "big/十万行问卷.xlsx"))
    return kinds


def _big_survey(root: Path, rel: str) -> Kind:
    """100,000 respondents, one open column, written in streaming mode (about 4 MB)."""
    from openpyxl import Workbook

    answers = ("罚款太多了", "单价太低", "没有社保", "每天干十二个小时", "无", "")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("问卷")
    ws.append(["序号", "省份", "职业", "您对平台有什么意见？"])
    for i in range(1, 100_001):
        ws.append([i, "云南", "外卖骑手", f"{answers[i % 6]}{'，' + str(i) if i % 6 < 4 else ''}"])
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return Kind("hundred_k_rows", rel, ANALYSED)


def unlock(root: Path) -> None:
    """Give the locked folder its permissions back so temporary folders can be removed."""
    locked = root / "locked"
    if locked.exists():
        os.chmod(locked, 0o755)


if __name__ == "__main__":  # pragma: no cover - manual inspection
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "badinput-corpus")
    for kind in build(out, big="--big" in sys.argv):
        print(f"{kind.name:22} {kind.expect:18} {kind.path}")
