"""What every page handler shares: the template environment, the session and CSRF gate,
the case's full input and its validation, and small helpers."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any, cast

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)

from .. import validate
from ..errors import Issue
from ..kinds import KIND_IDS, KINDS
from .security import SESSION_COOKIE, UI_COOKIE
from .state import HERE, State
from .store import Case, NotFound, Version
from .texts import T

Handler = Callable[[Request], Awaitable[Response]]

templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                   trim_blocks=True, lstrip_blocks=True)


def state_of(request: Request) -> State:
    return cast(State, request.app.state.sipdocs)


def ui_lang(request: Request) -> str:
    value = request.cookies.get(UI_COOKIE)
    return value if value in ("sv", "en") else state_of(request).config.ui_lang


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = state_of(request)
    t = T(ui_lang(request))
    html = templates.get_template(template).render(t=t, csrf=state.auth.csrf_value, path=request.url.path,
                                              kinds=KINDS, **context)
    return HTMLResponse(html, status_code=status)


def page(method: Callable[[Request], Awaitable[Response]]) -> Handler:
    """Session check (token → cookie exchange), CSRF check on POST, 404 for unknown cases."""

    @functools.wraps(method)
    async def wrapper(request: Request) -> Response:
        state = state_of(request)
        token = request.query_params.get("token")
        if token is not None:
            if not state.auth.token_ok(token):
                return render(request, "login.html", status=401, title=T(ui_lang(request)).login_title)
            response: Response = RedirectResponse(request.url.path, status_code=303)
            response.set_cookie(SESSION_COOKIE, state.auth.session_value, httponly=True, samesite="strict",
                                path="/")
            return response
        if not state.auth.session_ok(request.cookies.get(SESSION_COOKIE)):
            return render(request, "login.html", status=401, title=T(ui_lang(request)).login_title)
        if request.method == "POST":
            origin = request.headers.get("origin")
            if origin and origin != "null" and origin.rstrip("/") != str(request.base_url).rstrip("/"):
                return PlainTextResponse(T(ui_lang(request)).csrf, status_code=403)
            try:
                form = await request.form(max_files=1, max_fields=5000,
                                          max_part_size=state.config.max_upload)
            except HTTPException as exc:  # a part larger than the cap, too many fields
                t = T(ui_lang(request))
                return render(request, "message.html", status=413 if "size" in str(exc.detail).lower() else 400,
                              title=t.upload_failed, heading=t.upload_failed, text=t.too_large, back="/")
            request.state.form = form
            if not state.auth.csrf_ok(form.get("_csrf")):
                await form.close()
                return PlainTextResponse(T(ui_lang(request)).csrf, status_code=403)
        try:
            return await method(request)
        except NotFound:
            raise HTTPException(404) from None
        finally:
            if request.method == "POST":
                await request.state.form.close()  # uploaded files are spooled to temporary files

    return wrapper


async def db(fn: Callable[..., Any], *args: Any) -> Any:
    """Run a store call off the event loop."""
    return await asyncio.to_thread(fn, *args)


def kind_of(request: Request) -> str:
    kind = str(request.path_params["kind"])
    if kind not in KIND_IDS:
        raise HTTPException(404)
    return kind


def full_input(case: Case, kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The stored form data with what the app sets itself: kind, the case's pack and language."""
    return {"kind": kind, "pack": case.pack, "lang": case.lang, **{k: v for k, v in data.items()
                                                                    if k not in ("kind", "pack", "lang")}}


def check(case: Case, kind: str, data: Mapping[str, Any]) -> tuple[Any, tuple[Issue, ...]]:
    """Validate with :func:`sipdocs.validate` (the result and its issues)."""
    result = validate(full_input(case, kind, data))
    return result, result.issues


def child_name(docs: Mapping[str, Version]) -> str:
    for kind in ("plan", "invitation", "consent", "followup", "closure", "intake_note"):
        if kind in docs:
            child = docs[kind].data.get("child")
            if isinstance(child, dict) and child.get("name"):
                return str(child["name"])
    return ""


def when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else ""
