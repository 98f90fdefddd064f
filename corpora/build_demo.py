"""Build the illustrative voiceminer demo corpus (all content fictional).

Everything under ``corpora/demo/`` plus ``corpora/demo_labels.csv`` is generated from the
hand-written pools in ``corpora/_source/`` with a fixed seed, so running

    /tmp/vmenv/bin/python corpora/build_demo.py

regenerates the same bytes.  docx/xlsx files get fixed core-property dates and fixed zip entry
timestamps.  The script finally checks that every labelled text occurs verbatim in the corpus and
prints a summary.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
import shutil
import sys
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import docx
import openpyxl

HERE = Path(__file__).resolve().parent
SRC = HERE / "_source"
OUT = HERE / "demo"
LABELS = HERE / "demo_labels.csv"

SEED = 20261125
FIXED_DT = dt.datetime(2026, 11, 1, 0, 0, 0)
FIXED_ZIP_DT = (2026, 11, 1, 0, 0, 0)

THEMES = (
    "pay", "social_insurance", "safety", "hours", "platform_rules", "labor_relations",
    "organization", "employment", "living", "enforcement", "rights", "attitudes", "stability",
)
GROUP_CN = {"truck": "货车司机", "ride": "网约车司机", "courier": "快递员", "rider": "外卖骑手"}
GROUP_VARIANT = {  # occasional header spellings of the group
    "truck": "货车司机（个体）", "ride": "网约车司机（兼职）",
    "courier": "快递员（加盟网点）", "rider": "外卖骑手（众包）",
}
BOARD = {"truck": "货车司机吧", "ride": "网约车司机论坛", "courier": "快递员之家", "rider": "外卖骑手交流"}

# short name -> (full name, is municipality)
PROVINCES = {
    "浙江": "浙江省", "河北": "河北省", "广东": "广东省", "云南": "云南省", "上海": "上海市",
    "天津": "天津市", "江苏": "江苏省", "重庆": "重庆市", "江西": "江西省", "湖南": "湖南省",
    "安徽": "安徽省", "湖北": "湖北省", "黑龙江": "黑龙江省", "河南": "河南省", "陕西": "陕西省",
}


# --------------------------------------------------------------------------- pools
TAGS: dict[str, dict[str, str]] = {}
TAG_VALUES: set[tuple[str, str]] = set()


class Pools:
    """Sections of "themes | text" lines keyed by their "## a/b/c" heading."""

    def __init__(self, path: Path) -> None:
        self.sections: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        key = None
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.rstrip()
            if not line or (line.startswith("#") and not line.startswith("## ")):
                continue
            if line.startswith("## "):
                key = line[3:].strip()
                self.sections.setdefault(key, [])
                continue
            assert key is not None, line
            m = re.search(r"\s*\{([^}]*)\}$", line)
            if m:  # "{key=value,...}": sentences that must agree within one interview
                line = line[: m.start()]
                tags = dict(kv.split("=") for kv in m.group(1).split(","))
                TAGS[line.split(" | ", 1)[-1].strip()] = tags
                TAG_VALUES.update((k, v) for k, v in tags.items())
            if " | " in line:
                th, text = line.split(" | ", 1)
                themes = () if th.strip() == "-" else tuple(t.strip() for t in th.split(","))
                for t in themes:
                    assert t in THEMES, (t, line)
            else:
                text, themes = line, ()
            self.sections[key].append((text.strip(), themes))

    def get(self, key: str) -> list[tuple[str, tuple[str, ...]]]:
        return self.sections.get(key, [])


IV = Pools(SRC / "interview_pools.txt")
SV = Pools(SRC / "survey_pools.txt")
FP = Pools(SRC / "forum_pools.txt")

# sentence -> themes, across all pools (a sentence must carry one set of labels)
SENT_THEMES: dict[str, tuple[str, ...]] = {}
for pools in (IV, SV, FP):
    for key, items in pools.sections.items():
        if key.startswith("Q/") or key in ("OPEN", "CLOSE") or key.startswith("TITLE/"):
            continue
        for text, th in items:
            if text in SENT_THEMES and set(SENT_THEMES[text]) != set(th):
                sys.exit(f"conflicting labels for {text!r}: {SENT_THEMES[text]} vs {th}")
            SENT_THEMES[text] = th


def union(themes_lists) -> tuple[str, ...]:
    seen = set()
    for th in themes_lists:
        seen.update(th)
    return tuple(t for t in THEMES if t in seen)


# unit text -> (themes, source, group, province); every generated respondent unit is recorded
UNITS: dict[str, tuple[tuple[str, ...], str, str, str]] = {}
UNIT_ORDER: list[str] = []


def record(text: str, themes, source: str, group: str, prov: str) -> None:
    themes = union([themes])
    if text in UNITS:
        if set(UNITS[text][0]) != set(themes):
            sys.exit(f"unit recorded twice with different themes: {text!r}")
        return
    UNITS[text] = (themes, source, group, prov)
    UNIT_ORDER.append(text)


# --------------------------------------------------------------------------- helpers
def normalize_zip(path: Path) -> None:
    """Rewrite an OOXML zip with fixed timestamps and fixed core-property dates."""
    src = zipfile.ZipFile(path)
    items = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    src.close()
    stamp = FIXED_DT.strftime("%Y-%m-%dT%H:%M:%SZ")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name == "docProps/core.xml":
                s = data.decode("utf-8")
                s = re.sub(r"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)", rf"\g<1>{stamp}\g<2>", s)
                s = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{stamp}\g<2>", s)
                data = s.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DT)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    path.write_bytes(buf.getvalue())


def rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


# --------------------------------------------------------------------------- interviews
CITIES = {
    "云南": ["昆明市官渡区", "昆明市呈贡区", "曲靖市麒麟区", "玉溪市红塔区"],
    "重庆": ["重庆市渝北区", "重庆市九龙坡区", "重庆市沙坪坝区", "重庆市江北区"],
    "上海": ["上海市浦东新区", "上海市闵行区", "上海市徐汇区", "上海市松江区"],
    "浙江": ["杭州市拱墅区", "杭州市余杭区", "宁波市鄞州区", "义乌市"],
    "广东": ["广州市白云区", "深圳市宝安区", "东莞市长安镇", "佛山市南海区"],
    "江苏": ["南京市江宁区", "苏州市吴中区", "无锡市新吴区"],
    "河北": ["石家庄市裕华区", "唐山市路北区", "保定市竞秀区"],
    "天津": ["天津市东丽区", "天津市滨海新区", "天津市西青区"],
    "湖北": ["武汉市洪山区", "武汉市东西湖区", "宜昌市伍家岗区"],
}
PLATES = {"云南": "云A·12345", "重庆": "渝D·6K321", "河北": "冀B·88Z12", "天津": "津C·5A678",
          "上海": "沪A·D3579", "广东": "粤A·7B246", "浙江": "浙A·3F890", "江苏": "苏A·9C135",
          "湖北": "鄂A·2E468"}
PHONES = ["13812345678", "13900001111", "15011112222", "18622223333", "13587654321"]
SURNAMES = list("王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高郑梁谢宋唐韩冯邓曹彭曾肖田董潘袁蒋蔡余杜叶程魏苏吕丁")
INTERVIEWERS = ["李老师", "张老师", "陈老师", "刘同学", "赵老师", "周老师", "吴同学"]
MIDDLE_TOPICS = ["income", "hours", "rules", "insurance", "safety", "traffic", "living",
                 "union", "rights", "mood", "future"]
FILLERS = ["嗯，", "怎么说呢，", "这个啊，", "哎，", "说实话，", "咋说呢，"]

# (province, group) plan: 46 interviews incl. the traditional-script one (广东 courier)
PLAN = (
    [("云南", g) for g in ("truck", "truck", "ride", "courier", "rider", "rider")]
    + [("重庆", g) for g in ("truck", "truck", "ride", "courier", "rider")]
    + [("上海", g) for g in ("rider", "rider", "ride", "ride", "courier")]
    + [("浙江", g) for g in ("rider", "rider", "ride", "courier", "truck")]
    + [("广东", g) for g in ("courier", "courier", "courier", "ride", "ride", "rider")]
    + [("江苏", g) for g in ("courier", "courier", "rider", "ride", "truck")]
    + [("河北", g) for g in ("truck", "truck", "courier", "rider", "ride")]
    + [("天津", g) for g in ("truck", "truck", "rider", "courier", "ride")]
    + [("湖北", g) for g in ("truck", "rider", "courier", "ride")]
)
MARKER_STYLES = ["qa_full", "qa_half", "QA_half", "QA_full", "role_full", "role_half", "name_full", "name_half"]


def markers(style: str, interviewer: str, resp_call: str) -> tuple[str, str]:
    return {
        "qa_full": ("问：", "答："),
        "qa_half": ("问:", "答:"),
        "QA_half": ("Q: ", "A: "),
        "QA_full": ("Q：", "A："),
        "role_full": ("访谈员：", "受访者："),
        "role_half": ("访谈员:", "受访者:"),
        "name_full": (f"{interviewer}：", f"{resp_call}："),
        "name_half": (f"{interviewer}:", f"{resp_call}:"),
    }[style]


def fits(text, world) -> bool:
    return all(world.get(k) == v for k, v in TAGS.get(text, {}).items())


def compose_answer(rng, group, prov, topic, used, world) -> tuple[list[str], tuple[str, ...]]:
    """Return (lines, themes) for one respondent turn."""
    base = [s for s in IV.get(f"A/{group}/{topic}") if s[0] not in used and fits(s[0], world)]
    local = [s for s in IV.get(f"A/{group}/{topic}/{prov}") if s[0] not in used and fits(s[0], world)]
    if (not base and not local) or rng.random() < 0.07:
        short = IV.get("A/any/short")
        text, th = short[rng.randrange(len(short))]
        return [text], th
    n = rng.choice([1, 1, 2, 2, 2, 3])
    chosen = []
    if local and rng.random() < 0.85:
        chosen.append(local.pop(rng.randrange(len(local))))
    rng.shuffle(base)
    pool = base + local
    while len(chosen) < n and pool:
        chosen.append(pool.pop(0))
    for text, _ in chosen:
        used.add(text)
    sents = [t for t, _ in chosen]
    if rng.random() < 0.2:
        sents[0] = rng.choice(FILLERS) + sents[0]
    if len(sents) >= 2 and rng.random() < 0.4:
        lines = [sents[0], "".join(sents[1:])]
    else:
        lines = ["".join(sents)]
    return lines, union(th for _, th in chosen)


def build_interview(rng, prov, group, has_pii):
    interviewer = rng.choice(INTERVIEWERS)
    surname = rng.choice(SURNAMES)
    resp_call = f"{surname}师傅" if group in ("truck", "ride") or rng.random() < 0.4 else f"小{surname}"
    used: set[str] = set()
    world = {}
    for key in sorted({k for k, _ in TAG_VALUES}):
        world[key] = rng.choice(sorted(v for k, v in TAG_VALUES if k == key))
    n_pairs = rng.randint(4, 10)
    # topics: province-flavoured ones first in line, then the rest at random; keep canonical order
    flavoured = [t for t in MIDDLE_TOPICS if IV.get(f"A/{group}/{t}/{prov}")]
    others = [t for t in MIDDLE_TOPICS if t not in flavoured]
    rng.shuffle(others)
    want_wish = rng.random() < 0.6
    k = max(1, n_pairs - 1 - (1 if want_wish else 0))
    middle = (flavoured + others)[:k]
    middle = [t for t in MIDDLE_TOPICS if t in middle]
    topics = ["intro"] + middle + (["wish"] if want_wish else [])
    turns = []  # (speaker, lines, themes)
    for topic in topics:
        if len(turns) // 2 >= n_pairs:
            break
        q = IV.get(f"Q/{topic}")
        turns.append(("I", [rng.choice(q)[0]], ()))
        lines, th = compose_answer(rng, group, prov, topic, used, world)
        turns.append(("R", lines, th))
        if len(turns) // 2 < n_pairs and topic != "intro" and rng.random() < 0.18:
            turns.append(("I", [rng.choice(IV.get("Q/followup"))[0]], ()))
            lines, th = compose_answer(rng, group, prov, topic, used, world)
            turns.append(("R", lines, th))
    while len(turns) < 8:  # pad with more topics
        topic = rng.choice(MIDDLE_TOPICS)
        turns.append(("I", [rng.choice(IV.get(f"Q/{topic}"))[0]], ()))
        lines, th = compose_answer(rng, group, prov, topic, used, world)
        turns.append(("R", lines, th))
    if has_pii:
        # a phone number or plate mentioned in passing, appended to the last answer
        phone = PHONES[sum(1 for x in PII_USED if x[0] == "phone") % len(PHONES)]
        if group == "truck":
            kind, extra = "plate", rng.choice([f"我这车牌是{PLATES[prov]}，你要核实可以去物流园问。",
                                               f"我那台车车牌{PLATES[prov]}，去年刚年审过。"])
        elif group == "ride":
            kind, extra = "plate", f"我车牌是{PLATES[prov]}，平台上都能查到。"
        else:
            kind, extra = "phone", rng.choice([f"你们要是还想了解，打我电话{phone}，白天一般都在跑。",
                                               f"我们负责人电话是{phone}，你们可以找他核实。"])
        PII_USED.append((kind, extra))
        sp, lines, th = turns[-1]
        turns[-1] = (sp, lines[:-1] + [lines[-1] + extra], th)
        turns[-1] = turns[-1] + ("pii",)
    return interviewer, surname, resp_call, turns


PII_USED: list[str] = []


def header_fields(rng, prov, group, style, interviewer, surname, date, city, idx):
    full = PROVINCES[prov]
    prov_value = rng.choice([prov, full, full])
    gval = GROUP_VARIANT[group] if rng.random() < 0.15 else GROUP_CN[group]
    resp = rng.choice([f"{surname}某某（化名）", f"{surname}某（化名）", f"老{surname}", f"{surname}师傅（化名）"])
    r = rng.random()
    if r < 0.6:
        dstr = f"{date.year}年{date.month}月{date.day}日"
    elif r < 0.8:
        dstr = date.isoformat()
    elif r < 0.9:
        dstr = f"{date.year}.{date.month}.{date.day}"
    else:
        dstr = f"{date.year}年{date.month}月{date.day}日下午"
    in_city = city if not city.startswith(full) else city[len(full):]
    if style == "a":
        fields = [("访谈对象", resp), ("省份", prov_value), ("地点", city), ("群体", gval),
                  ("时间", dstr), ("访谈员", interviewer)]
    elif style == "b":
        fields = [("受访者", resp), ("所在地", f"{full}{in_city}" if rng.random() < 0.7 else f"{prov} {in_city}"),
                  ("职业", gval), ("访谈时间", dstr), ("调研员", interviewer)]
    elif style == "c":
        fields = [("受访者", resp), ("省份", prov_value), ("地点", city), ("身份", gval),
                  ("访谈时间", dstr), ("访谈员", interviewer)]
    else:  # "d": no province at all, the folder gives it
        fields = [("访谈对象", resp), ("地点", in_city), ("群体", gval), ("时间", dstr), ("访谈员", interviewer)]
    if rng.random() < 0.15:
        fields.insert(0, ("访谈编号", f"{prov}-{idx:02d}"))
    return fields


def render_text(fields, turns, mk_i, mk_r, colon, blank_between, md_bold=False):
    out = [f"{k}{colon}{v}" for k, v in fields]
    out.append("")
    for t in turns:
        sp, lines = t[0], t[1]
        mk = mk_i if sp == "I" else mk_r
        if md_bold:
            mk = f"**{mk.rstrip(' :：')}**{mk[len(mk.rstrip(' :：')):]}"
        out.append(mk + lines[0])
        out.extend(lines[1:])
        if blank_between:
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def set_docx_props(d, title):
    cp = d.core_properties
    cp.author = "voiceminer team"
    cp.last_modified_by = "voiceminer team"
    cp.title = title
    cp.comments = "虚构示例语料，仅供 voiceminer 演示 / fictional demo material"
    cp.created = FIXED_DT
    cp.modified = FIXED_DT
    cp.last_printed = FIXED_DT
    cp.revision = 1


def render_docx(path, fields, turns, mk_i, mk_r, table_header):
    d = docx.Document()
    set_docx_props(d, "访谈记录（虚构示例）")
    if table_header:
        tbl = d.add_table(rows=0, cols=2)
        for k, v in fields:
            row = tbl.add_row().cells
            row[0].text = k
            row[1].text = v
        d.add_paragraph("")
    else:
        for k, v in fields:
            d.add_paragraph(f"{k}：{v}")
        d.add_paragraph("")
    for t in turns:
        sp, lines = t[0], t[1]
        mk = mk_i if sp == "I" else mk_r
        d.add_paragraph(mk + lines[0])
        for ln in lines[1:]:
            d.add_paragraph(ln)
    d.save(path)
    normalize_zip(path)


def build_interviews(rng):
    info = []  # for summary / checks
    n = len(PLAN)
    # the last 广东 courier slot is the hand-written traditional-script file
    trad_index = max(i for i, pg in enumerate(PLAN) if pg == ("广东", "courier"))
    # extension mix: 3 md, 17 docx, rest txt (traditional one is txt)
    exts = ["md"] * 3 + ["docx"] * 17 + ["txt"] * (n - 1 - 20)
    rng.shuffle(exts)
    exts.insert(trad_index, "txt")
    # special encodings: first 河北 truck -> GBK (CRLF), first 江苏 courier -> UTF-8 BOM
    gbk_index = PLAN.index(("河北", "truck"))
    bom_index = PLAN.index(("江苏", "courier"))
    for special in (gbk_index, bom_index):
        if exts[special] != "txt":
            j = next(i for i, e in enumerate(exts) if e == "txt" and i not in (trad_index, gbk_index, bom_index))
            exts[special], exts[j] = exts[j], exts[special]
    docx_idx = [i for i, e in enumerate(exts) if e == "docx"]
    table_docx = set(docx_idx[::4])  # every fourth docx carries its header as a table
    no_prov = {PLAN.index(("湖北", "rider")), PLAN.index(("重庆", "courier"))}
    pii_idx = {1, 4, 7, 12, 21, 34, 41}  # phone number or plate mentioned in passing
    per_prov_counter = Counter()
    md_count = 0
    for i, (prov, group) in enumerate(PLAN):
        per_prov_counter[prov] += 1
        idx = per_prov_counter[prov]
        folder = OUT / prov / "访谈"
        folder.mkdir(parents=True, exist_ok=True)
        if i == trad_index:
            path = folder / f"{idx:02d}_快遞員_黃某.txt"
            text = build_traditional()
            path.write_text(text, encoding="utf-8")
            info.append(dict(path=path, ext="txt", prov=prov, group=group, enc="utf-8", style="qa_full",
                             header="traditional", turns=text.count("\n問：") + text.count("\n答：")))
            continue
        interviewer, surname, resp_call, turns = build_interview(rng, prov, group, i in pii_idx)
        date = rand_date(rng, dt.date(2026, 6, 5), dt.date(2026, 9, 28))
        city = rng.choice(CITIES[prov])
        hstyle = "d" if i in no_prov else rng.choice(["a", "a", "b", "c"])
        fields = header_fields(rng, prov, group, hstyle, interviewer, surname, date, city, idx)
        mstyle = MARKER_STYLES[i % len(MARKER_STYLES)]
        mk_i, mk_r = markers(mstyle, interviewer, resp_call)
        ext = exts[i]
        name = f"{idx:02d}_{GROUP_CN[group]}_{surname}某.{ext}"
        path = folder / name
        enc = "utf-8"
        if ext == "docx":
            render_docx(path, fields, turns, mk_i, mk_r, i in table_docx)
            header = "table" if i in table_docx else "paragraphs"
        else:
            colon = ":" if mstyle.endswith("half") and rng.random() < 0.5 else "："
            if ext == "md":
                md_count += 1
                text = render_text(fields, turns, mk_i, mk_r, colon, True, md_bold=(md_count == 2))
            else:
                text = render_text(fields, turns, mk_i, mk_r, colon, rng.random() < 0.25)
            header = f"lines(colon={colon})"
            if i == gbk_index:
                enc = "gbk"
                path.write_bytes(text.replace("\n", "\r\n").encode("gbk"))
            elif i == bom_index:
                enc = "utf-8-sig"
                path.write_bytes(text.encode("utf-8-sig"))
            else:
                path.write_bytes(text.encode("utf-8"))
        for t in turns:
            if t[0] == "R" and len(t) == 3:  # PII turns are not used as labels
                record("\n".join(t[1]), t[2], "interview", group, prov)
        info.append(dict(path=path, ext=ext, prov=prov, group=group, enc=enc, style=mstyle,
                         header=header + ("+no_province" if i in no_prov else ""),
                         turns=len(turns), pii=i in pii_idx))
    return info


def build_traditional() -> str:
    """Copy the hand-written traditional-script interview, stripping its inline labels."""
    lines = (SRC / "traditional_interview.txt").read_text(encoding="utf-8").splitlines()
    out, turns = [], []  # turns: [lines, themes]
    in_answer = False
    for ln in lines:
        m = re.search(r" ##themes=(.*)$", ln)
        themes = None
        if m:
            themes = tuple(t for t in m.group(1).split(",") if t)
            ln = ln[: m.start()]
        if ln.startswith("答："):
            turns.append([[ln[2:]], ()])
            in_answer = True
        elif ln.startswith("問：") or not ln:
            in_answer = False
        elif in_answer:
            turns[-1][0].append(ln)
        if themes is not None:
            turns[-1][1] = themes
        out.append(ln)
    for tl, th in turns:
        record("\n".join(tl), th, "interview", "courier", "广东")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- questionnaire
SURVEY_PROV_WEIGHTS = {"云南": 12, "重庆": 10, "上海": 11, "浙江": 11, "广东": 13, "江苏": 10, "河北": 9,
                       "天津": 7, "湖北": 6, "河南": 6, "湖南": 5, "安徽": 4, "江西": 4, "陕西": 4, "黑龙江": 3}
SURVEY_GROUP_WEIGHTS = {
    "云南": (45, 15, 20, 20), "重庆": (45, 15, 20, 20), "河北": (50, 15, 20, 15), "天津": (45, 15, 20, 20),
    "上海": (10, 25, 20, 45), "浙江": (15, 20, 20, 45), "广东": (15, 25, 45, 15), "江苏": (15, 20, 45, 20),
}
IPS = {
    "云南": [("112.116", "昆明"), ("222.221", "曲靖"), ("116.52", "大理"), ("182.242", "昆明")],
    "重庆": [("113.204", "重庆"), ("222.178", "重庆"), ("183.230", "重庆")],
    "上海": [("58.246", "上海"), ("101.226", "上海"), ("116.228", "上海")],
    "浙江": [("115.236", "杭州"), ("60.186", "宁波"), ("122.224", "金华"), ("115.238", "温州")],
    "广东": [("113.108", "广州"), ("183.14", "深圳"), ("14.215", "东莞"), ("120.230", "佛山")],
    "江苏": [("180.111", "南京"), ("58.208", "苏州"), ("221.227", "无锡")],
    "河北": [("121.28", "石家庄"), ("27.184", "唐山"), ("106.115", "保定")],
    "天津": [("111.160", "天津"), ("60.24", "天津"), ("117.8", "天津")],
    "湖北": [("59.172", "武汉"), ("111.181", "宜昌"), ("27.17", "武汉")],
    "河南": [("1.193", "郑州"), ("42.227", "洛阳")],
    "湖南": [("175.9", "长沙"), ("113.240", "株洲")],
    "安徽": [("114.97", "合肥"), ("60.166", "芜湖")],
    "江西": [("117.21", "南昌"), ("182.99", "赣州")],
    "陕西": [("113.139", "西安"), ("1.85", "宝鸡")],
    "黑龙江": [("112.100", "哈尔滨"), ("221.208", "大庆")],
}
COLS = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、您的职业是：", "2、您的年龄：",
        "3、您从事目前工作多长时间了？", "4、您平均每天工作多少小时？", "5、您是否参加了社会保险？",
        "6、您是否加入了工会？", "7、您在工作中遇到的最主要困难是什么？", "8、您目前最希望解决的问题是？",
        "9、您对工会组织有什么意见和建议？"]
AGES = ["18-25岁", "26-35岁", "36-45岁", "46-55岁", "55岁以上"]
AGE_W = {"truck": (3, 25, 40, 27, 5), "ride": (6, 35, 38, 18, 3), "courier": (15, 45, 28, 10, 2),
         "rider": (30, 45, 18, 6, 1)}
TENURE = ["1年以下", "1-3年", "3-5年", "5年以上"]
TENURE_W = {"truck": (8, 20, 25, 47), "ride": (20, 40, 25, 15), "courier": (18, 37, 27, 18),
            "rider": (30, 42, 18, 10)}
HOURS = ["8小时以下", "8-10小时", "10-12小时", "12小时以上"]
HOURS_W = {"truck": (5, 20, 35, 40), "ride": (12, 28, 35, 25), "courier": (4, 26, 45, 25),
           "rider": (10, 30, 40, 20)}
SOCIAL = ["参加了职工社保", "只参加了城乡居民医保或养老", "没有参加", "不清楚"]
SOCIAL_W = {"truck": (12, 45, 35, 8), "ride": (15, 40, 35, 10), "courier": (38, 27, 28, 7),
            "rider": (10, 35, 42, 13)}
UNION = ["是", "否", "不清楚"]
UNION_W = {"truck": (18, 70, 12), "ride": (22, 65, 13), "courier": (35, 55, 10), "rider": (25, 60, 15)}
SOURCES = [("微信", "N/A"), ("手机提交", "直接访问"), ("链接", "直接访问"), ("微信", "群聊")]


def vary(rng, text):
    """Light written variation of short answers (particles, punctuation)."""
    if text.endswith(("。", "！", "？")) or len(text) > 30 or rng.random() > 0.22:
        return text
    return text + rng.choice(["吧", "。", "！", "啊", "！！", "。。"])


def pick(rng, items):
    return items[rng.randrange(len(items))]


def survey_answer(rng, q, group, prov):
    non = SV.get("NON")
    r = rng.random()
    if r < (0.10 if q != "Q9" else 0.14):
        text, th = pick(rng, non)
        return text, th
    if q in ("Q7", "Q8"):
        local = SV.get(f"{q}/{group}/{prov}")
        if r < 0.13:
            longs = SV.get(f"LONG/Q7/{group}") if q == "Q7" else []
            text, th = pick(rng, longs + SV.get("LONG/Q78/any"))
            return text, th
        if local and rng.random() < (0.5 if q == "Q7" else 0.2):
            text, th = pick(rng, local)
        elif rng.random() < 0.22:
            text, th = pick(rng, SV.get("Q78/any"))
        else:
            text, th = pick(rng, SV.get(f"{q}/{group}"))
    else:
        if r < 0.16:
            text, th = pick(rng, SV.get("LONG/Q9/any"))
            return text, th
        if rng.random() < 0.2:
            text, th = pick(rng, SV.get(f"Q9/{group}"))
        else:
            text, th = pick(rng, SV.get("Q9/any"))
    return vary(rng, text), th


def build_survey(rng, n_rows=1680):
    provs = list(SURVEY_PROV_WEIGHTS)
    pw = [SURVEY_PROV_WEIGHTS[p] for p in provs]
    groups = ["truck", "ride", "courier", "rider"]
    start = dt.datetime(2026, 7, 1, 8, 0, 0)
    times = [start + dt.timedelta(seconds=rng.randint(0, 92 * 86400)) for _ in range(n_rows)]
    times = sorted(t.replace(hour=t.hour + 12) if t.hour < 6 else t for t in times)
    rows = []
    for i in range(n_rows):
        prov = rng.choices(provs, pw)[0]
        group = rng.choices(groups, SURVEY_GROUP_WEIGHTS.get(prov, (25, 25, 25, 25)))[0]
        t = times[i]
        prefix, city = pick(rng, IPS[prov])
        ip = f"{prefix}.{rng.randint(1, 254)}.{rng.randint(1, 254)}"
        ip_cell = f"{ip}({prov}-{city})" if rng.random() > 0.004 else f"{ip}(未知)"
        src, detail = pick(rng, SOURCES)
        row = [i + 1, f"{t.year}/{t.month}/{t.day} {t.strftime('%H:%M:%S')}", f"{rng.randint(48, 620)}秒",
               src, detail, ip_cell, GROUP_CN[group],
               rng.choices(AGES, AGE_W[group])[0], rng.choices(TENURE, TENURE_W[group])[0],
               rng.choices(HOURS, HOURS_W[group])[0], rng.choices(SOCIAL, SOCIAL_W[group])[0],
               rng.choices(UNION, UNION_W[group])[0]]
        for q in ("Q7", "Q8", "Q9"):
            text, th = survey_answer(rng, q, group, prov)
            row.append(text)
            record(text, th, "survey", group, prov)
        rows.append(row)
    folder = OUT / "问卷"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "新就业形态劳动者调查_导出.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(COLS)
    for row in rows:
        ws.append(row)
    wb.properties.creator = "voiceminer team"
    wb.properties.lastModifiedBy = "voiceminer team"
    wb.properties.title = "新就业形态劳动者调查（虚构示例）"
    wb.properties.description = "虚构示例语料，仅供 voiceminer 演示 / fictional demo material"
    wb.properties.created = FIXED_DT
    wb.properties.modified = FIXED_DT
    wb.save(path)
    normalize_zip(path)
    return path, rows


# --------------------------------------------------------------------------- forum
AUTHOR_PARTS = {
    "truck": (["老王", "老李", "张哥", "大刘", "老赵", "阿强", "小马", "老周", "胖子", "老黑", "铁牛", "老孙"],
              ["跑长途", "开九米六", "的半挂", "拉货中", "在路上", "_货运", "1983", "不怕累", "走国道"]),
    "ride": (["滴滴", "夜班", "老陈", "小杨", "阿飞", "老韩", "电车", "快车", "老余", "大勇"],
             ["师傅", "司机", "跑单中", "_出行", "2021", "不熬夜", "的秦PLUS", "接单王"]),
    "courier": (["快递小哥", "中通", "阿杰", "小黄", "老郭", "圆通", "小林", "阿波", "老唐"],
                ["阿强", "派件员", "_网点", "在送件", "不加班", "2019", "的三轮", "跑片区"]),
    "rider": (["骑手", "小蓝", "黄马甲", "小刘", "阿伟", "众包", "专送", "小冯", "阿豪", "外卖"],
              ["小王", "冲单中", "不超时", "_跑腿", "2024", "不摔车", "日常", "小哥"]),
}
FORUM_PROV_WEIGHTS = dict(SURVEY_PROV_WEIGHTS)


def loc_string(rng, prov):
    r = rng.random()
    if r < 0.16:
        return ""
    if r < 0.55:
        return PROVINCES[prov]
    return prov


def build_forum(rng, n_posts=336):
    groups = ["truck", "ride", "courier", "rider"]
    provs = list(FORUM_PROV_WEIGHTS)
    pw = [FORUM_PROV_WEIGHTS[p] for p in provs]
    # authors: each group gets a set of unique names; some are regulars with 2-4 posts
    slots = []  # (group, author, prov)
    per_group = n_posts // 4
    long_posts = {g: list(FP.get(f"LONG/{g}")) for g in groups}
    for g in groups:
        pre, suf = AUTHOR_PARTS[g]
        names = [p + s for p in pre for s in suf]
        rng.shuffle(names)
        count = per_group
        k = 0
        while count > 0:
            name = names[k]
            k += 1
            prov = rng.choices(provs, pw)[0]
            posts = rng.choice([2, 2, 3, 4]) if rng.random() < 0.3 else 1
            posts = min(posts, count)
            slots.extend([(g, name, prov)] * posts)
            count -= posts
    rng.shuffle(slots)
    # timestamps in order of id
    start = dt.datetime(2026, 6, 1, 0, 0, 0)
    times = sorted(start + dt.timedelta(seconds=rng.randint(0, 152 * 86400)) for _ in slots)
    opens, closes = FP.get("OPEN"), FP.get("CLOSE")
    posts_out = []
    seen_per_group = Counter()
    for i, ((g, author, prov), t) in enumerate(zip(slots, times)):
        seen_per_group[g] += 1
        title = pick(rng, FP.get(f"TITLE/{g}"))[0]
        if long_posts[g] and seen_per_group[g] in (7, 45):
            text, th = long_posts[g].pop(0)
            content = text.replace(" // ", "\n")
            themes = th
            first_point = content
        else:
            body = list(FP.get(f"BODY/{g}"))
            local = list(FP.get(f"BODY/{g}/{prov}"))
            chosen = []
            if local and rng.random() < 0.65:
                chosen.append(pick(rng, local))
            n = rng.choice([1, 1, 1, 2, 2, 3])
            rng.shuffle(body)
            while len(chosen) < n:
                chosen.append(body.pop())
            parts = [c[0] for c in chosen]
            first_point = parts[0]
            content = "".join(parts)
            if rng.random() < 0.5:
                content = pick(rng, opens)[0] + content
            if rng.random() < 0.6:
                content = content + pick(rng, closes)[0]
            while len(content) < 20:
                extra = body.pop()
                chosen.append(extra)
                content += extra[0]
            themes = union(c[1] for c in chosen)
        if rng.random() < 0.6:
            # forum titles are often just the start of the post's first point
            first = re.split(r"[，。！？\n]", first_point)[0]
            title = first if len(first) <= 18 else first[:15] + "……"
        if rng.random() < 0.2:
            title = title + rng.choice(["😤", "🙏", "？", "！！", "……"])
        tstr = t.strftime("%Y-%m-%dT%H:%M:%S") if rng.random() < 0.12 else t.strftime("%Y-%m-%d %H:%M:%S")
        post = {"id": f"fp-{i + 1:04d}", "title": title, "content": content, "author": author,
                "time": tstr, "location": loc_string(rng, prov), "board": BOARD[g]}
        posts_out.append(post)
        record(content, themes, "forum", g, prov)
    assert not any(long_posts.values()), "every long post must be placed"
    folder = OUT / "论坛"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "posts.jsonl"
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for p in posts_out:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    return path, posts_out


# --------------------------------------------------------------------------- labels
def build_labels(rng, n_interview=80, n_survey=62, n_forum=48):
    by_source = defaultdict(list)
    for text in UNIT_ORDER:
        th, source, group, prov = UNITS[text]
        by_source[source].append(text)
    chosen = []
    for source, n in (("interview", n_interview), ("survey", n_survey), ("forum", n_forum)):
        texts = list(by_source[source])
        # stratify by group so every group is represented
        by_group = defaultdict(list)
        for t in texts:
            by_group[UNITS[t][2]].append(t)
        picked = []
        groups = sorted(by_group)
        for g in groups:
            rng.shuffle(by_group[g])
        while len(picked) < n and any(by_group.values()):
            for g in groups:
                if by_group[g] and len(picked) < n:
                    picked.append(by_group[g].pop())
        chosen.extend(picked)
    # make sure a few non-answers / short answers and the long forum posts are present
    for t in UNIT_ORDER:
        src = UNITS[t][1]
        if t in chosen:
            continue
        if (src == "forum" and "\n" in t) or t in ("无", "不知道", "还行吧。", "。。。"):
            chosen.append(t)
    with LABELS.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["text", "themes"])
        for t in chosen:
            w.writerow([t, ";".join(UNITS[t][0])])
    return chosen


# --------------------------------------------------------------------------- checks
def read_interview_text(info) -> str:
    path, ext, enc = info["path"], info["ext"], info["enc"]
    if ext == "docx":
        d = docx.Document(path)
        parts = []
        for tbl in d.tables:
            for row in tbl.rows:
                parts.append("：".join(c.text for c in row.cells))
        parts.extend(p.text for p in d.paragraphs)
        return "\n".join(parts)
    return path.read_bytes().decode(enc).replace("\r\n", "\n")


def check(info, rows, posts, chosen):
    corpus_interview = "\n".join(read_interview_text(x) for x in info)
    survey_cells = {c for r in rows for c in r[12:15]}
    post_contents = {p["content"] for p in posts}
    missing = []
    for t in chosen:
        src = UNITS[t][1]
        ok = (t in corpus_interview) if src == "interview" else (t in survey_cells) if src == "survey" else (t in post_contents)
        if not ok:
            missing.append(t)
    if missing:
        sys.exit(f"{len(missing)} labelled texts not found in corpus, e.g. {missing[:3]}")
    # reread xlsx
    wb = openpyxl.load_workbook(OUT / "问卷" / "新就业形态劳动者调查_导出.xlsx", read_only=True)
    ws = wb["Sheet1"]
    header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True))
    assert list(header) == COLS, header
    n_rows = sum(1 for _ in ws.iter_rows(min_row=2, values_only=True))
    wb.close()
    assert n_rows == len(rows)
    for x in info:
        if x["ext"] == "docx":
            docx.Document(x["path"])
        assert 8 <= x["turns"] <= 20, (x["path"], x["turns"])
    for p in posts:
        assert 20 <= len(p["content"]) <= 400, p
    return n_rows


README = """# voiceminer 演示语料 / demo corpus

**本目录中的所有文件均为虚构内容**，由 voiceminer 开发团队为演示和测试而编写，
不是真实的访谈记录、问卷数据或论坛帖子。人名均为化名，电话号码、车牌号均为编造，
如有雷同纯属巧合。文件由 `corpora/build_demo.py` 从 `corpora/_source/` 中手写的句库
按固定随机种子生成，可重复生成。

**Every file in this directory is fictional.** It was written by the voiceminer team for
demonstration and testing; none of it is a real interview, survey response or forum post.
Names are pseudonyms; phone numbers and licence plates are made up. The files are generated
deterministically by `corpora/build_demo.py` from hand-written pools in `corpora/_source/`.

## 目录结构 / Layout

```
demo/
  <省份>/访谈/        访谈记录 interviews (.txt / .docx / .md), one file per interview
  问卷/新就业形态劳动者调查_导出.xlsx   问卷星-style export, sheet "Sheet1"
  论坛/posts.jsonl     forum posts, one JSON object per line
```

- 访谈 / interviews: each file starts with a header block (one `字段：值` per line, or a
  2-column table in some .docx), a blank line, then alternating interviewer / respondent
  turns. Field names, province spellings and turn markers vary on purpose.
  Provinces: 云南 重庆 上海 浙江 广东 江苏 河北 天津 湖北 (folder name = province).
- 问卷 / questionnaire: province appears only in the `来自IP` column, e.g.
  `112.116.25.7(云南-昆明)`; questions 7–9 are open answers.
- 论坛 / forum: keys `id, title, content, author, time, location, board`; the worker group
  is implied by `board` (货车司机吧 / 网约车司机论坛 / 快递员之家 / 外卖骑手交流).

## 格式说明 / Format notes (for reader code)

- Interview headers: field names vary — 访谈对象/受访者, 省份/所在地 (province + city in one
  value)/地点, 群体/职业/身份, 时间/访谈时间, 访谈员/调研员, sometimes a leading 访谈编号.
  Province values appear as 云南 / 云南省 / 重庆市; two files have no province field at all
  (the folder gives it). Group values are the four group names, sometimes with a note in
  full-width brackets, e.g. `外卖骑手（众包）`. Header colons are full-width or half-width.
- Turn markers: `问：/答：`, `问:/答:`, `Q: /A: `, `Q：/A：`, `访谈员：/受访者：`, `访谈员:/受访者:`,
  and name style where the interviewer marker equals the 访谈员/调研员 header value
  (`李老师：` … `王师傅：`). A respondent turn may continue on the next line(s) without a
  marker. One .md file writes markers in bold (`**问**：`); .md files and some .txt files
  put a blank line between turns.
- .docx: header as paragraphs, or as a 2-column table (field | value) followed by an empty
  paragraph; each turn (and each continuation line) is one paragraph.
- Encodings: all UTF-8 except one GBK file with CRLF line endings (河北) and one UTF-8 with
  BOM (江苏). One 广东 interview is in traditional script (繁體), header field names included
  (受訪者, 地點, 群體, 訪談時間, 訪談員; markers 問：/答：).
- A few interviews mention a (fake) phone number or licence plate in passing.
- Questionnaire: a few `来自IP` cells read `…(未知)` with no province.
- Forum `time` is `YYYY-MM-DD HH:MM:SS`, occasionally with a `T` separator; `location` may be
  empty, a short name, or a full name with 省/市.

Hand-coded theme labels for a sample of units live outside this folder in
`corpora/demo_labels.csv` so that they are not read as input.
"""


def main() -> None:
    rng = random.Random(SEED)
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    (OUT / "README.md").write_text(README, encoding="utf-8")
    info = build_interviews(rng)
    _, rows = build_survey(rng)
    _, posts = build_forum(rng)
    chosen = build_labels(rng)
    n_rows = check(info, rows, posts, chosen)

    # ------------------------------------------------------------------ summary
    print("== interviews ==")
    by_prov = defaultdict(Counter)
    for x in info:
        by_prov[x["prov"]][x["ext"]] += 1
    for prov, c in by_prov.items():
        groups = Counter(GROUP_CN[x["group"]] for x in info if x["prov"] == prov)
        print(f"  {prov}: {dict(c)}  groups={dict(groups)}")
    print("  total:", dict(Counter(x["ext"] for x in info)), len(info))
    for x in info:
        if x["enc"] != "utf-8" or x["header"] in ("table", "traditional") or "no_province" in x["header"] or x.get("pii"):
            print(f"    {x['path'].relative_to(OUT)}  enc={x['enc']} header={x['header']} pii={x.get('pii', False)}")
    print("  marker styles:", dict(Counter(x["style"] for x in info)))
    print("== questionnaire ==")
    print("  rows:", n_rows)
    open_texts = {c for r in rows for c in r[12:15]}
    print("  distinct open answers:", len(open_texts))
    non = {t for t, _ in SV.get("NON")}
    n_non = sum(1 for r in rows for c in r[12:15] if c in non)
    print(f"  non-answers: {n_non} of {3 * len(rows)} cells")
    print("  provinces (from IP):", dict(Counter(re.search(r"\((.*?)[-)]", r[5]).group(1) for r in rows)))
    print("== forum ==")
    print("  posts:", len(posts), " boards:", dict(Counter(p["board"] for p in posts)))
    ac = Counter(p["author"] for p in posts)
    print("  authors:", len(ac), " with 2-4 posts:", sum(1 for v in ac.values() if v >= 2))
    print("  multi-paragraph posts:", sum(1 for p in posts if "\n" in p["content"]))
    print("== labels ==")
    print("  rows:", len(chosen), dict(Counter(UNITS[t][1] for t in chosen)))
    print("  groups:", dict(Counter(UNITS[t][2] for t in chosen)))
    print("  theme counts:", dict(Counter(th for t in chosen for th in UNITS[t][0])))
    print("  unlabelled (no theme):", sum(1 for t in chosen if not UNITS[t][0]))


if __name__ == "__main__":
    main()
