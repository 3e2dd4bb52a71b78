"""The JSON API (``/api/v1``): the library's validate, render and prefill over HTTP.

For other systems — a case-management product, a regional portal, a script in any
language. Every call needs ``Authorization: Bearer <token>``. Bodies are JSON, at most
``Config.max_body`` bytes (413 ``input.too_large``); errors are JSON objects with the
library's stable codes and Swedish and English messages::

    {"error": {"code": "input.unreadable", "message": "…", "message_sv": "…"}}

=======================================  ==============================================
``GET  /api/v1/kinds``                    the document kinds with their names
``GET  /api/v1/schemas/{kind}``           the kind's JSON Schema (self-contained)
``POST /api/v1/validate[?pack=]``         input → ``{"ok", "kind", "pack", "issues"}``
``POST /api/v1/render?format=pdf|docx``   input → the file, or 422 with the issues
``POST /api/v1/prefill/{kind}``           earlier documents (a list) → a new input
``GET  /api/v1/openapi.json``             OpenAPI 3.1, embedding every kind's schema
=======================================  ==============================================
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .._version import version
from ..api import FORMATS
from ..catalogue import both, code_of
from ..errors import Issue, SipdocsError
from ..kinds import KIND_IDS, KINDS
from ..prefill import prefill as make_prefill
from ..schemas import bundled_schema
from ..validation import validate as validate_input  # takes any parsed JSON (non-objects become issues)

__all__ = ["routes", "error_response", "catalogue_error", "openapi"]


def error_response(status: int, code: str, message: str, message_sv: str,
                   issues: list[dict[str, Any]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message, "message_sv": message_sv}}
    if issues is not None:
        body["issues"] = issues
    return JSONResponse(body, status_code=status)


def catalogue_error(status: int, key: str, /, *, issues: list[dict[str, Any]] | None = None,
                    headers: dict[str, str] | None = None, **params: Any) -> JSONResponse:
    """The error response with the catalogue's message ``key`` (:mod:`sipdocs.catalogue`)."""
    message_sv, message_en = both(key, **params)
    response = error_response(status, code_of(key), message_en, message_sv, issues)
    response.headers.update(headers or {})
    return response


def issue_json(issue: Issue) -> dict[str, Any]:
    out = {"code": issue.code, "pointer": issue.pointer, "level": issue.level,
           "message": issue.message("en"), "message_sv": issue.message("sv")}
    if issue.rule:
        out["rule"] = issue.rule
    return out


class _Refused(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _state(request: Request) -> Any:
    return request.app.state.sipdocs


def _authorize(request: Request) -> None:
    if not _state(request).auth.bearer_ok(request.headers.get("authorization")):
        raise _Refused(catalogue_error(401, "auth.required", headers={"www-authenticate": "Bearer"}))


async def _body(request: Request) -> Any:
    cap = _state(request).config.max_body
    declared = request.headers.get("content-length")
    too_large = catalogue_error(413, "input.too_large#body", limit=cap)
    if declared and declared.isdigit() and int(declared) > cap:
        raise _Refused(too_large)
    chunks = bytearray()
    async for chunk in request.stream():
        chunks += chunk
        if len(chunks) > cap:
            raise _Refused(too_large)
    try:
        return json.loads(bytes(chunks).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            refused = catalogue_error(400, "input.unreadable#body_line", line=exc.lineno, column=exc.colno)
        else:
            refused = catalogue_error(400, "input.unreadable#body")
        raise _Refused(refused) from None


def endpoint(fn: Any) -> Any:
    async def wrapper(request: Request) -> Response:
        try:
            _authorize(request)
            return cast(Response, await fn(request))
        except _Refused as refused:
            return refused.response
        except SipdocsError as exc:
            status = 504 if exc.code == "render.timeout" else 422 if exc.code.startswith(("input.", "pack.")) else 500
            return error_response(status, exc.code, exc.localized("en"), exc.localized("sv"))
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _unknown_kind(kind: str) -> JSONResponse:
    return catalogue_error(404, "input.unknown_kind", allowed=", ".join(KIND_IDS))


@endpoint
async def kinds(request: Request) -> Response:
    return JSONResponse({"kinds": [{"id": k.id, "name_sv": k.name_sv, "name_en": k.name_en} for k in KINDS.values()]})


@endpoint
async def schema(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind not in KIND_IDS:
        return _unknown_kind(kind)
    return JSONResponse(bundled_schema(kind), media_type="application/schema+json")


@endpoint
async def validate(request: Request) -> Response:
    data = await _body(request)
    pack = request.query_params.get("pack") or None
    result = await asyncio.to_thread(validate_input, data, pack)
    return JSONResponse({"ok": result.ok, "kind": result.kind, "pack": result.pack,
                         "issues": [issue_json(i) for i in result.issues]})


@endpoint
async def render(request: Request) -> Response:
    fmt = request.query_params.get("format", "pdf")
    if fmt not in FORMATS:
        return catalogue_error(400, "render.unknown_format#query", known=", ".join(FORMATS))
    data = await _body(request)
    result = await asyncio.to_thread(validate_input, data, request.query_params.get("pack") or None)
    if not result.ok:
        return catalogue_error(422, "input.invalid#web", issues=[issue_json(i) for i in result.issues])
    artifacts = await _state(request).pool.render(data, (fmt,))
    blob, filename, media = artifacts[fmt]
    return Response(blob, media_type=media, headers={"content-disposition": f'attachment; filename="{filename}"'})


@endpoint
async def prefill(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind not in KIND_IDS:
        return _unknown_kind(kind)
    body = await _body(request)
    documents = body.get("documents") if isinstance(body, dict) else body
    if not isinstance(documents, list) or not all(isinstance(d, dict) for d in documents):
        return catalogue_error(422, "input.not_an_object#documents")
    return JSONResponse(make_prefill(kind, *documents))


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document; each kind's self-contained JSON Schema is a component."""
    components = {kind: bundled_schema(kind) for kind in KIND_IDS}
    any_input = {"oneOf": [{"$ref": f"#/components/schemas/{k}"} for k in KIND_IDS]}
    issues = {"type": "array", "items": {"$ref": "#/components/schemas/Issue"}}
    error = {"type": "object", "properties": {"error": {"type": "object", "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "message_sv": {"type": "string"}},
        "required": ["code", "message", "message_sv"]}, "issues": issues},
        "required": ["error"]}
    issue = {"type": "object", "properties": {
        "code": {"type": "string"}, "pointer": {"type": "string"}, "level": {"enum": ["error", "warning"]},
        "message": {"type": "string"}, "message_sv": {"type": "string"}, "rule": {"type": "string"}},
        "required": ["code", "pointer", "level", "message", "message_sv"]}
    components.update({"Error": error, "Issue": issue})

    def err(description: str) -> dict[str, Any]:
        return {"description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}

    common = {"401": err("Missing or wrong bearer token (auth.required)"),
              "413": err("Body larger than the cap (input.too_large)"),
              "400": err("Body is not JSON (input.unreadable)")}
    json_body = {"required": True, "content": {"application/json": {"schema": any_input}}}
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "sipdocs API", "version": version(),
                 "description": "Validate, render and prefill SIP documents. Messages never contain input values."},
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/kinds": {"get": {"summary": "Document kinds", "responses": {
                "200": {"description": "The kinds"}, "401": common["401"]}}},
            "/api/v1/schemas/{kind}": {"get": {
                "summary": "The JSON Schema of a kind",
                "parameters": [{"name": "kind", "in": "path", "required": True, "schema": {"enum": list(KIND_IDS)}}],
                "responses": {"200": {"description": "JSON Schema (Draft 2020-12)"},
                              "404": err("Unknown kind (input.unknown_kind)"), "401": common["401"]}}},
            "/api/v1/validate": {"post": {
                "summary": "Validate an input",
                "parameters": [{"name": "pack", "in": "query", "schema": {"type": "string"}}],
                "requestBody": json_body,
                "responses": {"200": {"description": "Issues", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"ok": {"type": "boolean"}, "kind": {"type": ["string", "null"]},
                                                     "pack": {"type": "string"},
                                                     "issues": issues}}}}},
                              **common}}},
            "/api/v1/render": {"post": {
                "summary": "Render an input to PDF or Word",
                "parameters": [{"name": "format", "in": "query", "schema": {"enum": list(FORMATS), "default": "pdf"}},
                               {"name": "pack", "in": "query", "schema": {"type": "string"}}],
                "requestBody": json_body,
                "responses": {"200": {"description": "The file", "content": {
                    spec.media_type: {} for spec in FORMATS.values()}},
                    "422": err("The input has errors (input.invalid, with issues)"),
                    "504": err("Rendering took too long (render.timeout)"), **common}}},
            "/api/v1/prefill/{kind}": {"post": {
                "summary": "A new input prefilled from earlier documents of the case",
                "parameters": [{"name": "kind", "in": "path", "required": True, "schema": {"enum": list(KIND_IDS)}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "oneOf": [{"type": "array", "items": any_input},
                              {"type": "object",
                               "properties": {"documents": {"type": "array", "items": any_input}}}]}}}},
                "responses": {"200": {"description": "The prefilled input (not yet valid)"},
                              "404": err("Unknown kind (input.unknown_kind)"), **common}}},
            "/api/v1/openapi.json": {"get": {"summary": "This document",
                                             "responses": {"200": {"description": "OpenAPI"}}}},
        },
        "components": {"schemas": components,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


@endpoint
async def openapi_json(request: Request) -> Response:
    return JSONResponse(openapi())


def routes() -> list[Route]:
    return [
        Route("/kinds", kinds),
        Route("/schemas/{kind}", schema),
        Route("/validate", validate, methods=["POST"]),
        Route("/render", render, methods=["POST"]),
        Route("/prefill/{kind}", prefill, methods=["POST"]),
        Route("/openapi.json", openapi_json),
    ]
