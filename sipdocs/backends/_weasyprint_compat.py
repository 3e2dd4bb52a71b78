"""Every use sipdocs makes of WeasyPrint's internals, each behind a version gate (see :mod:`._compat`).

WeasyPrint's public API — ``HTML(string=…, base_url=…, url_fetcher=…)``, ``HTML.render``,
``Document.write_pdf(finisher=…)``, ``CSS``, ``FontConfiguration``, the ``cache`` option, the
documented attributes of ``Document``, ``Page`` and ``DocumentMetadata`` — is used directly by
the PDF backend. What follows is not public, and is touched here only:

=====================  ==========  ====================================================================
fast path              verified    private names and conventions it relies on
=====================  ==========  ====================================================================
``html_tree``          70.0–70.x   ``HTML.__init__`` bypassed for a tree parsed by Lexbor; the attributes
                                   it sets (``base_url``, ``url_fetcher``, ``media_type``,
                                   ``wrapper_element``, ``etree_element``); ``weasyprint._find_base_url``
``style_memo``         70.0–70.x   ``Document._render(html, font_config, counter_style, color_profiles,
                                   options)``, ``Document._build_layout_context`` and the ``style_for``
                                   of its context; ``StyleFor._computed_styles``, ``_cascaded_styles``,
                                   ``__call__(element, pseudo_type)``, ``initial_page_sizes`` and a
                                   subclass swapped in as its class; ``ComputedStyle.parent_style``,
                                   ``root_style``, ``cache``, ``cascaded``, ``pseudo_type``,
                                   ``base_url``, ``initial_page_sizes``; ``weasyprint.DEFAULT_OPTIONS``
``image_streams``      70.0–70.x   ``RasterImage.get_x_object(interpolate, dpi_ratio)`` as WeasyPrint
                                   calls it, ``RasterImage.mode``, a subclass swapped in as the class
                                   of the images in the renderer's cache
=====================  ==========  ====================================================================

The table is :data:`FAST_PATHS`; the README has each one's measured gain (a fast path that
saved under 3 % of a document's time was dropped: a UA stylesheet without the footnote and
note marker rules, 2.3–2.6 %). Where one is off, the backend does what the public API offers:
WeasyPrint parses the HTML itself, computes every style of every document and encodes each
image for each PDF. The output is the same file either way (a test compares the bytes).
"""

from __future__ import annotations

import functools
from typing import Any
from xml.etree import ElementTree as ET

import pydyf

from ._compat import FastPath, mismatch, parameters, usable
from .pdf_objects import part_bytes

DISTRIBUTION = "weasyprint"
VERIFIED = ("70.0", "71")

# What the style memo reads and re-points on WeasyPrint's ComputedStyle (checked on each document's root).
_STYLE_ATTRIBUTES = ("parent_style", "root_style", "cascaded", "pseudo_type", "base_url", "cache",
                     "initial_page_sizes")
_LAYOUT_PARAMETERS = ["html", "font_config", "counter_style", "color_profiles", "options"]


# --- the probes: names and signatures as verified -----------------------------------------------

def _probe_html_tree() -> str | None:
    import weasyprint  # start-up: WeasyPrint loads with the first PDF
    from weasyprint import HTML

    if not callable(getattr(weasyprint, "_find_base_url", None)):
        return "weasyprint._find_base_url is missing"
    if parameters(HTML.__init__) != ["self", "guess", "filename", "url", "file_obj", "string", "encoding",
                                     "base_url", "url_fetcher", "media_type"]:
        return "HTML.__init__ takes other parameters"
    # An HTML that keeps more than what the tree constructor sets would be half built.
    expected = set(vars(HTML(string="<p>probe</p>", base_url="/")))
    built = set(vars(_html_classes()[1](ET.fromstring("<html><body/></html>"), "/", None)))
    missing = sorted(expected - built)
    return f"HTML objects also have {', '.join(missing)}" if missing else None


def _probe_style_memo() -> str | None:
    from weasyprint import DEFAULT_OPTIONS  # start-up: WeasyPrint loads with the first PDF
    from weasyprint.css import StyleFor
    from weasyprint.document import Document

    if parameters(Document._render) != _LAYOUT_PARAMETERS:
        return "Document._render takes other parameters"
    if parameters(Document._build_layout_context) != _LAYOUT_PARAMETERS:
        return "Document._build_layout_context takes other parameters"
    if parameters(StyleFor.__call__) != ["self", "element", "pseudo_type"]:
        return "StyleFor.__call__ takes other parameters"
    if hasattr(StyleFor, "__slots__"):
        return "StyleFor has __slots__"
    return None if isinstance(DEFAULT_OPTIONS, dict) else "weasyprint.DEFAULT_OPTIONS is not a dict"


def _probe_image_streams() -> str | None:
    from weasyprint.images import RasterImage  # start-up: WeasyPrint loads with the first PDF

    if parameters(RasterImage.get_x_object) != ["self", "interpolate", "dpi_ratio"]:
        return "RasterImage.get_x_object takes other parameters"
    return "RasterImage has __slots__" if hasattr(RasterImage, "__slots__") else None


HTML_TREE = FastPath(
    "weasyprint.html_tree", DISTRIBUTION, VERIFIED,
    ("HTML.__init__ (bypassed)", "HTML.base_url/url_fetcher/media_type/wrapper_element/etree_element",
     "weasyprint._find_base_url"),
    _probe_html_tree)
STYLE_MEMO = FastPath(
    "weasyprint.style_memo", DISTRIBUTION, VERIFIED,
    ("Document._render", "Document._build_layout_context", "LayoutContext.style_for",
     "StyleFor._computed_styles/_cascaded_styles/__call__/initial_page_sizes (class swapped)",
     "ComputedStyle.parent_style/root_style/cache/cascaded/pseudo_type/base_url/initial_page_sizes",
     "weasyprint.DEFAULT_OPTIONS"),
    _probe_style_memo)
IMAGE_STREAMS = FastPath(
    "weasyprint.image_streams", DISTRIBUTION, VERIFIED,
    ("RasterImage.get_x_object(interpolate, dpi_ratio)", "RasterImage.mode (class swapped)"),
    _probe_image_streams)
FAST_PATHS = (HTML_TREE, STYLE_MEMO, IMAGE_STREAMS)


# --- html_tree and style_memo: the HTML objects ---------------------------------------------------

def html_from_tree(root: ET.Element, base_url: str, url_fetcher: Any, style_memo: Any = None,
                   fast_paths: bool = True) -> Any | None:
    """A WeasyPrint ``HTML`` for a tree parsed elsewhere, or None when ``html_tree`` is off.

    ``style_memo`` (a :class:`~.style_memo.StyleMemo`, given only when :data:`STYLE_MEMO` is
    usable) shares computed styles with the documents laid out before.
    """
    if not usable(HTML_TREE, fast_paths):
        return None
    html = _html_classes()[1](root, base_url, url_fetcher)
    html.style_memo = style_memo
    return html


def html_from_string(source: str, base_url: str, url_fetcher: Any, style_memo: Any = None) -> Any:
    """``HTML(string=source, …)`` — WeasyPrint parses it — laid out with ``style_memo`` if given."""
    from weasyprint import HTML  # start-up: WeasyPrint loads with the first PDF

    if style_memo is None:
        return HTML(string=source, base_url=base_url, url_fetcher=url_fetcher)
    html = _html_classes()[0](string=source, base_url=base_url, url_fetcher=url_fetcher)
    html.style_memo = style_memo
    return html


@functools.cache
def _html_classes() -> tuple[type, type]:
    """(``MemoHTML``, ``PreParsedHTML``): made once, the first time a fast path needs them."""
    import cssselect2  # start-up: WeasyPrint loads with the first PDF
    import weasyprint
    from weasyprint import DEFAULT_OPTIONS, HTML
    from weasyprint.document import Document

    class SharedStyleDocument(Document):  # type: ignore[misc]
        """A ``Document`` whose styles go through the HTML's :class:`StyleMemo`, if it has one."""

        @classmethod
        def _build_layout_context(cls, html: Any, *args: Any, **kwargs: Any) -> Any:
            context = super()._build_layout_context(html, *args, **kwargs)
            if html.style_memo is not None:
                html.laid_out_by = context.style_for
                html.style_memo.attach(context.style_for)
            return context

    class MemoHTML(HTML):  # type: ignore[misc]
        """``HTML`` laid out with a :class:`StyleMemo` (when ``style_memo`` is set)."""

        style_memo: Any = None
        laid_out_by: Any = None  # the StyleFor of the last layout, until it is released

        def render(self, font_config: Any = None, counter_style: Any = None, color_profiles: Any = None,
                   **options: Any) -> Any:
            """``HTML.render``, laid out by ``SharedStyleDocument`` when there is a memo; laid out
            again without kept styles if its first page has another size than the documents
            before it."""
            memo = self.style_memo
            if memo is None or not set(options) <= set(DEFAULT_OPTIONS):
                return super().render(font_config, counter_style, color_profiles, **options)
            while True:
                try:
                    document = SharedStyleDocument._render(self, font_config, counter_style, color_profiles,
                                                           {**DEFAULT_OPTIONS, **options})
                finally:
                    self._release()
                if not memo.sizes_changed():
                    return document
                memo.clear()  # kept styles may hold viewport units of another page size

        def _release(self) -> None:
            if self.laid_out_by is not None:
                self.style_memo.release(self.laid_out_by)
                self.laid_out_by = None

    class PreParsedHTML(MemoHTML):
        """What ``HTML.__init__`` sets up after parsing, from a tree parsed elsewhere."""

        def __init__(self, root: ET.Element, base_url: str, url_fetcher: Any) -> None:
            self.base_url = weasyprint._find_base_url(root, base_url)  # only made when html_tree is usable
            self.url_fetcher = url_fetcher
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element

    return MemoHTML, PreParsedHTML


# --- style_memo: WeasyPrint's style objects ---------------------------------------------------------

def computed_styles(style_for: Any) -> dict[Any, Any] | None:
    """The ``StyleFor``'s computed styles by (element, pseudo-element), or None if it has none
    as 70.x has them (the memo then stays off for the rest of the process)."""
    styles = getattr(style_for, "_computed_styles", None)
    root = next(iter(styles.values()), None) if isinstance(styles, dict) and styles else None
    if root is None:
        mismatch(STYLE_MEMO, "StyleFor has no computed styles as 70.x has them")
        return None
    if not all(hasattr(root, name) for name in _STYLE_ATTRIBUTES):
        mismatch(STYLE_MEMO, "ComputedStyle lacks " + ", ".join(n for n in _STYLE_ATTRIBUTES if not hasattr(root, n)))
        return None
    return styles


def hides_root(styles: dict[Any, Any]) -> bool:
    """Whether the root element has ``display: none`` (WeasyPrint then rewrites every style)."""
    return bool(next(iter(styles.values()))["display"] == ("none",))


def share_page_sizes(style_for: Any, styles: dict[Any, Any], page_sizes: dict[str, Any]) -> None:
    """Make the document's styles resolve viewport units against ``page_sizes``: one dict for
    the document's ``StyleFor``, its styles, the kept ones and later ``@page`` ones."""
    style_for.initial_page_sizes = page_sizes
    for style in styles.values():
        style.initial_page_sizes = page_sizes


def hand_out_kept_styles(style_for: Any, memo: Any) -> None:
    """Give ``style_for`` the class whose lookups go through ``memo.swap`` (see
    :func:`_shared_style_for`)."""
    style_for._sipdocs_memo = memo
    style_for._sipdocs_swapped = {}
    style_for.__class__ = _shared_style_for(style_for.__class__)


def release(style_for: Any) -> None:
    """Empty a laid-out document's ``StyleFor`` (its computed and cascaded styles)."""
    for name in ("_computed_styles", "_cascaded_styles", "_sipdocs_swapped"):
        table = getattr(style_for, name, None)
        if isinstance(table, dict):
            table.clear()


def parent_style(style: Any) -> Any:
    return style.parent_style


def style_key(style: Any) -> tuple[Any, Any, dict[str, tuple[Any, Any]]]:
    """What a computed style depends on besides its parent: (pseudo-element, base URL, the
    cascaded declarations as {name: (value, weight)})."""
    return style.pseudo_type, style.base_url, style.cascaded


def inherit_from(style: Any, kept_parent: Any, page_sizes: dict[str, Any]) -> None:
    """Re-point a style met for the first time at the kept parent (and its root and cache)."""
    if kept_parent is not None:
        style.parent_style = kept_parent
        style.root_style = kept_parent.root_style if kept_parent.parent_style is not None else kept_parent
        style.cache = kept_parent.cache
    style.initial_page_sizes = page_sizes


_SHARED: dict[type, type] = {}


def _shared_style_for(base: type) -> type:
    """``StyleFor`` (``base``) whose lookups go through the attached :class:`StyleMemo`."""
    if base in _SHARED:
        return _SHARED[base]

    class SharedStyleFor(base):  # type: ignore[misc]
        def __call__(self, element: Any, pseudo_type: Any = None) -> Any:
            styles = self._computed_styles
            style = styles.get((element, pseudo_type))
            if style is not None:
                used = self._sipdocs_memo.swap(style, self._sipdocs_swapped)
                if used is not style:
                    styles[element, pseudo_type] = used
            return super().__call__(element, pseudo_type)

    _SHARED[base] = SharedStyleFor
    return SharedStyleFor


# --- image_streams ---------------------------------------------------------------------------------------

def memoize_image_streams(cache: dict[str, Any], fast_paths: bool = True) -> None:
    """Encode each raster image in this renderer's cache for the PDF once, not once per document.

    WeasyPrint's image cache keeps decoded images between documents, but
    ``RasterImage.get_x_object`` re-encodes the pixels (PIL → PNG → Flate data) every time a
    document is written — about 5 ms per QR code and more for a logo. The encoded stream
    content does not depend on the document, so each cached image is given a subclass that
    keeps it; a fresh ``pydyf.Stream`` is made around it each time, since PDF objects belong
    to one file. Only the images in this renderer's cache change class — WeasyPrint itself is
    not patched, so other users of it in the process (and the naive loop in ``bench/``) are
    unaffected. Images with an alpha mask (a separate PDF object) and resized images are
    left to WeasyPrint.
    """
    if not usable(IMAGE_STREAMS, fast_paths):
        return
    from weasyprint.images import RasterImage  # start-up: WeasyPrint loads with the first PDF

    for image in cache.values():
        if type(image) is RasterImage:
            image.__class__ = _stream_memo_image()


@functools.cache
def _stream_memo_image() -> type:
    from weasyprint.images import RasterImage  # start-up: WeasyPrint loads with the first PDF

    class StreamMemoImage(RasterImage):  # type: ignore[misc]
        def get_x_object(self, *args: Any, **kwargs: Any) -> Any:
            # WeasyPrint 70 calls get_x_object(interpolate, dpi_ratio); any other call
            # (a resized image, an alpha mask, another WeasyPrint) is left to WeasyPrint
            if kwargs or len(args) != 2 or args[1] != 1 or getattr(self, "mode", "RGBA") in ("RGBA", "LA"):
                return super().get_x_object(*args, **kwargs)
            interpolate = args[0]
            memo = self.__dict__.setdefault("_sipdocs_streams", {})
            if interpolate not in memo:
                stream = super().get_x_object(*args)
                if "SMask" in stream.extra:
                    return stream
                memo[interpolate] = ([bytes(part_bytes(part)) for part in stream.stream], dict(stream.extra))
            content, extra = memo[interpolate]
            return pydyf.Stream(list(content), pydyf.Dictionary(extra))

    return StreamMemoImage
