"""Timings of the pipeline's steps, for the README (measured here, never asserted in tests).

    make bench                  # or: .venv/bin/python benchmarks/bench.py [--no-build]

Prints a Markdown table:

- the imports, reading and checking every raw file of the shipped wave
  (``python -m snwlib validate``), and its ingestion (``python -m snwlib ingest``: the same plus
  scrubbing and writing Parquet);
- the questionnaire engine on exports of growing size (the shipped C7 export's rows resampled
  with new respondent ids): read and check, score scales, Cronbach's alpha;
- unless ``--no-build``: ``make`` from nothing into a temporary OUT_DIR (the default, parallel,
  and -j1), the no-op ``make`` after it, the naive way (``jupyter nbconvert --execute --to html``
  per notebook, with and without ``--no-input``) and the floor (five fresh Pythons importing the
  notebooks' stack, two at a time), and the ratios of make to both.

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


#: The environment of the commands timed: a make of its own, not a sub-make of `make bench` (whose
#: jobserver it would inherit and then ignore, building with one job).
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


def _seconds(cmd, **kw) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=CLEAN_ENV, **kw)
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


STACK = "import snwlib, pandas, matplotlib, seaborn, statsmodels.api, pingouin"
NOTEBOOKS = ("C1", "C2", "C7", "C8", "C9")


def floor(n: int = 5, jobs: int = 2) -> float:
    """The floor of a build on this machine: ``n`` fresh Pythons (one per notebook) that each
    import the notebooks' stack, ``jobs`` at a time (wall seconds)."""
    from concurrent.futures import ThreadPoolExecutor

    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda _: subprocess.run([PY, "-c", STACK], check=True, cwd=REPO), range(n)))
    return time.perf_counter() - start


def naive(out: Path) -> float:
    """The naive way: ``jupyter nbconvert --execute --to html`` per notebook, with and without
    ``--no-input``, on copies of the notebooks whose parameter cell points at ``out`` (which must
    hold the ingested wave). Wall seconds for all ten exports, one at a time."""
    import nbformat

    work = out / "naive"
    work.mkdir()
    for name in NOTEBOOKS:
        nb = nbformat.read(REPO / "notebooks" / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            if "parameters" in cell.metadata.get("tags", []):
                cell.source = (
                    f'wave = "2012"\nprocessed_dir = "{out / "data" / "processed"}"\nout_dir = "{work}"\nmin_cell = 5'
                )
        nbformat.write(nb, work / f"{name}.ipynb")
    jupyter = Path(PY).parent / "jupyter"
    start = time.perf_counter()
    for name in NOTEBOOKS:
        for extra in ([], ["--no-input"]):
            subprocess.run(
                [
                    str(jupyter),
                    "nbconvert",
                    "--execute",
                    "--to",
                    "html",
                    "--ExecutePreprocessor.kernel_name=snwlib",
                    *extra,
                    "--output",
                    f"{name}{'-no-input' if extra else ''}",
                    str(work / f"{name}.ipynb"),
                ],
                check=True,
                cwd=work,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
    return time.perf_counter() - start


def build():
    """Rows of (step, '', seconds): make into temporary OUT_DIRs, the naive way and the floor,
    with the ratios the README's goals are stated in."""
    rows = []
    with tempfile.TemporaryDirectory() as out:
        default = _seconds(["make", f"OUT_DIR={out}"], cwd=REPO)
        noop = _seconds(["make", f"OUT_DIR={out}"], cwd=REPO)
        naive_s = naive(Path(out))
    with tempfile.TemporaryDirectory() as out:
        serial = _seconds(["make", "-j1", f"OUT_DIR={out}"], cwd=REPO)
    floor_s = floor()
    rows += [
        ("make from nothing (default: parallel)", "", default),
        ("make -j1 from nothing", "", serial),
        ("make with nothing to do", "", noop),
        ("the naive way: nbconvert --execute --to html, 5 notebooks x 2", "", naive_s),
        ("the floor: 5 fresh Pythons importing the notebooks' stack, 2 at a time", "", floor_s),
        ("ratio: make / the naive way (goal <= 0.15)", "", default / naive_s),
        ("ratio: make / the floor (goal <= 2.5)", "", default / floor_s),
    ]
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
