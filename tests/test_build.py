"""Issue lists built from a small analysed table: every number traces to units."""

import re
from dataclasses import replace

import pytest

from voiceminer.codebook import load_codebook
from voiceminer.pipeline import analyze
from voiceminer.report.model import NATIONAL

from .conftest import FIXTURES, make_units
from .test_quotes import _members_of

ANSWERS = [
    # (respondent, province, group, text)
    ("r1", "云南", "外卖骑手", "平台抽成太高了，一单才几块钱，电话13812345678"),
    ("r1", "云南", "外卖骑手", "抽成越来越高"),
    ("r2", "云南", "外卖骑手", "抽成高，派单也不公平"),
    ("r3", "云南", "快递员", "抽成太狠，收入少了"),
    ("r4", "云南", "快递员", "公司不交社保，五险一金都没有"),
    ("r5", "云南", "快递员", "社保断了没人管"),
    ("r6", "云南", "外卖骑手", "社保没交过"),
    ("r7", "上海", "外卖骑手", "进小区太难，保安不让进"),
    ("r8", "上海", "外卖骑手", "进小区要登记，耽误时间"),
    ("r9", "上海", "快递员", "小区不让进，只能放门口"),
    ("r10", "上海", "快递员", "无"),
]


@pytest.fixture(scope="module")
def result():
    units = make_units([
        {"respondent_id": r, "doc_id": f"{r}-{i}", "province": p, "group": g, "text": t,
         "origin": f"问卷.xlsx:Sheet1:{i + 2}"}
        for i, (r, p, g, t) in enumerate(ANSWERS)
    ])
    return analyze(units, codebook=load_codebook(FIXTURES / "mini_codebook.toml"))


def test_one_issue_list_per_province_plus_national(result):
    assert list(result.issue_lists) == ["上海", "云南", NATIONAL]


def test_numbers_trace_to_units(result):
    yn = result.issue_lists["云南"]
    assert yn.respondents_total == 6  # r1..r6 analysed in 云南
    assert yn.respondents_by_group == {"外卖骑手": 3, "快递员": 3}
    # a tie in respondents keeps the codebook's order
    assert [t.theme_id for t in yn.themes][:2] == ["social_insurance", "platform_rules"]
    rules = yn.themes[1]
    assert rules.respondents == 3 and rules.share == pytest.approx(0.5)
    units = result.units.set_index("unit_id")
    for concern in rules.concerns:
        people = set(units.loc[list(concern.unit_ids), "respondent_id"])
        assert len(people) == concern.respondents
    assert rules.groups[0].group == "外卖骑手" and rules.groups[0].respondents == 2


def test_the_national_list_counts_each_lines_people_by_province_and_source(result):
    national = result.issue_lists[NATIONAL]
    assert national.respondents_by_province == {"上海": 3, "云南": 6}
    units = result.units.set_index("unit_id")
    lines = [k for t in national.themes for k in t.concerns]
    assert lines
    for concern in lines:
        people = units.loc[list(concern.unit_ids), ["respondent_id", "province"]].drop_duplicates()
        assert dict(concern.by_province) == people["province"].value_counts().to_dict()
        assert concern.by_source == (("survey", concern.respondents),)
    # a province's lines come from the province: nothing to count there
    assert all(not k.by_province for t in result.issue_lists["云南"].themes for k in t.concerns)
    assert result.issue_lists["云南"].respondents_by_province == {}


def test_quotes_are_from_the_province_distinct_people_and_redacted(result):
    yn = result.issue_lists["云南"]
    for theme in yn.themes:
        for concern in theme.concerns:
            assert all(q.province == "云南" for q in concern.quotes)
            assert len({q.unit_id for q in concern.quotes}) == len(concern.quotes)
    text = " ".join(q.text for t in yn.themes for c in t.concerns for q in c.quotes)
    assert "13812345678" not in text and "[电话]" in text


def test_non_answer_is_in_the_ledger_not_the_base(result):
    led = result.ledger
    assert len(led) == len(ANSWERS)
    row = led.loc[led["origin"] == f"问卷.xlsx:Sheet1:{len(ANSWERS) + 1}"].iloc[0]
    assert row["status"] == "skipped" and row["skip_reason"] == "non_answer"
    assert result.issue_lists["上海"].respondents_total == 3


def test_a_theme_says_how_many_of_its_people_are_in_none_of_its_lines(result):
    """Every theme's people are its lines' people plus ``not_listed``, and the heading says so
    when some are left (the uncoded "other" has no such count)."""
    from voiceminer.report.writers import _content as c

    units = result.units
    for issues in result.issue_lists.values():
        scope = units if issues.province == NATIONAL else \
            units[units["province"] == issues.province]
        for theme in issues.themes:
            coded = scope[[theme.theme_id in t for t in scope["themes"]]]
            lined = {u for concern in theme.concerns for u in concern.unit_ids}
            listed = set(coded.loc[coded["unit_id"].isin(lined), "respondent_id"])
            assert theme.not_listed == theme.respondents - len(listed)
            assert theme.respondents == coded["respondent_id"].nunique()
    section = result.issue_lists["云南"].themes[0]
    assert "人未归入下列问题" not in c.theme_heading("一", section) or section.not_listed
    assert c.theme_heading("一", replace(section, not_listed=3)).endswith("；3 人未归入下列问题）")
    assert "未归入" not in c.theme_heading("一", replace(section, not_listed=0))


def test_a_list_shows_only_the_key_terms_its_own_units_use():
    import numpy as np

    from voiceminer.report.build import _Members, _said_here

    column = np.empty(2, dtype=object)
    column[:] = ["取消一口价吧", "一口价跑三十公里才三十块"]
    fields = {"clean": column}
    terms = ("三十公里", "电费", "一口价")
    assert _said_here(terms, _Members(fields, np.array([0]))) == ("一口价",)  # one province
    assert _said_here(terms, _Members(fields, np.array([0, 1]))) == ("三十公里", "一口价")
    assert _said_here(("培训",), _Members(fields, np.array([], dtype=int))) == ("培训",)


def test_a_known_concern_listed_under_two_themes_points_to_its_home():
    from types import SimpleNamespace

    from voiceminer.codebook import Codebook
    from voiceminer.report.build import _see_also

    codebook = Codebook.default()
    home_of = {"skills_training": "employment"}
    guest = SimpleNamespace(catalogue_ids=["skills_training"])
    listed = {("employment", "skills_training"), ("organization", "skills_training")}
    assert _see_also(guest, "organization", home_of, listed, {}, codebook) == "（另见“就业与职业发展”）"
    assert _see_also(guest, "employment", home_of, listed, {}, codebook) == ""  # at home
    # not listed at home in this list (another province, say): nothing to point to
    assert _see_also(guest, "organization", home_of, {("organization", "skills_training")}, {},
                     codebook) == ""
    assert _see_also(SimpleNamespace(catalogue_ids=[]), "organization", home_of, listed, {},
                     codebook) == ""  # found by clustering


def test_approving_counts_people_who_praise_the_concern_itself():
    import numpy as np

    from voiceminer.report.build import _approving, _Members, _Row

    said = [("r1", "夏天送清凉挺好，希望能坚持"),
            ("r2", "送清凉挺好的，就是来得太少"),  # a "but": a complaint after all
            ("r3", "驿站老板人挺好。工会送清凉只送网点，我们骑手没份。"),  # praise of another thing
            ("r4", "工会送清凉不满意"),  # negated
            ("r5", "送清凉很贴心。")]
    fields = {name: np.empty(len(said), dtype=object) for name in _Row._fields}
    for k, (who, text) in enumerate(said):
        for name, value in zip(_Row._fields, (f"u{k}", who, text, text, [], f"f:{k}", "云南",
                                              "快递员", "survey", "")):
            fields[name][k] = value
    assert _approving(_Members(fields, np.arange(len(said))), ("送清凉",))[0] == 2  # r1, r5


def test_a_found_concern_points_to_the_concern_of_another_theme_that_holds_its_units():
    from types import SimpleNamespace

    from voiceminer.codebook import Codebook
    from voiceminer.report.build import _see_also

    codebook = Codebook.default()
    info = SimpleNamespace(catalogue_ids=[], see_also="organization.07")
    shown = {"organization.07": "organization", "rights.03": "rights"}
    assert _see_also(info, "rights", {}, set(), shown, codebook) == "（另见“组织与入会”）"
    assert _see_also(info, "rights", {}, set(), {"rights.03": "rights"}, codebook) == ""


def test_a_province_list_names_a_found_concern_in_its_own_peoples_words():
    from voiceminer.report.build import _local_label
    from voiceminer.report.model import NATIONAL

    label = "“港区周边没地方吃饭休息”等"
    rest = _members_of([("r1", "休息", ["休息"]), ("r2", "休息。。", ["休息"]),
                        ("r3", "想休息", ["休息"])])
    assert _local_label(label, rest, ("休息",), "广东") == "“休息”等"
    assert _local_label(label, rest, ("休息",), NATIONAL) == label  # the national list's own
    said = _members_of([("r1", "港区周边没地方吃饭休息啊", ["港区", "休息"])])
    assert _local_label(label, said, ("休息",), "天津") == label  # one of them says it
    pair = _members_of([("r1", "驾驶室都变形了，心里堵得慌", ["驾驶室", "变形", "心里堵"])])
    assert _local_label("“驾驶室都变形，心里堵得慌”等", pair, ("变形",), "云南") == \
        "“驾驶室都变形，心里堵得慌”等"
    assert _local_label("拖欠工资、讨薪难", rest, ("休息",), "广东") == "拖欠工资、讨薪难"  # catalogue
    # of a two-clause label, only the clause the province's people say
    two = "“希望工会帮忙争取职业伤害保障”“希望工会帮忙维权”等"
    help_ = _members_of([("r1", "希望工会帮忙维权", ["工会", "维权"]),
                         ("r2", "希望工会帮忙维权！", ["工会", "维权"])])
    assert _local_label(two, help_, ("维权",), "江苏") == "“希望工会帮忙维权”等"
    assert _local_label(two, help_, ("维权",), NATIONAL) == two
    # nobody here says the label's clauses or the concern's terms: the words that coded the
    # answer into the theme name it
    tense = _members_of([("r1", "每天都紧绷着，生怕哪里出错被罚。", ["紧绷", "出错", "被罚"])])
    tense.fields["evidence"][0] = ["attitudes:紧绷着"]
    mixed = "“感觉自己就是被算法管着”“躺在地上半天没起来”等"
    assert _local_label(mixed, tense, ("被算法管着", "地上"), "湖北") == mixed
    assert _local_label(mixed, tense, ("被算法管着", "地上"), "湖北", "attitudes") == \
        "“每天都紧绷着”等"


def test_a_list_counts_its_answers_in_no_line(result):
    units = result.units.set_index("unit_id")
    for province, issues in result.issue_lists.items():
        live = units[(units["skip_reason"] == "") & ((units["province"] == province)
                                                    | (province == NATIONAL))]
        assert issues.unplaced == sum(not len(c) for c in live["concerns"])
    assert result.issue_lists[NATIONAL].unplaced > 0  # the mini codebook leaves some uncoded


def test_a_concern_most_people_complain_about_quotes_a_complaint_before_praise():
    import numpy as np

    from voiceminer.report.build import _approving, _Members, _Row
    from voiceminer.report.quotes import pick_quotes

    def members(rows):
        fields = {}
        for name in _Row._fields:
            column = np.empty(len(rows), dtype=object)
            column[:] = [{"unit_id": u, "respondent_id": r, "text": t, "clean": t,
                          "tokens": ["司机之家", "歇脚"] if "歇脚" in t else ["司机之家"],
                          "origin": f"f.jsonl:{k}", "province": "云南", "group": "货车司机",
                          "source": "forum", "question": "", "concerns": [],
                          "evidence": [], "introducing": False}[name]
                         for k, (u, r, t) in enumerate(rows)]
            fields[name] = column
        return _Members(fields, np.arange(len(rows)))

    terms = ("司机之家", "歇脚")
    complaints = [("u2", "r2", "司机之家太少了，想歇脚都找不到"), ("u3", "r3", "司机之家离得远")]
    # u1 scores best on the terms, but praises: it comes last unless most people here praise
    mixed = members([("u1", "r1", "司机之家挺好，必须点赞，司机之家能歇脚"), *complaints])
    assert _approving(mixed, terms) == (1, {"u1"})  # read once, for the count and the quotes
    assert [q.unit_id for q in pick_quotes(mixed, terms, 3, None, praised={"u1"})] \
        == ["u2", "u3", "u1"]
    assert [q.unit_id for q in pick_quotes(mixed, terms, 3, None)][0] == "u1"
    # where most people praise, praise comes first though a complaint would rank before it
    thanked = members([*complaints, ("u9", "r9", "司机之家挺好，必须点赞，能歇脚")])
    assert _approving(thanked, terms) == (1, {"u9"})
    assert [q.unit_id for q in pick_quotes(thanked, terms, 3, None)][0] == "u2"
    assert [q.unit_id for q in pick_quotes(thanked, terms, 3, None, praised={"u9"},
                                           praise_first=True)][0] == "u9"
    # no sentence names the line's top term; the catalogue's word for the concern (睡不着)
    # marks the sentence it is about, not the praise of a station owner that holds 吃饭
    post = members([("u5", "r5", "驿站老板人挺好，中午让我在里面吃饭歇会儿。宿舍里八个人，热得一晚上睡不着。")])
    post.fields["evidence"][0] = ["living:吃饭", "living:宿舍"]
    sleep = re.compile("睡不着|熬夜")
    assert _approving(post, ("吃饭不准时",), None, "living") == (1, {"u5"})
    assert _approving(post, ("吃饭不准时",), sleep, "living") == (0, frozenset())


def test_forked_workers_build_the_same_lists(result, monkeypatch):
    """A study large enough is built on forked workers (``PARALLEL_MIN_UNITS``): the lists are
    those one process builds, in the same order."""
    from voiceminer.report import build

    args = (result.units, result.concerns, result.prevalence, result.keyness, result.codebook)
    kwargs = {"catalogue": result.catalogue, "meta": {"version": "test"}}
    one = build.build_issue_lists(*args, n_jobs=1, **kwargs)
    forks = []
    real = build.forked_map
    monkeypatch.setattr(build, "forked_map", lambda *a: forks.append(a[1:]) or real(*a))
    monkeypatch.setattr(build, "PARALLEL_MIN_UNITS", 1)
    two = build.build_issue_lists(*args, n_jobs=2, **kwargs)
    assert forks and forks[0][:2] == (3, 2)  # three lists on two workers, the national first
    assert list(forks[0][2])[0] == 2
    assert list(two) == list(one) == ["上海", "云南", NATIONAL]
    assert two == one
