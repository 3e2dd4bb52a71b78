"""The ASGI application: middleware and routes over the shared state (:mod:`.state`).

Starlette (with uvicorn as the server) was chosen because it is small, well kept and
typed, runs blocking work in a thread pool or a process pool without ceremony, and
brings no ORM, no template engine of its own and no JavaScript: pages are Jinja
templates with autoescape, and the JSON API is plain routes. :func:`create_app` builds
an app from a :class:`Config`; ``sipdocs serve`` runs it with uvicorn.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import api, pages
from .security import SECURITY_HEADERS
from .state import HERE, Config, State, default_data_dir

__all__ = ["Config", "create_app", "default_data_dir"]

log = logging.getLogger("sipdocs.web")


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
        except Exception as exc:
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
