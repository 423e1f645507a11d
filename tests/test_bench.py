"""The benchmark script keeps working (its timings are printed, never asserted)."""

import importlib.util

from .conftest import REPO


def test_the_engine_benchmark_runs_on_a_resampled_export():
    spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rows = bench.engine(sizes=(30,))
    assert [(step.split(" (")[0], n, unit) for step, n, _, unit in rows] == [
        ("read a C7 export as text", 30, "s"),
        ("check and code the answers against the codebook", 30, "s"),
        ("scale scores", 30, "s"),
        ("Cronbach's alpha with CI, all scales", 30, "s"),
        ("all four", 30, "s"),
        ("peak memory of that process", 30, "MB"),
    ]
    seconds = [value for _, _, value, unit in rows if unit == "s"]
    assert all(v > 0 for v in seconds) and abs(seconds[4] - sum(seconds[:4])) < 1e-9
    assert 50 < rows[-1][2] < 5_000, "the peak memory of a Python with pandas, in MB"
