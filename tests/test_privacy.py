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
