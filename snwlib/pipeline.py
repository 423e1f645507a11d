"""Executing the notebooks with papermill, so that a failure never leaves a stale or half-written
output that Make or a reader takes for current.

A run of notebook ``C1`` executes ``notebooks/C1.ipynb`` with its parameters: the wave, the
processed data to read (``<out_dir>/data/processed``, written by :mod:`snwlib.ingest`), the
small-group threshold, and ``out_dir`` pointing at a staging folder ``<out_dir>/.staging/C1-<pid>``.
Only when every cell has run are the files moved into place (``data/processed``, ``figures``,
``reports/executed``), and outputs of an earlier run of the same notebook that this run did not
write again are removed. A failed run leaves the earlier outputs untouched and keeps the failed
notebook in ``<out_dir>/.build/failed/`` for inspection.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from .config import REPO, Paths

__all__ = ["run_notebook", "main_run", "NotebookFailed", "KERNEL"]

KERNEL = "snwlib"
NOTEBOOK_DIR = REPO / "notebooks"


class NotebookFailed(RuntimeError):
    """A notebook stopped with an error; the message names the notebook, cell and error."""


@contextmanager
def _stderr_to(fh):
    """Redirect file descriptor 2 (inherited by the kernel process) to ``fh`` for a while."""
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(fh.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def _owned(out: Path, name: str):
    """Files of ``out`` that a run of notebook ``name`` writes (to clean up stale ones)."""
    p = Paths(".", "-", out)
    yield from p.processed.glob(f"{name}_*")
    yield from p.figures.glob(f"{name}_*")
    for f in (p.ledger / f"{name}.csv", p.reports / "executed" / f"{name}.ipynb"):
        if f.exists():
            yield f


def _publish(staging: Path, out: Path, name: str) -> None:
    new = {f.relative_to(staging) for f in staging.rglob("*") if f.is_file()}
    for old in list(_owned(out, name)):
        if old.relative_to(out) not in new:
            old.unlink()
    # The executed notebook is Make's target: move it last, so it is newer than everything else.
    target = Path("reports") / "executed" / f"{name}.ipynb"
    for rel in sorted(new, key=lambda r: r == target):
        dest = out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, dest)


def run_notebook(
    name: str, wave: str, out_dir, min_cell: int = 5, kernel: str = KERNEL, notebook_dir=NOTEBOOK_DIR
) -> float:
    """Execute ``notebooks/<name>.ipynb`` for one wave and publish its outputs under ``out_dir``.

    Parameters
    ----------
    name : str
        The notebook, e.g. ``"C1"``.
    wave : str
        The wave; its processed data must be in ``out_dir/data/processed/<wave>``.
    out_dir : str or Path
        Root of the outputs.
    min_cell : int
        The small-group threshold of the steering group's versions.
    kernel : str
        The Jupyter kernel (the project's, registered by ``make``).
    notebook_dir : str or Path
        Where the source notebooks are.

    Returns
    -------
    float
        The seconds it took.

    Raises
    ------
    NotebookFailed
        A cell failed; the message names the cell and its error.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    t0 = time.monotonic()
    out = Path(out_dir).resolve()
    staging = out / ".staging" / f"{name}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    Paths(".", wave, staging).ensure()
    executed = staging / "reports" / "executed" / f"{name}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    params = {
        "wave": str(wave),
        "processed_dir": str(out / "data" / "processed"),
        "out_dir": str(staging),
        "min_cell": int(min_cell),
    }
    log = out / ".build" / "logs" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        # The kernel writes its own warnings to the stderr it inherits; keep them in a log file
        # so that `make` shows one line per notebook.
        with open(log, "w") as fh, _stderr_to(fh):
            pm.execute_notebook(
                str(Path(notebook_dir) / f"{name}.ipynb"),
                str(executed),
                parameters=params,
                kernel_name=kernel,
                cwd=str(notebook_dir),
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
            )
    except PapermillExecutionError as err:
        failed = out / ".build" / "failed" / f"{name}.ipynb"
        failed.parent.mkdir(parents=True, exist_ok=True)
        if executed.exists():
            os.replace(executed, failed)
        shutil.rmtree(staging, ignore_errors=True)
        raise NotebookFailed(
            f"{name}: cell {err.exec_count} failed with {err.ename}: {err.evalue}\n"
            f"  (the executed notebook is kept in {failed}; earlier outputs are untouched)"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _publish(staging, out, name)
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.parent.rmdir()
    except OSError:
        pass
    return time.monotonic() - t0


def main_run(name, wave, out_dir, min_cell: int = 5) -> int:
    """Run one notebook and print one status line: name, status, seconds.

    Parameters
    ----------
    name, wave, out_dir, min_cell
        As for :func:`run_notebook`.

    Returns
    -------
    int
        The exit status (0 or 1; the failure's detail goes to stderr).
    """
    t0 = time.monotonic()
    try:
        seconds = run_notebook(name, wave, out_dir, min_cell=min_cell)
    except NotebookFailed as err:
        print(f"{name:<4} FAILED {time.monotonic() - t0:6.1f} s", flush=True)
        print(str(err), file=sys.stderr)
        return 1
    print(f"{name:<4} ok     {seconds:6.1f} s", flush=True)
    return 0
