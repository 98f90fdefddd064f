"""Choosing and cutting an issue list's quotes (report/quotes.py, report/excerpts.py): which
answers are quoted, in what order, cut to what, and traced to which line."""

import re

import pandas as pd
import pytest

from voiceminer.codebook import load_codebook
from voiceminer.pipeline import analyze
from voiceminer.report.quotes import pick_quotes

from .conftest import FIXTURES


def test_a_unit_quoted_once_yields_to_other_units_under_later_concerns():
    import numpy as np

    from voiceminer.report.build import _Members, _Row
    from voiceminer.report.quotes import Quoted, pick_quotes

    rows = [("u1", "r1", "抽成太高了，罚款也越来越多", ["抽成", "罚款"]),
            ("u2", "r2", "抽成太高了", ["抽成"]), ("u3", "r3", "超时就罚款，一次五十", ["罚款"])]
    fields = {}
    for name in _Row._fields:
        column = np.empty(len(rows), dtype=object)
        column[:] = [{"unit_id": u, "respondent_id": r, "text": t, "clean": t, "tokens": toks,
                      "origin": f"f.txt:{k}", "province": "云南", "group": "外卖骑手",
                      "source": "survey", "question": "7、您最大的困难是什么？",
                      "concerns": [], "evidence": [], "introducing": False}[name]
                     for k, (u, r, t, toks) in enumerate(rows)]
        fields[name] = column
    used = Quoted()

    def pick(positions, terms):
        quotes = pick_quotes(_Members(fields, np.array(positions)), terms, 1, None, used)
        return [q.unit_id for q in quotes]

    assert pick([0, 1], ("抽成",)) == ["u1"]  # the best quote of the first concern
    assert pick([0, 2], ("罚款",)) == ["u3"]  # u1 fits too, but is quoted already
    assert pick([0], ("罚款",)) == ["u1"]  # nothing else: quoted again rather than not at all


def test_words_quoted_once_in_a_list_yield_to_other_words_though_another_person_said_them():
    import numpy as np

    from voiceminer.report.build import _Members, _Row
    from voiceminer.report.quotes import Quoted, pick_quotes

    template = "希望工会真正走到我们中间来，遇到欠薪、罚款的时候能站出来"
    rows = [("u1", "r1", template, ["工会", "欠薪", "罚款"]), ("u2", "r2", template, ["工会", "欠薪", "罚款"]),
            ("u3", "r3", "超时就罚款，一次五十", ["超时", "罚款"])]
    fields = {name: np.empty(len(rows), dtype=object) for name in _Row._fields}
    for k, (u, r, t, toks) in enumerate(rows):
        for name, value in zip(_Row._fields, (u, r, t, t, toks, f"f.txt:{k}", "云南", "外卖骑手",
                                              "survey", "")):
            fields[name][k] = value
    used = Quoted()
    assert [q.unit_id for q in pick_quotes(_Members(fields, np.array([0])), ("欠薪",), 1, None,
                                           used)] == ["u1"]
    later = pick_quotes(_Members(fields, np.array([1, 2])), ("罚款", "欠薪"), 2, None, used)
    assert [q.unit_id for q in later] == ["u3", "u2"]  # the repeated words last, not first
    # the same words posted by another account are one voice copied: not quoted again, unless
    # the line would have no quote without them
    fields["source"][:] = "forum"
    used = Quoted()
    pick_quotes(_Members(fields, np.array([0])), ("欠薪",), 1, None, used)
    later = pick_quotes(_Members(fields, np.array([1, 2])), ("罚款", "欠薪"), 2, None, used)
    assert [q.unit_id for q in later] == ["u3"]
    alone = pick_quotes(_Members(fields, np.array([1])), ("欠薪",), 2, None, used)
    assert [q.unit_id for q in alone] == ["u2"]
    # the same post quoted again under a later line is no copy: it comes after the others
    used = Quoted()
    pick_quotes(_Members(fields, np.array([0])), ("欠薪",), 1, None, used)
    again = pick_quotes(_Members(fields, np.array([0, 2])), ("罚款", "欠薪"), 2, None, used)
    assert [q.unit_id for q in again] == ["u3", "u1"]


def test_a_line_naming_a_group_quotes_someone_of_that_group():
    """The line says 货车司机中比例最高; the best-scoring quotes are three ride-hailing drivers',
    and the truck driver's takes the last place."""
    import numpy as np

    from voiceminer.report.build import _Members, _Row

    rows = [("u1", "r1", "租金太贵了，一个月六千五", ["租金", "太贵"], "网约车司机"),
            ("u2", "r2", "租金又涨了，不跑就亏", ["租金", "涨"], "网约车司机"),
            ("u3", "r3", "租金占了流水一半", ["租金", "流水"], "网约车司机"),
            ("u4", "r4", "油价一涨就白干", ["油价"], "货车司机")]
    fields = {name: np.empty(len(rows), dtype=object) for name in _Row._fields}
    for k, (u, r, t, toks, group) in enumerate(rows):
        for name, value in zip(_Row._fields, (u, r, t, t, toks, f"f.txt:{k}", "云南", group,
                                              "survey", "", [], [], False)):
            fields[name][k] = value
    members = _Members(fields, np.arange(len(rows)))
    terms = ("租金", "油价")
    assert [q.unit_id for q in pick_quotes(members, terms, 3, None)] == ["u1", "u2", "u3"]
    assert [q.unit_id for q in pick_quotes(members, terms, 3, None, lead=("货车司机",))] \
        == ["u1", "u2", "u4"]
    # a group already quoted needs nothing
    assert [q.unit_id for q in pick_quotes(members, terms, 3, None, lead=("网约车司机",))] \
        == ["u1", "u2", "u3"]


def test_a_concern_is_quoted_first_from_units_it_is_the_main_concern_of():
    """An airport-queue post that also says 三个小时 is in 工作时间过长 too, but a unit whose
    main concern that is comes first."""
    import numpy as np

    from voiceminer.report.build import _Members, _Row

    rows = [("u1", "r1", "机场蓄车池排了三个小时", ["机场", "蓄车池", "三个小时"], ["h.06", "h.02"]),
            ("u2", "r2", "一天干十几个小时", ["一天", "十几个小时"], ["h.02"])]
    fields = {name: np.empty(len(rows), dtype=object) for name in _Row._fields}
    for k, (u, r, t, toks, concerns) in enumerate(rows):
        for name, value in zip(_Row._fields, (u, r, t, t, toks, f"f.txt:{k}", "云南", "外卖骑手",
                                              "survey", "", concerns)):
            fields[name][k] = value
    members = _Members(fields, np.array([0, 1]))
    named = re.compile("个小时")
    assert [q.unit_id for q in pick_quotes(members, ("工作时间",), 1, None, named=named)] == ["u1"]
    assert [q.unit_id for q in pick_quotes(members, ("工作时间",), 1, None, named=named,
                                           concern_id="h.02")] == ["u2"]


def test_an_answer_introducing_the_speaker_is_quoted_after_the_others():
    import numpy as np

    from voiceminer.prompting import background_answers
    from voiceminer.report.build import _Members, _Row

    rows = [("u1", "r1", "我跑众包，想跑就跑，但也没人管你。", ["众包", "没人管"], "您先说说自己的情况吧。"),
            ("u2", "r2", "出了事没人管", ["出事", "没人管"], "您遇到困难找谁？")]
    fields = {name: np.empty(len(rows), dtype=object) for name in _Row._fields}
    for k, (u, r, t, toks, question) in enumerate(rows):
        for name, value in zip(_Row._fields, (u, r, t, t, toks, f"f.txt:{k}", "云南", "外卖骑手",
                                              "interview", question, [], [], False)):
            fields[name][k] = value
    members = _Members(fields, np.array([0, 1]))
    assert [q.unit_id for q in pick_quotes(members, ("没人管",), 2, None)] == ["u1", "u2"]
    table = pd.DataFrame({"question": [r[4] for r in rows], "source": "interview"})
    fields["introducing"] = background_answers(table, ("自己的情况",))
    assert [q.unit_id for q in pick_quotes(members, ("没人管",), 2, None)] == ["u2", "u1"]


def test_a_questionnaire_quote_names_its_question():
    from voiceminer.report.model import Quote
    from voiceminer.report.writers import _content as c

    survey = Quote("u1", "工资太低", "问卷.xlsx:Sheet1:9", "云南", "快递员", "survey",
                   "7、您最大的困难是什么？")
    assert c.quote_attribution(survey) == "——快递员，云南（问卷.xlsx:Sheet1:9，第7题）"
    talk = Quote("u2", "工资太低", "访谈.txt:4", "云南", "快递员", "interview", "7、收入呢？")
    assert c.quote_attribution(talk) == "——快递员，云南（访谈.txt:4）"  # its line says it all
    unnumbered = Quote("u3", "工资太低", "s.csv:3", "云南", "快递员", "survey", "您的建议？")
    assert c.quote_attribution(unnumbered) == "——快递员，云南（s.csv:3）"


POST = ("大半夜睡不着，上来说两句。快递柜又涨价了，一个大格子一块多，这钱都是我们自己掏。"
        "一个大爷非要我送到八楼，不送就投诉，最后还是扛上去了。有同样遭遇的吗？")


def test_a_quote_keeps_the_sentences_about_its_concern_and_drops_the_rest():
    from voiceminer.report.excerpts import excerpt

    assert excerpt(POST, ("八楼", "不送")) == "…一个大爷非要我送到八楼，不送就投诉，最后还是扛上去了。…"
    assert excerpt(POST, ("快递柜",)) == "…快递柜又涨价了，一个大格子一块多，这钱都是我们自己掏。…"
    # neighbouring sentences that carry the concern stay together
    assert excerpt(POST, ("快递柜", "八楼")) == "…" + POST[13:-8] + "…"


def test_a_short_answer_or_one_without_the_terms_is_quoted_whole():
    from voiceminer.report.excerpts import excerpt

    assert excerpt("工资低。希望涨点。", ("工资",)) == "工资低。希望涨点。"
    # under the limit and no sentence to go by: whole, but for the post's framing
    assert excerpt(POST, ("熬夜",)) == "…" + POST[13:-8] + "…"
    # every sentence is about the concern: nothing to cut
    every = "工资太低了，一个月三千。工资还老是拖，拖三个月。工资条也看不懂，扣了什么不知道。"
    assert excerpt(every, ("工资",)) == every


def test_a_known_concern_is_quoted_first_by_units_that_say_its_catalogue_words():
    import numpy as np

    from voiceminer.report.build import _Members, _Row
    from voiceminer.report.quotes import pick_quotes

    said = [("感觉这个城市不属于我，只是来这里挣钱的", ["城市", "挣钱"]),  # only nearest to it
            ("收入不稳定，一个月三千多", ["收入", "不稳定", "三千多"]),
            ("工资时高时低，没个准", ["工资", "时高时低", "没个准"])]
    fields = {f: np.empty(len(said), dtype=object) for f in _Row._fields}
    for i, (text, tokens) in enumerate(said):
        row = dict(unit_id=f"u{i}", respondent_id=f"r{i}", text=text, clean=text, tokens=tokens,
                   origin=f"a.txt:{i}", province="云南", group="快递员", source="interview",
                   question="", concerns=[], evidence=[], introducing=False)
        for f in _Row._fields:
            fields[f][i] = row[f]
    members = _Members(fields, np.arange(len(said)))
    terms = ("挣钱", "收入", "工资")  # the cluster's top terms put the stray unit's word first
    plain = pick_quotes(members, terms, 2, None)
    named = pick_quotes(members, terms, 2, None, named=re.compile("收入不稳定|时高时低"))
    assert plain[0].unit_id == "u0"
    assert [q.unit_id for q in named] == ["u1", "u2"]


def test_a_known_concern_cuts_a_quote_around_its_catalogue_words_too():
    """Top terms the answer does not say leave nothing to cut by; the catalogue's words for the
    concern that it does say still pick the sentence."""
    from voiceminer.report.quotes import pick_quotes

    text = ("充电是个大问题，电瓶一天要换两块。\n驿站那边可以歇个脚，有时候去蹭个空调喝口水。"
            "住的是公司租的集体宿舍，八个人一间，晚上睡不好。")
    members = _members_of([("r1", text, ["充电", "电瓶", "驿站", "宿舍", "睡不好"])])
    terms = ("吃饭不准时", "饿着肚子")
    assert pick_quotes(members, terms, 1, None)[0].text == text  # nothing to cut by
    cut = pick_quotes(members, terms, 1, None, named=re.compile("睡不好|熬夜"))
    assert cut[0].text == "…住的是公司租的集体宿舍，八个人一间，晚上睡不好。"


def test_emoji_end_a_sentence_in_a_post():
    from voiceminer.report.excerpts import excerpt

    post = "说个事，工会来网点送了清凉包，有风油精、毛巾和饮料，挺贴心👍双十一还没到，件量已经上来了，今天送到晚上十点。"
    assert excerpt(post, ("清凉",)) == "…工会来网点送了清凉包，有风油精、毛巾和饮料，挺贴心👍…"


def test_a_quote_is_cut_around_the_words_that_coded_it_into_the_concerns_theme():
    """Under 工会活动 a post about a union visit and a kind station owner is quoted by its union
    sentence, though only the other says the line's word 挺好."""
    from voiceminer.report.excerpts import excerpt

    post = ("工会来网点送了清凉包，有风油精、毛巾和饮料，挺贴心。网点说可以交社保，但大部分要自己出。"
            "驿站老板人挺好，中午让我在里面吃饭歇会儿。")
    assert excerpt(post, ("挺好",)) == "…驿站老板人挺好，中午让我在里面吃饭歇会儿。"
    assert excerpt(post, ("挺好",), anchors=("工会",)) == \
        "工会来网点送了清凉包，有风油精、毛巾和饮料，挺贴心。…"
    assert excerpt(post, ("挺好",), anchors=("无关",)) == excerpt(post, ("挺好",))


@pytest.mark.parametrize("text, kept", [
    ("记录一下今天。杭州楼道不让充电，换电一个月两百多。", "…杭州楼道不让充电，换电一个月两百多。"),
    ("吐槽一下，双证考试太难了，我考了三次还没过。说多了都是泪", "…双证考试太难了，我考了三次还没过。…"),
    ("家人们，火车站接个人停了一分钟就被拍了。大家怎么看？", "…火车站接个人停了一分钟就被拍了。…"),
    ("唉", "唉"),  # nothing would be left: kept as said
    ("嗯，工资低", "嗯，工资低"),  # under four characters would be left
    ("工资低，说多了也没用", "工资低，说多了也没用"),  # not framing
])
def test_a_posts_framing_is_cut_from_its_quote(text, kept):
    from voiceminer.report.excerpts import excerpt

    assert excerpt(text, ("充电", "双证", "火车站")) == kept


def _members_of(said):
    import numpy as np

    from voiceminer.report.build import _Members, _Row

    fields = {name: np.empty(len(said), dtype=object) for name in _Row._fields}
    for k, (who, text, tokens) in enumerate(said):
        for name, value in zip(_Row._fields, (f"u{k}", who, text, text, tokens, f"f:{k}", "云南",
                                              "快递员", "forum", "")):
            fields[name][k] = value
    return _Members(fields, np.arange(len(said)))


def test_a_quote_that_is_part_of_another_is_not_quoted_again():
    from voiceminer.report.quotes import pick_quotes

    said = [("r1", "问一下，灵活就业社保在哪交？跑网约车的都交了吗？", ["灵活就业", "社保", "网约车"]),
            ("r2", "灵活就业社保在哪交？", ["灵活就业", "社保"]),
            ("r3", "社保断缴了三个月，补缴要交滞纳金", ["社保", "断缴", "补缴"])]
    quotes = pick_quotes(_members_of(said), ("社保", "灵活就业"), 3, None)
    ids = {q.unit_id for q in quotes}
    assert len(quotes) == 2 and "u2" in ids and len(ids & {"u0", "u1"}) == 1
    assert sum("灵活就业社保在哪交" in q.text for q in quotes) == 1


def test_a_post_whose_concern_words_were_cut_as_framing_is_quoted_last():
    from voiceminer.report.quotes import pick_quotes

    said = [("r1", "大半夜睡不着，上来说两句。快递柜又涨价了。", ["半夜", "睡不着", "快递柜", "涨价"]),
            ("r2", "天天熬夜送件，睡不着也得起", ["熬夜", "送件", "睡不着"])]
    quotes = pick_quotes(_members_of(said), ("睡不着", "熬夜"), 2, None)
    assert [q.unit_id for q in quotes] == ["u1", "u0"]


def test_a_quote_from_a_later_line_of_an_answer_gives_that_line():
    from voiceminer.origins import quoted_lines

    text = "我跑了三年了。\n最难的是超时罚款，一次扣五十。\n别的还好。"
    assert quoted_lines("访谈/王师傅.txt:12-14", text, "…最难的是超时罚款，一次扣五十。…") \
        == "访谈/王师傅.txt:13"
    # around a blank line (13) that holds none of the answer
    assert quoted_lines("访谈/王师傅.txt:12,14-15", text, "…最难的是超时罚款，一次扣五十。\n别的还好。") \
        == "访谈/王师傅.txt:14-15"
    # one line per location or nothing: a post or a questionnaire cell keeps its own origin
    assert quoted_lines("论坛/posts.jsonl:7", text, "…别的还好。") == "论坛/posts.jsonl:7"
    assert quoted_lines("问卷.xlsx:Sheet1:3", text, "…别的还好。") == "问卷.xlsx:Sheet1:3"


def test_an_interview_quote_is_traced_to_the_line_it_comes_from(tmp_path):
    from voiceminer.ingest.corpus import read_corpus

    notes = ("问：您平时跑单遇到什么问题？\n"
             "答：我在这个站跑了两年多了，什么天气都跑。\n"
             "\n"
             "最难受的是超时罚款，一单超时就扣五十块钱，一天白干。\n"
             "问：您交社保吗？\n"
             "答：社保没交过，公司不给交。\n")
    folder = tmp_path / "云南" / "访谈"
    folder.mkdir(parents=True)
    (folder / "01_外卖骑手.txt").write_text(notes, encoding="utf-8")
    units = read_corpus(tmp_path)
    answer = units[units["text"].str.startswith("我在这个站")].iloc[0]
    assert answer["origin"] == "云南/访谈/01_外卖骑手.txt:2,4"
    run = analyze(units, codebook=load_codebook(FIXTURES / "mini_codebook.toml"))
    quotes = [q for il in run.issue_lists.values() for t in il.themes for c in t.concerns
              for q in c.quotes if q.unit_id == answer["unit_id"]]
    assert quotes and {q.origin for q in quotes} == {"云南/访谈/01_外卖骑手.txt:4"}
