"""Province spellings, IP locations and paths all map to one short name or 未知."""

from __future__ import annotations

import pytest

from voiceminer.ingest import normalize_province, province_from_ip, province_from_path
from voiceminer.ingest.provinces import _CITIES, _PROVINCES

CASES = [
    ("云南省", "云南"), ("云南", "云南"), ("广西壮族自治区", "广西"), ("内蒙古自治区", "内蒙古"),
    ("新疆维吾尔自治区", "新疆"), ("宁夏回族自治区", "宁夏"), ("西藏自治区", "西藏"),
    ("上海市", "上海"), ("香港特别行政区", "香港"), ("澳门", "澳门"), ("  北京 ", "北京"),
    ("Shanghai", "上海"), ("yunnan", "云南"), ("Guangdong Province", "广东"),
    ("Inner Mongolia", "内蒙古"), ("Shaanxi", "陕西"), ("Shanxi", "山西"), ("Tibet", "西藏"),
    ("Hong Kong", "香港"), ("昆明", "云南"), ("昆明市", "云南"), ("杭州", "浙江"),
    ("深圳", "广东"), ("广州", "广东"), ("成都", "四川"), ("武汉", "湖北"), ("郑州", "河南"),
    ("西安", "陕西"), ("石家庄", "河北"), ("南京", "江苏"), ("苏州", "江苏"), ("长沙", "湖南"),
    ("南昌", "江西"), ("合肥", "安徽"), ("哈尔滨", "黑龙江"), ("乌鲁木齐", "新疆"),
    ("Kunming", "云南"), ("Xi'an", "陕西"), ("云南省昆明市", "云南"), ("广东深圳", "广东"),
    ("中国云南", "云南"), ("雲南省", "云南"), ("廣東", "广东"), ("臺北", "台湾"),
    ("火星", "未知"), ("", "未知"), (None, "未知"), ("nan", "未知"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES, ids=[str(c[0]) for c in CASES])
def test_normalize_province(raw, expected):
    assert normalize_province(raw) == expected


def test_every_provincial_capital_is_known():
    capitals = ["石家庄", "太原", "呼和浩特", "沈阳", "长春", "哈尔滨", "南京", "杭州", "合肥", "福州",
                "南昌", "济南", "郑州", "武汉", "长沙", "广州", "南宁", "海口", "成都", "贵阳",
                "昆明", "拉萨", "西安", "兰州", "西宁", "银川", "乌鲁木齐", "台北"]
    assert all(c in _CITIES for c in capitals)
    assert {normalize_province(c) for c in capitals} <= set(_PROVINCES)
    assert "未知" not in {normalize_province(c) for c in capitals}
    for municipality in ("北京", "天津", "上海", "重庆", "香港", "澳门"):
        assert normalize_province(municipality) == municipality
    assert len(_PROVINCES) == 34


IP_CASES = [
    ("1.2.3.4(云南-昆明)", "云南"), ("1.2.3.4(上海)", "上海"), ("(广西壮族自治区-南宁)", "广西"),
    ("223.104.1.2（中国-四川-成都）", "四川"), ("IP属地：浙江", "浙江"), ("湖北", "湖北"),
    ("8.8.8.8(美国)", "未知"), ("", "未知"),
]


@pytest.mark.parametrize(("raw", "expected"), IP_CASES, ids=[c[0] or "empty" for c in IP_CASES])
def test_province_from_ip(raw, expected):
    assert province_from_ip(raw) == expected


@pytest.mark.parametrize(("relpath", "expected"), [
    ("云南/访谈/x.txt", "云南"), ("interviews/Guangdong/a.docx", "广东"),
    ("访谈/2023昆明货车司机.txt", "云南"), ("广西壮族自治区/问卷.xlsx", "广西"),
    ("访谈/王师傅.txt", "未知"),
], ids=["folder", "pinyin-folder", "city-in-name", "full-name", "none"])
def test_province_from_path(relpath, expected):
    assert province_from_path(relpath) == expected
