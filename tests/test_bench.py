"""The benchmark script keeps working (its timings are printed, never asserted)."""

import importlib.util

from .conftest import REPO


def test_the_engine_benchmark_runs_on_a_resampled_export():
    spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rows = bench.engine(sizes=(30,))
    assert [(step, n) for step, n, _ in rows] == [
        ("read and check a C7 export", 30),
        ("scale scores", 30),
        ("Cronbach's alpha with CI, all scales", 30),
    ]
