"""Themes that depend on who speaks (codebook ``[[theme.group_move]]``, group_moves.py)."""

import pandas as pd

from voiceminer.codebook import Codebook, load_codebook
from voiceminer.group_moves import move_by_group

CODEBOOK = """
[[theme]]
id = "platform_rules"
terms = ["罚款", "被罚", "差评"]
[[theme.group_move]]
groups = ["货车司机"]
to = "enforcement"
terms = ["罚款", "被罚"]
unless = ["平台"]

[[theme]]
id = "enforcement"
terms = ["交警"]

[[theme]]
id = "pay"
terms = ["工资"]
"""


def _coded(rows):
    """A code-stage table from (group, clean, themes, evidence, spans) rows."""
    n = len(rows)
    return pd.DataFrame({
        "unit_id": [f"u{i}" for i in range(n)], "respondent_id": [f"r{i}" for i in range(n)],
        "skip_reason": [""] * n, "group": [r[0] for r in rows], "clean": [r[1] for r in rows],
        "themes": [r[2] for r in rows], "evidence": [r[3] for r in rows],
        "spans": [r[4] for r in rows],
    })


def test_a_truck_drivers_bare_fine_is_enforcement_and_the_platforms_stays(tmp_path):
    path = tmp_path / "cb.toml"
    path.write_text(CODEBOOK, encoding="utf-8")
    codebook = load_codebook(path)
    units = _coded([
        ("货车司机", "被罚了没地方讲理，工资也低", ["platform_rules", "pay"],
         ["platform_rules:被罚", "pay:工资"], [("platform_rules", 0, 2), ("pay", 8, 10)]),
        ("货车司机", "平台乱罚款", ["platform_rules"], ["platform_rules:罚款"],
         [("platform_rules", 3, 5)]),  # names the platform
        ("外卖骑手", "被罚了没地方讲理", ["platform_rules"], ["platform_rules:被罚"],
         [("platform_rules", 0, 2)]),  # another group
        ("货车司机", "差评就罚款", ["platform_rules"], ["platform_rules:差评", "platform_rules:罚款"],
         [("platform_rules", 0, 2), ("platform_rules", 3, 5)]),  # a word outside the rule
    ])
    out, moved = move_by_group(units, codebook)
    assert moved == 1
    assert out.at[0, "themes"] == ["enforcement", "pay"]
    assert out.at[0, "evidence"] == ["enforcement:被罚", "pay:工资"]
    assert out.at[0, "spans"] == [("enforcement", 0, 2), ("pay", 8, 10)]
    for i in (1, 2, 3):
        assert out.at[i, "themes"] == units.at[i, "themes"]
        assert out.at[i, "evidence"] == units.at[i, "evidence"]
    assert units.at[0, "themes"] == ["platform_rules", "pay"]  # the input is not changed


def test_the_bundled_codebook_moves_truck_drivers_bare_fines_to_enforcement():
    from voiceminer.quality import make_coder

    coder = make_coder()
    text = "被罚了没地方讲理"
    themes, evidence, spans = coder.code(text)
    assert themes == ["platform_rules"]
    units = _coded([("货车司机", text, themes, evidence, spans),
                    ("网约车司机", text, themes, evidence, spans)])
    out, moved = move_by_group(units, Codebook.default())
    assert moved == 1 and out.at[0, "themes"] == ["enforcement"]
    assert out.at[1, "themes"] == ["platform_rules"]
