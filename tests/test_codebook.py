import pytest

from voiceminer.codebook import Codebook, load_codebook
from voiceminer.errors import CodebookError


def test_default_codebook_has_the_documented_theme_ids():
    cb = Codebook.default()
    assert cb.ids == (
        "pay", "social_insurance", "safety", "hours", "platform_rules", "labor_relations",
        "organization", "employment", "living", "enforcement", "rights", "attitudes", "stability",
    )
    assert all(len(t.terms) >= 20 for t in cb.themes)
    assert len(cb.sha256) == 64


def test_mini_codebook_loads(mini_codebook):
    assert mini_codebook.ids == ("pay", "social_insurance", "platform_rules", "enforcement")
    assert mini_codebook.theme("pay").exclude == ("工资卡",)
    assert mini_codebook.window == 4 and "还行" in mini_codebook.satisfied


BAD = {
    "unknown-theme-key": ('[[theme]]\nid = "pay"\nterm = ["工资"]\n', 3, "term"),
    "no-terms": ('[[theme]]\nid = "pay"\nterms = []\n', 3, "pay.terms"),
    "bad-id": ('[[theme]]\nid = "Pay Theme"\nterms = ["工资"]\n', 1, "id"),
    "terms-not-strings": ('[[theme]]\nid = "pay"\nterms = ["工资", 3]\n', 3, "pay.terms"),
    "unknown-section": ('[themes]\nid = "pay"\n', 1, "themes"),
    "bad-window": ('[context]\nwindow = -1\n[[theme]]\nid = "pay"\nterms = ["工资"]\n', 2, "context.window"),
    "toml-syntax": ('[[theme]]\nid = "pay\nterms = ["工资"]\n', 2, None),
    "duplicate-id": ('[[theme]]\nid = "pay"\nterms = ["a"]\n[[theme]]\nid = "pay"\nterms = ["b"]\n', None, "id"),
    "group-move-to-unknown": ('[[theme]]\nid = "pay"\nterms = ["a"]\n[[theme.group_move]]\n'
                              'groups = ["货车司机"]\nto = "nowhere"\nterms = ["a"]\n', None,
                              "pay.group_move.to"),
    "group-move-key": ('[[theme]]\nid = "pay"\nterms = ["a"]\n[[theme.group_move]]\n'
                       'group = ["货车司机"]\nto = "pay"\nterms = ["a"]\n', 4, "pay.group_move"),
}


@pytest.mark.parametrize("body, line, key", BAD.values(), ids=BAD.keys())
def test_malformed_codebook_names_file_line_and_key(tmp_path, body, line, key):
    path = tmp_path / "cb.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    msg = str(err.value)
    assert str(path) in msg
    if line is not None:
        assert f"{path}:{line}" in msg
    if key is not None:
        assert f"'{key}'" in msg


@pytest.mark.parametrize("text, living", [
    ("建多点骑手驿站，夏天能歇歇脚", True),
    ("工会驿站有空调，还能热饭", True),
    ("驿站收费，派费被分走", False),  # the parcel station couriers pay, not a rest stop
    ("驿站压价，放一件给五毛", False),
    ("客户说没收到快递，其实放驿站了", False),
])
def test_a_rest_stop_is_living_and_a_parcel_station_is_not(text, living):
    from voiceminer.quality import make_coder

    assert ("living" in make_coder().code(text)[0]) is living


@pytest.mark.parametrize("text, theme", [
    ("工会应该监督平台，不要乱罚款", "platform_rules"),
    ("帮我们反映一下乱罚款的问题", "platform_rules"),  # a fine, most often the platform's
    ("交警乱罚款", "enforcement"),
    ("路政乱罚款太多了", "enforcement"),
])
def test_a_fine_is_the_platforms_unless_the_police_or_road_administration_give_it(text, theme):
    from voiceminer.quality import make_coder

    themes = make_coder().code(text)[0]
    assert theme in themes and not {"platform_rules", "enforcement"} - {theme} & set(themes)
