"""Preview and downloads: the PDF, the Word file, the meeting's .ics and the case's packet.

Only a version without errors is rendered; rendering runs in the worker pool, and the
last few files are kept per version, so a preview followed by a download renders once.
File names carry the kind, date and a hash — never a name.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ..api import FORMATS, output_format
from ..errors import SipdocsError
from ..kinds import KIND_IDS
from .common import check, db, full_input, kind_of, page, render, state_of, ui_lang
from .ics import meeting_ics as make_ics
from .store import Case, Version
from .texts import T


async def _latest_valid(request: Request) -> tuple[Case, str, Version, Any] | Response:
    state = state_of(request)
    kind = kind_of(request)
    case = await db(state.store.case, request.path_params["case_id"])
    wanted = request.query_params.get("v")
    version = await db(state.store.version, case.id, kind, int(wanted)) if wanted and wanted.isdigit() \
        else await db(state.store.latest, case.id, kind)
    if version is None:
        raise HTTPException(404)
    result, issues = check(case, kind, version.data)
    if not result.ok:
        t = T(ui_lang(request))
        return render(request, "message.html", status=422, title=t.render_failed, heading=t.render_failed,
                      text=t.outputs_invalid, back=f"/cases/{case.id}/docs/{kind}", back_label=t.back_to_case)
    return case, kind, version, result


async def _file(request: Request, fmt: str, inline: bool) -> Response:
    found = await _latest_valid(request)
    if isinstance(found, Response):
        return found
    case, kind, version, _ = found
    state = state_of(request)
    key = (case.id, kind, version.version, fmt)
    cached = state.files.get(key)
    if cached is None:
        try:
            artifacts = await state.pool.render(full_input(case, kind, version.data), (fmt,))
        except SipdocsError as exc:
            t = T(ui_lang(request))
            return render(request, "message.html", status=500, title=t.render_failed, heading=t.render_failed,
                          text=f"{exc.code}: {exc.localized(t.lang)}", back=f"/cases/{case.id}/docs/{kind}",
                          back_label=t.back_to_case)
        cached = artifacts[fmt]
        state.remember(key, cached)
    blob, filename, media = cached
    await db(state.store.log, case.id, "document.preview" if inline else f"document.download.{fmt}", kind,
             version.version)
    disposition = "inline" if inline else "attachment"
    return Response(blob, media_type=media, headers={"content-disposition": f'{disposition}; filename="{filename}"'})


@page
async def preview(request: Request) -> Response:
    return await _file(request, "pdf", inline=True)


@page
async def download(request: Request) -> Response:
    fmt = request.path_params["fmt"]
    if fmt not in FORMATS:
        raise HTTPException(404)
    return await _file(request, fmt, inline=False)


@page
async def meeting_ics(request: Request) -> Response:
    found = await _latest_valid(request)
    if isinstance(found, Response):
        return found
    case, kind, version, result = found
    if kind != "invitation":
        raise HTTPException(404)
    await db(state_of(request).store.log, case.id, "document.download.ics", kind, version.version)
    return Response(make_ics(result.data, case.lang), media_type="text/calendar; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="sip-mote.ics"'})


@page
async def packet(request: Request) -> Response:
    state = state_of(request)
    case = await db(state.store.case, request.path_params["case_id"])
    docs = await db(state.store.documents, case.id)
    ready = []
    for kind in KIND_IDS:
        if kind in docs:
            result, _ = check(case, kind, docs[kind].data)
            if result.ok:
                ready.append(full_input(case, kind, docs[kind].data))
    if not ready:
        raise HTTPException(404)
    blob = await state.pool.packet(ready)
    await db(state.store.log, case.id, "case.packet")
    return Response(blob, media_type=output_format("pdf").media_type,
                    headers={"content-disposition": 'attachment; filename="sip-paket.pdf"'})
