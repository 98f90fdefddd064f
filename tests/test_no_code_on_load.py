"""Nothing a user gives voiceminer is run as code: no pickle, no eval, codebooks are data only.

A model folder or codebook travels between fifteen laptops by USB stick and e-mail; loading
one must never be able to run code. This test reads the package source (with ``ast``, so
comments and JavaScript inside strings do not count) for the usual ways that happens.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import voiceminer

SRC = Path(voiceminer.__file__).parent
UNSAFE_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "joblib", "shelve", "marshal",
                  "skops"}
UNSAFE_CALLS = {"eval", "exec", "compile", "__import__", "read_pickle", "runpy"}


def _findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [f"import {a.name}" for a in node.names if a.name.split(".")[0] in UNSAFE_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UNSAFE_MODULES:
            out.append(f"from {node.module} import …")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else "")
            keywords = {k.arg: k.value for k in node.keywords}
            if name in UNSAFE_CALLS and not (name == "compile" and isinstance(func, ast.Attribute)):
                out.append(f"{name}(…)")  # re.compile is an attribute call and is fine
            allow = keywords.get("allow_pickle")
            if isinstance(allow, ast.Constant) and allow.value is True:
                out.append("allow_pickle=True")
            if name == "load" and isinstance(func, ast.Attribute) and isinstance(
                    func.value, ast.Name) and func.value.id in ("yaml", "torch"):
                if func.value.id == "torch" and not isinstance(keywords.get("weights_only"),
                                                               ast.Constant):
                    out.append("torch.load without weights_only=True")
                if func.value.id == "yaml" and "Loader" not in keywords:
                    out.append("yaml.load without a safe Loader")
    return [f"{path.relative_to(SRC)}:{f}" for f in out]


def test_no_module_loads_data_in_a_way_that_can_run_code():
    findings = [f for path in sorted(SRC.rglob("*.py")) for f in _findings(path)]
    assert findings == []


def test_the_checker_itself_catches_the_bad_patterns(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import pickle\nimport numpy as np\nnp.load('w.npz', allow_pickle=True)\n"
                   "eval('1')\nimport yaml\nyaml.load(open('c.yml'))\n", encoding="utf-8")
    global SRC
    saved, SRC = SRC, tmp_path
    try:
        assert len(_findings(bad)) == 4
    finally:
        SRC = saved


def test_a_codebook_is_toml_data_never_code(tmp_path):
    from voiceminer.codebook import load_codebook
    from voiceminer.errors import CodebookError

    marker = tmp_path / "ran.txt"
    py = tmp_path / "codebook.toml"
    py.write_text(f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\n",
                  encoding="utf-8")
    with pytest.raises(CodebookError):
        load_codebook(py)
    assert not marker.exists()
