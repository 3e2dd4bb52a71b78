"""The HTML pages: cases, documents as forms, and the routes of the web app.

Everything works without JavaScript (plain forms, full page loads, POST → redirect →
GET); with it, htmx autosaves the form while the user types and swaps in the issues
next to their fields. Personal data stays in page bodies: URLs carry random case ids
and kinds only, page titles name the document type, and nothing is logged but the path.
Preview and downloads are in :mod:`.files`; issues next to fields in :mod:`.issues`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..api import list_packs
from ..errors import InputError, Issue
from ..inputs import load_input
from ..kinds import KIND_IDS, KINDS
from ..messages import make_issue
from ..prefill import prefill
from . import files
from .api import error_response
from .common import (
    check,
    child_name,
    db,
    full_input,
    kind_of,
    page,
    render,
    state_of,
    templates,
    ui_lang,
    when,
)
from .formgen import apply_action, build_form, parse_form
from .issues import error_fragments, issue_views
from .security import UI_COOKIE
from .store import Case, Conflict
from .texts import T


def form_context(request: Request, case: Case, kind: str, data: Mapping[str, Any], version: int,
                 focus_summary: bool = False) -> dict[str, Any]:
    lang = ui_lang(request)
    fields = build_form(kind, data, case.pack, lang)
    issues: tuple[Issue, ...] = ()
    if version:
        _, issues = check(case, kind, data)
    views, by_field = issue_views(fields, issues, lang)
    return {
        "editor": secrets.token_hex(8),
        "case": case, "kind": kind, "fields": fields, "version": version, "issues": views,
        "errors": [v for v in views if v.is_error], "warnings": [v for v in views if not v.is_error],
        "by_field": by_field, "focus_summary": focus_summary,
        "all_fields": [f for top in fields for f in top.walk()],
    }


# -- routes --------------------------------------------------------------------------------------

@page
async def home(request: Request) -> Response:
    state = state_of(request)
    cases = await db(state.store.cases)
    rows = []
    for case in cases:
        docs = await db(state.store.documents, case.id)
        rows.append({"case": case, "child": child_name(docs), "count": len(docs), "created": when(case.created_at)})

    packs = [(p.id, p.name) for p in list_packs()]
    return render(request, "home.html", title=T(ui_lang(request)).cases_title, rows=rows, packs=packs,
                  retention=state.config.retention_days, message=request.query_params.get("msg"))


@page
async def create_case(request: Request) -> Response:
    state = state_of(request)
    form = request.state.form
    pack = str(form.get("pack") or "national")
    lang = "en" if form.get("doc_lang") == "en" else "sv"

    if pack not in {p.id for p in list_packs()}:
        raise HTTPException(422, T(ui_lang(request)).invalid_pack)
    case = await db(state.store.create_case, pack, lang)
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@page
async def upload_case(request: Request) -> Response:
    """Start a case from an uploaded JSON/YAML input (size-capped, parsed with safe loaders only)."""
    state = state_of(request)
    t = T(ui_lang(request))
    upload = request.state.form.get("file")
    raw = await upload.read(state.config.max_upload + 1) if hasattr(upload, "read") else b""
    problem = None
    data: dict[str, Any] = {}
    if len(raw) > state.config.max_upload:
        problem = t.too_large
    else:
        try:
            data = load_input(bytes(raw))
        except InputError as exc:
            problem = exc.localized(t.lang)
    if not problem and not _small(data):
        problem = t.too_large
    kind = data.get("kind") if not problem else None
    if not problem and kind not in KIND_IDS:
        problem = _unknown_kind(t.lang)
    if problem:
        return render(request, "message.html", status=422, title=t.upload_failed, heading=t.upload_failed,
                      text=problem, back="/")

    pack = data.get("pack") if data.get("pack") in {p.id for p in list_packs()} else "national"
    lang = "en" if data.get("lang") == "en" else "sv"
    case = await db(state.store.create_case, pack, lang)
    await db(state.store.save, case.id, kind, {k: v for k, v in data.items() if k not in ("kind", "pack", "lang")}, 0)
    return RedirectResponse(f"/cases/{case.id}/docs/{kind}", status_code=303)


def _small(data: Any, budget: int = 100_000) -> bool:
    """At most ``budget`` values once YAML aliases are expanded (a 1 MB 'billion laughs'
    file parses to a few shared lists that would expand to 10⁹ values when stored)."""
    stack, seen = [data], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > budget:
            return False
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return True


def _unknown_kind(lang: str) -> str:
    return make_issue("input.unknown_kind", "/kind", "error", allowed=", ".join(KIND_IDS)).message(lang)


@page
async def case_page(request: Request) -> Response:
    state = state_of(request)
    case = await db(state.store.case, request.path_params["case_id"])
    docs = await db(state.store.documents, case.id)
    items = []
    for kind in KIND_IDS:
        version = docs.get(kind)
        entry: dict[str, Any] = {"kind": kind, "name": KINDS[kind].name(ui_lang(request)), "version": version}
        if version:
            result, issues = check(case, kind, version.data)
            entry["errors"] = sum(1 for i in issues if i.is_error)
            entry["warnings"] = sum(1 for i in issues if not i.is_error)
        items.append(entry)
    ready = [e for e in items if e["version"] and not e["errors"]]
    return render(request, "case.html", title=T(ui_lang(request)).case, case=case, items=items, ready=ready,
                  child=child_name(docs), created=when(case.created_at), closed=when(case.closed_at),
                  has_docs=bool(docs))


@page
async def start_document(request: Request) -> Response:
    """Create a document, prefilled from the case's other documents (or empty)."""
    state = state_of(request)
    kind = kind_of(request)
    case = await db(state.store.case, request.path_params["case_id"])
    latest = await db(state.store.latest, case.id, kind)
    if latest is None:
        data: dict[str, Any] = {}
        if request.state.form.get("mode") != "empty":
            docs = await db(state.store.documents, case.id)
            data = prefill(kind, *(full_input(case, k, v.data) for k, v in docs.items()))
        data = {k: v for k, v in data.items() if k not in ("kind", "pack", "lang")}
        await db(state.store.save, case.id, kind, data, 0)
    return RedirectResponse(f"/cases/{case.id}/docs/{kind}", status_code=303)


@page
async def document_page(request: Request) -> Response:
    state = state_of(request)
    kind = kind_of(request)
    case = await db(state.store.case, request.path_params["case_id"])
    latest = await db(state.store.latest, case.id, kind)
    data, version = (latest.data, latest.version) if latest else ({}, 0)
    ctx = form_context(request, case, kind, data, version,
                       focus_summary=request.query_params.get("checked") == "1")
    return render(request, "document.html", title=f"{KINDS[kind].name(ui_lang(request))} – {T(ui_lang(request)).case}",
                  **ctx)


async def _save_posted(request: Request, buttons: bool = True) -> tuple[Case, str, dict[str, Any], int, str | None]:
    """Parse the posted form, apply an add/remove button, save; raises Conflict.

    ``buttons=False`` for autosave: htmx sends the last-clicked submit button's value with
    a form's requests, so an autosave right after "Lägg till" would add the row twice.
    """
    state = state_of(request)
    kind = kind_of(request)
    case = await db(state.store.case, request.path_params["case_id"])
    form = request.state.form
    data = parse_form(kind, form.multi_items())
    focus = None
    action = form.get("_action") if buttons else None
    if isinstance(action, str) and action:
        data, focus = apply_action(data, action)
    try:
        base = int(str(form.get("_base_version") or "0"))
    except ValueError:
        base = -1
    editor = str(form.get("_editor") or "")[:64] or None
    version = await db(state.store.save, case.id, kind, data, base, editor)
    return case, kind, data, version, focus


@page
async def document_post(request: Request) -> Response:
    """The no-JavaScript path (and the buttons): save, then show the page again."""
    try:
        case, kind, data, version, focus = await _save_posted(request)
    except Conflict as conflict:
        return await _conflict_page(request, conflict)
    target = f"/cases/{case.id}/docs/{kind}"
    if focus:
        return RedirectResponse(f"{target}#{focus}", status_code=303)
    return RedirectResponse(f"{target}?checked=1", status_code=303)


async def _conflict_page(request: Request, conflict: Conflict) -> Response:
    state = state_of(request)
    kind = kind_of(request)
    case = await db(state.store.case, request.path_params["case_id"])
    t = T(ui_lang(request))
    return render(request, "message.html", status=409, title=t.conflict_title, heading=t.conflict_title,
                  text=t("conflict", latest=conflict.latest),
                  back=f"/cases/{case.id}/docs/{kind}", back_label=t.conflict_reload)


@page
async def autosave(request: Request) -> Response:
    """htmx autosave: save and answer with out-of-band swaps (status, issues, outputs)."""
    if request.headers.get("hx-request") != "true":
        return cast(Response, await document_post.__wrapped__(request))  # type: ignore[attr-defined]
    t = T(ui_lang(request))
    try:
        case, kind, data, version, _ = await _save_posted(request, buttons=False)
    except Conflict as conflict:
        html = templates.get_template("_conflict.html").render(t=t, latest=conflict.latest,
                                                          link=request.url.path.rsplit("/", 1)[0])
        return HTMLResponse(html)
    ctx = form_context(request, case, kind, data, version)
    html = templates.get_template("_autosave.html").render(t=t, csrf=state_of(request).auth.csrf_value,
                                                      saved_at=datetime.now().strftime("%H:%M:%S"), **ctx)
    return HTMLResponse(html + error_fragments(ctx["all_fields"], ctx["by_field"], t))


@page
async def close_case(request: Request) -> Response:
    state = state_of(request)
    case_id = request.path_params["case_id"]
    await db(state.store.set_closed, case_id, request.url.path.endswith("/close"))
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@page
async def delete_page(request: Request) -> Response:
    state = state_of(request)
    case = await db(state.store.case, request.path_params["case_id"])
    t = T(ui_lang(request))
    if request.method == "POST":
        counts = await db(state.store.delete_case, case.id)
        state.forget_case(case.id)
        return render(request, "message.html", title=t.delete_title, heading=t.delete_title,
                      text=t("deleted", **counts), back="/", back_label=t.back_to_cases)
    return render(request, "delete.html", title=t.delete_title, case=case)


@page
async def switch_ui(request: Request) -> Response:
    form = request.state.form
    target = str(form.get("next") or "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(UI_COOKIE, "en" if form.get("ui") == "en" else "sv", httponly=True, samesite="strict",
                        path="/", max_age=365 * 86400)
    return response


# -- errors --------------------------------------------------------------------------------------

async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    if request.url.path.startswith("/api/"):
        return error_response(status, "http.error", str(getattr(exc, "detail", "")), str(getattr(exc, "detail", "")))
    t = T(ui_lang(request))
    if status == 404:
        return render(request, "message.html", status=404, title=t.not_found, heading=t.not_found,
                      text=t.not_found_text, back="/", back_label=t.back_to_cases)
    detail = getattr(exc, "detail", "") or t.server_error
    return render(request, "message.html", status=status, title=t.server_error, heading=t.server_error,
                  text=detail, back="/", back_label=t.back_to_cases)


def exception_handlers() -> dict[Any, Any]:
    return {HTTPException: _http_error}


async def favicon(request: Request) -> Response:
    return Response(status_code=204)  # no icon; answered so browsers log no error


def routes() -> list[Route]:
    return [
        Route("/", home),
        Route("/favicon.ico", favicon),
        Route("/ui", switch_ui, methods=["POST"]),
        Route("/cases", create_case, methods=["POST"]),
        Route("/cases/upload", upload_case, methods=["POST"]),
        Route("/cases/{case_id}", case_page),
        Route("/cases/{case_id}/close", close_case, methods=["POST"]),
        Route("/cases/{case_id}/reopen", close_case, methods=["POST"]),
        Route("/cases/{case_id}/delete", delete_page, methods=["GET", "POST"]),
        Route("/cases/{case_id}/packet.pdf", files.packet),
        Route("/cases/{case_id}/docs/{kind}", document_page),
        Route("/cases/{case_id}/docs/{kind}", document_post, methods=["POST"]),
        Route("/cases/{case_id}/docs/{kind}/start", start_document, methods=["POST"]),
        Route("/cases/{case_id}/docs/{kind}/autosave", autosave, methods=["POST"]),
        Route("/cases/{case_id}/docs/{kind}/preview.pdf", files.preview),
        Route("/cases/{case_id}/docs/{kind}/download.{fmt}", files.download),
        Route("/cases/{case_id}/docs/{kind}/meeting.ics", files.meeting_ics),
    ]
