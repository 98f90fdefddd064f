import pytest

from voiceminer.privacy import is_valid_id_card, redact

CASES = {
    "mobile": ("有事打我电话13812345678就行", "有事打我电话[电话]就行"),
    "mobile-dashes": ("电话 138-1234-5678", "电话 [电话]"),
    "landline": ("座机0871-65123456", "座机[电话]"),
    "id-card": ("身份证号11010519491231002X", "身份证号[身份证号]"),
    "not-an-id": ("订单号123456789012345678", "订单号123456789012345678"),
    "plate": ("车牌云A·12345", "车牌[车牌]"),
    "plate-new-energy": ("新能源沪AD12345", "新能源[车牌]"),
    "email": ("发到wang.li@example.com", "发到[邮箱]"),
    "money-kept": ("一个月挣8000块，跑了3500单", "一个月挣8000块，跑了3500单"),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_redact(text, expected):
    assert redact(text) == expected


def test_id_checksum():
    assert is_valid_id_card("11010519491231002X")
    assert not is_valid_id_card("110105194912310021")


def _generated_strings(n: int = 20_000, seed: int = 0) -> list[str]:
    """Short strings over the characters the patterns care about: ASCII and full-width letters,
    digits and separators, label and plate characters, ordinary Chinese."""
    import random

    alphabet = ("0123456789０１２３４５６７８９ -－()（）@＠.:：\u3000"
                "VvWwXxQqecChatＶｖＷｗＸｘＱｑｅｃＣｈａｔA Ｚz"
                "微威薇信扣企鹅姓名受访者京沪云川新领工资今天还行")
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 16))) for _ in range(n)]


def test_unfolded_triggers_find_every_string_the_folded_trigger_finds():
    """The quick check on unfolded text never lets through a string the exact check would
    look at (it may look at a few more)."""
    from voiceminer.privacy_patterns import _FOLD, _TRIGGER, RAW_TRIGGERS

    strings = _generated_strings()
    missed = [s for s in strings if _TRIGGER.search(s.translate(_FOLD))
              and not any(t.search(s) for t in RAW_TRIGGERS)]
    assert missed == []
    assert sum(1 for s in strings if _TRIGGER.search(s.translate(_FOLD))) > 1_000  # not vacuous


def test_quiet_strings_are_left_as_they_are():
    from voiceminer.privacy import Redactor

    red = Redactor(["王建国", "李四光"])
    for s in [*_generated_strings(5_000, seed=1), "王建国说工资", "受访者：赵六",
              "ＶＸ：ｗａｎｇ＿ｌｉ８８"]:
        assert red.quiet(s) is False or red.redact(s) == s
    assert not red.quiet("王建国说工资") and red.quiet("今天还行")
    # a known id is looked for in any width: ｗａｎｇ＿ｌｉ８８ folds to wang_li88
    with_id = Redactor(ids={"wang_li88": "[微信号]"})
    assert not with_id.quiet("加我ｗａｎｇ＿ｌｉ８８") and with_id.redact("加我ｗａｎｇ＿ｌｉ８８") == "加我[微信号]"


def test_collect_ids_finds_labelled_ids_in_any_width():
    from voiceminer.privacy import collect_ids

    texts = ["加我微信：wang_li88", "ＱＱ号：１２３４５６７８", "Ｖ信ｚｈａｎｇ＿ｓａｎ９", "今天跑了12单"]
    assert collect_ids(texts) == {"wang_li88": "[微信号]", "12345678": "[QQ号]",
                                  "zhang_san9": "[微信号]"}


def test_loud_agrees_with_quiet():
    from voiceminer.privacy import Redactor

    texts = [*_generated_strings(3_000, seed=2), "", "王建国", "x\0y", "电话13812345678"]
    for red in (Redactor(), Redactor(["王建国"], {"wang_li88": "[微信号]"}), Redactor(["王\0国"])):
        loud = red.loud(texts)
        assert [t not in loud for t in texts] == [red.quiet(t) for t in texts]
