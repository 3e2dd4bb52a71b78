"""The one Jinja environment factory: sandboxed, strict, autoescaping, with limits.

Templates come from packs, and packs may come from users, so every template runs in
an :class:`ImmutableSandboxedEnvironment` (no underscore attributes, no mutation of
lists or dicts, ``str.format`` sandboxed) with :class:`StrictUndefined` (a missing value
is an error, not a silently blank line on a legal document) and autoescaping (docxtpl
otherwise silently deletes text after ``&`` or ``<``).

The sandbox alone does not stop resource exhaustion: ``'a' * 10**9`` is a legal
expression. :class:`SipdocsSandbox` therefore intercepts ``*``, ``**`` and ``+`` and
refuses results above :data:`MAX_VALUE_SIZE`, caps ``range`` at :data:`MAX_RANGE`, and
`sipdocs.limits.time_limit` bounds the wall-clock time of a render (main thread only, via
``SIGALRM``).
"""

from __future__ import annotations

import operator
import re
from datetime import date
from typing import Any

from jinja2 import StrictUndefined, pass_eval_context
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup, escape

from .images import Image

MAX_RANGE = 10_000
MAX_VALUE_SIZE = 1_000_000  # characters or items produced by one operator

_BINOPS = {"*": operator.mul, "**": operator.pow, "+": operator.add}
_IMAGE_ATTRS = frozenset({"alt", "data_uri", "width_mm", "height_mm"})
_PLAIN = (str, int, float, bool, list, tuple, dict, type(None), date, LoopContext, Namespace, Cycler, Joiner)


def _size(value: Any) -> int:
    if isinstance(value, (str, bytes, list, tuple)):
        return len(value)
    return 0


class SipdocsSandbox(ImmutableSandboxedEnvironment):
    """Immutable sandbox with operator and range limits, and a whitelist for images."""

    intercepted_binops = frozenset(_BINOPS)

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "**":
            if isinstance(right, int) and right > 64:
                raise SecurityError("exponent too large")
            if isinstance(left, int) and abs(left) > 2**64:
                raise SecurityError("base too large")
        if operator_ == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, bytes, list, tuple)) and isinstance(times, int):
                    if len(seq) * max(times, 0) > MAX_VALUE_SIZE:
                        raise SecurityError("repetition result too large")
        if operator_ == "+" and _size(left) + _size(right) > MAX_VALUE_SIZE:
            raise SecurityError("concatenation result too large")
        return _BINOPS[operator_](left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Templates may read attributes of plain data and of Jinja's own helpers only.
        # Any other object (docxtpl's InlineImage.tpl, a python-docx Document …) would
        # hand the template the renderer itself: the document-merge-service escape.
        if isinstance(obj, Image):
            return attr in _IMAGE_ATTRS
        if not isinstance(obj, _PLAIN):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj: Any) -> bool:
        return super().is_safe_callable(obj)


def _limited_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise SecurityError(f"range too big (more than {MAX_RANGE} items)")
    return rng


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


@pass_eval_context
def join_isolated(eval_ctx: EvalContext, items: Any, separator: str = ", ") -> str:
    """Join values like ``join``; when any of them holds right-to-left text, each value is
    wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE (U+2068 … U+2069).

    Without the isolates the Unicode bidi algorithm treats the joined line as one run: a
    phone number after an Arabic organisation name takes the Arabic direction and prints
    with its digit groups reversed ("70 456 123-08"), in Word and in the PDF alike.
    Lines without right-to-left text are joined unchanged.

    Like Jinja's own ``join`` under autoescape, markup stays markup: when an item is a
    markup object (a link from ``| link`` or ``| mailto``, a picture), the other items
    and the separator are escaped and the result is markup, so the link is not printed
    as escaped tags.
    """
    values = list(items)
    if eval_ctx.autoescape and any(hasattr(item, "__html__") for item in values):
        marked = [escape(item) for item in values]
        if any(_RTL.search(part) for part in marked):
            marked = [Markup("\u2068") + part + Markup("\u2069") for part in marked]
        return escape(separator).join(marked)
    parts = [str(item) for item in values]
    if not any(_RTL.search(part) for part in parts):
        return separator.join(parts)
    return separator.join(f"\u2068{part}\u2069" for part in parts)


def plain_link(value: Any) -> Any:
    """The ``link`` filter's default: the value unchanged, '' for None.

    ``{{ meeting.link | link }}`` marks an http(s) URL as a link. Output formats that
    can make it clickable replace this filter (the Word engines write a ``w:hyperlink``);
    rendered by plain Jinja or docxtpl the template still prints the bare value.
    """
    return "" if value is None else value


def plain_mailto(value: Any) -> Any:
    """The ``mailto`` filter's default: the e-mail address unchanged, '' for None."""
    return "" if value is None else value


_LINK_SCHEMES = ("http://", "https://")
_BREAK_AFTER = re.compile(r"([/.@?&=])(?=[^/.@?&=])")


#: A run of this many characters without a space cannot fit on one line of any document
#: (170 mm at 9.5 pt holds about 90 average characters): it will be broken anyway.
LONG_TOKEN = 100
_CHUNK = 10
_LONG_RUN = re.compile(r"[^\s\u200b]{%d,}" % LONG_TOKEN)
_LONG_URL_PART = re.compile(r"[^\s\u200b]{%d,}" % (3 * _CHUNK))


def _chunked(match: re.Match[str]) -> str:
    run = match.group(0)
    return "\u200b".join(run[i:i + _CHUNK] for i in range(0, len(run), _CHUNK))


def breakable(text: str) -> str:
    """``text`` with a ZERO WIDTH SPACE after each ``/ . @ ? & =`` that a letter follows,
    and every ten characters within a long stretch that has none (a meeting id).

    A URL or an e-mail address is one unbreakable word to the line breaker; when it is longer
    than its cell it is then broken between any two letters. The zero-width spaces give the
    breaker the places a reader expects (after a slash, a dot, the at sign). They are not
    drawn, and poppler and pypdf leave them out of the extracted text, so copying the link
    gives the address itself.
    """
    return _LONG_URL_PART.sub(_chunked, _BREAK_AFTER.sub("\\1\u200b", text))


def breakable_long_tokens(value: Any) -> Any:
    """The PDF templates' ``finalize``: in a value holding a run of :data:`LONG_TOKEN` or more
    characters without a space, a zero-width space every five characters of that run.

    Such a run cannot fit on a line, so the line breaker must cut it somewhere; WeasyPrint
    finds the places by trying one character after another, which takes tens of seconds for
    a 3,000-character value (50 s for one in a label/value grid; 0.1 s with the break
    opportunities). Five characters, because WeasyPrint hyphenates a piece of six or more to
    fill a line (``hyphenate-limit-chars: 6``) and a hyphen inside a code would read as part
    of it. Zero-width spaces are not drawn, poppler and pypdf leave them out of the extracted
    text, and in an attribute (an alt text) they are harmless; markup (links, data: URIs) is
    left alone.
    """
    if not isinstance(value, str) or hasattr(value, "__html__") or len(value) < LONG_TOKEN:
        return nothing_for_none(value)
    return _LONG_RUN.sub(_in_fives, value)


def nothing_for_none(value: Any) -> Any:
    """Every sipdocs template's ``finalize``: a value that is not there prints nothing, never
    the word "None" (the context holds every key a template may use, None when unset)."""
    return "" if value is None else value


def _in_fives(match: re.Match[str]) -> str:
    run = match.group(0)
    return "\u200b".join(run[i:i + 5] for i in range(0, len(run), 5))


def html_link(value: Any) -> Any:
    """``{{ url | link }}`` in HTML: a clickable ``<a href>`` for an http(s) URL (tagged as a
    Link annotation in the PDF), the text alone for anything else."""
    if value is None or value == "":
        return ""
    text = str(value)
    if not text.lower().startswith(_LINK_SCHEMES):
        return text
    return Markup('<a href="{}">{}</a>').format(text, Markup(escape(breakable(text))))


def html_mailto(value: Any) -> Any:
    """``{{ address | mailto }}`` in HTML: a ``mailto:`` link for an e-mail address."""
    if value is None or value == "":
        return ""
    text = str(value)
    if "@" not in text or any(c.isspace() or c in "<>\"" for c in text):
        return text
    return Markup('<a href="mailto:{}">{}</a>').format(text, Markup(escape(breakable(text))))


def make_environment(*, autoescape: bool = True, loader: Any = None) -> SipdocsSandbox:
    """A fresh sandboxed environment as every sipdocs template is rendered with.

    ``lipsum`` is removed (it is no use in documents and costs CPU); ``range`` is capped.
    """
    env = SipdocsSandbox(
        autoescape=autoescape,
        undefined=StrictUndefined,
        finalize=nothing_for_none,
        loader=loader,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.globals.pop("lipsum", None)
    env.globals["range"] = _limited_range
    env.filters["join_isolated"] = join_isolated
    env.filters["link"] = plain_link
    env.filters["mailto"] = plain_mailto
    return env
