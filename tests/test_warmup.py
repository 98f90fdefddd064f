"""The warm-up imports: started on a thread, complete after ``wait``, and waited for before a
pool forks."""

import subprocess
import sys
import textwrap


def _fresh(code: str) -> str:
    """Run ``code`` in a new interpreter (this one has long imported scikit-learn)."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


def test_start_then_wait_leaves_the_clustering_stack_imported():
    out = _fresh("""
        import sys
        from voiceminer import warmup
        before = "sklearn.cluster" in sys.modules
        warmup.start()
        warmup.start()  # a second call starts nothing new
        warmup.wait()
        print(before, all(m in sys.modules for m in warmup.MODULES),
              warmup._thread.is_alive())
    """)
    assert out == "False True False"


def test_modules_asked_for_with_also_are_imported_by_the_same_thread():
    out = _fresh("""
        import sys
        from voiceminer import warmup
        warmup.also(("json.tool", "no_such_module_here", "email.mime.text"))
        warmup.start(("sklearn.utils",))
        warmup.wait()
        print(all(m in sys.modules for m in ("sklearn.utils", "json.tool", "email.mime.text")),
              "voiceminer-warmup" == warmup._thread.name)
    """)
    assert out == "True True"


def test_a_local_pool_is_forked_only_after_the_warmup_thread_is_done():
    out = _fresh("""
        import multiprocessing as mp
        import threading
        from voiceminer import warmup
        from voiceminer.engine import local

        release = threading.Event()
        warmup._import_all = lambda modules: release.wait()
        warmup.start()
        threading.Timer(0.3, release.set).start()
        seen = []

        class Context:  # records whether the import thread still ran when the pool forked
            def __init__(self, method):
                self.real = mp.get_context(method)

            def Pool(self, n):
                seen.append(warmup._thread.is_alive())
                return self.real.Pool(n)

        local.mp = type("mp", (), {"get_context": staticmethod(Context),
                                   "get_all_start_methods": staticmethod(mp.get_all_start_methods)})
        with local.LocalEngine(2) as engine:
            print(sum(engine.map(len, [("ab",)] * 20_000, size=20_000)), seen)
    """)
    assert out == "40000 [False]"
