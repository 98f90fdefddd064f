import pytest

from voiceminer.evaluation import score_multilabel


def test_scores_worked_out_by_hand():
    gold = [{"pay"}, {"pay", "hours"}, {"hours"}, set()]
    pred = [{"pay"}, {"pay"}, {"pay"}, {"hours"}]
    s = score_multilabel(gold, pred, ["pay", "hours"]).set_index("theme")
    # pay: tp 2, fp 1, fn 0; hours: tp 0, fp 1, fn 2
    assert s.loc["pay", ["precision", "recall"]].tolist() == [pytest.approx(0.6667), 1.0]
    assert s.loc["hours", ["precision", "recall", "f1", "support"]].tolist() == [0, 0, 0, 2]
    assert s.loc["micro", "precision"] == 0.5 and s.loc["micro", "recall"] == 0.5
    assert s.loc["macro", "f1"] == pytest.approx(0.4)


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="gold has 1 rows"):
        score_multilabel([{"pay"}], [], ["pay"])
