"""Reading inputs as people and programs give them: paths, JSON/YAML text, bytes, file objects, mappings.

What each type of ``source`` means (the README documents the same rules):

* a **mapping** is the input itself (Python values such as ``datetime.date`` are turned into
  the schema's text forms later, by :mod:`sipdocs.jsonvalues`);
* ``bytes`` (and ``bytearray``, ``memoryview``) and **file objects** (anything with ``.read()``)
  hold JSON or YAML text;
* an ``os.PathLike`` is a file name (``.json``, ``.yaml``/``.yml``);
* a ``str`` is JSON/YAML **text** when, after leading blanks, it starts with ``{`` or ``[``
  or ``---``, or when it contains a line break; any other ``str`` is a **file name**.
  :func:`loads` always reads its argument as text.

Privacy: SIP inputs describe children, and a web handler's JSON string is easily taken for
a path. So no error raised here ever contains the input or a part of it: messages name a
file only by its base name, and only when the source really is a file name (an
``os.PathLike``, or a ``str`` path ending in ``.json``, ``.yaml`` or ``.yml``). Parser
exceptions (``json.JSONDecodeError`` keeps the whole document in ``.doc``; PyYAML's message
quotes the offending line) are not chained to the error either, unless ``debug=True``.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, NoReturn, Union

from .catalogue import Phrase, phrase
from .errors import InputError

MAX_INPUT_BYTES = 20 * 1024 * 1024

#: Everything :func:`load_input` accepts.
InputSource = Union[Mapping[str, Any], str, bytes, bytearray, memoryview, "os.PathLike[str]", IO[str], IO[bytes]]

_NAMED_SUFFIXES = (".json", ".yaml", ".yml")

__all__ = ["InputSource", "MAX_INPUT_BYTES", "is_text", "load_input", "loads", "source_label"]


def is_text(source: str) -> bool:
    """Whether a ``str`` source is JSON/YAML text rather than a file name (see the module docstring)."""
    head = source.lstrip(" \t\r\n\ufeff")
    return not head or head[0] in "{[" or head.startswith("---") or "\n" in source or "\r" in source


def source_label(source: object) -> str | None:
    """The name under which errors may mention ``source``: a file's base name, else ``None``.

    Only real file names are shown: an ``os.PathLike``, or a ``str`` that is not text and
    ends in ``.json``/``.yaml``/``.yml`` (so a one-line JSON string mistaken for a path is
    never echoed).
    """
    if isinstance(source, os.PathLike):
        name = Path(source).name
    elif isinstance(source, str) and not is_text(source) and source.lower().endswith(_NAMED_SUFFIXES):
        name = Path(source).name
    else:
        return None
    if not name or len(name) > 255 or any(ord(ch) < 32 for ch in name):
        return None
    return name


def loads(text: str | bytes | bytearray | memoryview, *, debug: bool = False) -> dict[str, Any]:
    """Parse JSON or YAML text (never a file name) into one input object.

    :raises InputError: the text is empty, too large, not UTF-8, not JSON/YAML or not an object.
    """
    if isinstance(text, str):
        return _parse_text(text, "", debug=debug)
    if isinstance(text, (bytes, bytearray, memoryview)):
        return _parse_bytes(bytes(text), "", debug=debug)
    raise TypeError(f"loads() takes str or bytes, not {type(text).__name__}")


def load_input(source: InputSource, *, debug: bool = False) -> dict[str, Any]:
    """Parse one input document from any supported source (see the module docstring).

    A mapping is returned as a shallow ``dict`` copy; everything else is parsed.

    :raises InputError: the file is missing or unreadable, or the text is not a JSON/YAML object.
    :raises TypeError: ``source`` is of a type sipdocs does not read (a caller bug).
    """
    if isinstance(source, Mapping):
        return dict(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _parse_bytes(bytes(source), "", debug=debug)
    if isinstance(source, str):
        if is_text(source):
            return _parse_text(source, "", debug=debug)
        return _read_path(Path(source), source_label(source), debug=debug)
    if isinstance(source, os.PathLike):
        return _read_path(Path(source), source_label(source), debug=debug)
    read = getattr(source, "read", None)
    if callable(read):
        return _read_stream(source, debug=debug)
    raise TypeError("an input is a mapping, JSON/YAML text (str or bytes), a path or a file object, "
                    f"not {type(source).__name__}")


# --- the sources ----------------------------------------------------------------------------------

def _the(name: str, word: str = "word.the_input") -> str | Phrase:
    """The subject of a message: the file's name, or a neutral word (a catalogue phrase)."""
    return name or phrase(word)


def _fail(key: str, *, cause: BaseException | None, debug: bool, details: dict[str, Any] | None = None,
          **params: Any) -> NoReturn:
    """Raise an :class:`InputError` that chains ``cause`` only in debug mode.

    Called outside ``except`` blocks, so the parser's exception (which may hold the input) is
    neither the error's ``__cause__`` nor its ``__context__``.
    """
    error = InputError.from_code(key, details=details, **params)
    if debug and cause is not None:
        raise error from cause
    raise error


def _read_path(path: Path, label: str | None, *, debug: bool) -> dict[str, Any]:
    name = label or ""
    subject = _the(name, "word.the_input_file")
    problem: tuple[str, dict[str, Any]] | None = None
    cause: OSError | None = None
    raw = b""
    try:
        if path.is_dir():
            problem = ("input.not_found#folder", {"subject": subject})
        elif path.stat().st_size > MAX_INPUT_BYTES:
            problem = ("input.too_large", {"subject": subject})
        else:
            raw = path.read_bytes()
    except OSError as exc:
        cause = exc
        # a str that is neither a known file name nor text: say how text is recognised
        hint = phrase("input.str_hint")
        reason = exc.strerror or type(exc).__name__
        if isinstance(exc, FileNotFoundError) or exc.errno == errno.ENAMETOOLONG:
            problem = ("input.not_found", {"file": name}) if name else ("input.not_found#str", {"hint": hint})
        else:
            problem = (("input.unreadable#os", {"file": name, "reason": reason}) if name
                       else ("input.unreadable#os_str", {"reason": reason, "hint": hint}))
    if problem is not None:
        _fail(problem[0], cause=cause, debug=debug, **problem[1])
    return _parse_bytes(raw, name, debug=debug)


def _read_stream(stream: Any, *, debug: bool) -> dict[str, Any]:
    label = source_label(getattr(stream, "name", None))
    name = label or ""
    cause: Exception | None = None
    try:
        content = stream.read(MAX_INPUT_BYTES + 1)
    except (OSError, ValueError) as exc:  # closed or unreadable stream
        cause = exc
    if cause is not None:
        _fail("input.unreadable#stream", cause=cause, debug=debug, source=_the(name, "word.the_file_object"))
    if isinstance(content, str):
        if len(content) > MAX_INPUT_BYTES:
            _too_large(name)
        return _parse_text(content, name, debug=debug)
    if isinstance(content, (bytes, bytearray, memoryview)):
        return _parse_bytes(bytes(content), name, debug=debug)
    raise TypeError(f"the file object's read() returned {type(content).__name__}, not str or bytes")


def _too_large(name: str) -> NoReturn:
    _fail("input.too_large", cause=None, debug=False, subject=_the(name))


# --- parsing --------------------------------------------------------------------------------------

def _parse_bytes(raw: bytes, name: str, *, debug: bool) -> dict[str, Any]:
    if len(raw) > MAX_INPUT_BYTES:
        _too_large(name)
    cause: UnicodeDecodeError | None = None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        cause = exc
    if cause is not None:
        _fail("input.unreadable#utf8", cause=cause, debug=debug, subject=_the(name))
    return _parse_text(text, name, debug=debug)


def _parse_text(text: str, name: str, *, debug: bool) -> dict[str, Any]:
    """JSON first; then YAML (not for ``.json`` files). A text that starts like JSON and is
    neither gets the JSON error (line and column), any other the YAML error."""
    if len(text) > MAX_INPUT_BYTES:
        _too_large(name)
    text = text.removeprefix("\ufeff")
    subject = _the(name)
    if not text.strip():
        _fail("input.unreadable#empty", cause=None, debug=debug, subject=_the(name, "word.the_text"))
    json_error: ValueError | None = None
    try:
        data = json.loads(text)
    except ValueError as exc:  # JSONDecodeError, or a RecursionError-free "too deep" ValueError
        json_error = exc
    except RecursionError:
        _fail("input.unreadable#too_deep", cause=None, debug=debug, subject=_the(name, "word.the_text"))
    if json_error is not None:
        line = getattr(json_error, "lineno", None)
        column = getattr(json_error, "colno", None)
        yaml_line: int | None = None
        if not name.lower().endswith(".json"):
            data, is_yaml, yaml_line = _parse_yaml(text)
            if is_yaml:
                json_error = None
        if json_error is not None:
            if text.lstrip()[:1] in ("{", "[") or name.lower().endswith(".json"):
                _fail("input.unreadable#json", cause=json_error, debug=debug, details={"line": line, "column": column},
                      subject=subject, line=line, column=column)
            _fail("input.unreadable#yaml_line" if yaml_line else "input.unreadable#yaml", cause=json_error,
                  debug=debug, details={"line": yaml_line}, subject=subject, line=yaml_line)
    if not isinstance(data, dict):
        _fail("input.not_an_object", cause=None, debug=debug, subject=subject)
    return data


def _parse_yaml(text: str) -> tuple[Any, bool, int | None]:
    """(data, True, None) when ``text`` is YAML, else (None, False, the line of the error)."""
    import yaml  # start-up: PyYAML (~8 ms) loads only for YAML input

    try:
        # Dates stay strings (the schema wants ISO text), so use the JSON-compatible loader.
        return yaml.load(text, Loader=_json_like_loader()), True, None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, False, (mark.line + 1 if mark is not None else None)
    except RecursionError:
        return None, False, None


_LOADER: Any = None


def _json_like_loader() -> Any:
    """PyYAML's safe loader without the timestamp resolver (dates and times stay text)."""
    global _LOADER
    if _LOADER is None:
        import yaml  # start-up: PyYAML (~8 ms) loads only for YAML input

        resolvers = {k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
                     for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
        _LOADER = type("JsonLikeLoader", (yaml.SafeLoader,), {"yaml_implicit_resolvers": resolvers})
    return _LOADER
