"""Personal data never reaches an exported file, and two runs give the same bytes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from voiceminer.cli import app

PEOPLE = [("王建国", "13812345678", "云A·12345"), ("李秀英", "13987654321", "川A8B2C3"),
          ("赵德明", "15288776655", "粤B·D12345"), ("欧阳娜娜", "17712345678", "沪AD12345")]
SECRETS = [s for person in PEOPLE for s in person] + ["530102199905244679", "wang_li88"]


def _notes(name: str, phone: str, plate: str) -> str:
    return (f"姓名：{name}\n省份：云南\n群体：外卖骑手\n"
            f"问：平台罚款多吗？\n答：罚款太多了，超时一分钟就扣钱，{name}我都被扣了好几百。\n"
            f"问：怎么联系您？\n答：电话{phone}，车牌{plate}，身份证530102199905244679，"
            f"微信号：wang_li88。\n"
            f"问：社保呢？\n答：没有社保，单价也太低了，罚款太多。\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("pii")
    for i, person in enumerate(PEOPLE, 1):
        (root / f"访谈{i}.txt").write_text(_notes(*person), encoding="utf-8")
    return root


def _run(corpus: Path, out: Path, *extra: str):
    return CliRunner().invoke(app, ["analyze", str(corpus), "--out", str(out), *extra])


def _all_text(out: Path) -> str:
    """Every output file as text: zip members (docx/xlsx) unpacked, parquet read back."""
    parts = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as zf:
                parts += [zf.read(n).decode("utf-8", "replace") for n in zf.namelist()]
        elif path.suffix == ".parquet":
            import pandas as pd

            parts.append(pd.read_parquet(path).to_json(force_ascii=False))
        else:
            parts.append(path.read_text(encoding="utf-8-sig"))
    return "\n".join(parts)


def test_no_name_phone_plate_or_id_in_any_output(corpus, tmp_path):
    result = _run(corpus, tmp_path / "r")
    assert result.exit_code == 0, result.output
    text = _all_text(tmp_path / "r")
    assert [s for s in SECRETS if s in text] == []
    assert "王某" in text and "[电话]" in text and "[车牌]" in text


def test_no_redact_warns_and_keeps_the_words(corpus, tmp_path):
    result = _run(corpus, tmp_path / "r", "--no-redact", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "--no-redact" in result.output and "warning" in result.output
    assert "13812345678" in (tmp_path / "r" / "units.csv").read_text(encoding="utf-8-sig")
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["settings"]["redact"] is False


def test_two_runs_write_byte_identical_files(corpus, tmp_path):
    for name in ("a", "b"):
        assert _run(corpus, tmp_path / name, "--seed", "7").exit_code == 0
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*")
         if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*")
         if p.is_file()}
    assert sorted(a) == sorted(b)
    assert [str(k) for k in sorted(a) if a[k] != b[k]] == []


def test_manifest_records_inputs_seed_and_codebook(corpus, tmp_path):
    import hashlib

    assert _run(corpus, tmp_path / "r", "--seed", "7", "--format", "md").exit_code == 0
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["random_seed"] == 7 and manifest["voiceminer"]
    assert len(manifest["codebook"]["sha256"]) == 64
    first = manifest["inputs"][0]
    assert first["file"] == "访谈1.txt" and first["records"] == 6
    assert first["sha256"] == hashlib.sha256((corpus / "访谈1.txt").read_bytes()).hexdigest()
