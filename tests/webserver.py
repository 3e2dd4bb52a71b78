"""A real `sipdocs serve` process for the web tests (own port, own data folder, own token)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``with Server(tmp) as s: s.url`` — starts, waits until it answers, stops (or is killed)."""

    def __init__(self, data_dir: Path, token: str = "test-token-0123456789", port: int | None = None,
                 workers: int = 1, env: dict[str, str] | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.token = token
        self.port = port or free_port()
        self.workers = workers
        self.env = env or {}
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = self.data_dir.parent / f"server-{self.port}.log"        # stderr: the log
        self.stdout = self.data_dir.parent / f"server-{self.port}.out"     # stdout: the sign-in link
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 90) -> Server:
        env = dict(os.environ, SIPDOCS_TOKEN=self.token, PYTHONPATH=str(REPO), **self.env)
        self._out = open(self.log, "ab")
        self._stdout = open(self.stdout, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sipdocs", "serve", "--port", str(self.port), "--data", str(self.data_dir),
             "--no-browser", "--workers", str(self.workers)],
            stdout=self._stdout, stderr=self._out, env=env, cwd=REPO, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/static/app.css", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def kill9(self) -> None:
        """``kill -9`` the server and its render workers (its whole process group)."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self._out.close()
        self._stdout.close()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill9()
                return
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # any render worker left behind
            except ProcessLookupError:
                pass
        if not self._out.closed:
            self._out.close()
            self._stdout.close()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")
