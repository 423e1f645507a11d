"""Timings of the pipeline's steps, for the README (measured here, never asserted in tests).

    make bench                  # or: .venv/bin/python benchmarks/bench.py [--no-build]

Prints a Markdown table:

- the imports, reading and checking every raw file of the shipped wave
  (``python -m snwlib validate``), and its ingestion (``python -m snwlib ingest``: the same plus
  scrubbing and writing Parquet);
- the questionnaire engine on C7 exports of 1,000, 100,000 and 1,000,000 respondents (the
  shipped export's rows resampled with new respondent ids, written as CSV), each in a fresh
  Python: read, check and code, scale scores, Cronbach's alpha, and the peak memory;
- unless ``--no-build``: ``make`` from nothing into a temporary OUT_DIR (the default, parallel,
  -j1, and without the warm server; each with the server stopped first, and once more while it is
  still warm), the no-op ``make`` after it, the naive way (``jupyter nbconvert --execute --to html``
  per notebook, with and without ``--no-input``) and the floor (five fresh Pythons importing the
  notebooks' stack, two at a time), and the ratios of make to both.

``bench.py --stress N`` runs two ``make -j2`` from nothing at once, N times, and says how many
rounds passed. Nothing is written outside a temporary folder.
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


#: Sizes of the resampled C7 exports the questionnaire engine is timed on (the issue's goal is
#: stated for a million respondents, and against a hundred thousand).
ENGINE_SIZES = (1_000, 100_000, 1_000_000)


def engine_steps(path) -> dict:
    """Seconds of each step of the questionnaire engine on one C7 export, and the peak memory (MB)
    of the process: run in a fresh Python per export (``bench.py --engine FILE``), so that the
    peak is this export's. The steps are those of ingestion and of the C7 notebook's alpha table:
    read the file as text (:func:`snwlib.rawfiles.read_table`), check and code the answers against
    the codebook (:func:`snwlib.scoring.read_answers`), scale scores, and Cronbach's alpha with its
    interval for every scale, reverse keying inside alpha as :func:`snwlib.questionnaire.alfa` does."""
    import resource

    sys.path.insert(0, str(REPO))
    from snwlib.codebook import load_codebook
    from snwlib.rawfiles import read_table
    from snwlib.reliability import alpha
    from snwlib.scoring import answer_range, items_table, read_answers, scale_items, scale_scores

    codebook = load_codebook("b5_doetankvragenlijst")
    items = items_table(codebook).set_index("id")
    times = {}
    start = time.perf_counter()
    raw = read_table(path)
    times["read"] = time.perf_counter() - start
    start = time.perf_counter()
    answers = read_answers(raw, codebook).answers
    times["check"] = time.perf_counter() - start
    start = time.perf_counter()
    scale_scores(answers, codebook)
    times["score"] = time.perf_counter() - start
    start = time.perf_counter()
    for ids in scale_items(codebook).values():
        reverse = [i for i in ids if items.at[i, "reverse"]]
        ranges = {i: answer_range(codebook, items.at[i, "answers"]) for i in ids}
        alpha(answers[ids], reverse=reverse, scale_range=ranges, warn=False)
    times["alpha"] = time.perf_counter() - start
    times["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    return times


def engine(sizes=ENGINE_SIZES):
    """Rows of (step, respondents, value, unit) for the questionnaire engine on C7 exports of
    growing size: the shipped export's rows resampled with new respondent ids, written as CSV."""
    import json

    sys.path.insert(0, str(REPO))
    from snwlib.rawfiles import read_table

    shipped = read_table(REPO / "data" / "raw" / "2012" / "c7_antwoorden.csv").astype(object)
    rows, total = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            export = shipped.sample(n, replace=n > len(shipped), random_state=1).reset_index(drop=True)
            export["respondent"] = [f"R{i:07d}" for i in range(n)]
            path = Path(tmp) / "c7_antwoorden.csv"
            export.to_csv(path, index=False)
            del export
            out = subprocess.run(
                [PY, __file__, "--engine", str(path)], check=True, capture_output=True, text=True, cwd=REPO
            )
            t = json.loads(out.stdout.strip().splitlines()[-1])
            total[n] = t["read"] + t["check"] + t["score"] + t["alpha"]
            mb = path.stat().st_size / 1e6
            rows += [
                (f"read a C7 export as text ({mb:,.0f} MB of CSV)", n, t["read"], "s"),
                ("check and code the answers against the codebook", n, t["check"], "s"),
                ("scale scores", n, t["score"], "s"),
                ("Cronbach's alpha with CI, all scales", n, t["alpha"], "s"),
                ("all four (goal for 1,000,000: <= 10 s)", n, total[n], "s"),
                ("peak memory of that process (goal: <= 2,000 MB)", n, t["peak_mb"], "MB"),
            ]
    if 100_000 in total and 1_000_000 in total:
        rows.append(("ratio: all four, 1,000,000 / 100,000 (goal 8-12)", "", total[1_000_000] / total[100_000], "x"))
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
                # the notebook's own parameters (e.g. an event notebook's bijlage), then the run's
                cell.source += (
                    f'\nwave = "2012"\nprocessed_dir = "{out / "data" / "processed"}"\nout_dir = "{work}"\nmin_cell = 5'
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


def _stop_server() -> None:
    """Stop the build's warm server (snwlib.forkserver), so that the next make starts cold."""
    sys.path.insert(0, str(REPO))
    from snwlib import forkserver

    forkserver.stop()


def build():
    """Rows of (step, '', seconds): make into temporary OUT_DIRs, the naive way and the floor,
    with the ratios the README's goals are stated in. Every "from nothing" make starts without a
    warm server (it is stopped first), except the one that says so."""
    rows = []
    _stop_server()
    with tempfile.TemporaryDirectory() as out:
        default = _seconds(["make", f"OUT_DIR={out}"], cwd=REPO)
        noop = _seconds(["make", f"OUT_DIR={out}"], cwd=REPO)
        with tempfile.TemporaryDirectory() as again:
            warm = _seconds(["make", f"OUT_DIR={again}"], cwd=REPO)
        naive_s = naive(Path(out))
    _stop_server()
    with tempfile.TemporaryDirectory() as out:
        serial = _seconds(["make", "-j1", f"OUT_DIR={out}"], cwd=REPO)
    _stop_server()
    with tempfile.TemporaryDirectory() as out:
        unserved = _seconds(["make", "FORKSERVER=0", f"OUT_DIR={out}"], cwd=REPO)
    floor_s = floor()
    rows += [
        ("make from nothing (default: parallel, the server started by the build)", "", default, "s"),
        ("make -j1 from nothing", "", serial, "s"),
        ("make FORKSERVER=0 from nothing (every command and kernel a Python of its own)", "", unserved, "s"),
        ("make from nothing again while the server is still warm", "", warm, "s"),
        ("make with nothing to do", "", noop, "s"),
        ("the naive way: nbconvert --execute --to html, 5 notebooks x 2", "", naive_s, "s"),
        ("the floor: 5 fresh Pythons importing the notebooks' stack, 2 at a time", "", floor_s, "s"),
        ("ratio: make / the naive way (goal <= 0.15)", "", default / naive_s, "x"),
        ("ratio: make / the floor (goal <= 2.5)", "", default / floor_s, "x"),
    ]
    return rows


def stress(rounds: int) -> int:
    """Two ``make -j2`` from nothing at once, into two OUT_DIRs, ``rounds`` times (the robustness
    check of the performance issue: kernels started under load). Prints one line per round;
    returns the number of rounds in which both builds passed."""
    passed = 0
    for i in range(1, rounds + 1):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            start = time.perf_counter()
            procs = [
                subprocess.Popen(
                    ["make", "-j2", f"OUT_DIR={out}"],
                    cwd=REPO,
                    env=CLEAN_ENV,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
                for out in (a, b)
            ]
            results = [(p.communicate()[0], p.returncode) for p in procs]
            ok = all(code == 0 for _, code in results)
            passed += ok
            print(f"round {i}: {'both passed' if ok else 'FAILED'} in {time.perf_counter() - start:.1f} s", flush=True)
            for text, code in results:
                if code:
                    print(text)
    return passed


def _value(value: float, unit: str) -> str:
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:.3f} {unit}" if unit == "x" else f"{value:.2f} {unit}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-build", action="store_true", help="skip the make timings (minutes)")
    parser.add_argument("--stress", metavar="N", type=int, help="only: N rounds of two make -j2 at once")
    parser.add_argument("--engine", metavar="FILE", help=argparse.SUPPRESS)  # one engine run (see engine_steps)
    args = parser.parse_args(argv)
    if args.stress:
        passed = stress(args.stress)
        print(f"{passed} of {args.stress} rounds passed")
        return 0 if passed == args.stress else 1
    if args.engine:
        import json

        print(json.dumps(engine_steps(args.engine)))
        return 0
    rows = [
        ("import pandera", "", _in_fresh_python("import pandera.pandas"), "s"),
        ("import snwlib.validate (pandas, pandera)", "", _in_fresh_python("import snwlib.validate"), "s"),
        (
            "validate the 2012 raw folder (fresh python)",
            "",
            _in_fresh_python(
                "from snwlib.__main__ import main\nimport contextlib, io\n"
                "with contextlib.redirect_stdout(io.StringIO()): main(['validate', 'data/raw/2012'])"
            ),
            "s",
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
                "s",
            )
        )
    rows += engine()
    if not args.no_build:
        rows += build()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")
    print("| step | respondents | value |\n|---|---:|---:|")
    for step, n, value, unit in rows:
        print(f"| {step} | {n if n == '' else f'{n:,}'} | {_value(value, unit)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
