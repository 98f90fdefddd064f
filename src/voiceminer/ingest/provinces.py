"""Turn the many ways a place is written into one short province name.

Reports are per province, so "云南省", "Yunnan", "昆明" and "1.2.3.4(云南-昆明)" must all land in
the same bucket; anything we cannot place goes to 未知 rather than to a bucket of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Final

from ..schema import UNKNOWN

# short name -> (official full name, pinyin/English spellings)
_PROVINCES: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "北京": ("北京市", ("beijing", "peking")),
    "天津": ("天津市", ("tianjin",)),
    "上海": ("上海市", ("shanghai",)),
    "重庆": ("重庆市", ("chongqing",)),
    "河北": ("河北省", ("hebei",)),
    "山西": ("山西省", ("shanxi",)),
    "辽宁": ("辽宁省", ("liaoning",)),
    "吉林": ("吉林省", ("jilin",)),
    "黑龙江": ("黑龙江省", ("heilongjiang",)),
    "江苏": ("江苏省", ("jiangsu",)),
    "浙江": ("浙江省", ("zhejiang",)),
    "安徽": ("安徽省", ("anhui",)),
    "福建": ("福建省", ("fujian",)),
    "江西": ("江西省", ("jiangxi",)),
    "山东": ("山东省", ("shandong",)),
    "河南": ("河南省", ("henan",)),
    "湖北": ("湖北省", ("hubei",)),
    "湖南": ("湖南省", ("hunan",)),
    "广东": ("广东省", ("guangdong", "canton")),
    "海南": ("海南省", ("hainan",)),
    "四川": ("四川省", ("sichuan", "szechuan")),
    "贵州": ("贵州省", ("guizhou",)),
    "云南": ("云南省", ("yunnan",)),
    "陕西": ("陕西省", ("shaanxi",)),
    "甘肃": ("甘肃省", ("gansu",)),
    "青海": ("青海省", ("qinghai",)),
    "台湾": ("台湾省", ("taiwan",)),
    "内蒙古": ("内蒙古自治区", ("innermongolia", "neimenggu", "neimongol", "nei mongol")),
    "广西": ("广西壮族自治区", ("guangxi",)),
    "西藏": ("西藏自治区", ("xizang", "tibet")),
    "宁夏": ("宁夏回族自治区", ("ningxia",)),
    "新疆": ("新疆维吾尔自治区", ("xinjiang",)),
    "香港": ("香港特别行政区", ("hongkong", "hong kong", "hk")),
    "澳门": ("澳门特别行政区", ("macau", "macao")),
}

# city -> province: every provincial capital plus the other large cities of the study.
_CITIES: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "石家庄": ("河北", ("shijiazhuang",)), "保定": ("河北", ("baoding",)),
    "唐山": ("河北", ("tangshan",)), "廊坊": ("河北", ("langfang",)),
    "太原": ("山西", ("taiyuan",)), "大同": ("山西", ("datong",)),
    "呼和浩特": ("内蒙古", ("hohhot", "huhehaote")), "包头": ("内蒙古", ("baotou",)),
    "沈阳": ("辽宁", ("shenyang",)), "大连": ("辽宁", ("dalian",)),
    "长春": ("吉林", ("changchun",)),
    "哈尔滨": ("黑龙江", ("harbin", "haerbin")),
    "南京": ("江苏", ("nanjing",)), "苏州": ("江苏", ("suzhou",)),
    "无锡": ("江苏", ("wuxi",)), "徐州": ("江苏", ("xuzhou",)),
    "杭州": ("浙江", ("hangzhou",)), "宁波": ("浙江", ("ningbo",)),
    "温州": ("浙江", ("wenzhou",)), "义乌": ("浙江", ("yiwu",)),
    "合肥": ("安徽", ("hefei",)),
    "福州": ("福建", ("fuzhou",)), "厦门": ("福建", ("xiamen", "amoy")),
    "泉州": ("福建", ("quanzhou",)),
    "南昌": ("江西", ("nanchang",)),
    "济南": ("山东", ("jinan",)), "青岛": ("山东", ("qingdao",)),
    "临沂": ("山东", ("linyi",)),
    "郑州": ("河南", ("zhengzhou",)),
    "武汉": ("湖北", ("wuhan",)),
    "长沙": ("湖南", ("changsha",)),
    "广州": ("广东", ("guangzhou",)), "深圳": ("广东", ("shenzhen",)),
    "东莞": ("广东", ("dongguan",)), "佛山": ("广东", ("foshan",)),
    "南宁": ("广西", ("nanning",)), "柳州": ("广西", ("liuzhou",)),
    "桂林": ("广西", ("guilin",)),
    "海口": ("海南", ("haikou",)), "三亚": ("海南", ("sanya",)),
    "成都": ("四川", ("chengdu",)),
    "贵阳": ("贵州", ("guiyang",)),
    "昆明": ("云南", ("kunming",)), "曲靖": ("云南", ("qujing",)),
    "大理": ("云南", ("dali",)),
    "拉萨": ("西藏", ("lhasa", "lasa")),
    "西安": ("陕西", ("xian", "xi'an")),
    "兰州": ("甘肃", ("lanzhou",)),
    "西宁": ("青海", ("xining",)),
    "银川": ("宁夏", ("yinchuan",)),
    "乌鲁木齐": ("新疆", ("urumqi", "wulumuqi")),
    "台北": ("台湾", ("taipei",)),
}

# Suffixes stripped before lookup, longest first so 壮族自治区 goes before 自治区.
_SUFFIXES: Final = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市",
                    " province", " city", " sheng", " shi")
_PREFIXES: Final = ("中华人民共和国", "中国", "china", "prc")
_SEPARATORS: Final = re.compile(r"[\s\-－_/|,，、·.。()（）\[\]【】]+")
_IP_PARENS: Final = re.compile(r"[（(]([^（）()]*)[)）]")
_IPV4_OR_6: Final = re.compile(
    r"\b(?:\d{1,3}\.){3}\d{1,3}\b|\b[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\b"
)


# Simplified -> traditional for the characters of the place names above, so 雲南/廣東/臺北 match.
_TRAD: Final = str.maketrans(
    "云广东龙苏门湾宁维尔壮区辽陕肃贵庆别汉阳长连滨锡温义厦济岛临郑亚萨兰银乌鲁齐庄头无台",
    "雲廣東龍蘇門灣寧維爾壯區遼陝肅貴慶別漢陽長連濱錫溫義廈濟島臨鄭亞薩蘭銀烏魯齊莊頭無臺",
)


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    """Every exact spelling (lower-cased) -> short province name."""
    table: dict[str, str] = {}
    for short, (full, latin) in _PROVINCES.items():
        table[short] = table[full] = short
        for name in latin:
            table[name] = table[name.replace(" ", "")] = short
    for city, (province, latin) in _CITIES.items():
        table.setdefault(city, province)
        table.setdefault(city + "市", province)
        for name in latin:
            table.setdefault(name, province)
            table.setdefault(name.replace("'", ""), province)
    for name, province in list(table.items()):
        table.setdefault(name.translate(_TRAD), province)
    return table


@lru_cache(maxsize=1)
def _chinese_names_longest_first() -> tuple[tuple[str, str], ...]:
    """(name, province) for all Chinese spellings, longest first, for prefix/substring search."""
    names = {k: v for k, v in _lookup().items() if not k.isascii()}
    return tuple(sorted(names.items(), key=lambda kv: -len(kv[0])))


def normalize_province(s: object) -> str:
    """Short province name for a province, a city of the study, or a pinyin/English spelling.

    "云南省昆明市" and "云南昆明" resolve by their leading province name; anything unplaceable
    (including empty input) is 未知, because a made-up province would become its own report.
    """
    if s is None:
        return UNKNOWN
    text = str(s).strip()
    if not text or text.lower() in {"nan", "none", "null"}:
        return UNKNOWN
    table = _lookup()
    key = text.lower()
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix):].lstrip(" -－_·,，")
    candidates = [key, key.replace(" ", "")]
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            candidates.append(key[: -len(suffix)].strip())
    for cand in candidates:
        if cand in table:
            return table[cand]
    # "云南省昆明市", "广东深圳", "内蒙古包头": a Chinese name at the very start decides.
    for name, province in _chinese_names_longest_first():
        if key.startswith(name):
            return province
    # "Kunming, Yunnan" / "yunnan-kunming": look at each Latin word.
    if key.isascii():
        for part in _SEPARATORS.split(key):
            if part in table:
                return table[part]
    return UNKNOWN


def province_from_ip(s: object) -> str:
    """Province from an IP-location cell such as ``1.2.3.4(云南-昆明)`` or ``(广西壮族自治区-南宁)``.

    Questionnaire platforms append the IP's location in brackets; forum exports often give just
    "IP属地：云南". Parts are tried in order so the province wins over the city, and 中国/国内 are
    ignored.
    """
    if s is None:
        return UNKNOWN
    return _province_from_ip(str(s))


@lru_cache(maxsize=8192)
def _province_from_ip(s: str) -> str:
    """``province_from_ip`` of a string, remembered: forum posts repeat a few dozen IP places."""
    text = s.strip()
    text = re.sub(r"^(?:ip属地|IP属地|ip|IP)\s*[:：]\s*", "", text)
    inside = _IP_PARENS.findall(text)
    place = inside[-1] if inside else _IPV4_OR_6.sub(" ", text)
    parts = [p for p in re.split(r"[\s\-－_/|,，、·]+", place) if p]
    for part in parts:
        if part in {"中国", "国内", "china", "China", "未知", "本地", "局域网"}:
            continue
        found = normalize_province(part)
        if found != UNKNOWN:
            return found
    return normalize_province(place)


def province_in_text(s: str) -> str:
    """Province of the first province or study-city name appearing anywhere in ``s``.

    Used on file names and free-text places ("五华区，昆明"), where the name is embedded rather
    than leading; the earliest occurrence wins, longer names first at the same position.
    """
    best: tuple[int, int, str] | None = None
    for name, province in _chinese_names_longest_first():
        if len(name) < 2:
            continue
        pos = s.find(name)
        if pos >= 0 and (best is None or (pos, -len(name)) < best[:2]):
            best = (pos, -len(name), province)
    return best[2] if best else UNKNOWN


def province_from_path(relpath: str) -> str:
    """Province named by a folder or the file name, e.g. ``云南/访谈/x.txt`` or ``2023昆明访谈.txt``.

    Whole path parts are tried first (top folder first), then names embedded in a part, so a
    folder per province works and so does a province in the file name.
    """
    parts = list(PurePosixPath(relpath.replace("\\", "/")).parts)
    if not parts:
        return UNKNOWN
    parts[-1] = PurePosixPath(parts[-1]).stem
    for part in parts:
        found = normalize_province(part)
        if found != UNKNOWN:
            return found
    for part in parts:
        found = province_in_text(part)
        if found != UNKNOWN:
            return found
    return UNKNOWN
