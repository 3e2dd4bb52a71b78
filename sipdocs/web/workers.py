"""Rendering off the event loop: a small pool of worker processes, one Renderer each.

WeasyPrint spends a PDF's ≈ 0.3–0.5 s in Python, holding the GIL, so threads would
stall the server while a document renders. The pool's processes are started with
``spawn`` (no copy of the server's threads or sockets) and each keeps one
:class:`sipdocs.Renderer` for its whole life, so templates, fonts and styles are
prepared once per process. Each render runs in the worker's main thread under
``sipdocs.limits.time_limit`` (``render.timeout``); the server also stops waiting a little
after that limit. Errors cross back as sipdocs' picklable exceptions.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, cast

from .. import api
from ..errors import RenderError, SipdocsError
from ..limits import time_limit
from ..resources import data_root

__all__ = ["RenderPool"]

_RENDERER: Any = None


def _init(fast_paths: bool = True) -> None:
    global _RENDERER
    # the time limit is set per call (below), so a first render that also compiles the
    # templates is measured by the same clock as every other
    _RENDERER = api.Renderer(api.RenderOptions(time_limit=None, fast_paths=fast_paths))


def _warm() -> tuple[int, tuple[str, ...]]:
    """Make the worker ready before the first request: WeasyPrint loaded, fonts configured, the
    national pack's plan template built and its styles kept, by rendering the sample plan once —
    so a convener's first preview costs what every later one does. Best effort: a problem here
    is reported by the first real render instead. Returns the pid and the formats made ready."""
    sample = data_root() / "samples" / "plan.json"
    try:
        _RENDERER.render(sample, ("pdf",))
    except (SipdocsError, OSError):
        pass
    return os.getpid(), tuple(sorted(_RENDERER.ready_formats))


def _render(data: Mapping[str, Any], formats: Sequence[str], limit: float) -> dict[str, tuple[bytes, str, str]]:
    with time_limit(limit):
        result = _RENDERER.render(dict(data), tuple(formats))
    return {fmt: (a.data, a.filename, a.media_type) for fmt, a in result.artifacts.items()}


def _packet(documents: Sequence[Mapping[str, Any]], limit: float) -> bytes:
    with time_limit(limit):
        packet, _ = api.render_packet([dict(d) for d in documents], renderer=_RENDERER)
    return packet


class RenderPool:
    """``await pool.render(data, ("pdf",))`` → ``{"pdf": (bytes, filename, media_type)}``."""

    def __init__(self, workers: int, time_limit: float = 60.0, *, fast_paths: bool = True) -> None:
        self.workers = workers
        self.time_limit = time_limit
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_init, initargs=(fast_paths,))

    async def warm(self) -> list[tuple[int, tuple[str, ...]]]:
        """Start the workers and make them ready (see ``_warm``); each one's pid and ready formats."""
        loop = asyncio.get_running_loop()
        return list(await asyncio.gather(*(loop.run_in_executor(self._pool, _warm) for _ in range(self.workers))))

    async def _run(self, fn: Any, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, fn, *args)
        try:
            return await asyncio.wait_for(future, timeout=self.time_limit + 5)
        except TimeoutError:
            raise RenderError.from_code("render.timeout", seconds=self.time_limit) from None

    async def render(self, data: Mapping[str, Any], formats: Sequence[str]) -> dict[str, tuple[bytes, str, str]]:
        return cast(dict[str, tuple[bytes, str, str]],
                    await self._run(_render, dict(data), tuple(formats), self.time_limit))

    async def packet(self, documents: Sequence[Mapping[str, Any]]) -> bytes:
        return cast(bytes, await self._run(_packet, [dict(d) for d in documents], self.time_limit))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
