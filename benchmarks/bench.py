"""Timings of the pipeline's steps, for the README (measured here, never asserted in tests).

    make bench                  # or: .venv/bin/python benchmarks/bench.py [--no-build]

Prints a Markdown table:

- the imports, reading and checking every raw file of the shipped wave
  (``python -m snwlib validate``), and its ingestion (``python -m snwlib ingest``: the same plus
  scrubbing and writing Parquet);
- the questionnaire engine on exports of growing size (the shipped C7 export's rows resampled
  with new respondent ids): read and check, score scales, Cronbach's alpha;
- unless ``--no-build``: ``make`` from nothing into a temporary OUT_DIR (serial and with -j2)
  and the no-op ``make`` after it.

Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable


def _seconds(cmd, **kw) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


def _in_fresh_python(code: str) -> float:
    """Wall time of ``code`` in a new interpreter (so imports are not cached), as it reports it."""
    out = subprocess.run(
        [PY, "-c", "import time; t = time.perf_counter()\n" + code + "\nprint(time.perf_counter() - t)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    return float(out.stdout.strip().splitlines()[-1])


def _best(fn, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def engine(sizes=(14, 1_000, 10_000)):
    """Rows of (step, respondents, seconds) for the questionnaire engine on resampled exports."""
    sys.path.insert(0, str(REPO))
    import pandas as pd

    from snwlib.codebook import load_codebook
    from snwlib.rawfiles import read_table
    from snwlib.reliability import alpha
    from snwlib.scoring import read_answers, reverse_keyed, scale_items, scale_scores

    codebook = load_codebook("b5_doetankvragenlijst")
    shipped = read_table(REPO / "data" / "raw" / "2012" / "c7_antwoorden.csv")
    rows = []
    for n in sizes:
        raw = shipped.sample(n, replace=n > len(shipped), random_state=1).reset_index(drop=True)
        raw.index = pd.RangeIndex(2, 2 + n)
        raw["respondent"] = [f"R{i:05d}" for i in range(n)]
        scored = read_answers(raw, codebook)
        rows.append(("read and check a C7 export", n, _best(lambda raw=raw: read_answers(raw, codebook))))
        rows.append(("scale scores", n, _best(lambda scored=scored: scale_scores(scored.answers, codebook))))
        keyed = reverse_keyed(scored.answers, codebook)
        rows.append(
            (
                "Cronbach's alpha with CI, all scales",
                n,
                _best(lambda keyed=keyed: [alpha(keyed[ids], warn=False) for ids in scale_items(codebook).values()]),
            )
        )
    return rows


def build():
    """Rows of (step, '', seconds) for make into a temporary OUT_DIR."""
    rows = []
    for jobs in ("1", "2"):
        with tempfile.TemporaryDirectory() as out:
            rows.append(
                (f"make from nothing (-j{jobs})", "", _seconds(["make", f"-j{jobs}", f"OUT_DIR={out}"], cwd=REPO))
            )
            if jobs == "1":
                rows.append(("make with nothing to do", "", _seconds(["make", f"OUT_DIR={out}"], cwd=REPO)))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-build", action="store_true", help="skip the make timings (minutes)")
    args = parser.parse_args(argv)
    rows = [
        ("import pandera", "", _in_fresh_python("import pandera.pandas")),
        ("import snwlib.validate (pandas, pandera)", "", _in_fresh_python("import snwlib.validate")),
        (
            "validate the 2012 raw folder (fresh python)",
            "",
            _in_fresh_python(
                "from snwlib.__main__ import main\nimport contextlib, io\n"
                "with contextlib.redirect_stdout(io.StringIO()): main(['validate', 'data/raw/2012'])"
            ),
        ),
    ]
    with tempfile.TemporaryDirectory() as out:
        rows.append(
            (
                "ingest the 2012 wave (fresh python)",
                "",
                _seconds(
                    [PY, "-m", "snwlib", "ingest", "--data-dir", "data/raw", "--wave", "2012", "--out-dir", out],
                    cwd=REPO,
                    stderr=subprocess.DEVNULL,
                ),
            )
        )
    rows += engine()
    if not args.no_build:
        rows += build()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")
    print("| step | respondents | seconds |\n|---|---:|---:|")
    for step, n, sec in rows:
        print(f"| {step} | {n:,} | {sec:.2f} |" if n != "" else f"| {step} | | {sec:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
