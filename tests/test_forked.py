"""forked_map: pieces of work on forked processes, results in index order."""

import multiprocessing as mp
import os
import signal
import time
from concurrent.futures.process import BrokenProcessPool

import pytest

from voiceminer import forked
from voiceminer.forked import can_fork, forked_map

pytestmark = pytest.mark.skipif(not can_fork(), reason="forked workers run on Linux only")


def test_results_come_in_index_order_whatever_order_they_are_handed_out():
    words = ["工资", "社保", "罚款", "派单", "差评"]  # a closure's data: never pickled
    got = forked_map(lambda i: (i, words[i], os.getpid()), 5, 2, order=[3, 0, 4, 2, 1])
    assert [(i, w) for i, w, _pid in got] == list(enumerate(words))
    assert os.getpid() not in {pid for *_rest, pid in got}  # computed in workers


def test_workers_are_capped_whatever_the_core_count(monkeypatch):
    monkeypatch.setattr(forked, "MAX_WORKERS", 2)
    got = forked_map(lambda i: time.sleep(0.02) or os.getpid(), 12, 32)  # pieces spread out
    assert len(set(got)) <= 2 and os.getpid() not in got


def test_no_count_given_is_one_worker_per_core(monkeypatch):
    monkeypatch.setattr(forked, "cores", lambda: 2)
    got = forked_map(lambda i: time.sleep(0.02) or os.getpid(), 6, 0)
    assert len(set(got)) <= 2 and os.getpid() not in got  # forked, one worker per core


def test_one_worker_runs_here():
    assert forked_map(lambda i: os.getpid(), 3, 1) == [os.getpid()] * 3


def test_a_workers_exception_is_raised_here():
    def work(i):
        if i == 1:
            raise ValueError("bad piece 1")
        return i

    with pytest.raises(ValueError, match="bad piece 1"):
        forked_map(work, 3, 2)
    assert forked._WORK is None  # reset for the next caller


def test_a_killed_worker_fails_the_call_instead_of_hanging():
    def work(i):
        if i == 0:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return i

    with pytest.raises(BrokenProcessPool):
        forked_map(work, 4, 2)


def test_a_call_inside_a_worker_runs_in_that_worker():
    """Nested (a stage run from another's worker): no fork from a fork, the same results."""
    def inner(i):
        return forked_map(lambda j: (i, j, os.getpid()), 2, 2)

    outer = forked_map(inner, 2, 2)
    for i, pairs in enumerate(outer):
        assert [(a, b) for a, b, _ in pairs] == [(i, 0), (i, 1)]
        assert len({pid for *_rest, pid in pairs}) == 1  # one process: the outer worker


def _in_pool_worker(_):
    return can_fork(), forked_map(lambda i: i * i, 3, 2)


def test_a_daemonic_process_does_not_fork():
    """A multiprocessing.Pool worker may have no children: forked_map runs there itself."""
    with mp.get_context("fork").Pool(1) as pool:
        assert pool.map(_in_pool_worker, [0]) == [(False, [0, 1, 4])]
