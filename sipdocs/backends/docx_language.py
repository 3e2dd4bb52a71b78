"""The language a Word document declares: ``w:lang`` in the style defaults, ``w:themeFontLang``.

Word and LibreOffice take the language of text from the run properties, and most runs
have none of their own, so the default in ``styles.xml`` (``w:docDefaults/w:rPrDefault``)
is the language of the whole document: spell-checking, hyphenation and what a screen
reader pronounces follow it, and LibreOffice's PDF export writes it as the catalogue's
``/Lang``. python-docx's default template, from which sipdocs' templates are built,
declares ``en-US``; one template serves both languages, so the language is set per
render: ``sv-SE`` for Swedish and ``en-GB`` for English documents.

``w:eastAsia`` (the language of East Asian text) is set to the same tag — the documents
have none — and ``w:bidi`` (the language of right-to-left runs) keeps the template's
value, or Arabic (``ar-SA``, Word's own default) when it has none. Word 2010's
``stylesWithEffects.xml`` repeats the defaults and is localised the same way.
``w:themeFontLang`` in ``settings.xml`` picks the theme's fonts by language; only its
``w:val`` is set, its East Asian and bidi choices are the template's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lxml import etree

from .docx_xml import NS_W, STRICT_PARSER, serialise

WORD_LANGUAGES: Mapping[str, str] = {"sv": "sv-SE", "en": "en-GB"}
DEFAULT_BIDI = "ar-SA"
STYLE_PARTS = ("word/styles.xml", "word/stylesWithEffects.xml")
SETTINGS_PART = "word/settings.xml"

_W = f"{{{NS_W}}}"
# w:rPr children that follow w:lang in the schema's sequence (ECMA-376 Part 1, CT_RPr)
_AFTER_LANG = (f"{_W}eastAsianLayout", f"{_W}specVanish", f"{_W}oMath")


def word_language(lang: str) -> str:
    """The Word language tag for a document language: ``sv`` → ``sv-SE``, ``en`` → ``en-GB``;
    a tag that already names a region (``fi-FI``) or an unknown language is kept."""
    return WORD_LANGUAGES.get(lang, lang)


def localise_styles(xml: bytes, tag: str) -> bytes:
    """``styles.xml`` (or ``stylesWithEffects.xml``) with ``tag`` as the default language.

    Creates ``w:docDefaults/w:rPrDefault/w:rPr/w:lang`` where the template lacks it.
    """
    root = etree.fromstring(xml, STRICT_PARSER)
    defaults = _child(root, "docDefaults", first=True)
    rpr_default = _child(defaults, "rPrDefault", first=True)
    rpr = _child(rpr_default, "rPr", first=True)
    lang = rpr.find(f"{_W}lang")
    if lang is None:
        lang = etree.Element(f"{_W}lang")
        following = next((child for child in rpr if child.tag in _AFTER_LANG), None)
        if following is None:
            rpr.append(lang)
        else:
            following.addprevious(lang)
    lang.set(f"{_W}val", tag)
    lang.set(f"{_W}eastAsia", tag)
    if not lang.get(f"{_W}bidi"):
        lang.set(f"{_W}bidi", DEFAULT_BIDI)
    return serialise(root)


def localise_settings(xml: bytes, tag: str) -> bytes:
    """``settings.xml`` with ``w:themeFontLang/@w:val`` = ``tag`` (when the element exists)."""
    root = etree.fromstring(xml, STRICT_PARSER)
    theme_lang = root.find(f"{_W}themeFontLang")
    if theme_lang is None:
        return xml
    theme_lang.set(f"{_W}val", tag)
    return serialise(root)


def localised_parts(read: Callable[[str], bytes | None], lang: str) -> dict[str, bytes]:
    """The language-dependent parts of a package, localised for ``lang``.

    ``read(name)`` returns a part's bytes or None when the package lacks it. Both Word
    engines use this: the compiled engine once per template and language (the results
    are then copied like any untouched part), the docxtpl engine after each render.
    """
    tag = word_language(lang)
    out: dict[str, bytes] = {}
    for name in STYLE_PARTS:
        data = read(name)
        if data is not None:
            out[name] = localise_styles(data, tag)
    settings = read(SETTINGS_PART)
    if settings is not None:
        out[SETTINGS_PART] = localise_settings(settings, tag)
    return out


def _child(parent: etree._Element, name: str, *, first: bool) -> etree._Element:
    found = parent.find(f"{_W}{name}")
    if found is None:
        found = etree.Element(f"{_W}{name}")
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found
