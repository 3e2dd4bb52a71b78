"""Per-document resource limits that do not need Jinja: the wall-clock time limit."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .errors import RenderError


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Abort the block with :class:`RenderError` (``render.timeout``) after ``seconds``.

    Uses ``SIGALRM``, so it applies in the main thread of a POSIX process only; elsewhere
    (e.g. a web server's worker thread) the block runs without a time limit.
    """
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable or seconds is None:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise RenderError.from_code("render.timeout", seconds=seconds, details={"limit_seconds": seconds})

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
