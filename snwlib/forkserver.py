"""A warm process that forks the build's commands, so the notebook stack is imported once per
build instead of once per notebook.

Every notebook of a build starts two Pythons: the command that executes it with papermill and
exports its HTML (papermill, nbconvert and its templates: about 2 s), and the Jupyter kernel that
runs its cells (ipykernel, pandas, matplotlib, seaborn, statsmodels, pingouin and snwlib: about
2.5 s). On two cores that start-up cost, paid ten times, was a third of a build.

With ``SNWLIB_FORKSERVER=1`` (the Makefile sets it; ``make FORKSERVER=0`` turns it off)
``python -m snwlib run|collect|index|html`` hands its work to a server that imported all of that
once, and that forks one child per command: the child takes over the command's standard input,
output and error, working folder, environment and arguments, runs it, and the command exits with
the child's status. The notebook's kernel is forked the same way (:func:`kernel_command`): papermill
and nbclient still start it, talk to it and stop it as they do any kernel, through a small
relay process (``python -m snwlib.forkserver kernel -- <the kernel's own command>``).

Each child starts from the server's state right after the imports, before any notebook ran, so
nothing one notebook does reaches another: the isolation of separate processes, without their
start-up. The server

- is one per repository and interpreter, reached through a Unix socket in a folder only the user
  can open (``$TMPDIR/snwlib-<uid>/``), started by the first command that finds none (ingestion
  starts it in the background, so that it warms up while ingestion runs);
- retires as soon as a file of ``snwlib/`` or the environment changed since it started (the
  command that noticed starts a new one), and exits after ``SNWLIB_FORKSERVER_IDLE`` seconds
  (default 15) without work;
- forwards signals: Ctrl-C or ``kill`` of the command reaches its child, and a child whose command
  disappears kills itself.

When the server cannot be reached or started, a command runs in its own process as before.

Why not a library: :mod:`multiprocessing`'s forkserver serves only the process that started it,
and no maintained package offers a warm fork server that independent commands (Make's recipes,
Jupyter's kernel launcher) can share.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import selectors
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["enabled", "run", "start", "stop", "kernel_command", "address", "ENV_VAR"]

ENV_VAR = "SNWLIB_FORKSERVER"
REPO = Path(__file__).resolve().parents[1]
#: Seconds without work after which the server exits.
IDLE_SECONDS = float(os.environ.get("SNWLIB_FORKSERVER_IDLE", "15"))
#: What the server imports before it forks: the commands' and the notebooks' stack. A module that
#: fails to import is left to the child, which reports it as it would without the server.
PRELOAD = (
    "snwlib.__main__",
    "snwlib.pipeline",
    "papermill",
    "nbclient",
    "ipykernel.kernelapp",
    "snwlib.export",
    "snwlib.summary",
    "matplotlib.pyplot",
    "seaborn",
    # pingouin imports the statsmodels package, not statsmodels.api (0.4 s more), which neither
    # snwlib nor a notebook uses.
    "pingouin",
    "snwlib.figures",
    "snwlib.present",
    "snwlib.processed",
    "snwlib.ledger",
    "snwlib.inventory",
    "snwlib.doetanks",
    "snwlib.questionnaire",
    "snwlib.evaluation",
)
_HEADER = struct.Struct("!I")
#: The server's own descriptors (its wake-up pipe), closed in every child.
_SERVER_FDS: list[int] = []


def enabled() -> bool:
    """Whether commands should use the server.

    Returns
    -------
    bool
        ``SNWLIB_FORKSERVER`` is ``1`` (the Makefile's default).
    """
    return os.environ.get(ENV_VAR) == "1"


#: Longest socket path that binds everywhere (Linux allows 107 bytes, macOS 103).
MAX_SOCKET_PATH = 100
#: Environment variables a process reads when it starts or imports its modules: a server serves
#: only commands that agree with the one that started it on these (they are part of its address).
STARTUP_VARIABLES = (
    "PYTHONPATH", "PYTHONHASHSEED", "PYTHONSAFEPATH", "PYTHONWARNINGS", "MPLBACKEND", "MPLCONFIGDIR",
    "LANG", "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS", "JUPYTER_PATH", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR", "HOME",
)  # fmt: skip


def _folder(base=None) -> Path:
    import stat

    folder = Path(base or tempfile.gettempdir()) / f"snwlib-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    # Not followed if it is a link: another user could have made it point elsewhere.
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise PermissionError(f"{folder} is not a folder private to this user")
    return folder


def address() -> Path:
    """The server's socket: one per repository, interpreter, umask and environment it starts with
    (:data:`STARTUP_VARIABLES`).

    Returns
    -------
    pathlib.Path
        ``$TMPDIR/snwlib-<uid>/<key>.sock`` (``/tmp/snwlib-<uid>/`` when that path would be too
        long for a socket); the log is beside it (``.log``).

    Raises
    ------
    PermissionError
        The folder exists but others could open it.
    """
    mask = os.umask(0o022)  # os.umask reads only by setting: put it back
    os.umask(mask)
    startup = "\0".join(f"{k}={os.environ.get(k, '')}" for k in STARTUP_VARIABLES)
    key = hashlib.sha1(f"{REPO}\0{sys.prefix}\0{sys.version}\0{mask}\0{startup}".encode()).hexdigest()[:16]
    path = _folder() / f"{key}.sock"
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        path = _folder("/tmp") / f"{key}.sock"  # a TMPDIR too long for a socket
    return path


# --- messages: a 4-byte length, then JSON -------------------------------------------------------
def _send(sock, message: dict, fds=()) -> None:
    data = json.dumps(message).encode()
    data = _HEADER.pack(len(data)) + data
    if fds:
        sent = socket.send_fds(sock, [data], list(fds))
        data = data[sent:]
    if data:
        sock.sendall(data)


def _recv(sock, with_fds: bool = False):
    """One message (or None at the end of the stream), and the file descriptors sent with it."""
    fds = []
    try:
        return _read_message(sock, with_fds, fds)
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise


def _read_message(sock, with_fds: bool, fds: list):
    # Exactly the header, then exactly the message: the next message may already be waiting on the
    # stream (a child's status and the server's arrive back to back), and belongs to the next read.
    buf = b""
    while len(buf) < _HEADER.size:
        if with_fds and not buf:
            chunk, received, _, _ = socket.recv_fds(sock, _HEADER.size, 3)
            fds.extend(received)
        else:
            chunk = sock.recv(_HEADER.size - len(buf))
        if not chunk:
            return (None, fds) if with_fds else None
        buf += chunk
    (size,) = _HEADER.unpack(buf[: _HEADER.size])
    buf = buf[_HEADER.size :]
    while len(buf) < size:
        chunk = sock.recv(size - len(buf))
        if not chunk:
            return (None, fds) if with_fds else None
        buf += chunk
    message = json.loads(buf)
    return (message, fds) if with_fds else message


# --- the client ----------------------------------------------------------------------------------
def _connect(path: Path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        raise
    return sock


def _log_path(path: Path) -> Path:
    return path.with_suffix(".log")


def start(wait: bool = True):
    """Connect to the server, starting it if there is none.

    Parameters
    ----------
    wait : bool
        Whether to wait until it listens (and return the connection); ``False`` only starts it.

    Returns
    -------
    socket.socket or None
        The connection (``wait=True``).

    Raises
    ------
    OSError
        The server could not be started (the reason is in ``<socket>.log``).
    """
    import fcntl

    path = address()
    try:
        sock = _connect(path)
        if wait:
            return sock
        sock.close()
        return None
    except (FileNotFoundError, ConnectionRefusedError):
        pass
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one command starts it; the others wait and connect
        try:
            return _connect(path) if wait else _connect(path).close()
        except (FileNotFoundError, ConnectionRefusedError):
            pass
        with open(_log_path(path), "ab") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "snwlib.forkserver", "serve"],
                cwd=REPO,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        # The server listens before it imports anything: connecting succeeds at once, and the
        # request waits in the queue until the imports are done.
        deadline = time.monotonic() + 30
        while True:
            try:
                sock = _connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise OSError(f"the build server did not start (see {_log_path(path)})") from None
                time.sleep(0.01)
    if not wait:
        sock.close()
        return None
    return sock


def run(kind: str, argv: list[str], parent: int | None = None) -> int | None:
    """Run a command in a child of the server; its standard streams are this process's.

    Parameters
    ----------
    kind : {"main", "kernel"}
        ``main``: ``python -m snwlib`` with ``argv`` (``sys.argv``); ``kernel``: an IPython kernel
        started with ``argv`` (the kernel spec's command).
    argv : list of str
    parent : int, optional
        For a kernel's relay: the process that started the kernel. The relay stops (and with it the
        kernel) when that process is gone.

    Returns
    -------
    int or None
        The child's exit status (128 + N when a signal N ended it), or None when the server could
        not be used: the caller then runs the command itself.
    """
    problem = "it did not accept the command"
    for _ in range(3):
        sock = None
        try:
            sock = start()
            request = {"kind": kind, "argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "path": sys.path[0]}
            _send(sock, request, fds=(0, 1, 2))
            reply = _recv(sock)
        except OSError as err:
            # A server that retires (stale, idle) drops the connections it has not read yet: retry.
            problem, reply = str(err) or type(err).__name__, None
        if reply and "pid" in reply:
            try:
                return _wait(sock, kind, parent)
            except (OSError, ValueError) as err:  # the child runs on; this command cannot follow it
                print(f"snwlib: lost the build server's reply ({type(err).__name__}: {err})", file=sys.stderr)
                return 1
        if sock is not None:
            sock.close()
        if reply and reply.get("refused") != "stale":
            problem = f"it refused: {reply.get('refused')}"
            break
        # The server saw snwlib change since it started and retired, or went away: start a new one.
    print(f"snwlib: the build server cannot be used ({problem}); running without it", file=sys.stderr)
    os.environ[ENV_VAR] = "0"  # and what this command starts (its kernel) does without it too
    return None


def _wait(sock, kind: str, parent: int | None = None) -> int:
    def forward(signum, frame):
        try:
            _send(sock, {"signal": signum})
        except OSError:
            pass

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)
    import select

    while True:
        # A kernel's relay outlives nothing: when the process that started it is gone, so is it
        # (and with the connection closed, its child kills itself).
        if parent is not None and os.getppid() != parent:
            return 1
        if parent is not None and not select.select([sock], [], [], 0.5)[0]:
            continue
        try:
            reply = _recv(sock)
        except OSError:
            reply = None
        if reply is None:
            print("snwlib: the build server stopped while running this command", file=sys.stderr)
            return 1
        if "status" in reply:
            status = reply["status"]
            return 128 - status if status < 0 else status


def stop() -> bool:
    """Ask the server to exit once its children are done; wait for it.

    Returns
    -------
    bool
        Whether a server was running.
    """
    try:
        sock = _connect(address())
    except OSError:
        return False
    with sock:
        _send(sock, {"kind": "stop"})
        reply = _recv(sock) or {}
    pid = reply.get("stopping")
    deadline = time.monotonic() + 60
    while pid and time.monotonic() < deadline and _alive(pid):
        time.sleep(0.02)
    return True


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def kernel_command(cmd: list[str]) -> list[str]:
    """The command that starts a kernel as a child of the server.

    Parameters
    ----------
    cmd : list of str
        The kernel spec's command, as Jupyter formats it (``python -m ipykernel_launcher -f FILE``).

    Returns
    -------
    list of str
        The relay ``python -m snwlib.forkserver kernel -- CMD``, which runs ``cmd`` itself when the
        server cannot be used; ``cmd`` unchanged if it is not an IPython kernel of this
        interpreter.
    """
    try:
        same = os.path.samefile(cmd[0], sys.executable)
    except (OSError, IndexError):
        same = False
    if "ipykernel_launcher" not in cmd or not same:
        return cmd
    return [sys.executable, "-m", "snwlib.forkserver", "kernel", "--", *cmd]


# --- the server ----------------------------------------------------------------------------------
def _fingerprint() -> list:
    """Dates and sizes of what the server imported from this repository and the environment."""
    files = [*(REPO / "snwlib").rglob("*.py"), *(p for p in (REPO / "snwlib" / "templates").rglob("*") if p.is_file())]
    files.append(Path(sys.prefix) / ".snwlib-installed")
    out = []
    for p in sorted(files):
        try:
            st = p.stat()
            out.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(p), None, None))
    return out


def _preload() -> None:
    import importlib

    # A kernel sets this before it imports matplotlib; so must the process its kernels are forked from.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception as err:  # the child meets it again and reports it
            print(f"preload {name}: {type(err).__name__}: {err}", file=sys.stderr, flush=True)
    for warm in (_warm_exporters, _warm_kernels):
        try:
            warm()
        except Exception as err:  # only slower: each child does it again, and reports a real error
            print(f"preload {warm.__name__}: {type(err).__name__}: {err}", file=sys.stderr, flush=True)


def _warm_exporters() -> None:
    from .export import warm_up

    warm_up()


def _warm_kernels() -> None:
    """What every notebook does first, done once here for every kernel forked later: pandas'
    HTML table template compiled, matplotlib's fonts loaded for drawing and measuring text (PNG
    and SVG), Parquet's reader set up (about 0.1 s of each kernel). Nothing is written to disk,
    and no figure is left open."""
    import io

    import matplotlib.pyplot as plt
    import pandas as pd

    frame = pd.DataFrame({"stelling": ["één", "twee"], "n": [1, 2]})
    frame.style.set_caption("x").hide(axis="index").to_html()
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    pd.read_parquet(buffer)
    fig, ax = plt.subplots()
    ax.barh(frame["stelling"], frame["n"], label="n")
    ax.set_title("Verdeling (n = 2)")
    ax.legend()
    fig.tight_layout()
    for fmt in ("png", "svg"):
        fig.savefig(io.BytesIO(), format=fmt, bbox_inches="tight")
    plt.close(fig)


def serve() -> int:
    """The server's loop (``python -m snwlib.forkserver serve``, started by :func:`start`)."""
    path = address()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # Bound under a temporary name and renamed into place, so that a client never meets a socket
    # that does not listen yet; bound from inside the folder, so the longer name fits too.
    tmp = f"{path.name}.{os.getpid()}"
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        Path(tmp).unlink(missing_ok=True)
        listener.bind(tmp)
        listener.listen(64)
        os.replace(tmp, path.name)
    finally:
        os.chdir(here)
    own = os.stat(path).st_ino
    print(f"{time.strftime('%H:%M:%S')} server {os.getpid()} listening on {path}", file=sys.stderr, flush=True)
    fingerprint = _fingerprint()
    gc.disable()
    _preload()
    gc.enable()
    gc.freeze()  # children share the imported objects' pages instead of copying them on collection
    print(f"{time.strftime('%H:%M:%S')} server {os.getpid()} ready", file=sys.stderr, flush=True)

    wake_r, wake_w = os.pipe()
    _SERVER_FDS[:] = [wake_r, wake_w]
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ)
    sel.register(wake_r, selectors.EVENT_READ)
    children: dict[int, socket.socket] = {}
    listening = True
    last = time.monotonic()

    def retire():
        nonlocal listening
        if listening:
            listening = False
            sel.unregister(listener)
            listener.close()
            try:
                if os.stat(path).st_ino == own:
                    path.unlink()
            except OSError:
                pass

    try:
        while listening or children:
            timeout = None if children else max(0.0, IDLE_SECONDS - (time.monotonic() - last))
            if not children and timeout == 0:
                break
            for key, _ in sel.select(timeout):
                if key.fileobj is listener:
                    conn, _ = listener.accept()
                    last = time.monotonic()
                    _accept(conn, children, fingerprint, retire, sel, listener)
                else:
                    try:
                        while os.read(wake_r, 512):
                            pass
                    except BlockingIOError:
                        pass
            while children:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                conn = children.pop(pid, None)
                if conn is not None:
                    try:
                        _send(conn, {"status": os.waitstatus_to_exitcode(status)})
                    except OSError:
                        pass
                    conn.close()
                last = time.monotonic()
    finally:
        retire()
    return 0


def _accept(conn, children, fingerprint, retire, sel, listener) -> None:
    """Read one request from a new connection and fork its child (or refuse it)."""
    conn.settimeout(10)
    try:
        request, fds = _recv(conn, with_fds=True)
    except OSError:
        conn.close()
        return
    try:
        if not request:
            return
        kind = request.get("kind")
        if kind == "stop":
            retire()
            _send(conn, {"stopping": os.getpid()})
            return
        if _fingerprint() != fingerprint:
            retire()
            _send(conn, {"refused": "stale"})
            return
        if kind not in ("main", "kernel") or len(fds) != 3:
            _send(conn, {"refused": "bad request"})
            return
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(conn, fds, request, sel, listener, children)
        children[pid] = conn
        conn.settimeout(None)
        accepted, conn = conn, None
        _send(accepted, {"pid": pid})
    except OSError:
        pass
    finally:
        for fd in fds:
            os.close(fd)
        if conn is not None:
            conn.close()


def _child(conn, fds, request, sel, listener, children) -> None:
    """The forked child: become the command, run it, exit with its status. Never returns."""
    status = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sel.close()
        listener.close()
        for other in children.values():
            other.close()
        for fd in _SERVER_FDS:
            os.close(fd)
        os.setsid()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()  # the command's TZ, not the server's
        if request.get("path"):
            sys.path[0] = request["path"]
        conn.settimeout(None)
        threading.Thread(target=_watch, args=(conn,), daemon=True).start()
        argv = request["argv"]
        if request["kind"] == "kernel":
            status = _kernel(argv)
        else:
            status = _main(argv)
    except SystemExit as err:
        status = err.code if isinstance(err.code, int) else (0 if err.code is None else 1)
        if err.code is not None and not isinstance(err.code, int):
            print(err.code, file=sys.stderr)
    except KeyboardInterrupt:
        status = 130
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            # Told by the child itself, so that the command learns it even if the server is gone
            # (the server tells it too, and what a signal ended).
            _send(conn, {"status": status})
        except BaseException:
            pass
        finally:
            os._exit(status)


def _watch(conn) -> None:
    """In a child: deliver the signals its command forwards; die with the command."""
    while True:
        try:
            message = _recv(conn)
        except OSError:
            message = None
        if message is None:
            os.killpg(0, signal.SIGKILL)
        elif "signal" in message:
            os.kill(os.getpid(), int(message["signal"]))


def _main(argv: list[str]) -> int:
    from .__main__ import main

    sys.argv = list(argv)
    return main(argv[1:])


def _kernel(argv: list[str]) -> int:
    from ipykernel.kernelapp import IPKernelApp

    args = argv[argv.index("ipykernel_launcher") + 1 :]
    sys.argv = ["ipykernel_launcher", *args]
    app = IPKernelApp.instance()
    # The trait's default was read from the server's environment when ipykernel was imported; a
    # kernel started by Jupyter knows the process that started it (and prints no console banner).
    app.parent_handle = int(os.environ.get("JPY_PARENT_PID") or 0)
    app.initialize(args)
    backend = sys.modules.get("matplotlib_inline.backend_inline")
    if backend is not None:
        # matplotlib-inline hooks into the shell when it is imported inside a kernel; here it was
        # imported before the shell existed (private, but what its own import calls).
        backend._enable_matplotlib_integration()
    app.start()
    return 0


def _die_with_parent() -> None:
    """Linux: a SIGTERM when the parent process ends (forwarded to the kernel like any other)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        return serve()
    if argv[:1] == ["stop"]:
        print("stopped" if stop() else "no server was running")
        return 0
    if argv[:2] == ["kernel", "--"]:
        cmd = argv[2:]
        # The process that started the kernel (Jupyter says which); if it is gone already, so is
        # the kernel's reason to run.
        parent = int(os.environ.get("JPY_PARENT_PID") or os.getppid())
        if os.getppid() != parent:
            return 1
        _die_with_parent()
        status = run("kernel", cmd, parent=parent)
        if status is None:
            os.execv(cmd[0], cmd)
        return status
    print("usage: python -m snwlib.forkserver serve | stop | kernel -- CMD...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
