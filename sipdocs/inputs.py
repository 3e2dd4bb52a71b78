"""Reading inputs: JSON or YAML from a path, bytes or an already parsed mapping."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping

from .errors import InputError

MAX_INPUT_BYTES = 20 * 1024 * 1024


def load_input(source: str | os.PathLike[str] | bytes | Mapping[str, Any]) -> dict[str, Any]:
    """Parse one input document.

    A ``str`` or path is a file name (``.json``, ``.yaml``/``.yml``); ``bytes`` are JSON or
    YAML text; a mapping is returned as a plain ``dict``.

    :raises InputError: the file is missing, too large, or not valid JSON/YAML.
    """
    if isinstance(source, Mapping):
        return dict(source)
    if isinstance(source, bytes):
        return _parse(source, "<bytes>", yaml_ok=True)
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(f"Input file {path.name} is larger than 20 MB",
                             message_sv=f"Indatafilen {path.name} är större än 20 MB",
                             code="input.too_large")
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"No such input file: {path}", message_sv=f"Filen finns inte: {path}",
                         code="input.not_found") from exc
    except IsADirectoryError as exc:
        raise InputError(f"Input is a folder, not a file: {path}",
                         message_sv=f"Indata är en mapp, inte en fil: {path}",
                         code="input.not_found") from exc
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}", message_sv=f"Kan inte läsa {path}: {exc.strerror}",
                         code="input.unreadable") from exc
    return _parse(raw, path.name, yaml_ok=path.suffix.lower() in (".yaml", ".yml"))


def _parse(raw: bytes, name: str, *, yaml_ok: bool) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not UTF-8 text", message_sv=f"{name} är inte UTF-8-text",
                         code="input.unreadable") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if not yaml_ok:
            raise InputError(
                f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno})",
                message_sv=f"{name} är inte giltig JSON (rad {exc.lineno}, kolumn {exc.colno})",
                code="input.unreadable", details={"line": exc.lineno, "column": exc.colno},
            ) from exc
        data = _parse_yaml(text, name)
    if not isinstance(data, dict):
        raise InputError(f"{name} must hold one JSON object", message_sv=f"{name} måste innehålla ett JSON-objekt",
                         code="input.not_an_object")
    return data


def _parse_yaml(text: str, name: str) -> Any:
    import yaml

    try:
        # Dates stay strings (the schema wants ISO text), so use the JSON-compatible loader.
        return yaml.load(text, Loader=_JsonLikeLoader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise InputError(f"{name} is not valid YAML" + (f" (line {line})" if line else ""),
                         message_sv=f"{name} är inte giltig YAML" + (f" (rad {line})" if line else ""),
                         code="input.unreadable", details={"line": line}) from exc


def _JsonLikeLoader() -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    # keep dates and times as strings
    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader
