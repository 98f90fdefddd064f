"""A small corpus analysed once per session, and helpers to open and edit a .qdpx project."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from ..conftest import survey_csv, write_small_corpus

NS = "urn:QDA-XML:project:1.0"
Q = f"{{{NS}}}"

INTERVIEW = """访谈对象：王某（化名）
省份：云南省
群体：外卖骑手

问：最近收入怎么样？
答：平台抽成越来越高，一单才三四块钱。
问：社保交了吗？
答：没有，五险一金都没有，摔了一跤只能自己扛。
问：平时休息吗？
答：一个月歇不了两天，天天跑十二个小时。
问：有没有加入工会？
答：听说过骑手工会，不知道怎么入会。
"""

SURVEY = survey_csv([
    ("上海", "上海", "外卖骑手", "进小区太难了，保安不让进"),
    ("上海", "上海", "快递员", "小区不让快递员进，只能放驿站"),
    ("云南", "昆明", "货车司机", "运费太低，油价又涨"),
    ("云南", "昆明", "货车司机", "被交警罚款好几次了"),
    ("云南", "昆明", "货车司机", "希望有个地方能休息吃饭"),
    ("云南", "昆明", "货车司机", "无"),
    ("上海", "上海", "外卖骑手", "社保没人给交，摔伤了只能自己出钱"),
    ("上海", "上海", "外卖骑手", "经常超时被平台罚款"),
    ("上海", "上海", "快递员", "天天加班，一个月休息不了两天"),
    ("云南", "昆明", "货车司机", "运费被拖欠三个月了"),
])

POSTS = [
    {"id": "p1", "title": "封号", "content": "跑了三年被平台封号了，申诉也没人理", "author": "a",
     "time": "2026-05-01", "location": "广东", "board": "网约车司机论坛"},
    {"id": "p2", "title": "抽成", "content": "滴滴抽成太高了，一单抽走三成", "author": "b",
     "time": "2026-05-02", "location": "广东省", "board": "网约车司机论坛"},
    {"id": "p3", "title": "心累", "content": "每天压力很大，感觉没人尊重我们这行", "author": "c",
     "time": "2026-05-03", "location": "广东", "board": "网约车司机论坛"},
]


def write_corpus(root: Path) -> Path:
    return write_small_corpus(root, INTERVIEW, SURVEY, POSTS)


def analyse(corpus: Path, out: Path) -> Path:
    from voiceminer import read_corpus
    from voiceminer.output import write_run
    from voiceminer.pipeline import analyze
    from voiceminer.settings import Settings

    result = analyze(read_corpus(corpus), settings=Settings(formats=("csv", "xlsx")))
    write_run(result, out, roots=[corpus], force=True)
    return out


@pytest.fixture(scope="session")
def qda_run(tmp_path_factory) -> Path:
    """The run folder of ``voiceminer analyze`` on the small corpus (analysed once)."""
    base = tmp_path_factory.mktemp("qda")
    return analyse(write_corpus(base / "corpus"), base / "run")


def read_qde(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as zf:
        return ET.fromstring(zf.read("project.qde"))


def rewrite(path: Path, out: Path, root: ET.Element | None = None, *,
            drop: tuple[str, ...] = (), replace: dict[str, bytes] | None = None) -> Path:
    """Copy the project ``path`` to ``out`` with a new project.qde, members dropped or replaced,
    as a QDA program re-saving it would."""
    ET.register_namespace("", NS)
    replace = dict(replace or {})
    if root is not None:
        replace["project.qde"] = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name in drop:
                continue
            dst.writestr(name, replace.pop(name, None) or src.read(name))
        for name, data in replace.items():
            dst.writestr(name, data)
    return out
