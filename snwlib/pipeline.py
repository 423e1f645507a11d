"""Executing the notebooks with papermill, so that a failure never leaves a stale or half-written
output that Make or a reader takes for current.

A run of notebook ``C1`` (:func:`main_run`, ``python -m snwlib run C1``) executes
``notebooks/C1.ipynb`` with its parameters: the wave, the processed data to read
(``<out_dir>/data/processed``, written by :mod:`snwlib.ingest`), the small-group threshold, and
``out_dir`` pointing at a staging folder ``<out_dir>/.staging/C1-<pid>``.
Only when every cell has run are the files moved into place (``data/processed``, ``figures``,
``reports/executed``), and outputs of an earlier run of the same notebook that this run did not
write again are removed. A failed run leaves the earlier outputs untouched and keeps the failed
notebook in ``<out_dir>/.build/failed/`` for inspection. A kernel that dies while starting (under
load) is started once more. :func:`main_run` then exports both HTML versions in the same process,
so nbconvert is imported once per notebook, not once per file.
"""

from __future__ import annotations

import json
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


def _kernel_start_failure(err: BaseException) -> bool:
    """Whether ``err`` says the kernel died or timed out before it ran a cell."""
    text = f"{type(err).__name__}: {err}".lower()
    return any(k in text for k in ("kernel died", "kernel_info", "deadkernel", "timeout", "timed out", "zmq"))


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


def _retitle(executed: Path, notebook: str, name: str) -> None:
    """An event's appendix is titled after itself: "Bijlage C8b", not its notebook's "Bijlage C8"."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    for cell in nb["cells"][:1]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = text.replace(f"Bijlage {notebook}:", f"Bijlage {name}:", 1)
    executed.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _kernel_manager():
    """The kernel manager papermill starts the kernel with: Jupyter's own, whose kernel is forked by
    the build's warm server when the build uses one (:mod:`snwlib.forkserver`), with two waits of
    jupyter_client shortened (about 0.3 s of every notebook's run; see :func:`_kernel_client`)."""
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Type

    from . import forkserver

    warm = forkserver.enabled()

    class KernelManager(AsyncKernelManager):
        client_factory = Type(_kernel_client(), klass=AsyncKernelClient)

        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            return forkserver.kernel_command(cmd) if warm else cmd

        async def _async_finish_shutdown(self, waittime=None, pollinterval=0.1, restart=False):
            # jupyter_client looks every 0.1 s whether a kernel asked to shut down has exited;
            # ours exits within a few hundredths. (A private method of jupyter_client 8.)
            return await super()._async_finish_shutdown(waittime, min(pollinterval, 0.01), restart)

    return KernelManager


def _kernel_client():
    """The kernel client class of :func:`_kernel_manager`: jupyter_client's, whose
    ``wait_for_ready`` ends as soon as the kernel has answered, instead of after 0.2 s of silence.

    jupyter_client (8.10) asks the kernel for its info, then waits up to 0.2 s for any message on the
    output channel (to know it is connected), then reads that channel until it stays silent for
    0.2 s: every start costs those 0.2 s. Here the start ends when the kernel's "idle" status for
    the info request arrives on the output channel: the channel is connected and everything the
    request published has been read. When it does not arrive within 0.05 s (the channel was not
    connected yet when the kernel published it, or the machine is busy), the request is sent
    again, as jupyter_client does after 0.2 s; a late status of an earlier request counts too.
    """
    import time
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout=None):
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            asked = set()
            while True:
                asked.add(self.kernel_info())
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    until = time.monotonic() + 0.05
                    while (left := until - time.monotonic()) > 0:
                        try:
                            msg = await self.iopub_channel.get_msg(timeout=left)
                        except Empty:
                            break
                        if (
                            msg["msg_type"] == "status"
                            and msg["content"].get("execution_state") == "idle"
                            and msg["parent_header"].get("msg_id") in asked
                        ):
                            self._handle_kernel_info_reply(reply)
                            return
                if not await self.is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    return ReadyClient


def run_notebook(
    name: str,
    wave: str,
    out_dir,
    min_cell: int = 5,
    kernel: str = KERNEL,
    notebook_dir=NOTEBOOK_DIR,
    notebook: str | None = None,
) -> float:
    """Execute ``notebooks/<name>.ipynb`` for one wave and publish its outputs under ``out_dir``.

    Parameters
    ----------
    name : str
        The appendix, e.g. ``"C1"``; its outputs are named after it.
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
    notebook : str, optional
        The notebook to execute when it is not ``name``: an event's appendix (``C8b``) is its
        kind's notebook (``C8``) run with the parameter ``bijlage="C8b"``.

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
    if notebook and notebook != name:
        params["bijlage"] = name
    log = out / ".build" / "logs" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        # The kernel writes its own warnings to the stderr it inherits; keep them in a log file
        # so that `make` shows one line per notebook.
        with open(log, "w") as fh, _stderr_to(fh):
            for attempt in (1, 2):
                try:
                    pm.execute_notebook(
                        str(Path(notebook_dir) / f"{notebook or name}.ipynb"),
                        str(executed),
                        parameters=params,
                        kernel_name=kernel,
                        cwd=str(notebook_dir),
                        progress_bar=False,
                        log_output=False,
                        request_save_on_cell_execute=False,
                        kernel_manager_class=_kernel_manager(),
                    )
                    break
                except PapermillExecutionError:
                    raise
                except Exception as err:
                    # Not the notebook's error: most often a kernel that died while starting
                    # under load ("Kernel died before replying to kernel_info"). Once more.
                    if attempt == 2 or not _kernel_start_failure(err):
                        raise
                    print(f"{name}: the kernel failed to start ({err}); starting it again", file=fh, flush=True)
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
    if notebook and notebook != name:
        _retitle(executed, notebook, name)
    _publish(staging, out, name)
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.parent.rmdir()
    except OSError:
        pass
    return time.monotonic() - t0


def _warm_exporters() -> None:
    try:
        from .export import warm_up

        warm_up()
    except Exception:  # the export itself will report it
        pass


def main_run(name, wave, out_dir, min_cell: int = 5, notebook: str | None = None) -> int:
    """Run one notebook, export both HTML versions in the same process, and print one status
    line: name, status, seconds.

    Parameters
    ----------
    name, wave, out_dir, min_cell, notebook
        As for :func:`run_notebook`.

    Returns
    -------
    int
        The exit status: 0, or 1 with one line on stderr naming the notebook and the cause (the
        failing cell's error; for any other failure, the detail is in ``.build/logs/<name>.log``).
    """
    import threading
    import traceback

    from .export import export_both

    t0 = time.monotonic()
    out = Path(out_dir).resolve()
    log = out / ".build" / "logs" / f"{name}.log"
    # While the kernel computes, this process only waits for it: import nbconvert and build the
    # exporters meanwhile (about 1 s), so the export after it starts at once. What both threads
    # import (jupyter_client, nbformat) is imported first, here: two threads importing the same
    # modules at once can meet one half initialised ("partially initialized module").
    import papermill  # noqa: F401
    from jupyter_client.manager import AsyncKernelManager  # noqa: F401

    warm = threading.Thread(target=_warm_exporters, daemon=True)
    warm.start()
    try:
        run_notebook(name, wave, out_dir, min_cell=min_cell, notebook=notebook)
        warm.join()
        # After the executed notebook is in place, so that the HTML files are newer than it.
        export_both(out / "reports" / "executed" / f"{name}.ipynb", out / "reports")
    except NotebookFailed as err:
        print(f"{name:<4} FAILED {time.monotonic() - t0:6.1f} s", flush=True)
        print(str(err), file=sys.stderr)
        return 1
    except Exception as err:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a") as fh:
            traceback.print_exc(file=fh)
        print(f"{name:<4} FAILED {time.monotonic() - t0:6.1f} s", flush=True)
        print(
            f"{name}: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''} (detail in {log})",
            file=sys.stderr,
        )
        return 1
    print(f"{name:<4} ok     {time.monotonic() - t0:6.1f} s", flush=True)
    return 0
