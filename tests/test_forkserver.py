"""The build's warm server (snwlib.forkserver): commands and kernels forked from it behave as if
they ran in their own process, and it never outlives its use or its code."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from jupyter_client.connect import write_connection_file
from jupyter_client.manager import KernelManager

from snwlib import forkserver

from .conftest import REPO

PY = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv" / "bin" / "python").exists() else sys.executable


@pytest.fixture
def env(tmp_path):
    """An environment whose server is this test's own (the socket lives under TMPDIR)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "SNWLIB_FORKSERVER": "1", "TMPDIR": str(tmp), "SNWLIB_FORKSERVER_IDLE": "30"}
    yield env
    subprocess.run([PY, "-m", "snwlib.forkserver", "stop"], env=env, capture_output=True, timeout=120)


def snwlib(env, *args, **kw):
    return subprocess.run([PY, "-m", "snwlib", *args], env=env, capture_output=True, text=True, timeout=120, **kw)


def server_pids(env) -> list[int]:
    """Pids of the servers this environment's commands started, from their log."""
    logs = list(Path(env["TMPDIR"]).glob("snwlib-*/*.log"))
    text = "".join(p.read_text() for p in logs)
    return [int(p) for p in re.findall(r"server (\d+) listening", text)]


def wait_until(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_served_command_behaves_as_one_run_alone(env, tmp_path):
    args = ("html", "C1", "--audience", "stuurgroep", "--out-dir", str(tmp_path / "leeg"))
    alone = snwlib({**env, "SNWLIB_FORKSERVER": "0"}, *args)
    served = snwlib(env, *args)
    assert (served.returncode, served.stdout, served.stderr) == (alone.returncode, alone.stdout, alone.stderr)
    assert served.returncode == 1 and "no executed notebook C1" in served.stderr
    assert len(server_pids(env)) == 1, "the first served command started a server"
    usage = snwlib(env, "run")  # argparse's error: status 2 and its usage, from the child
    assert usage.returncode == 2 and "the following arguments are required" in usage.stderr
    assert len(server_pids(env)) == 1, "the second command used the same server"


def outputs(executed: Path) -> list:
    """The executed notebook's cell outputs, without the random ids of pandas' table styles."""
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    return [re.sub(r"T_[0-9a-f]{5}", "T_x", json.dumps(c.get("outputs", []), sort_keys=True)) for c in cells]


def test_a_notebook_runs_the_same_with_and_without_the_server(env, processed, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(processed, out / "data" / "processed")
    runs = {}
    for served in ("1", "0"):
        run = snwlib({**env, "SNWLIB_FORKSERVER": served}, "run", "C2", "--wave", "2012", "--out-dir", str(out))
        assert run.returncode == 0 and re.fullmatch(r"C2\s+ok\s+[\d.]+ s\n", run.stdout), run.stdout + run.stderr
        runs[served] = (
            outputs(out / "reports" / "executed" / "C2.ipynb"),
            sorted(p.name for p in (out / "figures").iterdir()),
            (out / "figures" / "C2_fasen.png").read_bytes(),
        )
    assert runs["1"] == runs["0"]
    assert len(server_pids(env)) == 1


def test_a_kernel_forked_from_the_server_is_a_kernel(env):
    class Warm(KernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            return forkserver.kernel_command(super().format_kernel_cmd(extra_arguments))

    km = Warm(kernel_name="snwlib")
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        out = []
        kc.execute_interactive(
            "import os, sys; print(os.getpid(), os.getppid(), 'pingouin' in sys.modules)",
            output_hook=lambda m: out.append(m["content"].get("text", "")),
            timeout=60,
        )
        pid, ppid, preloaded = "".join(out).split()
        assert int(ppid) in server_pids(env), "forked by the server, not started by the relay"
        assert preloaded == "True", "the notebook stack is imported already"
        # An interrupt (SIGINT to the relay's process group) reaches the kernel: the cell stops.
        msg_id = kc.execute("import time; time.sleep(60)")
        time.sleep(1.0)
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=20)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    assert wait_until(lambda: not psutil.pid_exists(int(pid)) or psutil.Process(int(pid)).status() == "zombie")
    assert km.provisioner is None or not km.has_kernel


def test_a_kernel_dies_with_its_relay(env, tmp_path):
    conn, _ = write_connection_file(str(tmp_path / "kernel.json"))
    relay = subprocess.Popen(
        forkserver.kernel_command([PY, "-m", "ipykernel_launcher", "-f", conn]),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert wait_until(lambda: server_pids(env) and psutil.pid_exists(server_pids(env)[-1]))
    server = psutil.Process(server_pids(env)[-1])
    assert wait_until(lambda: len(server.children()) == 1), "the kernel runs as the server's child"
    kernel = server.children()[0]
    relay.send_signal(signal.SIGKILL)
    relay.wait(timeout=10)
    assert wait_until(lambda: not kernel.is_running() or kernel.status() == psutil.STATUS_ZOMBIE, 10)
    assert wait_until(lambda: server.children() == [], 10), "and the server reaped it"


def test_the_server_retires_when_snwlib_changes(env, tmp_path):
    args = ("html", "C1", "--audience", "stuurgroep", "--out-dir", str(tmp_path / "leeg"))
    snwlib(env, *args)
    first = server_pids(env)
    source = REPO / "snwlib" / "nl.py"
    before = source.stat()
    try:
        os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
        again = snwlib(env, *args)
    finally:
        os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert again.returncode == 1 and "no executed notebook C1" in again.stderr
    assert len(first) == 1 and len(server_pids(env)) == 2, "a new server for the changed code"
    assert wait_until(lambda: not psutil.pid_exists(first[0]) or psutil.Process(first[0]).status() == "zombie")


def test_an_idle_server_exits(env, tmp_path):
    env["SNWLIB_FORKSERVER_IDLE"] = "0.5"
    snwlib(env, "html", "C1", "--out-dir", str(tmp_path / "leeg"))
    (pid,) = server_pids(env)
    assert wait_until(lambda: not psutil.pid_exists(pid), 30)
    assert not list(Path(env["TMPDIR"]).glob("snwlib-*/*.sock")), "and removed its socket"


def test_without_a_usable_server_a_command_runs_alone(env, tmp_path):
    shared = Path(env["TMPDIR"]) / f"snwlib-{os.getuid()}"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # a folder others could write in: no socket there
    run = snwlib(env, "html", "C1", "--out-dir", str(tmp_path / "leeg"))
    assert run.returncode == 1
    assert "the build server cannot be used" in run.stderr and "running without it" in run.stderr
    assert "no executed notebook C1" in run.stderr, "the command ran all the same"


def test_a_kernel_whose_starter_is_gone_early_does_not_linger(env, tmp_path):
    """A notebook's process stopped (Ctrl-C) right after it launched its kernel: the relay and
    the kernel go too, however early that was."""
    snwlib(env, "html", "C1", "--out-dir", str(tmp_path / "leeg"))  # a warm server
    server = psutil.Process(server_pids(env)[-1])
    conn, _ = write_connection_file(str(tmp_path / "kernel.json"))
    relay_cmd = forkserver.kernel_command([PY, "-m", "ipykernel_launcher", "-f", conn])
    starter = (
        "import os, subprocess, sys, time\n"
        "env = dict(os.environ, JPY_PARENT_PID=str(os.getpid()))\n"
        f"p = subprocess.Popen({relay_cmd!r}, start_new_session=True, env=env,"
        " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(p.pid, flush=True)\ntime.sleep(0.05)\n"
    )
    out = subprocess.run([PY, "-c", starter], env=env, capture_output=True, text=True, timeout=60)
    relay = int(out.stdout.split()[0])
    assert wait_until(lambda: not forkserver._alive(relay), 15), "the relay notices its starter is gone"
    assert wait_until(lambda: server.children() == [], 15), "and no kernel is left"


def test_the_warm_up_before_forking_writes_nothing_and_leaves_no_figure(tmp_path, monkeypatch):
    """The server draws, exports and reads once before it forks, so that every kernel and command
    starts warm; none of that may reach a file or stay open in the state the children inherit."""
    import matplotlib.pyplot as plt

    from snwlib import export

    monkeypatch.chdir(tmp_path)
    before = set(plt.get_fignums())
    for warm in (forkserver._warm_exporters, forkserver._warm_kernels):
        warm()
    assert set(plt.get_fignums()) == before
    assert list(tmp_path.iterdir()) == []
    assert export._WARM and set(export.AUDIENCES) <= set(export._EXPORTERS)


def test_messages_sent_back_to_back_are_read_one_at_a_time():
    """A child reports its status and then the server does: both can be on the stream at once,
    and each read takes one message (a read of the first once took both and failed on the JSON)."""
    import socket

    a, b = socket.socketpair()
    with a, b:
        r, w = os.pipe()
        forkserver._send(a, {"status": 0}, fds=(r,))
        forkserver._send(a, {"status": 3})
        forkserver._send(a, {"signal": 2})
        message, fds = forkserver._recv(b, with_fds=True)
        assert message == {"status": 0} and len(fds) == 1
        for fd in (r, w, *fds):
            os.close(fd)
        assert forkserver._recv(b) == {"status": 3}
        assert forkserver._recv(b) == {"signal": 2}
        a.close()
        assert forkserver._recv(b) is None
