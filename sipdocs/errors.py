"""Exceptions and validation issues: the one error vocabulary of sipdocs.

Every public entry point raises only :class:`SipdocsError` subclasses; third-party
errors (Jinja, docxtpl/python-docx, WeasyPrint, pypdf, ``OSError``) are mapped at the
boundary with ``raise ... from exc``. Caller bugs (wrong argument types) stay
``TypeError``/``ValueError``.

::

    SipdocsError                      code "sipdocs.error", exit code 1
    ├── InputError                    unreadable input (file, JSON/YAML syntax)   exit 3
    │   └── InvalidInputError         readable but invalid; carries .issues       exit 3
    ├── PackError                     broken or unknown template pack             exit 2
    ├── TemplateSecurityError         a template tried something the sandbox refuses
    ├── RenderError                   template or backend failure, limits, damaged output
    │   └── BackendUnavailableError   a system library is missing
    ├── PostprocessError              PDF merge, metadata, encryption, form read-back
    ├── OutputError                   writing files (read-only, disk full)
    │   └── OutputExistsError         a file exists and force was not given           exit 5
    ├── SheetError                    spreadsheet cannot be read (bulk)         exit 3
    └── InternalError                 a bug in sipdocs (a domain rule raised)           exit 1

Each error and each :class:`Issue` has a stable dotted ``code`` (listed in the README),
an RFC 6901 JSON ``pointer`` into the input where one applies, and a message in Swedish
and English, written once in :mod:`sipdocs.catalogue` (``RenderError.from_code("render.timeout",
seconds=30)``). Messages never contain personal values from the input: they are built
from the code, the field's schema title and the pointer. The offending value is kept
in ``Issue.value`` only when validation ran with ``debug=True``.

All classes pickle (bulk rendering sends them between processes).
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from .catalogue import Phrase, both, code_of
from .exit_codes import EXIT_EXISTS, EXIT_FAILURE, EXIT_INVALID, EXIT_USAGE

Level = Literal["error", "warning"]
E = TypeVar("E", bound="SipdocsError")

__all__ = [
    "Issue",
    "SipdocsError",
    "InputError",
    "InvalidInputError",
    "PackError",
    "TemplateSecurityError",
    "RenderError",
    "BackendUnavailableError",
    "PostprocessError",
    "OutputError",
    "OutputExistsError",
    "SheetError",
    "InternalError",
    "escape_pointer_token",
    "join_pointer",
]


def escape_pointer_token(token: object) -> str:
    """Escape one reference token for a JSON pointer (RFC 6901: ``~`` → ``~0``, ``/`` → ``~1``)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(*tokens: object) -> str:
    """Build a JSON pointer from path tokens: ``join_pointer("guardians", 0, "phone")``."""
    return "".join("/" + escape_pointer_token(t) for t in tokens)


@dataclass(frozen=True)
class Issue:
    """One problem found in an input.

    :param code: stable dotted code, e.g. ``consent.valid_until_too_late``.
    :param pointer: JSON pointer into the input (``""`` is the whole document).
    :param level: ``"error"`` blocks rendering, ``"warning"`` is reported only.
    :param message_sv: the message in Swedish (never contains input values).
    :param message_en: the message in English.
    :param rule: the domain rule behind the issue (``"R5"``) or ``None`` for schema checks.
    :param row: spreadsheet row number (bulk only, 1-based as shown in Excel).
    :param column: spreadsheet column header (bulk only).
    :param value: the offending value; only filled in debug mode.
    """

    code: str
    pointer: str
    level: Level
    message_sv: str
    message_en: str
    rule: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = field(default=None, compare=False)

    def message(self, lang: str = "sv") -> str:
        """The message in ``lang`` (Swedish unless ``lang`` starts with ``en``)."""
        return self.message_en if lang.startswith("en") else self.message_sv

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def to_dict(self, lang: str = "sv", *, debug: bool = False) -> dict[str, Any]:
        """Plain JSON-able form: ``code``, ``pointer``, ``level``, ``message`` (+ extras)."""
        out: dict[str, Any] = {
            "code": self.code,
            "pointer": self.pointer,
            "level": self.level,
            "message": self.message(lang),
        }
        if self.rule:
            out["rule"] = self.rule
        if self.row is not None:
            out["row"] = self.row
        if self.column is not None:
            out["column"] = self.column
        if debug and self.value is not None:
            out["value"] = self.value
        return out

    def with_location(self, *, row: int | None = None, column: str | None = None) -> Issue:
        """A copy with a spreadsheet location attached."""
        d = asdict(self)
        d.update(row=row, column=column)
        return Issue(**d)

    def without_value(self) -> Issue:
        """A copy without the debug value (safe to log, report or send between processes)."""
        if self.value is None:
            return self
        d = asdict(self)
        d["value"] = None
        return Issue(**d)

    def __str__(self) -> str:
        where = self.pointer or "/"
        return f"{self.level} {self.code} at {where}: {self.message_en}"


class SipdocsError(Exception):
    """Root of all sipdocs errors.

    :param message: English message for people (no personal values).
    :param message_sv: Swedish message; defaults to the English one.
    :param code: stable dotted code; defaults to the class's ``code``.
    :param pointer: JSON pointer into the input, if the error concerns one field.
    :param details: non-sensitive context (template name, line, limit).
    """

    code: str = "sipdocs.error"
    exit_code: int = EXIT_FAILURE

    @classmethod
    def from_code(cls: type[E], key: str, /, *, pointer: str | None = None, details: dict[str, Any] | None = None,
                  code: str | None = None, **params: Any) -> E:
        """The error with the catalogue's message ``key`` (:mod:`sipdocs.catalogue`), in both languages.

        ``code`` defaults to the key's code (``sheet.too_large#rows`` → ``sheet.too_large``);
        ``params`` fill the message and never hold personal values; ``{pointer}`` in a message
        is the error's ``pointer``.

        .. versionadded:: 0.9
        """
        if pointer is not None:
            params.setdefault("pointer", pointer)
        message_sv, message_en = both(key, **params)
        err = cls.__new__(cls)
        SipdocsError.__init__(err, message_en, message_sv=message_sv, code=code or code_of(key), pointer=pointer,
                              details=details)
        return err

    def __init__(
        self,
        message: str,
        *,
        message_sv: str | None = None,
        code: str | None = None,
        pointer: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_sv = message_sv or message
        if code is not None:
            self.code = code
        self.pointer = pointer
        self.details = dict(details or {})

    def localized(self, lang: str = "sv") -> str:
        return self.message if lang.startswith("en") else self.message_sv

    def to_dict(self, lang: str = "sv") -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "pointer": self.pointer,
            "level": "error",
            "message": self.localized(lang),
        }
        if self.details:
            out["details"] = self.details
        return out

    def __str__(self) -> str:
        return f"{self.message} ({self.code}{' at ' + self.pointer if self.pointer else ''})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_error,
            (type(self), self.message, self.message_sv, self.code, self.pointer, self.details,
             self._extra_state()),
        )

    def _extra_state(self) -> dict[str, Any]:
        return {}


def _rebuild_error(cls: type[SipdocsError], message: str, message_sv: str, code: str,
                   pointer: str | None, details: dict[str, Any],
                   extra: dict[str, Any]) -> SipdocsError:
    err = cls.__new__(cls)
    SipdocsError.__init__(err, message, message_sv=message_sv, code=code, pointer=pointer,
                          details=details)
    for key, value in extra.items():
        setattr(err, key, value)
    return err


class InputError(SipdocsError):
    """The input cannot be read (missing file, not JSON/YAML, not an object)."""

    code = "input.unreadable"
    exit_code = EXIT_INVALID


class InvalidInputError(InputError):
    """The input was read but breaks the schema or the domain rules.

    ``issues`` holds every issue found (errors and warnings) in stable order.
    """

    code = "input.invalid"

    def __init__(self, issues: Iterable[Issue], *, source: str | None = None) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        self.source = source
        errors = [i for i in self.issues if i.is_error]
        n = len(errors)
        sv, en = both("input.invalid#source" if source else "input.invalid", count=n, source=source)
        super().__init__(en, message_sv=sv, pointer=errors[0].pointer if errors else None)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.is_error)

    @property
    def best(self) -> Issue | None:
        """The issue to show first: the shallowest error (jsonschema's ``best_match`` idea)."""
        errors = self.errors
        if not errors:
            return None
        return min(errors, key=lambda i: (i.pointer.count("/"), errors.index(i)))

    def _extra_state(self) -> dict[str, Any]:
        return {"issues": self.issues, "source": self.source}


class PackError(SipdocsError):
    """A template pack is unknown, malformed or inconsistent."""

    code = "pack.invalid"
    exit_code = EXIT_USAGE


class TemplateSecurityError(SipdocsError):
    """A template tried to reach something the sandbox forbids (attributes, globals, files)."""

    code = "render.security"


class RenderError(SipdocsError):
    """Rendering failed: template error, undefined variable, limits, damaged output."""

    code = "render.failed"


class BackendUnavailableError(RenderError):
    """A library needed for this output is not installed or cannot load."""

    code = "render.backend_unavailable"


class PostprocessError(SipdocsError):
    """PDF post-processing failed (merge, metadata, encryption, form read-back)."""

    code = "pdf.postprocess_failed"


class OutputError(SipdocsError):
    """Output could not be written (exists, read-only folder, disk full)."""

    code = "output.write_failed"


class OutputExistsError(OutputError):
    """A file to be written exists already and overwriting was not asked for (``--force``).

    Nothing of the document set is written then, so a Word file and a PDF never come from
    different inputs. The CLI exits with code 5.
    """

    code = "output.exists"
    exit_code = EXIT_EXISTS


class SheetError(InputError):
    """A spreadsheet cannot be read at all (format, encoding, dimensions)."""

    code = "sheet.unreadable"


class InternalError(SipdocsError):
    """A bug in sipdocs itself, never a problem in the input: e.g. a domain rule raised
    (``internal.rule_failed``). The message names the part that failed, never an input value."""

    code = "internal.error"

    @classmethod
    def bug_in(cls, part: Phrase, exc: BaseException, *, code: str, **details: Any) -> InternalError:
        """The error for ``exc`` raised in ``part``, a catalogue phrase (``phrase("part.rule", rule="R5")``).

        It names the part, the exception's type and where it was raised (file and line), never
        the exception's text, which may quote the input; chain ``exc`` only in debug mode.
        """
        frames = traceback.extract_tb(exc.__traceback__)
        if frames:
            details.setdefault("at", f"{Path(frames[-1].filename).name}:{frames[-1].lineno}")
        kind = type(exc).__name__
        return cls.from_code("internal.error#bug", code=code, part=part, kind=kind,
                             details={**details, "exception": kind})
