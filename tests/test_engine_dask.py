"""The dask engine gives the same tables as the local engine (on a LocalCluster of 2 workers)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("distributed")

from voiceminer.engine import LocalEngine, read_files_with  # noqa: E402
from voiceminer.engine.dask import DaskEngine  # noqa: E402
from voiceminer.ingest import read_corpus  # noqa: E402
from voiceminer.pipeline import analyze  # noqa: E402
from voiceminer.settings import Settings  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
PATHS = [DEMO / "江苏", DEMO / "湖北", DEMO / "河北", DEMO / "论坛"]


def _analysis(engine):
    settings = Settings()
    units = read_corpus(PATHS, read_files=read_files_with(engine))
    return analyze(units, settings=settings, engine=engine)


@pytest.fixture(scope="module")
def both():
    with LocalEngine(n_jobs=2) as local:
        a = _analysis(local)
    with DaskEngine(n_workers=2, processes=False) as dask:
        b = _analysis(dask)
    return a, b


def test_same_units_table(both):
    a, b = both
    assert list(a.units.columns) == list(b.units.columns)
    for col in a.units.columns:
        assert a.units[col].tolist() == b.units[col].tolist(), col


@pytest.mark.parametrize("table", ["concerns", "prevalence", "keyness"])
def test_same_side_tables(both, table):
    a, b = both
    assert getattr(a, table).equals(getattr(b, table))


def test_same_issue_lists(both):
    a, b = both
    assert a.issue_lists == b.issue_lists


def test_dask_engine_without_distributed_says_what_to_install(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name.startswith("distributed"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    with pytest.raises(ImportError, match="pip install"):
        DaskEngine()
