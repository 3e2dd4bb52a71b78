"""The ASGI application: configuration, shared state, middleware and routes.

Starlette (with uvicorn as the server) was chosen because it is small, well kept and
typed, runs blocking work in a thread pool or a process pool without ceremony, and
brings no ORM, no template engine of its own and no JavaScript: pages are Jinja
templates with autoescape, and the JSON API is plain routes. :func:`create_app` builds
an app from a :class:`Config`; ``sipdocs serve`` runs it with uvicorn.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .security import SECURITY_HEADERS, Auth
from .store import Store

__all__ = ["Config", "create_app", "default_data_dir"]

log = logging.getLogger("sipdocs.web")

HERE = Path(__file__).parent


def default_data_dir() -> Path:
    """The user's data folder: ``$XDG_DATA_HOME/sipdocs``, ``~/Library/Application Support/sipdocs`` or ``%APPDATA%``."""
    import sys

    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "sipdocs"


@dataclass
class Config:
    """Settings of one server.

    :param token: the access token (``SIPDOCS_TOKEN`` or random).
    :param data_dir: folder of ``sipdocs.sqlite3``.
    :param workers: render worker processes.
    :param retention_days: delete closed cases this many days after closing (``None``: keep).
    :param max_body: the largest request body accepted (bytes).
    :param max_upload: the largest uploaded input file (bytes).
    :param render_timeout: seconds one render may take.
    :param ui_lang: default UI language.
    """

    token: str
    data_dir: Path = field(default_factory=default_data_dir)
    workers: int = 2
    retention_days: int | None = None
    max_body: int = 2 * 1024 * 1024
    max_upload: int = 1024 * 1024
    render_timeout: float = 60.0
    ui_lang: str = "sv"


class State:
    """What the routes share: config, auth, store and the render pool."""

    def __init__(self, config: Config) -> None:
        from .workers import RenderPool

        self.config = config
        self.auth = Auth(config.token)
        self.store = Store(Path(config.data_dir) / "sipdocs.sqlite3")
        self.pool = RenderPool(config.workers, config.render_timeout)
        # the last few rendered files by (case, kind, version, format): a preview followed by a
        # download of the same version renders once. Bounded; the same data is in the database.
        self.files: "OrderedDict[tuple[str, str, int, str], tuple[bytes, str, str]]" = OrderedDict()

    def remember(self, key: tuple[str, str, int, str], value: tuple[bytes, str, str]) -> None:
        self.files[key] = value
        self.files.move_to_end(key)
        while len(self.files) > 32 or sum(len(v[0]) for v in self.files.values()) > 64 * 1024 * 1024:
            self.files.popitem(last=False)

    def forget_case(self, case_id: str) -> None:
        for key in [k for k in self.files if k[0] == case_id]:
            del self.files[key]


class SecurityHeaders:
    """Adds the security headers to every response (pure ASGI, so streaming is untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for key, value in SECURITY_HEADERS.items():
                    if key.encode() not in present:
                        headers.append((key.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class AccessLog:
    """One log line per request — method, path (no query string), status, milliseconds.

    Paths hold only random case ids and kinds; query strings (where a token may be) and
    bodies are never logged. An unhandled exception is logged by its type only (its
    text could hold a value) and answered with a plain 500.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 500, "started": False}

        async def spy(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["started"] = True
            await send(message)

        try:
            await self.app(scope, receive, spy)
        except Exception as exc:  # noqa: BLE001 - the one place unexpected errors end
            log.error("unhandled %s in %s %s", type(exc).__name__, scope["method"], scope["path"])
            if not status["started"]:
                body = b"Internal error / Internt fel"
                await send({"type": "http.response.start", "status": 500,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
            status["code"] = 500
        finally:
            ms = (time.perf_counter() - start) * 1000
            log.info("%s %s %d %.0fms", scope["method"], scope["path"], status["code"], ms)


async def _retention_loop(state: State) -> None:
    days = state.config.retention_days
    while days:
        purged = await asyncio.to_thread(state.store.purge_closed, days)
        if purged:
            state.files.clear()
            log.info("retention: %d closed case(s) deleted", purged)
        await asyncio.sleep(3600)


def create_app(config: Config) -> Starlette:
    """The web app and JSON API for ``config``."""
    from . import api, pages

    state = State(config)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await state.pool.warm()
        task = asyncio.create_task(_retention_loop(state)) if config.retention_days else None
        try:
            yield
        finally:
            if task:
                task.cancel()
            state.pool.close()
            state.store.close()

    routes = [
        *pages.routes(),
        Mount("/api/v1", routes=api.routes()),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    middleware=[Middleware(SecurityHeaders), Middleware(AccessLog)],
                    exception_handlers=pages.exception_handlers())
    app.state.sipdocs = state
    return app
