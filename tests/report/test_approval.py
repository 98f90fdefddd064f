"""Does an answer approve of what it speaks of (report/approval.py)."""

import pytest

from voiceminer.report.approval import approves

DEPOSIT = ("押金", "挂靠公司", "乱收费", "管一管", "老板", "网点")
POST = "说个事，工会来网点送了清凉包，有风油精、毛巾和饮料，挺贴心👍干了两年，老板说网点要转让，新老板不认以前的人，押金也不退。"


@pytest.mark.parametrize(("text", "terms", "approving"), [
    ("夏天送清凉挺好，希望能坚持", ("送清凉", "慰问"), True),
    ("挺好的，就是工资太低", ("工资",), False),  # "but" turns it into a complaint
    ("不满意，押金一直不退", ("押金",), False),  # a negated approving word is no praise
    # "would already be good" measures a low hope: a complaint about days off, not praise
    ("一年到头在车上，过年能回去待个七八天就不错了。", ("休息", "过年", "回家"), False),
    ("工资能按时发就很好了", ("工资", "按时"), False),
    # praise of a union visit to the 网点, then the deposit: the sentence about the deposit's
    # leading terms decides, not one that only shares a setting word further down its terms
    (POST, DEPOSIT, False),
    ("工会搞的活动都很好", ("送清凉", "慰问", "慰问品", "活动"), True),  # no sentence names the
    # leading terms: the whole answer is read
])
def test_an_answer_approves_in_the_sentences_about_the_concerns_leading_terms(text, terms,
                                                                               approving):
    assert approves(text, terms) is approving


def test_the_answers_own_words_for_the_theme_decide_before_the_whole_answer():
    """No sentence names the line's keywords; the one with the words that coded the answer into
    the theme (自己掏) is a complaint, and the praise of a station owner is about someone else."""
    post = "快递柜又涨价了，一个大格子一块多，这钱都是我们自己掏。驿站老板人挺好，中午让我在里面吃饭歇会儿。"
    costs = ("油费", "租金", "过路费")
    assert approves(post, costs)  # read whole, the owner's praise counted
    assert not approves(post, costs, evidence=["pay:自己掏"], theme="pay")
