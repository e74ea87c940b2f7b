"""Start, probe and stop a local `chroma run` server (tests, benchmarks, docs); set client HTTP timeouts."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import IO, Any

HEARTBEAT = "/api/v2/heartbeat"


class ChromaServerError(RuntimeError):
    """The server could not be started or did not answer its heartbeat in time."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def port_free(host: str, port: int) -> bool:
    """Whether nothing listens on host:port (a second server there would answer our heartbeat)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def chroma_executable() -> str:
    """The `chroma` CLI next to this interpreter (the venv's), else the one on PATH."""
    beside = Path(sys.executable).parent / "chroma"
    if beside.exists():
        return str(beside)
    found = shutil.which("chroma")
    if found is None:
        raise ChromaServerError("the `chroma` command is not installed (pip install chromadb)")
    return found


def heartbeat(url: str, timeout: float = 1.0) -> bool:
    """True when the server at `url` answers its heartbeat."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + HEARTBEAT, timeout=timeout) as resp:
            return bool(resp.status == 200)
    except (OSError, urllib.error.URLError, ValueError):
        return False


def set_http_timeout(client: Any, seconds: float) -> bool:
    """Give a `chromadb.HttpClient` a finite timeout (chromadb creates its httpx client with none, so a
    frozen server would block a request forever). False when `client` is not an HTTP client."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if not isinstance(session, httpx.Client):
        return False
    session.timeout = httpx.Timeout(seconds, connect=min(seconds, 3.0))
    return True


def _load_libc() -> Any:
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
    except OSError:
        return None


_LIBC = _load_libc()  # loaded here: the child must not import anything between fork and exec


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGTERM when the parent dies, so not even a killed test run leaves a
    server behind."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class ChromaServer:
    """One `chroma run --path PATH --host HOST --port PORT` child process.

    Use as a context manager, or call `start()` / `stop()`; `stop()` is idempotent and also runs at
    interpreter exit, so a failing test never leaves a server behind. The same object can be started
    again after `stop()` (same path and port), which is how recovery is tested.
    """

    def __init__(self, path: Path, *, host: str = "127.0.0.1", port: int | None = None, log: Path | None = None):
        self.path = Path(path)
        self.host = host
        self.port = port or free_port(host)
        self.log = log or self.path.parent / f"chroma-{self.port}.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_fh: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 60.0) -> ChromaServer:
        """Start the server and wait until its heartbeat answers; raise with the log's tail otherwise."""
        if self.running():
            return self
        if not port_free(self.host, self.port):
            raise ChromaServerError(f"{self.host}:{self.port} is already in use")
        self.path.mkdir(parents=True, exist_ok=True)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log_fh = self.log.open("ab")
        cmd = [chroma_executable(), "run", "--path", str(self.path), "--host", self.host, "--port", str(self.port)]
        # Own session: stop() signals exactly this process group and nothing else.
        self._proc = subprocess.Popen(
            cmd, stdout=self._log_fh, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent
        )
        _LIVE.add(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._close_log()
                raise ChromaServerError(f"chroma run exited with {self._proc.returncode}: {self.tail()}")
            if heartbeat(self.url, timeout=0.5) and self._proc.poll() is None:
                return self
            time.sleep(0.1)
        self.stop()
        raise ChromaServerError(f"chroma run on {self.url} gave no heartbeat within {timeout:.0f} s: {self.tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the server's process group, SIGKILL it if it lingers; safe to call twice."""
        proc, self._proc = self._proc, None
        _LIVE.discard(self)
        if proc is not None and proc.poll() is None:
            self._signal(proc, signal.SIGCONT)  # a paused server cannot act on SIGTERM
            self._signal(proc, signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal(proc, signal.SIGKILL)
                proc.wait(timeout)
        self._close_log()

    def pause(self) -> None:
        """SIGSTOP: the port stays open but nothing answers (a hung server)."""
        if self._proc is not None:
            self._signal(self._proc, signal.SIGSTOP)

    def resume(self) -> None:
        if self._proc is not None:
            self._signal(self._proc, signal.SIGCONT)

    def tail(self, chars: int = 600) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:].strip()
        except OSError:
            return ""

    @staticmethod
    def _signal(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)  # start_new_session: the group id is the child's pid

    def _close_log(self) -> None:
        if self._log_fh is not None:
            self._log_fh.close()
            self._log_fh = None

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


_LIVE: set[ChromaServer] = set()


def _stop_all() -> None:
    for server in list(_LIVE):
        server.stop(timeout=5)


atexit.register(_stop_all)
